//! The demo data set and the `baken demo` command.

use crate::cli::baken;
use baken_core::signal::{PageRequest, SignalFilter};
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_store::testing::TestDatabase;
use baken_store::{AuditVerification, SharedStore};
use std::collections::BTreeSet;

async fn generated(db: &TestDatabase) -> SharedStore {
    let store = db.open().await;
    let hash = baken_store::credentials::hash_password(baken_demo::DEMO_PASSWORD).unwrap();
    let now = time::macros::datetime!(2026-01-15 09:00 UTC);
    baken_demo::generate(store.as_ref(), &hash, baken_demo::Scenario::Standard, now)
        .await
        .unwrap();
    store
}

async fn caller(store: &SharedStore, email: &str) -> Caller {
    let u = store.user_by_email(email).await.unwrap().unwrap();
    Caller::for_user(&u, Purpose::signal_handling(), "test")
}

async fn all(store: &SharedStore, who: &Caller) -> Vec<baken_core::signal::Signal> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let p = store
            .list_signals(
                who,
                &SignalFilter::default(),
                page,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap();
        out.extend(p.items);
        match p.next {
            Some(next) => page.from = Some((baken_core::page::Side::After, next)),
            None => break,
        }
    }
    out
}

baken_store::on_both_engines!(TestDatabase => demo_data_set_is_complete);

async fn demo_data_set_is_complete(db: &TestDatabase) {
    let store = generated(db).await;
    let orgs: Vec<String> = store
        .organisations()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    for name in [
        "Gemeente Groningen",
        "Politie Noord-Nederland",
        "Waterschap Hunze en Aa's",
        "LTO Noord",
    ] {
        assert!(orgs.contains(&name.to_string()), "{name}");
    }
    // One account per role.
    let mut roles = BTreeSet::new();
    for email in [
        "analist@groningen.demo",
        "bibob@groningen.demo",
        "casustafel@groningen.demo",
        "toezicht@groningen.demo",
        "partner@politie.demo",
        "lezer@groningen.demo",
        "beheer@groningen.demo",
        "voorzitter@groningen.demo",
        "auditor@groningen.demo",
    ] {
        let u = store.user_by_email(email).await.unwrap().unwrap();
        roles.extend(u.roles.iter());
        // Every demo account signs in with the published demo key after the password.
        let factor = store.second_factor(u.id).await.unwrap().unwrap();
        assert_eq!(factor.secret, baken_demo::DEMO_TOTP_SECRET, "{email}");
    }
    assert_eq!(roles.len(), Role::ALL.len());

    let agreements = store.agreements().await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert_eq!(
        agreements[0].themes,
        vec!["drugs".to_string(), "mensenhandel".to_string()]
    );

    // Everything the municipality and the police hold, seen through a role that may see all of it.
    let mut everything = Vec::new();
    for email in [
        "analist@groningen.demo",
        "bibob@groningen.demo",
        "analist@politie.demo",
        "partner@waterschap.demo",
        "partner@lto.demo",
    ] {
        let who = caller(&store, email).await;
        for s in all(&store, &who).await {
            if !everything
                .iter()
                .any(|x: &baken_core::signal::Signal| x.id == s.id)
            {
                everything.push(s);
            }
        }
    }
    assert_eq!(
        everything.len(),
        baken_demo::DEMO_SIGNALS + baken_demo::DEMO_FARM_FINDINGS
    );
    assert!(everything.len() >= 300);
    let themes: BTreeSet<&str> = everything
        .iter()
        .flat_map(|s| s.themes.iter().map(String::as_str))
        .collect();
    assert_eq!(themes.len(), 7, "{themes:?}");
    // The registered signals have a place inside their wijk, so they lie in a buurt too.
    let placed = everything
        .iter()
        .filter(|s| s.coordinates.is_some())
        .filter(|s| {
            s.areas
                .iter()
                .any(|a| a.kind == baken_core::model::AreaKind::Buurt)
        })
        .count();
    assert!(placed >= baken_demo::DEMO_SIGNALS * 9 / 10, "{placed}");
    let wijken: BTreeSet<&str> = baken_demo::GRONINGEN_WIJKEN
        .iter()
        .map(|(c, _)| *c)
        .collect();
    // The demo's period ends the day it is made: three years up to yesterday, and only the
    // last weeks' signals still wait for triage.
    let made = time::macros::datetime!(2026-01-15 09:00 UTC);
    let today = baken_core::calendar::local_date(made);
    let newest = everything.iter().map(|s| s.received_at).max().unwrap();
    assert!(made - newest < time::Duration::days(7), "{newest}");
    // What the municipality's analyst opens on: a handful of signals past their deadline
    // (partners' own signals wait for their own organisation, which has no analyst here).
    let analist = caller(&store, "analist@groningen.demo").await;
    let overdue = all(&store, &analist)
        .await
        .iter()
        .filter(|s| s.status.is_overdue(s.deadline, today))
        .count();
    assert!((1..=15).contains(&overdue), "{overdue} overdue");
    // This year's rural programme: every farm visited so far this year.
    let inspector = caller(&store, "toezicht@groningen.demo").await;
    let coverage = store
        .coverage(
            &inspector,
            baken_core::field::VisitKind::Erfbezoek,
            today.year(),
        )
        .await
        .unwrap();
    assert_eq!((coverage.visited, coverage.total), (144, 144));
    for s in &everything {
        assert!(
            s.received_at > made - time::Duration::days(3 * 365 + 1) && s.received_at < made,
            "{}",
            s.received_at
        );
        assert!(
            wijken.contains(s.area_code.as_deref().unwrap()),
            "{:?}",
            s.area_code
        );
    }
    assert!(everything
        .iter()
        .any(|s| s.classification == baken_core::model::Classification::Bibob));
    assert!(everything
        .iter()
        .any(|s| s.status == baken_core::status::SignalStatus::Gesloten));

    // The police partner sees its own signals and only the municipality's shared themes.
    let police = caller(&store, "partner@politie.demo").await;
    let gemeente = store
        .organisation_by_name("Gemeente Groningen")
        .await
        .unwrap()
        .unwrap();
    let seen = all(&store, &police).await;
    let from_gemeente: Vec<_> = seen.iter().filter(|s| s.owner_org == gemeente.id).collect();
    assert!(!from_gemeente.is_empty());
    assert!(from_gemeente
        .iter()
        .all(|s| s.themes.iter().all(|t| t == "drugs" || t == "mensenhandel")));
    // A running case table: cases in several themes, the case-table member named on each,
    // the police at the table for the shared themes, some discussed and some closed; a lezer
    // sees none.
    let now = time::OffsetDateTime::now_utc();
    let table = caller(&store, "casustafel@groningen.demo").await;
    let cases = store
        .cases(
            &table,
            baken_store::CaseList::All,
            baken_core::page::PageRequest::LONG_LIST,
            now,
        )
        .await
        .unwrap()
        .items;
    let case_themes: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.themes.iter().map(String::as_str))
        .collect();
    assert!(case_themes.len() >= 3, "{case_themes:?}");
    assert!(cases
        .iter()
        .any(|c| c.status == baken_core::case::CaseStatus::Closed));
    assert!(cases.iter().any(|c| c.status.is_open()));
    let police_cases = store
        .cases(
            &police,
            baken_store::CaseList::All,
            baken_core::page::PageRequest::LONG_LIST,
            now,
        )
        .await
        .unwrap()
        .items;
    assert!(!police_cases.is_empty());
    assert!(police_cases
        .iter()
        .all(|c| c.themes.iter().all(|t| t == "drugs" || t == "mensenhandel")));
    let lezer = caller(&store, "lezer@groningen.demo").await;
    assert!(store
        .cases(
            &lezer,
            baken_store::CaseList::All,
            baken_core::page::PageRequest::LONG_LIST,
            now
        )
        .await
        .unwrap()
        .items
        .is_empty());
    // Three past meetings of the case table: a decision that chose care over enforcement,
    // information the police could not share, a later decision superseding an earlier one,
    // actions done, open and overdue (on the day the demo was made).
    let chair = caller(&store, "voorzitter@groningen.demo").await;
    let meetings = store
        .meetings(&chair, PageRequest::LONG_LIST, made)
        .await
        .unwrap()
        .items;
    assert_eq!(meetings.len(), 3);
    assert!(meetings.iter().all(|m| m.held_on < today));
    let mut details = Vec::new();
    for m in &meetings {
        details.push(store.meeting(&chair, m.id, made).await.unwrap());
    }
    let items = || details.iter().flat_map(|d| d.items.iter());
    assert!(items().flat_map(|i| &i.decisions).any(|d| d
        .approaches
        .contains(&baken_core::decision::Approach::Care)
        && d.care.was_considered()));
    assert!(items()
        .flat_map(|i| &i.disclosures)
        .any(|d| d.basis == baken_core::meeting::DisclosureBasis::NotShareable));
    assert!(items()
        .flat_map(|i| &i.decisions)
        .any(|d| d.superseded_by.is_some()));
    let own_actions = store
        .my_actions(&caller(&store, "analist@groningen.demo").await, made)
        .await
        .unwrap();
    assert!(
        own_actions.iter().any(|a| a.is_overdue(today)),
        "{own_actions:?}"
    );
    let water = caller(&store, "partner@waterschap.demo").await;
    let water_actions = store.my_actions(&water, made).await.unwrap();
    assert!(
        water_actions.iter().any(|a| !a.is_overdue(today)),
        "{water_actions:?}"
    );
    // The water board at the table does not read what the police shared with the
    // municipality only; the police do.
    let first = meetings.iter().min_by_key(|m| m.held_on).unwrap().id;
    let hidden = |d: &baken_core::meeting::MeetingDetail| {
        d.items
            .iter()
            .flat_map(|i| &i.disclosures)
            .filter(|d| d.summary.is_none())
            .count()
    };
    assert!(hidden(&store.meeting(&water, first, made).await.unwrap()) > 0);
    assert_eq!(
        hidden(&store.meeting(&police, first, made).await.unwrap()),
        0
    );
    // A year of interventions of every kind; Bibob only in the compartment; terms due and
    // overdue relative to today on both the analist's and the Bibob officer's overview.
    {
        use baken_core::intervention::flow::UrgencyName;
        use baken_core::intervention::{InterventionFilter, InterventionKind};
        let analist = caller(&store, "analist@groningen.demo").await;
        let bibob = caller(&store, "bibob@groningen.demo").await;
        let seen = store
            .interventions(
                &analist,
                InterventionFilter::default(),
                baken_core::page::PageRequest::LONG_LIST,
                made,
            )
            .await
            .unwrap()
            .items;
        let screenings = store
            .interventions(
                &bibob,
                InterventionFilter::default(),
                baken_core::page::PageRequest::LONG_LIST,
                made,
            )
            .await
            .unwrap()
            .items;
        for kind in InterventionKind::ALL {
            let holder = if kind.in_bibob_compartment() {
                &screenings
            } else {
                &seen
            };
            assert!(holder.iter().any(|i| i.kind == *kind), "{kind:?}");
        }
        assert!(seen.iter().all(|i| !i.kind.in_bibob_compartment()));
        assert!(seen.iter().any(|i| i.case_id.is_some()));
        assert!(seen
            .iter()
            .any(|i| i.opened_on < today - time::Duration::days(280)));
        for who in [&analist, &bibob] {
            let deadlines = store.deadlines(who, made).await.unwrap();
            for urgency in [UrgencyName::Overdue, UrgencyName::DueSoon] {
                assert!(
                    deadlines.iter().any(|d| d.term.urgency == urgency),
                    "{urgency:?} for {:?}",
                    who.roles()
                );
            }
        }
        let disclosed = art28_disclosures(&store, &bibob, &screenings, made).await;
        assert_eq!(disclosed, 1);
        // The barrier models: the PGB model with 23 of its 29 barriers applied (the plan's
        // figure); HackShield classes per school year as the plan counts them.
        let models = store.barrier_models(&analist, made).await.unwrap();
        let pgb = models
            .iter()
            .find(|m| m.template == baken_core::barrier::BarrierTemplate::PgbFraud)
            .unwrap();
        assert_eq!(
            (pgb.coverage.applied, pgb.coverage.total),
            (baken_demo::PGB_APPLIED as u32, 29)
        );
        let activities = store
            .activities(&analist, PageRequest::LONG_LIST, made)
            .await
            .unwrap()
            .items;
        for (start, classes) in baken_demo::HACKSHIELD_CLASSES {
            let school_year = format!("{start}/{}", start + 1);
            let n = activities
                .iter()
                .filter(|a| {
                    a.kind == baken_core::activity::ActivityKind::SchoolClass
                        && a.school_year == school_year
                })
                .count();
            assert_eq!(n as u32, classes, "{school_year}");
        }
        // The plan's commitments per theme, some realised, linked to what shows progress.
        let commitments = store.commitments(&analist, made).await.unwrap();
        assert!(commitments.len() >= 8);
        assert!(commitments
            .iter()
            .any(|c| c.status == baken_core::commitment::CommitmentStatus::Done));
        assert!(commitments.iter().any(|c| !c.links.is_empty()));
        // Outside the compartment the Bibob screenings are counted, suppressed.
        let figures = store
            .intervention_figures(&analist, today.year(), Default::default(), made)
            .await
            .unwrap();
        assert!(!figures.bibob_exact);
    }
    // The picture: invented inhabitants per wijk, labelled as demo, and the business-park
    // inspections of 2024 (plan: 4, the first on Zuidoost).
    let bases = store
        .area_bases(baken_core::picture::BaseKind::Inwoners)
        .await
        .unwrap();
    assert_eq!(bases.len(), baken_demo::GRONINGEN_WIJKEN.len());
    assert!(bases
        .iter()
        .all(|b| b.source == baken_demo::DEMO_BASE_SOURCE));
    // The maps have their shapes from the start: the CBS wijken and buurten of 2014, the
    // areas of Haren and Ten Boer named as such.
    let wijken = store
        .area_shapes(baken_core::model::AreaKind::Wijk)
        .await
        .unwrap();
    assert_eq!(wijken.len(), 14);
    assert!(wijken.iter().all(|(_, shape)| shape.is_some()));
    let name = |code: &str| {
        wijken
            .iter()
            .find(|(a, _)| a.code == code)
            .map(|(a, _)| a.name.clone())
    };
    assert_eq!(name("WK000900").as_deref(), Some("Wijk 00 West (Ten Boer)"));
    assert_eq!(name("WK001701").as_deref(), Some("Wijk 01 Land (Haren)"));
    assert_eq!(name("WK001403").as_deref(), Some("Wijk 03 Korrewegwijk"));
    let buurten = store
        .area_shapes(baken_core::model::AreaKind::Buurt)
        .await
        .unwrap();
    // (A few quantised buurten collapse and are kept without a shape: data/cbs/README.md.)
    let shaped = buurten.iter().filter(|(_, s)| s.is_some()).count();
    assert!(
        buurten.len() >= 90 && shaped >= 80,
        "{} {shaped}",
        buurten.len()
    );
    let analist = caller(&store, "analist@groningen.demo").await;
    let mut park_visits = Vec::new();
    for park in store
        .areas(baken_core::model::AreaKind::Bedrijventerrein)
        .await
        .unwrap()
    {
        park_visits.extend(
            store
                .visits_in_area(&analist, &park.code, time::OffsetDateTime::now_utc())
                .await
                .unwrap()
                .into_iter()
                .map(|v| (park.code.clone(), v)),
        );
    }
    let schouwen_2024: Vec<_> = park_visits
        .iter()
        .filter(|(_, v)| {
            v.kind == baken_core::field::VisitKind::Schouw && v.visited_on.year() == 2024
        })
        .collect();
    assert_eq!(schouwen_2024.len(), baken_demo::DEMO_PARK_INSPECTIONS_2024);
    assert_eq!(baken_demo::DEMO_PARK_INSPECTIONS_2024, 4);
    let first = schouwen_2024
        .iter()
        .min_by_key(|(_, v)| v.visited_on)
        .unwrap();
    assert_eq!(first.0, "BT-zuidoost");
    assert_eq!(
        store.verify_audit_chain(&Default::default()).await.unwrap(),
        AuditVerification::Intact {
            events: store.audit_events(0, 100_000).await.unwrap().len() as u64
        }
    );
    let _ = RoleSet::default();
}

/// How many art. 28 disclosures the Bibob screenings hold.
async fn art28_disclosures(
    store: &baken_store::SharedStore,
    bibob: &baken_core::Caller,
    screenings: &[baken_core::intervention::InterventionSummary],
    now: time::OffsetDateTime,
) -> usize {
    let mut n = 0;
    for s in screenings {
        n += store
            .intervention(bibob, s.id, now)
            .await
            .unwrap()
            .disclosures
            .len();
    }
    n
}

#[test]
fn demo_refuses_a_database_that_is_not_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    assert!(baken(
        &[
            "org",
            "add",
            "--name",
            "Echte Gemeente",
            "--data-dir",
            &data
        ],
        None
    )
    .status
    .success());
    assert!(baken(
        &[
            "user",
            "add",
            "--org",
            "Echte Gemeente",
            "--role",
            "analist",
            "--email",
            "echt@gemeente.nl",
            "--data-dir",
            &data
        ],
        Some("een-echt-wachtwoord\n")
    )
    .status
    .success());
    let o = baken(&["demo", "--no-serve", "--data-dir", &data], None);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("geen demodatabase"),
        "{o:?}"
    );
    // Untouched: the real user is still there and verifies.
    let o = baken(&["audit", "verify", "--data-dir", &data], None);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Auditketen intact: 3 gebeurtenissen"),
        "{o:?}"
    );
}

#[test]
fn demo_regenerates_its_own_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    for _ in 0..2 {
        let o = baken(&["demo", "--no-serve", "--data-dir", &data], None);
        assert!(o.status.success(), "{o:?}");
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(
            out.contains("360 signalen")
                && out.contains("analist@groningen.demo")
                && out.contains("demo-baken-2025")
                && out.contains("BAKE NDEM OGRO NING ENBA KEND EMO2 3456"),
            "{out}"
        );
    }
}

#[test]
fn baken_link_relinks_the_demo_and_keeps_entity_ids() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    assert!(baken(&["demo", "--no-serve", "--data-dir", &data], None)
        .status
        .success());
    for _ in 0..2 {
        let o = baken(&["link", "--data-dir", &data], None);
        assert!(o.status.success(), "{o:?}");
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        // Twelve invented people, six companies, five addresses and four vehicles recur.
        assert!(
            out.contains("Persoon") && out.contains("180 betrokkenen"),
            "{out}"
        );
        assert!(
            out.contains("Voertuig") && out.contains("4 entiteiten"),
            "{out}"
        );
        assert!(
            !out.contains("Telefoonnummer"),
            "kinds without subjects are skipped: {out}"
        );
    }
    let o = baken(&["audit", "verify", "--data-dir", &data], None);
    assert!(o.status.success(), "{o:?}");
}

#[test]
fn the_case_table_exports_its_cases_and_lists_overdue_actions_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    assert!(baken(&["demo", "--no-serve", "--data-dir", &data], None)
        .status
        .success());
    // The voorzitter exports the running cases: each with its decisions and actions.
    let out = dir.path().join("casussen.json");
    let o = baken(
        &[
            "case",
            "export",
            "--as",
            "voorzitter@groningen.demo",
            "--out",
            &out.display().to_string(),
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(o.status.success(), "{o:?}");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let cases = cases.as_array().unwrap();
    assert!(!cases.is_empty());
    let decisions: Vec<&serde_json::Value> = cases
        .iter()
        .flat_map(|c| c["decisions"].as_array().unwrap())
        .collect();
    assert!(decisions.iter().any(|d| d["care"]["considered"] == "ja"
        && d["approaches"].as_array().unwrap().contains(&"zorg".into())));
    assert!(decisions.iter().any(|d| !d["supersedes"].is_null()));
    // The municipality's open actions, one of them overdue: exit code 1 for a script.
    let o = baken(
        &[
            "case",
            "actions",
            "--as",
            "analist@groningen.demo",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let csv = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        csv.starts_with("uiterlijk,te_laat,actie,casus,casus_id,uitvoerder"),
        "{csv}"
    );
    assert!(csv.contains("Voornemen tot sluiting opstellen"), "{csv}");
    // A lezer has no access to the case table, an unknown case number is named.
    let o = baken(
        &[
            "case",
            "export",
            "--as",
            "lezer@groningen.demo",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("geen toegang tot casussen"),
        "{o:?}"
    );
    let o = baken(
        &[
            "case",
            "export",
            "--as",
            "voorzitter@groningen.demo",
            "--id",
            "12",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--id: '12' is geen casusnummer"),
        "{o:?}"
    );
    // Every exported case was read on the record.
    let o = baken(&["audit", "verify", "--data-dir", &data], None);
    assert!(o.status.success(), "{o:?}");
}
