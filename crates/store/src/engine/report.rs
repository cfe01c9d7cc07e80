//! The council report (issue 16): gathers the facts the caller may see for the period — each
//! group by its own rule of sight — and lets `baken_core::report::compute` make every figure.
//! Raw Bibob facts never leave this file: outside the compartment they are only counted,
//! protected, by `compute`.

use super::activities::ActivityRow;
use super::field::push_visit_visible;
use super::interventions::push_intervention_visible;
use super::*;
use baken_core::intervention::details::Details;
use baken_core::intervention::InterventionKind;
use baken_core::report::published::PublishedFigure;
use baken_core::report::repeat;
use baken_core::report::{
    compute, InterventionFacts, Report, ReportFacts, ReportProgress, ReportRequest, ReportStage,
    Sight, VisitFacts,
};
use baken_core::report::{Dimension, FigureKey, Period};

/// The most signals the repeat-signal effect reads (a region's drugs signals of four years).
const MAX_THEME_SIGNALS: i64 = 2_000_000;
/// Signal ids per lookup of the entities they name (well below both engines' bind limits).
const ENTITY_CHUNK: usize = 1_000;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct PublishedRow {
    figure_key: String,
    dimension: Option<String>,
    breakdown_value: Option<String>,
    period_from: String,
    period_until: String,
    value: i64,
    source: String,
}

async fn published_figures(
    tx: &mut Transaction<'static, Db>,
    caller: &Caller,
) -> Result<Vec<PublishedFigure>> {
    let rows: Vec<PublishedRow> = sqlx::query_as(
        "SELECT figure_key, dimension, breakdown_value, period_from, period_until, value, \
             source FROM published_figure WHERE org_id = $1 ORDER BY recorded_at, id",
    )
    .bind(caller.org().to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            let PublishedRow {
                figure_key: key,
                dimension,
                breakdown_value: value_of,
                period_from: from,
                period_until: until,
                value,
                source,
            } = r;
            let breakdown = match (dimension, value_of) {
                (Some(d), Some(v)) => Some((parse_enum(Dimension::parse(&d))?, v)),
                _ => None,
            };
            Ok(PublishedFigure {
                key: parse_enum(FigureKey::parse(&key))?,
                breakdown,
                period: parse_enum(Period::new(parse_date(&from)?, parse_date(&until)?))?,
                value: u64::try_from(value).unwrap_or_default(),
                source,
            })
        })
        .collect()
}

/// Which interventions a query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// The non-Bibob interventions the caller sees.
    Visible,
    /// The organisation's non-Bibob interventions (counted only, for a reader of aggregates).
    Organisation,
    /// The organisation's Bibob screenings.
    Bibob,
}

fn push_group(qb: &mut QueryBuilder<'_, Db>, caller: &Caller, group: Group) {
    let bibob = InterventionKind::Bibob.slug();
    match group {
        Group::Visible => {
            qb.push("i.kind <> ").push_bind(bibob).push(" AND ");
            push_intervention_visible(qb, caller);
        }
        Group::Organisation => {
            qb.push("i.kind <> ")
                .push_bind(bibob)
                .push(" AND i.owner_org = ")
                .push_bind(caller.org().to_string());
        }
        Group::Bibob => {
            qb.push("i.kind = ")
                .push_bind(bibob)
                .push(" AND i.owner_org = ")
                .push_bind(caller.org().to_string());
        }
    }
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: String,
    kind: String,
    opened_on: String,
    details: String,
    first_signal: Option<String>,
    follow_ups: i64,
    lat_micro: Option<i64>,
    lon_micro: Option<i64>,
}

/// The wijk a place (latitude, longitude) lies in: a wijk containing it, or the wijk of a buurt
/// containing it.
fn wijk_of(index: &AreaIndex, (lat, lon): (f64, f64)) -> Option<String> {
    index.locate(lon, lat).into_iter().find_map(|hit| {
        AreaCode::parse(&hit.code)
            .ok()?
            .with_parent_kinds()
            .into_iter()
            .find(|(_, kind)| *kind == AreaKind::Wijk)
            .map(|(code, _)| code)
    })
}

async fn intervention_facts(
    tx: &mut Transaction<'static, Db>,
    caller: &Caller,
    group: Group,
    until: &str,
) -> Result<Vec<InterventionFacts>> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT i.id, i.kind, i.opened_on, i.details, \
         (SELECT MIN(s.received_at) FROM case_signal cs JOIN signal s ON s.id = cs.signal_id \
          WHERE cs.case_id = i.case_id) AS first_signal, \
         (SELECT COUNT(*) FROM intervention_link l WHERE l.intervention_id = i.id \
          AND (l.signal_id IS NOT NULL OR l.followup_id IS NOT NULL)) AS follow_ups, \
         i.lat_micro, i.lon_micro \
         FROM intervention i WHERE i.opened_on <= ",
    );
    qb.push_bind(until.to_string()).push(" AND ");
    push_group(&mut qb, caller, group);
    let rows: Vec<FactsRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT s.intervention_id, s.step, s.on_day FROM intervention_step s \
         JOIN intervention i ON i.id = s.intervention_id WHERE i.opened_on <= ",
    );
    qb.push_bind(until.to_string()).push(" AND ");
    push_group(&mut qb, caller, group);
    qb.push(" ORDER BY s.intervention_id, s.seq");
    let step_rows: Vec<(String, String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
    let mut steps: HashMap<String, Vec<(String, time::Date)>> = HashMap::new();
    for (id, step, day) in step_rows {
        steps.entry(id).or_default().push((step, parse_date(&day)?));
    }
    // The entities a measure was imposed on (a party merged since: the entity it went into).
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT p.intervention_id, COALESCE(e.merged_into, p.entity_id) FROM intervention_party p \
         JOIN intervention i ON i.id = p.intervention_id JOIN entity e ON e.id = p.entity_id \
         WHERE i.opened_on <= ",
    );
    qb.push_bind(until.to_string()).push(" AND ");
    push_group(&mut qb, caller, group);
    let party_rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&mut **tx).await?;
    let mut parties: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (id, entity) in party_rows {
        parties.entry(id).or_default().push(parse_uuid(&entity)?);
    }
    rows.into_iter()
        .map(|r| {
            let details: Details = serde_json::from_str(&r.details)
                .map_err(|e| StoreError::Corrupt(format!("intervention details: {e}")))?;
            Ok(InterventionFacts {
                id: parse_uuid(&r.id)?,
                kind: parse_enum(InterventionKind::parse(&r.kind))?,
                opened_on: parse_date(&r.opened_on)?,
                steps: steps.remove(&r.id).unwrap_or_default(),
                details,
                case_first_signal: match r.first_signal {
                    Some(at) => Some(baken_core::calendar::local_date(parse_ts(&at)?)),
                    None => None,
                },
                follow_ups: usize::try_from(r.follow_ups).unwrap_or_default(),
                location: match (r.lat_micro, r.lon_micro) {
                    (Some(lat), Some(lon)) => Some((lat as f64 / 1e6, lon as f64 / 1e6)),
                    _ => None,
                },
                wijk: None,
                parties: parties.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

async fn visit_facts(
    tx: &mut Transaction<'static, Db>,
    caller: &Caller,
    sight: Sight,
    (from, until): (&str, &str),
) -> Result<Vec<VisitFacts>> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT v.id, v.kind, v.visited_on, \
         (SELECT COUNT(*) FROM visit_finding f WHERE f.visit_id = v.id AND f.signal_id IS NOT NULL) \
         FROM field_visit v WHERE v.visited_on >= ",
    );
    qb.push_bind(from.to_string())
        .push(" AND v.visited_on <= ")
        .push_bind(until.to_string())
        .push(" AND ");
    match sight {
        Sight::Records => push_visit_visible(&mut qb, caller),
        Sight::Aggregates => {
            qb.push("v.owner_org = ")
                .push_bind(caller.org().to_string());
        }
    }
    let rows: Vec<(String, String, String, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
    rows.into_iter()
        .map(|(id, kind, day, signals)| {
            Ok(VisitFacts {
                id: parse_uuid(&id)?,
                kind: parse_enum(VisitKind::parse(&kind))?,
                visited_on: parse_date(&day)?,
                signals: usize::try_from(signals).unwrap_or_default(),
            })
        })
        .collect()
}

#[async_trait]
impl crate::ReportStore for EngineStore {
    async fn report(
        &self,
        caller: &Caller,
        request: &ReportRequest,
        progress: &dyn ReportProgress,
        now: OffsetDateTime,
    ) -> Result<Report> {
        let (from, until) = (date(request.period.from()), date(request.period.until()));
        let chapters: Vec<&str> = request.chapters.iter().map(|c| c.slug()).collect();
        let event = AuditRecord::success(
            AuditAction::ReportRead,
            ObjectKind::Report,
            None,
            format!(
                "from={from} until={until} chapters={} readers={}",
                if chapters.is_empty() {
                    "all".to_string()
                } else {
                    chapters.join(",")
                },
                request.readers.slug()
            ),
        );
        let sees_interventions =
            caller.may_see_cases() || caller.has(baken_core::Role::BibobCoordinator);
        if !caller.may_see_counts() && !sees_interventions {
            let tx = self.read(caller, now).await?;
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::SeeSignalsOrCounts), event)
                .await);
        }
        // The organisation's own work, each through its own read (and its own audit event).
        progress.stage(ReportStage::Commitments);
        let commitments = if caller.may_see_commitments() {
            self.commitments(caller, now).await?
        } else {
            Vec::new()
        };
        let barrier_models = if caller.may_see_barrier_models() {
            self.barrier_models(caller, now).await?
        } else {
            Vec::new()
        };
        // Where measures with a place lie: the wijken with boundaries, and the index to find
        // them in (both cached until an area import).
        let wijken: Vec<String> = self
            .area_shapes(AreaKind::Wijk)
            .await?
            .iter()
            .map(|(area, _)| area.code.clone())
            .collect();
        let areas = self.area_index().await?;
        let mut tx = self.read(caller, now).await?;
        progress.stage(ReportStage::Activities);
        let activities = if caller.may_see_activities() {
            let rows: Vec<ActivityRow> = sqlx::query_as(
                "SELECT a.id, a.kind, a.title, a.held_on, a.audience, a.theme, \
                 o.name AS organisation, a.reached, a.sessions, a.notes, \
                 u.display_name AS recorded_by, a.recorded_at \
                 FROM activity a JOIN organisation o ON o.id = a.org_id \
                 JOIN app_user u ON u.id = a.recorded_by \
                 WHERE a.org_id = $1 AND a.held_on >= $2 AND a.held_on <= $3",
            )
            .bind(caller.org().to_string())
            .bind(&from)
            .bind(&until)
            .fetch_all(&mut **tx)
            .await?;
            rows.into_iter()
                .map(ActivityRow::into_activity)
                .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        // Exact counts only for who sees (nearly) all of the organisation's interventions —
        // an analist: a partial view counted exactly would read as the organisation's figure.
        // Everyone else gets the organisation's counts, protected.
        let (group, interventions_sight) = if caller.has(baken_core::Role::Analist) {
            (Group::Visible, Sight::Records)
        } else {
            (Group::Organisation, Sight::Aggregates)
        };
        progress.stage(ReportStage::Interventions);
        let mut interventions = intervention_facts(&mut tx, caller, group, &until).await?;
        for i in &mut interventions {
            i.wijk = i.location.and_then(|place| wijk_of(&areas, place));
        }
        let bibob = intervention_facts(&mut tx, caller, Group::Bibob, &until).await?;
        let bibob_sight = if caller.sees_bibob_of(caller.org()) {
            Sight::Records
        } else {
            Sight::Aggregates
        };
        let visits_sight = match caller.signal_scope() {
            baken_core::SignalScope::OrganisationAndShared { .. } => Sight::Records,
            _ => Sight::Aggregates,
        };
        progress.stage(ReportStage::Visits);
        let visits = visit_facts(&mut tx, caller, visits_sight, (&from, &until)).await?;
        let published = published_figures(&mut tx, caller).await?;
        // Inhabitants per area, the latest year of each (public figures, no visibility).
        let bases: Vec<(String, i64)> = sqlx::query_as(
            "SELECT b.area_code, b.value FROM area_base b WHERE b.kind = $1 AND b.year = \
             (SELECT MAX(c.year) FROM area_base c WHERE c.area_code = b.area_code AND c.kind = b.kind)",
        )
        .bind(baken_core::picture::BaseKind::Inwoners.slug())
        .fetch_all(&mut **tx)
        .await?;
        let bases = bases
            .into_iter()
            .map(|(code, n)| (code, u64::try_from(n).unwrap_or_default()))
            .collect();
        let today = baken_core::calendar::local_date(now);
        // The repeat-signal effect needs the theme's signals with a place around the period —
        // only for a reader who sees the interventions exactly and asks for the drugs chapter.
        let theme_signals = if interventions_sight == Sight::Records
            && request.readers == baken_core::report::ReportReaders::Team
            && request.shows(baken_core::report::ReportChapter::Drugs)
        {
            progress.stage(ReportStage::ThemeSignals);
            let first = request.period.from() - time::Duration::days(repeat::LOOK_BACK_DAYS);
            let last = request.period.until() + time::Duration::days(2 * 366);
            // The theme's visible signals with a place in the window. A signal can lie in
            // more than one area of a kind (named and located): the lowest code, the same on
            // both engines.
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT s.id, s.received_at, s.lat_micro, s.lon_micro, \
                 COALESCE((SELECT MIN(a.area_code) FROM signal_area a WHERE a.signal_id = s.id \
                 AND a.area_kind = 'buurt'), (SELECT MIN(a.area_code) FROM signal_area a \
                 WHERE a.signal_id = s.id AND a.area_kind = 'wijk'), s.area_code), \
                 (SELECT MIN(a.area_code) FROM signal_area a WHERE a.signal_id = s.id \
                 AND a.area_kind = 'wijk') \
                 FROM signal_theme t JOIN signal s ON s.id = t.signal_id WHERE t.theme = ",
            );
            qb.push_bind(baken_core::report::effects::REPEAT_THEME)
                .push(" AND s.lat_micro IS NOT NULL AND s.lon_micro IS NOT NULL AND s.received_at >= ")
                .push_bind(date(first))
                .push(" AND s.received_at < ")
                .push_bind(date(last + time::Duration::days(1)))
                .push(" AND ");
            tx.push_visible(&mut qb);
            qb.push(" LIMIT ").push_bind(MAX_THEME_SIGNALS);
            type Row = (String, String, i64, i64, Option<String>, Option<String>);
            let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut **tx).await?;
            // The entities they are about ("repeat about the same entity"), looked up by the
            // ids just read (the signals' own index, no second pass of the visibility test).
            // Only entities named in more than one of them can make a repeat.
            let mut named: Vec<(String, String)> = Vec::new();
            for chunk in rows.chunks(ENTITY_CHUNK) {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT ss.signal_id, m.entity_id FROM signal_subject ss \
                     JOIN entity_member m ON m.subject_id = ss.subject_id WHERE ss.signal_id IN (",
                );
                let mut ids = qb.separated(", ");
                for row in chunk {
                    ids.push_bind(row.0.clone());
                }
                qb.push(")");
                named.extend(
                    qb.build_query_as::<(String, String)>()
                        .fetch_all(&mut **tx)
                        .await?,
                );
            }
            let mut mentions: HashMap<&str, usize> = HashMap::new();
            for (_, entity) in &named {
                *mentions.entry(entity.as_str()).or_default() += 1;
            }
            let parties: std::collections::HashSet<Uuid> = interventions
                .iter()
                .flat_map(|i| i.parties.iter().copied())
                .collect();
            let mut entities: HashMap<String, Vec<Uuid>> = HashMap::new();
            for (id, entity) in &named {
                let e = parse_uuid(entity)?;
                if mentions.get(entity.as_str()).copied().unwrap_or(0) > 1 || parties.contains(&e) {
                    entities.entry(id.clone()).or_default().push(e);
                }
            }
            drop(named);
            rows.into_iter()
                .map(|(id, at, lat, lon, buurt, wijk)| {
                    Ok(repeat::SignalPoint {
                        wijk,
                        entities: entities.remove(&id).unwrap_or_default(),
                        id: parse_uuid(&id)?,
                        day: baken_core::calendar::local_date(parse_ts(&at)?),
                        lat: lat as f64 / 1e6,
                        lon: lon as f64 / 1e6,
                        buurt,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let facts = ReportFacts {
            today,
            theme_signals,
            interventions,
            interventions_sight,
            bibob,
            bibob_sight,
            visits,
            visits_sight,
            wijken,
            bases,
            activities,
            barrier_models,
            commitments,
            published,
        };
        progress.stage(ReportStage::Figures);
        let report = compute(&facts, request);
        let event = AuditRecord {
            detail: format!("{} bibob-exact={}", event.detail, report.bibob_exact),
            ..event
        };
        tx.finish(event).await?;
        Ok(report)
    }

    async fn record_published_figure(
        &self,
        caller: &Caller,
        figure: PublishedFigure,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::PublishedFigureCreate,
            ObjectKind::PublishedFigure,
            Some(id.to_string()),
            format!(
                "key={} from={} until={} value={}",
                figure.key.slug(),
                date(figure.period.from()),
                date(figure.period.until()),
                figure.value
            ),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_record_published_figures() {
            return Err(tx
                .refuse(
                    StoreError::Forbidden(Denied::RecordPublishedFigures),
                    attempt,
                )
                .await);
        }
        sqlx::query(
            "INSERT INTO published_figure (id, org_id, figure_key, dimension, breakdown_value, \
             period_from, period_until, value, source, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .bind(figure.key.slug())
        .bind(figure.breakdown.as_ref().map(|b| b.0.slug()))
        .bind(figure.breakdown.as_ref().map(|b| b.1.clone()))
        .bind(date(figure.period.from()))
        .bind(date(figure.period.until()))
        .bind(i64::try_from(figure.value).unwrap_or(i64::MAX))
        .bind(&figure.source)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await?;
        Ok(id)
    }
}
