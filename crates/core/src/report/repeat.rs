//! Repeat signals after a measure (issue 16, pt 4): at premises where a 13b closure, a 13b
//! warning or a last onder dwangsom was imposed, how often a new signal on the measure's
//! theme came in within 6, 12 or 24 months — at the premises or about the same entity —
//! against comparable premises without a measure: premises in the same buurt with a signal
//! on the same theme in the year before, none of whose signals is near any measure, matched
//! one to one (nearest in time, without replacement). Premises are places: a signal "at"
//! premises lies within [`NEAR_METRES`]. The entities of premises are those its signals of
//! the year before mentioned (for both groups alike) and, for treated premises, the measure's
//! parties; a later signal about one of them counts as a repeat wherever it is.
//! Only measures whose window has passed by today count; a comparison of groups smaller than
//! [`super::effects::MIN_GROUP`] is refused.

use std::collections::{BTreeSet, HashMap};
use time::{Date, Duration};
use uuid::Uuid;

/// A signal within this distance of premises is "at" them.
pub const NEAR_METRES: f64 = 50.0;
/// The windows after the measure, in months.
pub const WINDOWS: [u8; 3] = [6, 12, 24];
/// How far back a comparable premises must have had a signal.
pub const LOOK_BACK_DAYS: i64 = 365;

/// A signal on the measure's theme with a place.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalPoint {
    pub id: Uuid,
    pub day: Date,
    pub lat: f64,
    pub lon: f64,
    pub buurt: Option<String>,
    /// Its wijk, when it lies in one the store knows.
    pub wijk: Option<String>,
    /// The entities its subjects are linked to.
    pub entities: Vec<Uuid>,
}

/// A measure at premises: the day it took effect and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Treated<'a> {
    pub day: Date,
    pub lat: f64,
    pub lon: f64,
    /// The entities the measure was imposed on.
    pub parties: &'a [Uuid],
}

/// Treated premises and their comparison in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub treated: usize,
    pub treated_repeat: usize,
    pub compared: usize,
    pub compared_repeat: usize,
    /// Treated premises for which no comparable premises was found (left out of both).
    pub unmatched: usize,
}

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let lat = (a.0 + b.0).to_radians() / 2.0;
    let dy = (a.0 - b.0) * 111_320.0;
    let dx = (a.1 - b.1) * 111_320.0 * lat.cos();
    (dx * dx + dy * dy).sqrt()
}

/// Signals by grid cell (about 100 m), to find those near a point without scanning all.
pub(super) struct Grid<'a> {
    cells: HashMap<(i64, i64), Vec<&'a SignalPoint>>,
    by_entity: HashMap<Uuid, Vec<&'a SignalPoint>>,
}

const CELL: f64 = 0.001;

fn cell(lat: f64, lon: f64) -> (i64, i64) {
    (
        (lat / CELL).floor() as i64,
        (lon / (CELL * 1.6)).floor() as i64,
    )
}

impl<'a> Grid<'a> {
    pub(super) fn new(signals: &'a [SignalPoint]) -> Grid<'a> {
        let mut cells: HashMap<(i64, i64), Vec<&SignalPoint>> = HashMap::new();
        let mut by_entity: HashMap<Uuid, Vec<&SignalPoint>> = HashMap::new();
        for s in signals {
            cells.entry(cell(s.lat, s.lon)).or_default().push(s);
            for e in &s.entities {
                by_entity.entry(*e).or_default().push(s);
            }
        }
        Grid { cells, by_entity }
    }

    /// The signals within `radius` metres (at most a few hundred) of `p`.
    fn near(&self, p: (f64, f64), radius: f64) -> impl Iterator<Item = &'a SignalPoint> + '_ {
        let (cy, cx) = cell(p.0, p.1);
        let reach = (radius / 100.0).ceil() as i64 + 1;
        (cy - reach..=cy + reach)
            .flat_map(move |y| (cx - reach..=cx + reach).map(move |x| (y, x)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
            .filter(move |s| metres(p, (s.lat, s.lon)) <= radius)
    }

    /// The area of a place: that of the nearest signal with one within 250 m.
    pub(super) fn area_of(&self, p: (f64, f64)) -> Option<String> {
        self.area_by(p, |s| s.buurt.as_deref())
    }

    /// The area `area` gives the nearest signal with one within 250 m of a place.
    pub(super) fn area_by(
        &self,
        p: (f64, f64),
        area: impl Fn(&SignalPoint) -> Option<&str>,
    ) -> Option<String> {
        self.near(p, 250.0)
            .filter(|s| area(s).is_some())
            .min_by(|a, b| {
                metres(p, (a.lat, a.lon))
                    .total_cmp(&metres(p, (b.lat, b.lon)))
                    .then(a.id.cmp(&b.id))
            })
            .and_then(|s| area(s).map(str::to_string))
    }

    /// The entities of premises on `day`: those mentioned in its signals of the year before
    /// (that day included), and `parties`.
    fn entities_of(&self, p: (f64, f64), day: Date, parties: &[Uuid]) -> BTreeSet<Uuid> {
        let mut out: BTreeSet<Uuid> = parties.iter().copied().collect();
        for s in self.near(p, NEAR_METRES) {
            if s.day <= day && s.day >= day - Duration::days(LOOK_BACK_DAYS) {
                out.extend(s.entities.iter().copied());
            }
        }
        out
    }

    /// A signal after `day` up to `until` at the premises or about one of `entities`.
    fn repeat_after(
        &self,
        p: (f64, f64),
        entities: &BTreeSet<Uuid>,
        day: Date,
        until: Date,
    ) -> bool {
        let within = |s: &&SignalPoint| s.day > day && s.day <= until;
        self.near(p, NEAR_METRES).any(|s| within(&s))
            || entities
                .iter()
                .filter_map(|e| self.by_entity.get(e))
                .flatten()
                .any(within)
    }
}

fn add_months(day: Date, months: u8) -> Date {
    let mut d = day;
    for _ in 0..months {
        let days = d.month().length(d.year());
        d += Duration::days(i64::from(days));
    }
    d
}

/// Treated premises against comparable premises, per window.
pub fn compare(
    treated: &[Treated<'_>],
    signals: &[SignalPoint],
    today: Date,
) -> Vec<(u8, Outcome)> {
    let grid = Grid::new(signals);
    let buurt_of = |p: (f64, f64)| grid.area_of(p);
    let near_any_measure = |s: &SignalPoint| {
        treated
            .iter()
            .any(|t| metres((t.lat, t.lon), (s.lat, s.lon)) <= NEAR_METRES)
    };
    // Candidate comparison premises per buurt: signals not near any measure, in a fixed order.
    let mut by_buurt: HashMap<&str, Vec<&SignalPoint>> = HashMap::new();
    for s in signals.iter().filter(|s| !near_any_measure(s)) {
        if let Some(b) = &s.buurt {
            by_buurt.entry(b.as_str()).or_default().push(s);
        }
    }
    let mut order: Vec<&Treated<'_>> = treated.iter().collect();
    order.sort_by(|a, b| a.day.cmp(&b.day).then(a.lat.total_cmp(&b.lat)));
    let mut used: BTreeSet<Uuid> = BTreeSet::new();
    let mut out = Vec::new();
    for months in WINDOWS {
        let mut o = Outcome::default();
        used.clear();
        for t in &order {
            let end = add_months(t.day, months);
            if end > today {
                continue;
            }
            let p = (t.lat, t.lon);
            let pick = buurt_of(p).and_then(|b| {
                by_buurt.get(b.as_str()).and_then(|list| {
                    list.iter()
                        .filter(|s| {
                            s.day < t.day && s.day >= t.day - Duration::days(LOOK_BACK_DAYS)
                        })
                        .filter(|s| !used.contains(&s.id))
                        // Not the same place as a comparison already taken.
                        .min_by_key(|s| ((t.day - s.day).whole_days(), s.id))
                        .copied()
                })
            });
            let Some(c) = pick else {
                o.unmatched += 1;
                continue;
            };
            // Premises are places: every signal at the chosen place is used up.
            for s in grid.near((c.lat, c.lon), NEAR_METRES) {
                used.insert(s.id);
            }
            o.treated += 1;
            o.compared += 1;
            let q = (c.lat, c.lon);
            let (treated_entities, compared_entities) = (
                grid.entities_of(p, t.day, t.parties),
                grid.entities_of(q, t.day, &[]),
            );
            o.treated_repeat += usize::from(grid.repeat_after(p, &treated_entities, t.day, end));
            o.compared_repeat += usize::from(grid.repeat_after(q, &compared_entities, t.day, end));
        }
        out.push((months, o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn signal(n: u128, day: Date, lat: f64, lon: f64, buurt: &str) -> SignalPoint {
        SignalPoint {
            id: Uuid::from_u128(n),
            day,
            lat,
            lon,
            buurt: Some(buurt.into()),
            wijk: None,
            entities: Vec::new(),
        }
    }

    #[test]
    fn treated_and_comparable_premises_are_counted_per_window() {
        // Two closed premises in buurt A, each with a signal before; one gets a new signal
        // after 3 months. Two comparable premises in A (600 m away), one of which gets a new
        // signal after 8 months. A premises in buurt B never compares.
        let d = date!(2024 - 01 - 15);
        let signals = vec![
            signal(1, d - Duration::days(30), 53.2000, 6.5600, "A"),
            signal(2, d + Duration::days(90), 53.20002, 6.56002, "A"),
            signal(3, d - Duration::days(40), 53.2100, 6.5600, "A"),
            signal(10, d - Duration::days(20), 53.2000, 6.5700, "A"),
            signal(11, d + Duration::days(240), 53.20001, 6.57001, "A"),
            signal(12, d - Duration::days(60), 53.2050, 6.5750, "A"),
            signal(20, d - Duration::days(10), 53.3000, 6.6000, "B"),
        ];
        let treated = [
            Treated {
                day: d,
                lat: 53.2000,
                lon: 6.5600,
                parties: &[],
            },
            Treated {
                day: d,
                lat: 53.2100,
                lon: 6.5600,
                parties: &[],
            },
        ];
        let out = compare(&treated, &signals, date!(2026 - 12 - 01));
        let (six, o6) = out[0];
        assert_eq!(six, 6);
        assert_eq!(
            o6,
            Outcome {
                treated: 2,
                treated_repeat: 1,
                compared: 2,
                compared_repeat: 0,
                unmatched: 0
            }
        );
        let (_, o12) = out[1];
        assert_eq!((o12.treated_repeat, o12.compared_repeat), (1, 1));
        // A window not yet over is not counted.
        let out = compare(&treated, &signals, date!(2024 - 09 - 01));
        assert_eq!(out[0].1.treated, 2);
        assert_eq!(out[1].1.treated, 0);
    }

    #[test]
    fn a_later_signal_about_the_same_entity_is_a_repeat_wherever_it_is() {
        // The closed premises' occupant (entity P, named in the signal before) turns up in a
        // signal 3 km away after 4 months; the measure's party Q after 8 months elsewhere.
        // The comparable premises' occupant R turns up after 10 months elsewhere too.
        let d = date!(2024 - 01 - 15);
        let (p, q, r) = (
            Uuid::from_u128(900),
            Uuid::from_u128(901),
            Uuid::from_u128(902),
        );
        let with = |mut s: SignalPoint, e: Uuid| {
            s.entities.push(e);
            s
        };
        let signals = vec![
            with(signal(1, d - Duration::days(30), 53.2000, 6.5600, "A"), p),
            with(signal(2, d + Duration::days(120), 53.2300, 6.5900, "C"), p),
            with(signal(3, d + Duration::days(240), 53.2400, 6.6000, "C"), q),
            with(signal(10, d - Duration::days(20), 53.2000, 6.5700, "A"), r),
            with(signal(11, d + Duration::days(300), 53.2500, 6.6100, "C"), r),
            // Someone unrelated after the measure, far away: no repeat for anyone.
            signal(12, d + Duration::days(30), 53.2600, 6.6200, "C"),
        ];
        let parties = [q];
        let treated = [Treated {
            day: d,
            lat: 53.2000,
            lon: 6.5600,
            parties: &parties,
        }];
        let out = compare(&treated, &signals, date!(2026 - 12 - 01));
        let get = |months: u8| out.iter().find(|(m, _)| *m == months).unwrap().1;
        assert_eq!((get(6).treated_repeat, get(6).compared_repeat), (1, 0));
        assert_eq!((get(12).treated_repeat, get(12).compared_repeat), (1, 1));
        // Without the entities nothing at either place repeats.
        let bare: Vec<SignalPoint> = signals
            .iter()
            .cloned()
            .map(|mut s| {
                s.entities.clear();
                s
            })
            .collect();
        let no_parties = [Treated {
            parties: &[],
            ..treated[0]
        }];
        let out = compare(&no_parties, &bare, date!(2026 - 12 - 01));
        assert_eq!((out[1].1.treated_repeat, out[1].1.compared_repeat), (0, 0));
    }

    #[test]
    fn a_measure_without_a_comparable_premises_is_left_out() {
        let d = date!(2024 - 01 - 15);
        let signals = vec![signal(1, d - Duration::days(30), 53.2, 6.56, "A")];
        let treated = [Treated {
            day: d,
            lat: 53.2,
            lon: 6.56,
            parties: &[],
        }];
        let out = compare(&treated, &signals, date!(2026 - 12 - 01));
        assert_eq!(out[0].1.unmatched, 1);
        assert_eq!(out[0].1.treated, 0);
    }
}
