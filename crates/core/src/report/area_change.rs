//! The change in a buurt after a set of measures (issue 16, pt 4): for each area with at
//! least one measure in the period, the signals on the measure's theme in the year before its
//! first measure and in the year after; against comparable areas without a measure — the one
//! with the nearest count in the year before, matched one to one — over the same two years.
//! The difference of the mean changes (a difference in differences) with its 95 % interval
//! (Welch); refused below [`super::effects::MIN_GROUP`] areas a group.

use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration};

use super::repeat::{SignalPoint, Treated};

/// Before and after, in days.
pub const WINDOW_DAYS: i64 = 365;

/// The changes per group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AreaChanges {
    /// After minus before, per area with a measure.
    pub treated: Vec<i64>,
    /// The same for the matched areas without one.
    pub compared: Vec<i64>,
    /// Areas with a measure for which no comparable area was left.
    pub unmatched: usize,
}

fn count(signals: &[&SignalPoint], from: Date, until: Date) -> i64 {
    signals
        .iter()
        .filter(|s| s.day >= from && s.day < until)
        .count() as i64
}

/// The changes, for measures whose year after has passed by `today`. `area_of` names the area
/// of a measure (as the signals near it do).
pub fn changes(
    treated: &[Treated<'_>],
    area_of: impl Fn(&Treated<'_>) -> Option<String>,
    signals: &[SignalPoint],
    today: Date,
) -> AreaChanges {
    let mut by_area: BTreeMap<&str, Vec<&SignalPoint>> = BTreeMap::new();
    for s in signals {
        if let Some(a) = &s.buurt {
            by_area.entry(a.as_str()).or_default().push(s);
        }
    }
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
        let empty = Vec::new();
        let own = by_area.get(area.as_str()).unwrap_or(&empty);
        let before = count(own, start, *day);
        let after = count(own, *day, end);
        // The comparable area: no measure, the nearest count the year before.
        let pick = by_area
            .iter()
            .filter(|(a, _)| !measured.contains(*a) && !used.contains(*a))
            .map(|(a, list)| (*a, count(list, start, *day), list))
            .filter(|(_, b, _)| *b > 0)
            .min_by_key(|(a, b, _)| ((b - before).abs(), *a));
        let Some((other, other_before, list)) = pick else {
            out.unmatched += 1;
            continue;
        };
        used.insert(other);
        out.treated.push(after - before);
        out.compared.push(count(list, *day, end) - other_before);
    }
    out
}

/// The difference of the mean changes (treated minus compared) and its 95 % interval
/// (Welch's approximation, normal quantile).
pub fn difference(treated: &[i64], compared: &[i64]) -> (f64, f64, f64) {
    let stats = |v: &[i64]| {
        let n = v.len() as f64;
        let m = v.iter().sum::<i64>() as f64 / n;
        let var = v.iter().map(|x| (*x as f64 - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
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

    fn s(n: u128, day: Date, area: &str) -> SignalPoint {
        SignalPoint {
            id: Uuid::from_u128(n),
            day,
            lat: 53.2,
            lon: 6.5,
            buurt: Some(area.into()),
            entities: Vec::new(),
        }
    }

    #[test]
    fn a_measured_area_is_compared_with_the_nearest_unmeasured_one() {
        let d = date!(2024 - 03 - 01);
        // A: 4 before, 1 after (measure). B: 4 before, 3 after. C: 9 before, 9 after.
        let mut signals = Vec::new();
        let mut n = 0;
        let mut add = |area: &str, day: Date, k: usize| {
            for _ in 0..k {
                n += 1;
                signals.push(s(n, day, area));
            }
        };
        add("A", d - Duration::days(100), 4);
        add("A", d + Duration::days(100), 1);
        add("B", d - Duration::days(50), 4);
        add("B", d + Duration::days(50), 3);
        add("C", d - Duration::days(10), 9);
        add("C", d + Duration::days(10), 9);
        let treated = [Treated {
            day: d,
            lat: 53.2,
            lon: 6.5,
            parties: &[],
        }];
        let c = changes(
            &treated,
            |_| Some("A".into()),
            &signals,
            date!(2026 - 01 - 01),
        );
        assert_eq!(c.treated, vec![-3]);
        assert_eq!(c.compared, vec![-1]);
        // Not yet a year after: left out.
        let c = changes(
            &treated,
            |_| Some("A".into()),
            &signals,
            date!(2024 - 06 - 01),
        );
        assert!(c.treated.is_empty());
        let (d, low, high) = difference(&[-3, -2, -4], &[-1, 0, -1]);
        assert!((d + 2.333_333).abs() < 1e-5);
        assert!(low < d && d < high);
    }
}
