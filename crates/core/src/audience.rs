//! Who may see a signal, resolved ahead of time (DESIGN.md §4): the owner organisation
//! always, other organisations on the days a sharing agreement carries it to them. The
//! store keeps the result per signal and organisation (`signal_audience`), so that a list
//! or count is an index range instead of a predicate evaluated on every row; the role rules
//! on top (Bibob only for the Bibob coördinator, toezichthouders their own registrations,
//! lezers only aggregates) stay with `Caller::signal_scope`.

use crate::model::{Classification, Sharing, SharingAgreement};
use time::{Date, Duration};
use uuid::Uuid;

/// What of a signal decides where it may flow; none of it changes after intake except the
/// themes (a change of themes recomputes the signal's audience).
#[derive(Debug, Clone, Copy)]
pub struct SignalReach<'a> {
    pub owner: Uuid,
    pub classification: Classification,
    pub sharing: Sharing,
    pub themes: &'a [String],
}

/// A run of Dutch calendar days, both ends included; `until: None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub until: Option<Date>,
}

impl Window {
    /// Whether the window holds `day`.
    pub fn holds(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

/// Whether `agreement` carries `signal` to its other parties (on the days it is valid):
/// the owner is a party; the signal is below Bibob, left shareable (`convenant`) and has
/// at least one theme; the agreement covers every theme and the classification.
pub fn carries(agreement: &SharingAgreement, signal: &SignalReach<'_>) -> bool {
    signal.classification.rank() < Classification::Bibob.rank()
        && signal.sharing == Sharing::Convenant
        && !signal.themes.is_empty()
        && agreement.parties.contains(&signal.owner)
        && signal.classification.rank() <= agreement.max_classification.rank()
        && signal
            .themes
            .iter()
            .all(|t| agreement.themes.iter().any(|a| a == t))
}

/// The organisations other than the owner that may see `signal`, each with the days on
/// which it may, as disjoint windows in order (so on any day at most one window holds).
pub fn partner_windows(
    signal: &SignalReach<'_>,
    agreements: &[SharingAgreement],
) -> Vec<(Uuid, Vec<Window>)> {
    let mut per_org: Vec<(Uuid, Vec<Window>)> = Vec::new();
    for agreement in agreements.iter().filter(|a| carries(a, signal)) {
        if agreement
            .valid_until
            .is_some_and(|u| u < agreement.valid_from)
        {
            continue;
        }
        let window = Window {
            from: agreement.valid_from,
            until: agreement.valid_until,
        };
        for party in agreement.parties.iter().filter(|p| **p != signal.owner) {
            match per_org.iter_mut().find(|(org, _)| org == party) {
                Some((_, windows)) => windows.push(window),
                None => per_org.push((*party, vec![window])),
            }
        }
    }
    for (_, windows) in &mut per_org {
        *windows = merged(std::mem::take(windows));
    }
    per_org.sort_by_key(|(org, _)| *org);
    per_org
}

/// Overlapping and adjacent windows joined into one.
fn merged(mut windows: Vec<Window>) -> Vec<Window> {
    windows.sort_by_key(|w| w.from);
    let mut out: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if touches(last, &w) => {
                last.until = match (last.until, w.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => out.push(w),
        }
    }
    out
}

/// Whether `next` (starting no earlier than `last`) overlaps `last` or starts the day after.
fn touches(last: &Window, next: &Window) -> bool {
    match last.until {
        None => true,
        Some(until) => next.from <= until.saturating_add(Duration::days(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn org(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    fn agreement(
        parties: &[u8],
        themes: &[&str],
        max: Classification,
        (from, until): (Date, Option<Date>),
    ) -> SharingAgreement {
        SharingAgreement {
            id: Uuid::new_v4(),
            name: "convenant".into(),
            parties: parties.iter().map(|p| org(*p)).collect(),
            legal_basis: "WGS".into(),
            purposes: "ondermijning".into(),
            themes: themes.iter().map(|t| t.to_string()).collect(),
            max_classification: max,
            valid_from: from,
            valid_until: until,
            referral_contact: None,
        }
    }

    fn reach<'a>(themes: &'a [String], classification: Classification) -> SignalReach<'a> {
        SignalReach {
            owner: org(1),
            classification,
            sharing: Sharing::Convenant,
            themes,
        }
    }

    #[test]
    fn an_agreement_carries_only_what_it_covers_whole() {
        let drugs = vec!["drugs".to_string()];
        let both = vec!["drugs".to_string(), "vastgoed".to_string()];
        let a = agreement(
            &[1, 2],
            &["drugs"],
            Classification::Vertrouwelijk,
            (date!(2026 - 01 - 01), None),
        );
        assert!(carries(&a, &reach(&drugs, Classification::Intern)));
        assert!(!carries(&a, &reach(&both, Classification::Intern)));
        assert!(!carries(&a, &reach(&[], Classification::Intern)));
        assert!(!carries(&a, &reach(&drugs, Classification::Bibob)));
        let mut own = reach(&drugs, Classification::Intern);
        own.sharing = Sharing::EigenOrganisatie;
        assert!(!carries(&a, &own));
        let mut stranger = reach(&drugs, Classification::Intern);
        stranger.owner = org(3);
        assert!(!carries(&a, &stranger));
    }

    #[test]
    fn windows_of_several_agreements_join_when_they_meet() {
        let drugs = vec!["drugs".to_string()];
        let agreements = [
            agreement(
                &[1, 2],
                &["drugs"],
                Classification::Vertrouwelijk,
                (date!(2026 - 01 - 01), Some(date!(2026 - 03 - 31))),
            ),
            agreement(
                &[1, 2, 3],
                &["drugs"],
                Classification::Vertrouwelijk,
                (date!(2026 - 04 - 01), Some(date!(2026 - 06 - 30))),
            ),
            agreement(
                &[1, 2],
                &["drugs"],
                Classification::Vertrouwelijk,
                (date!(2026 - 09 - 01), None),
            ),
        ];
        let windows = partner_windows(&reach(&drugs, Classification::Intern), &agreements);
        assert_eq!(
            windows,
            vec![
                (
                    org(2),
                    vec![
                        Window {
                            from: date!(2026 - 01 - 01),
                            until: Some(date!(2026 - 06 - 30))
                        },
                        Window {
                            from: date!(2026 - 09 - 01),
                            until: None
                        }
                    ]
                ),
                (
                    org(3),
                    vec![Window {
                        from: date!(2026 - 04 - 01),
                        until: Some(date!(2026 - 06 - 30))
                    }]
                ),
            ]
        );
    }

    fn day(n: u16) -> Date {
        date!(2026 - 01 - 01).saturating_add(Duration::days(i64::from(n)))
    }

    proptest! {
        /// On every day, an organisation's windows hold exactly when some agreement valid
        /// that day carries the signal to it, and never more than one window holds.
        #[test]
        fn windows_hold_exactly_on_the_days_an_agreement_does(
            spans in proptest::collection::vec((0u16..60, proptest::option::of(0u16..60), 0usize..3, 0usize..3), 0..6),
        ) {
            let themes = vec!["drugs".to_string()];
            let theme_sets: [&[&str]; 3] = [&["drugs"], &["vastgoed"], &["drugs", "vastgoed"]];
            let ranks = [Classification::Intern, Classification::Vertrouwelijk, Classification::Openbaar];
            let agreements: Vec<SharingAgreement> = spans
                .iter()
                .map(|(from, len, t, r)| {
                    agreement(&[1, 2], theme_sets[*t], ranks[*r], (day(*from), len.map(|l| day(from + l))))
                })
                .collect();
            let signal = reach(&themes, Classification::Vertrouwelijk);
            let windows = partner_windows(&signal, &agreements);
            for d in 0..130u16 {
                let today = day(d);
                let expected = agreements.iter().any(|a| {
                    carries(a, &signal)
                        && a.valid_from <= today
                        && a.valid_until.is_none_or(|u| today <= u)
                });
                let holding: usize = windows
                    .iter()
                    .filter(|(o, _)| *o == org(2))
                    .flat_map(|(_, ws)| ws.iter())
                    .filter(|w| w.holds(today))
                    .count();
                prop_assert!(holding <= 1);
                prop_assert_eq!(holding == 1, expected);
            }
        }
    }
}
