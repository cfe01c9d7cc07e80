//! Effects (issue 16, pt 4) as far as the register's own records carry them: each with its
//! definition (presentation), its numbers, an uncertainty (a Wilson interval for a share,
//! quartiles for a duration, a normal interval for a mean) and a refusal to state anything
//! about a group smaller than [`MIN_GROUP`]. Bibob effects are shown only inside the
//! compartment.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::compute::{with_step, Counting, BIBOB_ENDS};
use super::{InterventionFacts, ReportChapter, ReportFacts, ReportRequest};
use crate::intervention::details::{BibobOutcome, Details};
use crate::intervention::figures::Figure;
use crate::intervention::InterventionKind;
use crate::model::slug_enum;
use crate::procedure::bibob::BibobStep;
use crate::procedure::closure::ClosureStep;
use crate::procedure::followup::ControlStep;

/// Groups smaller than this are not described or compared.
pub const MIN_GROUP: usize = 10;

slug_enum!(
    /// The effects the report describes.
    EffectKey {
        CareDiscussed => "zorg-besproken-bij-sluiting";
        DecisionToClosure => "besluit-tot-sluiting";
        BibobDuration => "duur-bibob-toetsing";
        BibobOutcomeByTrigger => "bibob-uitkomst-per-aanleiding";
        ControlYield => "bevindingen-per-controle";
        ControlFollowUp => "controles-met-vervolg";
        SignalToDecision => "signaal-tot-besluit";
        RepeatAfterClosure => "herhaling-na-sluiting";
        RepeatAfterWarning => "herhaling-na-waarschuwing";
        RepeatAfterPenalty => "herhaling-na-last";
        AreaChangeAfterClosures => "verandering-buurt-na-sluitingen";
    }
);

/// What is measured in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Measure {
    /// A share (0–1) with its 95 % Wilson interval.
    Share { share: f64, low: f64, high: f64 },
    /// Days: the median and the quartiles.
    Days {
        median: f64,
        lower_quartile: f64,
        upper_quartile: f64,
    },
    /// A mean with its 95 % interval (normal approximation).
    Mean { mean: f64, low: f64, high: f64 },
    /// A difference of two means with its 95 % interval (Welch).
    Difference {
        difference: f64,
        low: f64,
        high: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectRow {
    /// "alle", or the machine name of the group (a trigger).
    pub group: String,
    pub n: Figure,
    /// `None` when the group is too small to describe.
    pub measure: Option<Measure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effect {
    pub key: EffectKey,
    pub kind: InterventionKind,
    pub rows: Vec<EffectRow>,
}

/// The share `k` of `n` with its 95 % Wilson score interval.
pub fn wilson(k: usize, n: usize) -> Measure {
    let (k, n) = (k as f64, n as f64);
    let z = 1.959_963_984_540_054_f64;
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n) + z * z / (4.0 * n * n)).sqrt() / denom;
    Measure::Share {
        share: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// The median and quartiles of `days` (linear interpolation between order statistics).
pub fn quartiles(days: &mut [i64]) -> Measure {
    days.sort_unstable();
    let at = |q: f64| {
        let pos = q * (days.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        let frac = pos - lo as f64;
        days[lo] as f64 * (1.0 - frac) + days[hi] as f64 * frac
    };
    Measure::Days {
        median: at(0.5),
        lower_quartile: at(0.25),
        upper_quartile: at(0.75),
    }
}

/// The mean of `values` with a 95 % interval.
pub fn mean(values: &[usize]) -> Measure {
    let n = values.len() as f64;
    let m = values.iter().sum::<usize>() as f64 / n;
    let var = values.iter().map(|v| (*v as f64 - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let half = 1.959_963_984_540_054 * (var / n).sqrt();
    Measure::Mean {
        mean: m,
        low: (m - half).max(0.0),
        high: m + half,
    }
}

fn row(group: &str, n: usize, counting: Counting, measure: impl FnOnce() -> Measure) -> EffectRow {
    EffectRow {
        group: group.to_string(),
        n: counting.figure(n),
        measure: (n >= MIN_GROUP).then(measure),
    }
}

fn days_between(i: &InterventionFacts, from: &str, to: &str) -> Option<i64> {
    Some((i.step_on(to)? - i.step_on(from)?).whole_days())
}

/// The effects for `request` from `facts`: only of records the reader sees exactly (an
/// effect of protected counts would give away what the protection hides), and only of the
/// chapters asked for.
pub fn effects(facts: &ReportFacts, request: &ReportRequest) -> Vec<Effect> {
    let mut out = Vec::new();
    let counting = Counting::new(facts.interventions_sight, request);
    if counting.exact() {
        if request.shows(ReportChapter::Drugs) {
            out.extend(drugs(facts, request, counting));
        }
        if request.shows(ReportChapter::Controls) {
            out.extend(controls(facts, request, counting));
        }
    }
    let bibob = Counting::new(facts.bibob_sight, request);
    if bibob.exact() && request.shows(ReportChapter::Bibob) {
        out.extend(bibob_effects(facts, request, bibob));
    }
    out
}

/// Whether effects of chapters asked for are left out because the reader does not see their
/// records exactly ([`effects`]): the report then says so instead of leaving them out
/// silently.
pub fn withheld(facts: &ReportFacts, request: &ReportRequest) -> bool {
    let interventions =
        request.shows(ReportChapter::Drugs) || request.shows(ReportChapter::Controls);
    (interventions && !Counting::new(facts.interventions_sight, request).exact())
        || (request.shows(ReportChapter::Bibob)
            && !Counting::new(facts.bibob_sight, request).exact())
}

fn drugs(facts: &ReportFacts, request: &ReportRequest, counting: Counting) -> Vec<Effect> {
    let closed = with_step(
        facts,
        request,
        InterventionKind::Closure,
        ClosureStep::ClosedOn.slug(),
    );
    let care = closed
        .iter()
        .filter(|i| match &i.details {
            Details::Closure(c) => c.care.as_ref().is_some_and(|c| c.discussed),
            _ => false,
        })
        .count();
    let mut out = vec![Effect {
        key: EffectKey::CareDiscussed,
        kind: InterventionKind::Closure,
        rows: vec![row("alle", closed.len(), counting, || {
            wilson(care, closed.len())
        })],
    }];
    let mut waits: Vec<i64> = closed
        .iter()
        .filter_map(|i| {
            days_between(
                i,
                ClosureStep::ClosureDecided.slug(),
                ClosureStep::ClosedOn.slug(),
            )
        })
        .collect();
    out.push(Effect {
        key: EffectKey::DecisionToClosure,
        kind: InterventionKind::Closure,
        rows: vec![row("alle", waits.len(), counting, || quartiles(&mut waits))],
    });
    out.extend(signal_to_decision(facts, request, counting));
    out.extend(repeats(facts, request, counting));
    out.push(area_change(facts, request, counting));
    out
}

/// The change in an area's deviation index on drugs signals in the year after its first
/// closure in the period, against comparable areas without one ([`super::area_change`]).
fn area_change(facts: &ReportFacts, request: &ReportRequest, counting: Counting) -> Effect {
    let treated: Vec<super::repeat::Treated> = with_step(
        facts,
        request,
        InterventionKind::Closure,
        ClosureStep::ClosedOn.slug(),
    )
    .into_iter()
    .filter_map(|i| {
        let (lat, lon) = i.location?;
        Some(super::repeat::Treated {
            day: i.step_on(ClosureStep::ClosedOn.slug())?,
            lat,
            lon,
            parties: &i.parties,
        })
    })
    .collect();
    let grid = super::repeat::Grid::new(&facts.theme_signals);
    let level = super::area_change::Level::of(&facts.bases);
    let c = super::area_change::changes(
        &treated,
        |t| grid.area_by((t.lat, t.lon), |s| level.area(s)),
        &facts.theme_signals,
        &facts.bases,
        level,
        facts.today,
    );
    let comparable = c.treated.len() >= MIN_GROUP && c.compared.len() >= MIN_GROUP;
    let mean_of = |v: &[f64]| {
        let (m, low, high) = super::area_change::difference(v, &vec![0.0; v.len()]);
        Measure::Mean { mean: m, low, high }
    };
    let (d, low, high) = if comparable {
        super::area_change::difference(&c.treated, &c.compared)
    } else {
        (0.0, 0.0, 0.0)
    };
    Effect {
        key: EffectKey::AreaChangeAfterClosures,
        kind: InterventionKind::Closure,
        rows: vec![
            EffectRow {
                group: "met".into(),
                n: counting.figure(c.treated.len()),
                measure: comparable.then(|| mean_of(&c.treated)),
            },
            EffectRow {
                group: "zonder".into(),
                n: counting.figure(c.compared.len()),
                measure: comparable.then(|| mean_of(&c.compared)),
            },
            EffectRow {
                group: "verschil".into(),
                n: counting.figure(c.treated.len()),
                measure: comparable.then_some(Measure::Difference {
                    difference: d,
                    low,
                    high,
                }),
            },
        ],
    }
}

/// The theme of the signals that count as a repeat after a drugs measure.
pub const REPEAT_THEME: &str = "drugs";

/// Repeat signals after closures, warnings and lasten onder dwangsom taken in the period,
/// against comparable premises without a measure ([`super::repeat`]). A window whose groups
/// are too small is refused for both.
fn repeats(facts: &ReportFacts, request: &ReportRequest, counting: Counting) -> Vec<Effect> {
    use crate::procedure::sanction::SanctionStep;
    let period = request.period;
    let measures = [
        (
            EffectKey::RepeatAfterClosure,
            InterventionKind::Closure,
            ClosureStep::ClosedOn.slug(),
        ),
        (
            EffectKey::RepeatAfterWarning,
            InterventionKind::Closure,
            ClosureStep::WarningGiven.slug(),
        ),
        (
            EffectKey::RepeatAfterPenalty,
            InterventionKind::PenaltyOrder,
            SanctionStep::Imposed.slug(),
        ),
    ];
    let mut out = Vec::new();
    for (key, kind, step) in measures {
        let treated: Vec<super::repeat::Treated> = facts
            .interventions
            .iter()
            .filter(|i| i.kind == kind)
            .filter_map(|i| {
                let day = i.step_on(step)?;
                let (lat, lon) = i.location?;
                period.contains(day).then_some(super::repeat::Treated {
                    day,
                    lat,
                    lon,
                    parties: &i.parties,
                })
            })
            .collect();
        let mut rows = Vec::new();
        for (months, o) in super::repeat::compare(&treated, &facts.theme_signals, facts.today) {
            let comparable = o.treated >= MIN_GROUP && o.compared >= MIN_GROUP;
            rows.push(EffectRow {
                group: format!("{months}:met"),
                n: counting.figure(o.treated),
                measure: comparable.then(|| wilson(o.treated_repeat, o.treated)),
            });
            rows.push(EffectRow {
                group: format!("{months}:zonder"),
                n: counting.figure(o.compared),
                measure: comparable.then(|| wilson(o.compared_repeat, o.compared)),
            });
        }
        out.push(Effect { key, kind, rows });
    }
    out
}

fn controls(facts: &ReportFacts, request: &ReportRequest, counting: Counting) -> Vec<Effect> {
    let mut out = Vec::new();
    let controls = with_step(
        facts,
        request,
        InterventionKind::Control,
        ControlStep::Held.slug(),
    );
    let held: Vec<usize> = controls
        .iter()
        .map(|i| match &i.details {
            Details::Control(c) => c.findings.len(),
            _ => 0,
        })
        .collect();
    out.push(Effect {
        key: EffectKey::ControlYield,
        kind: InterventionKind::Control,
        rows: vec![row("alle", held.len(), counting, || mean(&held))],
    });
    let followed: Vec<usize> = controls.iter().map(|i| i.follow_ups).collect();
    let with_follow_up = followed.iter().filter(|n| **n > 0).count();
    out.push(Effect {
        key: EffectKey::ControlFollowUp,
        kind: InterventionKind::Control,
        rows: vec![row("alle", followed.len(), counting, || {
            wilson(with_follow_up, followed.len())
        })],
    });
    out
}

/// From the first signal of the case to the decision, per kind of measure.
fn signal_to_decision(
    facts: &ReportFacts,
    request: &ReportRequest,
    counting: Counting,
) -> Vec<Effect> {
    let period = request.period;
    let mut out = Vec::new();
    for (kind, decision) in [
        (
            InterventionKind::Closure,
            ClosureStep::ClosureDecided.slug(),
        ),
        (
            InterventionKind::PenaltyOrder,
            crate::procedure::sanction::SanctionStep::Imposed.slug(),
        ),
    ] {
        let mut days: Vec<i64> = facts
            .interventions
            .iter()
            .filter(|i| i.kind == kind)
            .filter_map(|i| {
                let decided = i.step_on(decision)?;
                let first = i.case_first_signal?;
                (period.contains(decided) && first <= decided)
                    .then(|| (decided - first).whole_days())
            })
            .collect();
        out.push(Effect {
            key: EffectKey::SignalToDecision,
            kind,
            rows: vec![row("alle", days.len(), counting, || quartiles(&mut days))],
        });
    }
    out
}

fn bibob_effects(facts: &ReportFacts, request: &ReportRequest, bibob: Counting) -> Vec<Effect> {
    let period = request.period;
    let mut out = Vec::new();
    {
        let decided: Vec<(&InterventionFacts, i64)> = facts
            .bibob
            .iter()
            .filter_map(|i| {
                let end = i.step_on(BibobStep::Decision.slug())?;
                period
                    .contains(end)
                    .then(|| (i, (end - i.opened_on).whole_days()))
            })
            .collect();
        let mut durations: Vec<i64> = decided.iter().map(|(_, d)| *d).collect();
        out.push(Effect {
            key: EffectKey::BibobDuration,
            kind: InterventionKind::Bibob,
            rows: vec![row("alle", durations.len(), bibob, || {
                quartiles(&mut durations)
            })],
        });
        // Refused or revoked, per trigger, among the screenings that ended in the period.
        let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for i in facts.bibob.iter().filter(|i| {
            BIBOB_ENDS
                .iter()
                .filter_map(|s| i.step_on(s.slug()))
                .min()
                .is_some_and(|d| period.contains(d))
        }) {
            let Details::Bibob(b) = &i.details else {
                continue;
            };
            let key = b.trigger.map_or_else(
                || super::compute::UNKNOWN.to_string(),
                |t| t.slug().to_string(),
            );
            let e = groups.entry(key).or_insert((0, 0));
            e.1 += 1;
            if matches!(
                b.outcome,
                Some(BibobOutcome::Refused | BibobOutcome::Revoked)
            ) {
                e.0 += 1;
            }
        }
        out.push(Effect {
            key: EffectKey::BibobOutcomeByTrigger,
            kind: InterventionKind::Bibob,
            rows: groups
                .into_iter()
                .map(|(group, (k, n))| row(&group, n, bibob, || wilson(k, n)))
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_interval() {
        // 18 of 29: p = 0.621, 95 % Wilson interval 0.440–0.773.
        let Measure::Share { share, low, high } = wilson(18, 29) else {
            panic!("not a share")
        };
        assert!((share - 0.6207).abs() < 1e-3);
        assert!((low - 0.4403).abs() < 1e-3, "{low}");
        assert!((high - 0.7735).abs() < 1e-3, "{high}");
    }

    #[test]
    fn quartiles_interpolate() {
        let Measure::Days {
            median,
            lower_quartile,
            upper_quartile,
        } = quartiles(&mut [10, 2, 4, 8, 6])
        else {
            panic!("not days")
        };
        assert_eq!((lower_quartile, median, upper_quartile), (4.0, 6.0, 8.0));
    }

    #[test]
    fn effects_are_withheld_from_readers_outside_the_team_and_said_to_be() {
        let request = |readers| ReportRequest {
            period: super::super::Period::year(2024).unwrap(),
            chapters: Vec::new(),
            readers,
            suppression: crate::access::Suppression::default(),
            today: time::macros::date!(2026 - 01 - 01),
        };
        let facts = |sight| ReportFacts {
            today: time::macros::date!(2026 - 01 - 01),
            theme_signals: Vec::new(),
            interventions: Vec::new(),
            interventions_sight: sight,
            bibob: Vec::new(),
            bibob_sight: sight,
            visits: Vec::new(),
            visits_sight: sight,
            bases: Default::default(),
            wijken: Vec::new(),
            activities: Vec::new(),
            barrier_models: Vec::new(),
            commitments: Vec::new(),
            published: Vec::new(),
        };
        use super::super::{ReportReaders, Sight};
        assert!(!withheld(
            &facts(Sight::Records),
            &request(ReportReaders::Team)
        ));
        assert!(withheld(
            &facts(Sight::Records),
            &request(ReportReaders::Outside)
        ));
        assert!(withheld(
            &facts(Sight::Aggregates),
            &request(ReportReaders::Team)
        ));
    }

    #[test]
    fn a_small_group_is_not_described() {
        let counting = Counting::new(
            super::super::Sight::Records,
            &ReportRequest {
                period: super::super::Period::year(2024).unwrap(),
                chapters: Vec::new(),
                readers: super::super::ReportReaders::Team,
                suppression: crate::access::Suppression::default(),
                today: time::macros::date!(2026 - 01 - 01),
            },
        );
        assert_eq!(row("alle", 9, counting, || wilson(1, 9)).measure, None);
        assert!(row("alle", 10, counting, || wilson(1, 10))
            .measure
            .is_some());
    }
}
