//! The change in a buurt's deviation after a set of measures (issue 16, pt 4), in the
//! picture's terms (reference.md §3): an area's deviation index on the measure's theme is
//! 100·(x/n)/p — its signals x per inhabitant n against the pooled rate p of all areas with
//! inhabitants, so 100 is average and 150 half as many again per inhabitant. For each area
//! with at least one measure in the period, the index in the year after its first measure
//! minus that in the year before; against comparable areas without a measure — the one with
//! the nearest index in the year before, matched one to one — over the same two years. The
//! pooled rate is that of each year, so a change that all areas share (more reports
//! everywhere) is no change. The difference of the mean changes (a difference in
//! differences) with its 95 % interval (Welch); refused below [`super::effects::MIN_GROUP`]
//! areas a group. Areas are buurten where buurten have inhabitants, else wijken.

use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration};

use super::repeat::{SignalPoint, Treated};
use crate::identifiers::AreaCode;
use crate::model::AreaKind;

/// Before and after, in days.
pub const WINDOW_DAYS: i64 = 365;

/// Inhabitants per area code (the base of the index).
pub type Bases = BTreeMap<String, u64>;

/// The areas compared: buurten where buurten have inhabitants, else wijken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Buurt,
    Wijk,
}

impl Level {
    fn holds(self, code: &str) -> bool {
        let kind = match self {
            Level::Buurt => AreaKind::Buurt,
            Level::Wijk => AreaKind::Wijk,
        };
        AreaCode::parse(code).is_ok_and(|c| c.kind() == kind)
    }

    /// The level with inhabitants: buurten if any buurt has them.
    pub fn of(bases: &Bases) -> Level {
        if bases.keys().any(|c| Level::Buurt.holds(c)) {
            Level::Buurt
        } else {
            Level::Wijk
        }
    }

    /// The area of a signal at this level.
    pub fn area(self, s: &SignalPoint) -> Option<&str> {
        match self {
            Level::Buurt => s.buurt.as_deref().filter(|c| self.holds(c)),
            Level::Wijk => s.wijk.as_deref(),
        }
    }
}

/// The changes per group, in index points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AreaChanges {
    /// After minus before, per area with a measure.
    pub treated: Vec<f64>,
    /// The same for the matched areas without one.
    pub compared: Vec<f64>,
    /// Areas with a measure for which no comparable area was left, or without inhabitants or
    /// signals to compute an index from.
    pub unmatched: usize,
}

fn count(signals: &[&SignalPoint], from: Date, until: Date) -> u64 {
    signals
        .iter()
        .filter(|s| s.day >= from && s.day < until)
        .count() as u64
}

/// The changes, for measures whose year after has passed by `today`. `area_of` names the area
/// of a measure at `level` (as the signals near it do).
pub fn changes(
    treated: &[Treated<'_>],
    area_of: impl Fn(&Treated<'_>) -> Option<String>,
    signals: &[SignalPoint],
    bases: &Bases,
    level: Level,
    today: Date,
) -> AreaChanges {
    let based: BTreeMap<&str, u64> = bases
        .iter()
        .filter(|(code, n)| **n > 0 && level.holds(code))
        .map(|(code, n)| (code.as_str(), *n))
        .collect();
    let inhabitants: u64 = based.values().sum();
    let mut by_area: BTreeMap<&str, Vec<&SignalPoint>> =
        based.keys().map(|a| (*a, Vec::new())).collect();
    for s in signals {
        if let Some(list) = level.area(s).and_then(|a| by_area.get_mut(a)) {
            list.push(s);
        }
    }
    // The index of an area over [from, until): none without signals anywhere.
    let index = |area: &str, from: Date, until: Date| -> Option<f64> {
        let total: u64 = by_area.values().map(|l| count(l, from, until)).sum();
        let n = *based.get(area)?;
        if total == 0 || inhabitants == 0 {
            return None;
        }
        let own = count(by_area.get(area)?, from, until);
        let pooled = total as f64 / inhabitants as f64;
        Some(100.0 * (own as f64 / n as f64) / pooled)
    };
    // The first measure per area.
    let mut first: BTreeMap<String, Date> = BTreeMap::new();
    for t in treated {
        if let Some(a) = area_of(t) {
            let e = first.entry(a).or_insert(t.day);
            if t.day < *e {
                *e = t.day;
            }
        }
    }
    let measured: BTreeSet<&str> = first.keys().map(String::as_str).collect();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut out = AreaChanges::default();
    for (area, day) in &first {
        let end = *day + Duration::days(WINDOW_DAYS);
        if end > today {
            continue;
        }
        let start = *day - Duration::days(WINDOW_DAYS);
        let (Some(before), Some(after)) = (index(area, start, *day), index(area, *day, end)) else {
            out.unmatched += 1;
            continue;
        };
        // The comparable area: no measure, the nearest index the year before.
        let pick = based
            .keys()
            .filter(|a| !measured.contains(*a) && !used.contains(*a))
            .filter_map(|a| Some((*a, index(a, start, *day)?)))
            .filter(|(_, b)| *b > 0.0)
            .min_by(|(a, x), (b, y)| {
                (x - before)
                    .abs()
                    .total_cmp(&(y - before).abs())
                    .then(a.cmp(b))
            });
        let Some((other, other_before)) = pick else {
            out.unmatched += 1;
            continue;
        };
        let Some(other_after) = index(other, *day, end) else {
            out.unmatched += 1;
            continue;
        };
        used.insert(other);
        out.treated.push(after - before);
        out.compared.push(other_after - other_before);
    }
    out
}

/// The difference of the mean changes (treated minus compared) and its 95 % interval
/// (Welch's approximation, normal quantile).
pub fn difference(treated: &[f64], compared: &[f64]) -> (f64, f64, f64) {
    let stats = |v: &[f64]| {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (m, var / n)
    };
    let (mt, st) = stats(treated);
    let (mc, sc) = stats(compared);
    let d = mt - mc;
    let half = 1.959_963_984_540_054 * (st + sc).sqrt();
    (d, d - half, d + half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use uuid::Uuid;

    const A: &str = "BU00140001";
    const B: &str = "BU00140002";
    const C: &str = "BU00140003";

    fn s(n: u128, day: Date, area: &str) -> SignalPoint {
        SignalPoint {
            id: Uuid::from_u128(n),
            day,
            lat: 53.2,
            lon: 6.5,
            buurt: Some(area.into()),
            wijk: Some("WK001400".into()),
            entities: Vec::new(),
        }
    }

    fn signals(d: Date, counts: &[(&str, i64, usize)]) -> Vec<SignalPoint> {
        let mut out = Vec::new();
        for (area, offset, k) in counts {
            for _ in 0..*k {
                out.push(s(out.len() as u128, d + Duration::days(*offset), area));
            }
        }
        out
    }

    fn bases(list: &[(&str, u64)]) -> Bases {
        list.iter().map(|(c, n)| (c.to_string(), *n)).collect()
    }

    /// The changes after one measure in buurt A on `day`, as of `today`.
    fn measured_a(signals: &[SignalPoint], bases: &Bases, day: Date, today: Date) -> AreaChanges {
        let treated = [Treated {
            day,
            lat: 53.2,
            lon: 6.5,
            parties: &[],
        }];
        changes(
            &treated,
            |_| Some(A.into()),
            signals,
            bases,
            Level::Buurt,
            today,
        )
    }

    #[test]
    fn a_measured_area_is_compared_with_the_nearest_unmeasured_one_by_deviation_index() {
        let d = date!(2024 - 03 - 01);
        // A (1,000 inhabitants): 4 before, 1 after (measure). B (1,000): 4 before, 3 after.
        // C (2,000): 9 before, 9 after.
        let signals = signals(
            d,
            &[
                (A, -100, 4),
                (A, 100, 1),
                (B, -50, 4),
                (B, 50, 3),
                (C, -10, 9),
                (C, 10, 9),
            ],
        );
        let bases = bases(&[(A, 1000), (B, 1000), (C, 2000)]);
        assert_eq!(Level::of(&bases), Level::Buurt);
        let c = measured_a(&signals, &bases, d, date!(2026 - 01 - 01));
        // Before: 17 signals on 4,000 inhabitants; A and B 4 per 1,000: index 94.1.
        // After: 13 on 4,000; A 1 per 1,000 (30.8), B 3 (92.3).
        assert_eq!(c.treated.len(), 1);
        assert!((c.treated[0] - (400.0 / 13.0 - 1600.0 / 17.0)).abs() < 1e-9);
        assert!((c.compared[0] - (1200.0 / 13.0 - 1600.0 / 17.0)).abs() < 1e-9);
        // Not yet a year after: left out.
        let c = measured_a(&signals, &bases, d, date!(2024 - 06 - 01));
        assert!(c.treated.is_empty());
        // Without inhabitants for the area there is no index: no comparison.
        let c = measured_a(
            &signals,
            &self::bases(&[(B, 1000), (C, 2000)]),
            d,
            date!(2026 - 01 - 01),
        );
        assert!(c.treated.is_empty() && c.unmatched == 1);
        let (d, low, high) = difference(&[-3.0, -2.0, -4.0], &[-1.0, 0.0, -1.0]);
        assert!((d + 2.333_333).abs() < 1e-5);
        assert!(low < d && d < high);
    }

    #[test]
    fn a_change_every_area_shares_is_no_change() {
        // Twice as many reports everywhere after the measure: the indices stay where they were.
        let d = date!(2024 - 03 - 01);
        let signals = signals(d, &[(A, -30, 2), (A, 30, 4), (B, -30, 3), (B, 30, 6)]);
        let bases = bases(&[(A, 500), (B, 800)]);
        let c = measured_a(&signals, &bases, d, date!(2026 - 01 - 01));
        assert!(
            c.treated[0].abs() < 1e-9 && c.compared[0].abs() < 1e-9,
            "{c:?}"
        );
        // With inhabitants only per wijk, wijken are compared.
        assert_eq!(Level::of(&self::bases(&[("WK001400", 9000)])), Level::Wijk);
    }
}
