//! The figures of the report, computed from the facts the store gathered. Every figure is
//! defined here once (which records, which day of theirs falls in the period); its Dutch
//! definition is in `baken_app::labels::report`.

use std::collections::BTreeMap;
use uuid::Uuid;

use super::{
    commitments, effects, Breakdown, BreakdownRow, ChapterReport, Dimension, FigureKey,
    InterventionFacts, RecordKind, RecordRef, Report, ReportChapter, ReportFacts, ReportFigure,
    ReportReaders, ReportRequest, Sight,
};
use crate::activity::ActivityKind;
use crate::field::VisitKind;
use crate::intervention::details::{ControlFocus, Details};
use crate::intervention::figures::Figure;
use crate::intervention::InterventionKind;
use crate::model::Slug;
use crate::procedure::bibob::BibobStep;
use crate::procedure::closure::ClosureStep;
use crate::procedure::followup::ControlStep;

/// The steps that end a Bibob screening.
pub(super) const BIBOB_ENDS: [BibobStep; 4] = [
    BibobStep::Decision,
    BibobStep::NotProcessed,
    BibobStep::Withdrawn,
    BibobStep::NoDecisionNeeded,
];

/// How counts of one group of records are shown.
#[derive(Debug, Clone, Copy)]
pub(super) struct Counting {
    exact: bool,
    /// Protected counts only over whole months that have ended: otherwise a period slid (or
    /// asked again) day by day would find the day a rounded count jumps.
    whole_months: bool,
    request_suppression: crate::access::Suppression,
}

impl Counting {
    pub(super) fn new(sight: Sight, request: &ReportRequest) -> Counting {
        Counting {
            exact: sight == Sight::Records && request.readers == ReportReaders::Team,
            whole_months: request.period.whole_months() && request.period.until() < request.today,
            request_suppression: request.suppression,
        }
    }

    pub(super) fn exact(self) -> bool {
        self.exact
    }

    /// `n` as the reader may see it: exact; or protected — hidden below the threshold (zero
    /// included, so that no "0" tells a period without any from one with a few), rounded
    /// above it, and withheld altogether for a period that is not whole months.
    pub(super) fn figure(self, n: usize) -> Figure {
        let n = n as u64;
        if self.exact {
            Figure::exact(n)
        } else if !self.whole_months {
            Figure::withheld()
        } else if n < self.request_suppression.threshold {
            Figure::protected(1, self.request_suppression)
        } else {
            Figure::protected(n, self.request_suppression)
        }
    }
}

/// Every value a breakdown can have, so that a protected breakdown shows every row (a row
/// that only appears when its count is above zero would tell what the count hides).
fn domain(dimension: Dimension) -> Vec<String> {
    use crate::intervention::details::{
        BibobDecisionKind, BibobOutcome, BibobTrigger, Branch, ControlPartner, ControlTeam,
    };
    fn all<S: Slug>() -> Vec<String> {
        S::all().iter().map(|s| s.slug().to_string()).collect()
    }
    match dimension {
        Dimension::DecisionKind => all::<BibobDecisionKind>(),
        Dimension::Outcome => {
            let mut v = all::<BibobOutcome>();
            v.push(RUNNING.to_string());
            v
        }
        Dimension::Trigger => all::<BibobTrigger>(),
        Dimension::Branch => all::<Branch>(),
        Dimension::Partner => all::<ControlPartner>(),
        Dimension::Team => all::<ControlTeam>(),
        // The wijken themselves are added by `by_wijk`; a measure without a place is
        // "onbekend", a row that must not appear only when there is one.
        Dimension::Wijk => vec![UNKNOWN.to_string()],
        Dimension::SchoolYear | Dimension::ActivityKind | Dimension::Model => Vec::new(),
    }
}

/// The value of a record whose value is not known.
pub const UNKNOWN: &str = "onbekend";

/// The breakdown of measures by the wijk they lie in, every known wijk listed (a map shows
/// them all); none when no wijk boundaries are known.
fn by_wijk(
    facts: &ReportFacts,
    list: &[&InterventionFacts],
) -> Vec<(Dimension, BTreeMap<String, usize>)> {
    if facts.wijken.is_empty() {
        return Vec::new();
    }
    let mut rows: BTreeMap<String, usize> = facts.wijken.iter().map(|w| (w.clone(), 0)).collect();
    for i in list {
        *rows
            .entry(i.wijk.clone().unwrap_or_else(|| UNKNOWN.to_string()))
            .or_insert(0) += 1;
    }
    vec![(Dimension::Wijk, rows)]
}

/// The outcome of a screening not decided by the end of the period.
pub(super) const RUNNING: &str = "lopend";

/// A figure over `records` (with the ids when exact), broken down as given.
fn figure(
    key: FigureKey,
    chapter: ReportChapter,
    counting: Counting,
    records: &[(RecordKind, Uuid)],
    breakdowns: Vec<(Dimension, BTreeMap<String, usize>)>,
) -> ReportFigure {
    ReportFigure {
        key,
        chapter,
        count: counting.figure(records.len()),
        of: None,
        suppressed: !counting.exact(),
        breakdowns: breakdowns
            .into_iter()
            .map(|(dimension, mut rows)| {
                if !counting.exact() {
                    for value in domain(dimension) {
                        // A screening counted as decided always has its outcome.
                        if key == FigureKey::BibobDecided && value == RUNNING {
                            continue;
                        }
                        rows.entry(value).or_insert(0);
                    }
                }
                (dimension, rows)
            })
            .map(|(dimension, rows)| Breakdown {
                dimension,
                rows: rows
                    .into_iter()
                    .map(|(value, n)| BreakdownRow {
                        value,
                        count: counting.figure(n),
                    })
                    .collect(),
            })
            .collect(),
        records: counting.exact().then(|| {
            records
                .iter()
                .map(|(kind, id)| RecordRef {
                    kind: *kind,
                    id: *id,
                })
                .collect()
        }),
    }
}

fn tally<'a, I, T>(items: I, value: impl Fn(&T) -> Vec<String>) -> BTreeMap<String, usize>
where
    I: IntoIterator<Item = &'a T>,
    T: 'a,
{
    let mut map = BTreeMap::new();
    for item in items {
        for v in value(item) {
            *map.entry(v).or_insert(0) += 1;
        }
    }
    map
}

fn slug_or_unknown<S: Slug>(value: Option<S>) -> Vec<String> {
    vec![value.map_or_else(|| UNKNOWN.to_string(), |v| v.slug().to_string())]
}

fn ids(list: &[&InterventionFacts]) -> Vec<(RecordKind, Uuid)> {
    list.iter()
        .map(|i| (RecordKind::Intervention, i.id))
        .collect()
}

fn bibob_figures(facts: &ReportFacts, request: &ReportRequest) -> Vec<ReportFigure> {
    let counting = Counting::new(facts.bibob_sight, request);
    let period = request.period;
    let bibob = |i: &InterventionFacts| match &i.details {
        Details::Bibob(b) => Some(b.clone()),
        _ => None,
    };
    let ended_on =
        |i: &InterventionFacts| BIBOB_ENDS.iter().filter_map(|s| i.step_on(s.slug())).min();
    let opened: Vec<&InterventionFacts> = facts
        .bibob
        .iter()
        .filter(|i| period.contains(i.opened_on))
        .collect();
    let decided: Vec<&InterventionFacts> = facts
        .bibob
        .iter()
        .filter(|i| ended_on(i).is_some_and(|d| period.contains(d)))
        .collect();
    let running: Vec<&InterventionFacts> = facts
        .bibob
        .iter()
        .filter(|i| i.opened_on <= period.until())
        .filter(|i| ended_on(i).is_none_or(|d| d > period.until()))
        .collect();
    let advice: Vec<&InterventionFacts> = facts
        .bibob
        .iter()
        .filter(|i| {
            i.step_on(BibobStep::AdviceRequested.slug())
                .is_some_and(|d| period.contains(d))
        })
        .collect();
    let kinds = |list: &[&InterventionFacts]| {
        tally(list.iter().copied(), |i| {
            slug_or_unknown(bibob(i).and_then(|b| b.decision_kind))
        })
    };
    // The outcome as it stood at the end of the period.
    let outcomes = |list: &[&InterventionFacts]| {
        tally(list.iter().copied(), |i| {
            if ended_on(i).is_some_and(|d| d <= period.until()) {
                slug_or_unknown(bibob(i).and_then(|b| b.outcome))
            } else {
                vec![RUNNING.to_string()]
            }
        })
    };
    let chapter = ReportChapter::Bibob;
    vec![
        figure(
            FigureKey::BibobScreenings,
            chapter,
            counting,
            &ids(&opened),
            vec![
                (Dimension::DecisionKind, kinds(&opened)),
                (Dimension::Outcome, outcomes(&opened)),
            ],
        ),
        figure(
            FigureKey::BibobDecided,
            chapter,
            counting,
            &ids(&decided),
            vec![
                (Dimension::DecisionKind, kinds(&decided)),
                (Dimension::Outcome, outcomes(&decided)),
            ],
        ),
        figure(
            FigureKey::BibobRunning,
            chapter,
            counting,
            &ids(&running),
            vec![(Dimension::DecisionKind, kinds(&running))],
        ),
        figure(
            FigureKey::BibobAdviceRequests,
            chapter,
            counting,
            &ids(&advice),
            Vec::new(),
        ),
    ]
}

/// The interventions of `kind` with step `step` on a day in the period.
pub(super) fn with_step<'a>(
    facts: &'a ReportFacts,
    request: &ReportRequest,
    kind: InterventionKind,
    step: &str,
) -> Vec<&'a InterventionFacts> {
    facts
        .interventions
        .iter()
        .filter(|i| i.kind == kind)
        .filter(|i| i.step_on(step).is_some_and(|d| request.period.contains(d)))
        .collect()
}

fn opened<'a>(
    facts: &'a ReportFacts,
    request: &ReportRequest,
    kind: InterventionKind,
) -> Vec<&'a InterventionFacts> {
    facts
        .interventions
        .iter()
        .filter(|i| i.kind == kind && request.period.contains(i.opened_on))
        .collect()
}

fn control_figures(facts: &ReportFacts, request: &ReportRequest) -> Vec<ReportFigure> {
    let counting = Counting::new(facts.interventions_sight, request);
    let held = with_step(
        facts,
        request,
        InterventionKind::Control,
        ControlStep::Held.slug(),
    );
    let control = |i: &InterventionFacts| match &i.details {
        Details::Control(c) => Some(c.clone()),
        _ => None,
    };
    let mut controls = figure(
        FigureKey::ControlsHeld,
        ReportChapter::Controls,
        counting,
        &ids(&held),
        vec![
            (
                Dimension::Branch,
                tally(held.iter().copied(), |i| {
                    slug_or_unknown(control(i).and_then(|c| c.branch))
                }),
            ),
            (
                Dimension::Team,
                tally(held.iter().copied(), |i| {
                    slug_or_unknown(control(i).and_then(|c| c.team))
                }),
            ),
            (
                Dimension::Partner,
                tally(held.iter().copied(), |i| {
                    control(i).map_or_else(Vec::new, |c| {
                        c.partners.iter().map(|p| p.slug().to_string()).collect()
                    })
                }),
            ),
        ]
        .into_iter()
        .chain(by_wijk(facts, &held))
        .collect(),
    );
    controls.of = None;
    let findings: usize = held
        .iter()
        .filter_map(|i| control(i))
        .map(|c| c.findings.len())
        .sum();
    let mut yield_figure = figure(
        FigureKey::ControlFindings,
        ReportChapter::Controls,
        counting,
        &ids(&held),
        vec![(
            Dimension::Partner,
            tally(held.iter().copied(), |i| {
                control(i).map_or_else(Vec::new, |c| {
                    c.findings
                        .iter()
                        .map(|f| f.partner.slug().to_string())
                        .collect()
                })
            }),
        )],
    );
    yield_figure.count = counting.figure(findings);
    let trafficking: Vec<&InterventionFacts> = held
        .iter()
        .copied()
        .filter(|i| control(i).is_some_and(|c| c.focus.contains(&ControlFocus::Trafficking)))
        .collect();
    let mut on_trafficking = figure(
        FigureKey::ControlsOnTrafficking,
        ReportChapter::Trafficking,
        counting,
        &ids(&trafficking),
        Vec::new(),
    );
    on_trafficking.of = Some(counting.figure(held.len()));
    vec![controls, yield_figure, on_trafficking]
}

fn drugs_figures(facts: &ReportFacts, request: &ReportRequest) -> Vec<ReportFigure> {
    let counting = Counting::new(facts.interventions_sight, request);
    let chapter = ReportChapter::Drugs;
    let closed = with_step(
        facts,
        request,
        InterventionKind::Closure,
        ClosureStep::ClosedOn.slug(),
    );
    let with_care: Vec<&InterventionFacts> = closed
        .iter()
        .copied()
        .filter(|i| match &i.details {
            Details::Closure(c) => c.care.as_ref().is_some_and(|c| c.discussed),
            _ => false,
        })
        .collect();
    let mut care = figure(
        FigureKey::ClosuresWithCare,
        chapter,
        counting,
        &ids(&with_care),
        Vec::new(),
    );
    care.of = Some(counting.figure(closed.len()));
    let reports = with_step(
        facts,
        request,
        InterventionKind::Closure,
        ClosureStep::ReportReceived.slug(),
    );
    let warnings = with_step(
        facts,
        request,
        InterventionKind::Closure,
        ClosureStep::WarningGiven.slug(),
    );
    let penalty = opened(facts, request, InterventionKind::PenaltyOrder);
    let enforcement = opened(facts, request, InterventionKind::Enforcement);
    vec![
        figure(
            FigureKey::Closures,
            chapter,
            counting,
            &ids(&closed),
            by_wijk(facts, &closed),
        ),
        care,
        figure(
            FigureKey::PoliceReports,
            chapter,
            counting,
            &ids(&reports),
            Vec::new(),
        ),
        figure(
            FigureKey::Warnings,
            chapter,
            counting,
            &ids(&warnings),
            by_wijk(facts, &warnings),
        ),
        figure(
            FigureKey::PenaltyOrders,
            chapter,
            counting,
            &ids(&penalty),
            by_wijk(facts, &penalty),
        ),
        figure(
            FigureKey::Enforcements,
            chapter,
            counting,
            &ids(&enforcement),
            Vec::new(),
        ),
    ]
}

fn visit_figures(facts: &ReportFacts, request: &ReportRequest) -> Vec<ReportFigure> {
    let counting = Counting::new(facts.visits_sight, request);
    let of_kind = |kind: VisitKind| -> Vec<&super::VisitFacts> {
        facts
            .visits
            .iter()
            .filter(|v| v.kind == kind && request.period.contains(v.visited_on))
            .collect()
    };
    let farms = of_kind(VisitKind::Erfbezoek);
    let parks = of_kind(VisitKind::Schouw);
    let visit_ids = |list: &[&super::VisitFacts]| -> Vec<(RecordKind, Uuid)> {
        list.iter().map(|v| (RecordKind::Visit, v.id)).collect()
    };
    // Counts the signals; the drill-down shows the visits they were made at.
    let with_signals: Vec<&super::VisitFacts> =
        farms.iter().copied().filter(|v| v.signals > 0).collect();
    let mut from_visits = figure(
        FigureKey::FarmVisitSignals,
        ReportChapter::Rural,
        counting,
        &visit_ids(&with_signals),
        Vec::new(),
    );
    from_visits.count = counting.figure(farms.iter().map(|v| v.signals).sum());
    from_visits.of = Some(counting.figure(farms.len()));
    vec![
        figure(
            FigureKey::FarmVisits,
            ReportChapter::Rural,
            counting,
            &visit_ids(&farms),
            Vec::new(),
        ),
        from_visits,
        figure(
            FigureKey::ParkInspections,
            ReportChapter::BusinessParks,
            counting,
            &visit_ids(&parks),
            Vec::new(),
        ),
    ]
}

/// The organisation's own work (barrier assessments, activities) says nothing about
/// anyone, so it is counted exactly for every reader who may see it.
fn own_work_figures(facts: &ReportFacts, request: &ReportRequest) -> Vec<ReportFigure> {
    let exact = Counting::new(
        Sight::Records,
        &ReportRequest {
            readers: ReportReaders::Team,
            ..request.clone()
        },
    );
    let mut out = Vec::new();
    for model in &facts.barrier_models {
        let chapter = match model.template {
            crate::barrier::BarrierTemplate::PgbFraud => ReportChapter::CareFraud,
            crate::barrier::BarrierTemplate::LabourMigrants => ReportChapter::Trafficking,
        };
        let mut f = figure(
            FigureKey::BarriersApplied,
            chapter,
            exact,
            &[(RecordKind::BarrierModel, model.id)],
            vec![(
                Dimension::Model,
                BTreeMap::from([(
                    model.template.slug().to_string(),
                    model.coverage.applied as usize,
                )]),
            )],
        );
        f.count = exact.figure(model.coverage.applied as usize);
        f.of = Some(exact.figure(model.coverage.total as usize));
        out.push(f);
    }
    // School classes held in the period, per school year (1 August – 31 July).
    let period = request.period;
    let classes: Vec<&crate::activity::Activity> = facts
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::SchoolClass && period.contains(a.held_on))
        .collect();
    out.push(figure(
        FigureKey::SchoolClasses,
        ReportChapter::Cyber,
        exact,
        &classes
            .iter()
            .map(|a| (RecordKind::Activity, a.id))
            .collect::<Vec<_>>(),
        vec![(
            Dimension::SchoolYear,
            tally(classes.iter().copied(), |a| vec![a.school_year.clone()]),
        )],
    ));
    // Other activities in the period, per chapter of their theme.
    for chapter in ReportChapter::ALL {
        let Some(theme) = chapter.theme() else {
            continue;
        };
        let list: Vec<&crate::activity::Activity> = facts
            .activities
            .iter()
            .filter(|a| a.kind != ActivityKind::SchoolClass && a.theme == theme)
            .filter(|a| period.contains(a.held_on))
            .collect();
        if list.is_empty() {
            continue;
        }
        out.push(figure(
            FigureKey::Activities,
            *chapter,
            exact,
            &list
                .iter()
                .map(|a| (RecordKind::Activity, a.id))
                .collect::<Vec<_>>(),
            vec![(
                Dimension::ActivityKind,
                tally(list.iter().copied(), |a| vec![a.kind.slug().to_string()]),
            )],
        ));
    }
    out
}

/// The report for `request` from `facts`.
pub fn compute(facts: &ReportFacts, request: &ReportRequest) -> Report {
    let mut figures = bibob_figures(facts, request);
    figures.extend(control_figures(facts, request));
    figures.extend(drugs_figures(facts, request));
    figures.extend(visit_figures(facts, request));
    figures.extend(own_work_figures(facts, request));
    let chapters = ReportChapter::ALL
        .iter()
        .copied()
        .filter(|c| request.shows(*c))
        .map(|chapter| {
            let (promised, planned) = commitments(&facts.commitments, chapter);
            ChapterReport {
                chapter,
                promised,
                done: figures
                    .iter()
                    .filter(|f| f.chapter == chapter)
                    .cloned()
                    .collect(),
                planned,
            }
        })
        .collect();
    let mut report = Report {
        from: request.period.from(),
        until: request.period.until(),
        readers: request.readers,
        threshold: request.suppression.threshold,
        bibob_exact: Counting::new(facts.bibob_sight, request).exact(),
        chapters,
        effects: effects::effects(facts, request),
        effects_withheld: effects::withheld(facts, request),
        differences: Vec::new(),
        contradictions: Vec::new(),
    };
    let (differences, contradictions) = super::published::compare(&report, &facts.published);
    report.differences = differences;
    report.contradictions = contradictions;
    report
}
