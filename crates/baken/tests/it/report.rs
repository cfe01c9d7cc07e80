//! The council report (issue 16): the scenario "Groningen 2023–2025" shows, figure by figure,
//! the numbers of the plan review (plan-figures.toml), computed by the real report code from
//! the generated records; Bibob figures leave the compartment only protected; readers outside
//! the team get protected counts and no records; the files are made.

use baken_core::access::Suppression;
use baken_core::report::{
    FigureKey, RawReportRequest, Report, ReportFigure, ReportProgress, ReportReaders, ReportStage,
};
use baken_core::{Caller, Purpose};
use baken_store::testing::TestDatabase;
use baken_store::SharedStore;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-12-05 09:00 UTC);

async fn caller(store: &SharedStore, email: &str) -> Caller {
    let u = store.user_by_email(email).await.unwrap().unwrap();
    Caller::for_user(&u, Purpose::new("rapportage"), "test")
}

/// The stages a report announced, in order.
#[derive(Default)]
struct Stages(std::sync::Mutex<Vec<ReportStage>>);

impl ReportProgress for Stages {
    fn stage(&self, stage: ReportStage) {
        self.0.lock().unwrap().push(stage);
    }
}

async fn report(store: &SharedStore, who: &Caller, raw: RawReportRequest) -> Report {
    let request = raw
        .parse(
            baken_core::calendar::local_date(NOW),
            Suppression::default(),
            who.sees_only_aggregates(),
        )
        .unwrap();
    let stages = Stages::default();
    let report = store.report(who, &request, &stages, NOW).await.unwrap();
    // Whoever watches sees the report move forward, stage by stage, to the figures.
    let seen = stages.0.into_inner().unwrap();
    assert_eq!(seen.last(), Some(&ReportStage::Figures), "{seen:?}");
    assert!(
        seen.windows(2)
            .all(|w| w[0].position().0 < w[1].position().0),
        "{seen:?}"
    );
    assert!(seen.len() >= 5, "{seen:?}");
    report
}

fn year(y: i32) -> RawReportRequest {
    RawReportRequest {
        year: y.to_string(),
        ..RawReportRequest::default()
    }
}

fn period(from: &str, until: &str) -> RawReportRequest {
    RawReportRequest {
        from: from.into(),
        until: until.into(),
        ..RawReportRequest::default()
    }
}

fn figure(r: &Report, key: FigureKey) -> &ReportFigure {
    r.figure(key).unwrap_or_else(|| panic!("{key:?} missing"))
}

fn value(r: &Report, key: FigureKey) -> u64 {
    figure(r, key)
        .count
        .value
        .unwrap_or_else(|| panic!("{key:?} suppressed"))
}

/// The breakdown `dimension` of `key` as (value, count) pairs.
fn rows(
    r: &Report,
    key: FigureKey,
    dimension: baken_core::report::Dimension,
) -> Vec<(String, u64)> {
    figure(r, key)
        .breakdowns
        .iter()
        .find(|b| b.dimension == dimension)
        .map(|b| {
            b.rows
                .iter()
                .map(|row| (row.value.clone(), row.count.value.unwrap_or(u64::MAX)))
                .collect()
        })
        .unwrap_or_default()
}

fn count_of(rows: &[(String, u64)], value: &str) -> u64 {
    rows.iter().find(|(v, _)| v == value).map_or(0, |(_, n)| *n)
}

baken_store::on_both_engines!(TestDatabase => the_plan_scenario_reproduces_the_plans_figures);

async fn the_plan_scenario_reproduces_the_plans_figures(db: &TestDatabase) {
    use baken_core::report::Dimension as D;
    use FigureKey as F;
    let store = db.open().await;
    let hash = baken_store::credentials::hash_password(baken_demo::DEMO_PASSWORD).unwrap();
    baken_demo::generate(
        store.as_ref(),
        &hash,
        baken_demo::Scenario::GroningenPlan,
        NOW,
    )
    .await
    .unwrap();
    let bibob = caller(&store, "bibob@groningen.demo").await;
    let analist = caller(&store, "analist@groningen.demo").await;

    // [bibob.y2023]: 103 screenings by kind and outcome.
    let r = report(&store, &bibob, year(2023)).await;
    assert!(r.bibob_exact);
    assert_eq!(value(&r, F::BibobScreenings), 103);
    let kinds = rows(&r, F::BibobScreenings, D::DecisionKind);
    assert_eq!(count_of(&kinds, "omgevingsvergunning"), 65);
    assert_eq!(count_of(&kinds, "alcoholvergunning"), 34);
    assert_eq!(count_of(&kinds, "seksbedrijf"), 2);
    assert_eq!(count_of(&kinds, "vastgoedtransactie"), 2);
    let outcomes = rows(&r, F::BibobScreenings, D::Outcome);
    assert_eq!(count_of(&outcomes, "geweigerd"), 3);
    assert_eq!(count_of(&outcomes, "verleend-onder-voorschriften"), 1);
    // Records, not a typed table: the kinds add up to the total.
    assert_eq!(kinds.iter().map(|(_, n)| n).sum::<u64>(), 103);
    assert_eq!(
        figure(&r, F::BibobScreenings)
            .records
            .as_ref()
            .map(Vec::len),
        Some(103)
    );

    // [bibob.y2024]: the total (109) wins over the kinds that add up to 114: 53, not 58.
    let r = report(&store, &bibob, year(2024)).await;
    assert_eq!(value(&r, F::BibobScreenings), 109);
    let kinds = rows(&r, F::BibobScreenings, D::DecisionKind);
    assert_eq!(count_of(&kinds, "omgevingsvergunning"), 53);
    assert_eq!(count_of(&kinds, "alcoholvergunning"), 47);
    assert_eq!(count_of(&kinds, "seksbedrijf"), 4);
    assert_eq!(count_of(&kinds, "coffeeshop"), 2);
    assert_eq!(count_of(&kinds, "vastgoedtransactie"), 2);
    assert_eq!(count_of(&kinds, "overheidsopdracht"), 1);
    assert_eq!(kinds.iter().map(|(_, n)| n).sum::<u64>(), 109);
    let outcomes = rows(&r, F::BibobScreenings, D::Outcome);
    assert_eq!(count_of(&outcomes, "geweigerd"), 2);
    assert_eq!(count_of(&outcomes, "ingetrokken"), 2);
    assert_eq!(count_of(&outcomes, "verleend-onder-voorschriften"), 1);
    // The report states where the plan contradicts itself and where it differs.
    let c = &r.contradictions;
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].published_sum, c[0].published_total), (114, 109));
    assert_eq!(r.differences.len(), 1, "{:?}", r.differences);
    assert_eq!(
        (
            r.differences[0].breakdown_value.as_deref(),
            r.differences[0].published,
            r.differences[0].computed
        ),
        (Some("omgevingsvergunning"), 58, 53)
    );
    let view = baken_app::report::ReportView::new(
        &r,
        "Gemeente Groningen",
        baken_app::report::Drill::Listed,
        &[],
    );
    assert!(view
        .differences
        .iter()
        .any(|d| d.contains("op tot 114") && d.contains("109")));

    // [bibob.totals]: 212 screenings and 15 LBB requests in 2023–2024.
    let r = report(&store, &bibob, period("2023-01-01", "2024-12-31")).await;
    assert_eq!(value(&r, F::BibobScreenings), 212);
    assert_eq!(value(&r, F::BibobAdviceRequests), 15);
    assert!(r.differences.is_empty() && r.contradictions.is_empty());

    // [bibob.y2025_until_march_7]: 40 started, 18 completed by kind, 22 running.
    let r = report(&store, &bibob, period("01-01-2025", "07-03-2025")).await;
    assert_eq!(value(&r, F::BibobScreenings), 40);
    // The outcome as it stood on 7 March: 22 without a decision yet.
    let outcomes = rows(&r, F::BibobScreenings, D::Outcome);
    assert_eq!(count_of(&outcomes, "lopend"), 22);
    assert_eq!(count_of(&outcomes, "verleend"), 18);
    assert_eq!(value(&r, F::BibobDecided), 18);
    let done = rows(&r, F::BibobDecided, D::DecisionKind);
    assert_eq!(count_of(&done, "omgevingsvergunning"), 8);
    assert_eq!(count_of(&done, "alcoholvergunning"), 6);
    assert_eq!(count_of(&done, "exploitatievergunning-horeca"), 4);
    assert_eq!(value(&r, F::BibobRunning), 22);

    // Outside the compartment the Bibob figures are protected aggregates only.
    let r = report(&store, &analist, year(2023)).await;
    assert!(!r.bibob_exact);
    let screenings = figure(&r, F::BibobScreenings);
    assert!(screenings.suppressed);
    assert_eq!(screenings.count.shown, "105");
    assert!(screenings.records.is_none());
    let outcomes = &screenings
        .breakdowns
        .iter()
        .find(|b| b.dimension == D::Outcome)
        .unwrap()
        .rows;
    let refused = outcomes.iter().find(|r| r.value == "geweigerd").unwrap();
    assert_eq!(
        (refused.count.value, refused.count.shown.as_str()),
        (None, "<5")
    );
    // Every outcome is listed, also those with none: a row that only appears when its count
    // is above zero would tell what "<5" hides.
    let none = outcomes
        .iter()
        .find(|r| r.value == "buiten-behandeling")
        .unwrap();
    assert_eq!(none.count.shown, "<5");
    // Protected counts only over whole months: a single day gives nothing away.
    let day = report(&store, &analist, period("25-01-2023", "25-01-2023")).await;
    assert_eq!(figure(&day, F::BibobScreenings).count.shown, "–");
    assert_eq!(figure(&day, F::BibobScreenings).count.value, None);
    assert!(r
        .effects
        .iter()
        .all(|e| e.kind != baken_core::intervention::InterventionKind::Bibob));

    // [drugs]: 29 closures in 2023–2024, care discussed in more than 60 %, 53 police reports.
    let r = report(&store, &analist, period("2023-01-01", "2024-12-31")).await;
    assert_eq!(value(&r, F::Closures), 29);
    let care = figure(&r, F::ClosuresWithCare);
    let (k, n) = (
        care.count.value.unwrap(),
        care.of.as_ref().unwrap().value.unwrap(),
    );
    assert_eq!(n, 29);
    assert!(
        k * 100 > 60 * n && k * 100 < 65 * n,
        "ruim 60 procent: {k} van {n}"
    );
    assert_eq!(value(&r, F::PoliceReports), 53);
    // [effects] Repeat drugs signals after the 29 closures, against 29 comparable premises
    // in the same wijk: 6 of the closed premises had a new signal within 6 months.
    let repeat = r
        .effects
        .iter()
        .find(|e| e.key == baken_core::report::effects::EffectKey::RepeatAfterClosure)
        .unwrap();
    let row = |group: &str| repeat.rows.iter().find(|r| r.group == group).unwrap();
    for months in [6, 12, 24] {
        assert_eq!(row(&format!("{months}:met")).n.value, Some(29));
        assert_eq!(row(&format!("{months}:zonder")).n.value, Some(29));
    }
    match &row("12:met").measure {
        Some(baken_core::report::effects::Measure::Share { share, .. }) => {
            assert!((share - 6.0 / 29.0).abs() < 1e-9, "{share}")
        }
        other => panic!("{other:?}"),
    }
    assert!(row("12:zonder").measure.is_some());
    // Warnings have no place here: nothing to compare, so no statement.
    let warned = r
        .effects
        .iter()
        .find(|e| e.key == baken_core::report::effects::EffectKey::RepeatAfterWarning)
        .unwrap();
    assert!(warned.rows.iter().all(|r| r.measure.is_none()));
    // Four wijken with closures and none without to compare with: no statement.
    let area = r
        .effects
        .iter()
        .find(|e| e.key == baken_core::report::effects::EffectKey::AreaChangeAfterClosures)
        .unwrap();
    assert!(area.rows.iter().all(|r| r.measure.is_none()));
    assert_eq!(
        figure(&r, F::Closures).records.as_ref().map(Vec::len),
        Some(29)
    );
    // By wijk (the demo loads the CBS boundaries): every wijk listed, the closures where
    // their premises lie, the four wijken of the scenario.
    let by_wijk = rows(&r, F::Closures, D::Wijk);
    assert_eq!(by_wijk.len(), 14, "{by_wijk:?}");
    assert_eq!(
        [
            count_of(&by_wijk, "WK001403"),
            count_of(&by_wijk, "WK001404"),
            count_of(&by_wijk, "WK001401"),
            count_of(&by_wijk, "WK001409")
        ],
        [8, 7, 7, 7],
        "{by_wijk:?}"
    );
    let wijken = store
        .area_shapes(baken_core::model::AreaKind::Wijk)
        .await
        .unwrap();
    let view = baken_app::report::ReportView::new(
        &r,
        "Gemeente Groningen",
        baken_app::report::Drill::Listed,
        &wijken,
    );
    let html = baken_app::report::html(&view);
    assert!(html.contains("Panden gesloten (art. 13b Opiumwet), per wijk"));
    assert!(html.contains(r#"aria-labelledby="kaart-drugs-sluitingen-13b-titel""#));
    assert!(
        html.contains("Oosterparkwijk") || html.contains("Wijk 03"),
        "named wijken"
    );
    // The PDF draws the maps too (a filled shape per wijk).
    let pdf = baken_app::report::pdf(&view);
    assert!(String::from_utf8_lossy(&pdf).matches("B*").count() >= 14);
    // penalty_orders_street_dealing = { 2024 = 3, 2025 = 4 }
    assert_eq!(
        value(
            &report(&store, &analist, year(2024)).await,
            F::PenaltyOrders
        ),
        3
    );
    assert_eq!(
        value(
            &report(&store, &analist, year(2025)).await,
            F::PenaltyOrders
        ),
        4
    );

    // [controles] 14 integrated controls in 2024 over the plan's seven branches, with the
    // plan's partners; [mensenhandel] 8 of them also on trafficking.
    let r = report(&store, &analist, year(2024)).await;
    assert_eq!(value(&r, F::ControlsHeld), 14);
    let branches = rows(&r, F::ControlsHeld, D::Branch);
    assert_eq!(branches.len(), 7, "{branches:?}");
    assert_eq!(branches.iter().map(|(_, n)| n).sum::<u64>(), 14);
    let partners = rows(&r, F::ControlsHeld, D::Partner);
    for p in [
        "douane",
        "politie",
        "nla",
        "nvwa",
        "omgevingsdienst",
        "rdw",
        "uwv",
        "reakt",
    ] {
        assert!(count_of(&partners, p) > 0, "{p}: {partners:?}");
    }
    assert_eq!(value(&r, F::ControlsOnTrafficking), 8);
    // business_park_inspections 2024 = 4; farms_visited = 144 with "ruim twintig" reports.
    assert_eq!(value(&r, F::ParkInspections), 4);
    assert_eq!(value(&r, F::FarmVisits), 144);
    let reports = value(&r, F::FarmVisitSignals);
    assert!((21..30).contains(&reports), "ruim twintig: {reports}");
    // [zorgfraude] 23 of the 29 barriers applied (the PGB model, in its chapter).
    let barriers = r
        .figures()
        .find(|f| {
            f.key == F::BarriersApplied && f.chapter == baken_core::report::ReportChapter::CareFraud
        })
        .unwrap();
    assert_eq!(barriers.count.value, Some(23));
    assert_eq!(barriers.of.as_ref().and_then(|o| o.value), Some(29));
    // [cyber] HackShield classes per school year: 17, 37, 47 (classes held in the period,
    // per school year: the three school years in full).
    let r3 = report(&store, &analist, period("01-08-2022", "31-07-2025")).await;
    let classes = rows(&r3, F::SchoolClasses, D::SchoolYear);
    assert_eq!(count_of(&classes, "2022/2023"), 17);
    assert_eq!(count_of(&classes, "2023/2024"), 37);
    assert_eq!(count_of(&classes, "2024/2025"), 47);
    assert_eq!(value(&r3, F::SchoolClasses), 101);
    // A calendar year counts the classes held in it, not whole school years.
    let in_2024 = rows(&r, F::SchoolClasses, D::SchoolYear);
    assert_eq!(
        in_2024.iter().map(|(_, n)| n).sum::<u64>(),
        value(&r, F::SchoolClasses)
    );
    assert!(count_of(&in_2024, "2023/2024") < 37);
    // Commitments per theme: promised and planned.
    let drugs = r
        .chapters
        .iter()
        .find(|c| c.chapter == baken_core::report::ReportChapter::Drugs)
        .unwrap();
    assert!(!drugs.promised.is_empty());

    // For readers outside the team every count about people or premises is protected and
    // no record is named; a lezer gets only that report.
    let outside = RawReportRequest {
        readers: "extern".into(),
        ..period("2023-01-01", "2024-12-31")
    };
    let r = report(&store, &analist, outside).await;
    assert_eq!(r.readers, ReportReaders::Outside);
    let closures = figure(&r, F::Closures);
    assert!(closures.suppressed && closures.records.is_none());
    assert_eq!(closures.count.shown, "30");
    assert!(r.figures().all(|f| f.records.is_none() || !f.suppressed));
    let lezer = caller(&store, "lezer@groningen.demo").await;
    let r = report(&store, &lezer, year(2024)).await;
    assert_eq!(r.readers, ReportReaders::Outside);
    assert!(r
        .figures()
        .filter(|f| f.key != F::BarriersApplied
            && f.key != F::SchoolClasses
            && f.key != F::Activities)
        .all(|f| f.suppressed && f.records.is_none()));
    // A partner organisation counts nothing of the municipality's.
    let police = caller(&store, "analist@politie.demo").await;
    let r = report(&store, &police, period("2023-01-01", "2024-12-31")).await;
    assert_eq!(value(&r, F::Closures), 0);
    assert_eq!(figure(&r, F::BibobScreenings).count.shown, "<5");

    // The files: HTML self-contained, PDF and XLSX.
    let r = report(&store, &bibob, year(2024)).await;
    let view = baken_app::report::ReportView::new(
        &r,
        "Gemeente Groningen",
        baken_app::report::Drill::Listed,
        &[],
    );
    let html = baken_app::report::html(&view);
    assert!(html.contains("Bibob-toetsingen gestart") && html.contains(">109<"));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
    assert!(baken_app::report::pdf(&view).starts_with(b"%PDF"));
    assert!(baken_app::report::xlsx(&view).unwrap().starts_with(b"PK"));

    // Every report read is audited, and the chain holds.
    let events = store.audit_events(0, 1_000_000).await.unwrap();
    let read = events
        .iter()
        .rev()
        .find(|e| e.action == "report.read")
        .unwrap();
    assert!(
        read.detail.contains("from=2024-01-01 until=2024-12-31"),
        "{}",
        read.detail
    );
    assert!(read.detail.contains("bibob-exact=true"));
}
