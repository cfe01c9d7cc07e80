//! A small, explicit workflow engine for legal procedures (issue 15, pt 1). A procedure is
//! data: its states, the steps that move it (each a dated event) with the facts a step needs,
//! and its legal terms — from which step, how long, suspended between which steps (at most how
//! long, and how much longer after an extension), met by which steps. The engine refuses any
//! move the data does not list, names the missing facts, and computes each term's due day
//! from the recorded dates; a term that ends on a weekend or public holiday moves to the next
//! working day (Algemene termijnenwet art. 1). Time is a parameter: nothing here reads a clock.
//!
//! The procedures themselves (`procedure::bibob`, …) are definitions of this data.

pub mod bibob;
pub mod closure;
pub mod followup;
pub mod sanction;

use crate::model::{slug_enum, Slug};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Debug;
use time::{Date, Duration};

/// A length of time as the law states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    Days(u16),
    Weeks(u16),
    WorkingDays(u16),
    /// Calendar months; a day that the month lacks becomes its last day (31 January + 1
    /// month = 28 or 29 February).
    Months(u8),
}

slug_enum!(
    /// The unit of a length given with a step.
    LengthUnit {
        Days => "dagen";
        Weeks => "weken";
        WorkingDays => "werkdagen";
        Months => "maanden";
    }
);

impl Length {
    /// `count` of `unit`, when it fits the unit (at most 999 days, weeks or working days; at
    /// most 120 months).
    pub fn of(unit: LengthUnit, count: u16) -> Option<Length> {
        match unit {
            LengthUnit::Days if count <= 999 => Some(Length::Days(count)),
            LengthUnit::Weeks if count <= 999 => Some(Length::Weeks(count)),
            LengthUnit::WorkingDays if count <= 999 => Some(Length::WorkingDays(count)),
            LengthUnit::Months if count <= 120 => u8::try_from(count).ok().map(Length::Months),
            _ => None,
        }
    }

    pub fn unit(self) -> LengthUnit {
        match self {
            Length::Days(_) => LengthUnit::Days,
            Length::Weeks(_) => LengthUnit::Weeks,
            Length::WorkingDays(_) => LengthUnit::WorkingDays,
            Length::Months(_) => LengthUnit::Months,
        }
    }

    pub fn count(self) -> u16 {
        match self {
            Length::Days(n) | Length::Weeks(n) | Length::WorkingDays(n) => n,
            Length::Months(n) => u16::from(n),
        }
    }

    /// The day `self` after `from` (working days skip weekends and public holidays).
    pub fn after(self, from: Date) -> Date {
        match self {
            Length::Days(n) => from + Duration::days(i64::from(n)),
            Length::Weeks(n) => from + Duration::weeks(i64::from(n)),
            Length::WorkingDays(n) => {
                crate::deadline::add_working_days(from, u32::from(n), ATW_HOLIDAYS)
            }
            Length::Months(n) => add_months(from, n),
        }
    }

    /// The day `self` before `to` (calendar lengths only; working days count as days).
    pub fn before(self, to: Date) -> Date {
        match self {
            Length::Days(n) | Length::WorkingDays(n) => to - Duration::days(i64::from(n)),
            Length::Weeks(n) => to - Duration::weeks(i64::from(n)),
            Length::Months(n) => sub_months(to, n),
        }
    }

    /// The length in calendar days when counted from `from`.
    fn days_from(self, from: Date) -> i64 {
        (self.after(from) - from).whole_days()
    }
}

/// Legal terms skip the public holidays of the Algemene termijnenwet (art. 3) as well as
/// weekends.
const ATW_HOLIDAYS: bool = true;

fn add_months(from: Date, months: u8) -> Date {
    let index = i32::from(u8::from(from.month())) - 1 + i32::from(months);
    let year = from.year() + index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(from.month());
    let last = month.length(year);
    Date::from_calendar_date(year, month, from.day().min(last)).unwrap_or(from)
}

fn sub_months(to: Date, months: u8) -> Date {
    let index = i32::from(u8::from(to.month())) - 1 - i32::from(months);
    let year = to.year() + index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(to.month());
    let last = month.length(year);
    Date::from_calendar_date(year, month, to.day().min(last)).unwrap_or(to)
}

/// How long a term runs: fixed by law, or given when the step that starts it is recorded (a
/// begunstigingstermijn, a closure of 3, 6 or 12 months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermLength {
    Fixed(Length),
    Given,
}

/// A stretch during which a term stands still: from one step until another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension<E: 'static> {
    pub from: E,
    pub until: E,
    /// It counts at most this long (e.g. the LBB's investigation: 8 weeks)…
    pub at_most: Option<Length>,
    /// …or this much longer once this step is recorded (an extension: 4 weeks more).
    pub extended: Option<(E, Length)>,
}

/// A legal term of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRule<T: 'static, E: 'static> {
    pub term: T,
    /// The step whose date starts it.
    pub from: E,
    pub length: TermLength,
    /// A step that lengthens the term itself, and by how much: fixed by law, or given with
    /// the step (a closure extended by the months decided).
    pub extended: Option<(E, TermLength)>,
    pub suspensions: &'static [Suspension<E>],
    /// Any of these steps meets the term.
    pub met_by: &'static [E],
    pub ends: Ending,
}

/// On which day a term ends when its last day is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The next working day (Algemene termijnenwet art. 1: terms for acts of citizens and
    /// authorities).
    NextWorkingDay,
    /// The day itself (a period, such as a closure, not a term to act in).
    OnTheDay,
}

/// A move of a procedure: recording `step` in state `from` leads to `to`, once `requires` are
/// all known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<S: 'static, E: 'static, F: 'static> {
    pub from: S,
    pub step: E,
    pub to: S,
    pub requires: &'static [F],
}

/// A legal procedure as data.
pub trait Procedure {
    type State: Slug + Eq + Debug;
    /// The dated steps.
    type Step: Slug + Ord + Debug;
    /// The facts a step may need (an outcome, a legal ground, …).
    type Fact: Slug + Eq + Debug;
    type Term: Slug + Eq + Debug;

    fn initial() -> Self::State;
    fn transitions() -> &'static [Transition<Self::State, Self::Step, Self::Fact>];
    fn terms() -> &'static [TermRule<Self::Term, Self::Step>];
    /// Steps that may only be recorded after a running term has ended (a closure or a
    /// forfeiture only after the begunstigingstermijn).
    fn waits() -> &'static [(Self::Step, Self::Term)] {
        &[]
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRefused<S, E, F> {
    /// Not a move from this state; `allowed` are the steps that are.
    NotAllowed { from: S, step: E, allowed: Vec<E> },
    /// A move that needs facts not yet known.
    MissingFacts { step: E, missing: Vec<F> },
    /// A step that starts a term of a given length, recorded without it.
    MissingLength { step: E },
    /// A date before the step it follows.
    BeforePrevious { step: E, previous: Date },
    /// A step that waits for a term (by its machine name) that runs until `ends`.
    BeforeTermEnds {
        step: E,
        term: &'static str,
        ends: Date,
    },
}

/// A refusal of a step of procedure `P`.
pub type Refusal<P> =
    StepRefused<<P as Procedure>::State, <P as Procedure>::Step, <P as Procedure>::Fact>;

/// A procedure's record: its state and the dates of its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<P: Procedure> {
    state: P::State,
    steps: BTreeMap<P::Step, Date>,
    /// The lengths given with steps that start a term of a given length.
    given: BTreeMap<P::Step, Length>,
    last: Option<Date>,
}

impl<P: Procedure> Default for Record<P> {
    fn default() -> Self {
        Self {
            state: P::initial(),
            steps: BTreeMap::new(),
            given: BTreeMap::new(),
            last: None,
        }
    }
}

impl<P: Procedure> Record<P> {
    pub fn state(&self) -> P::State {
        self.state
    }

    pub fn date_of(&self, step: P::Step) -> Option<Date> {
        self.steps.get(&step).copied()
    }

    /// The length given with `step`, if it starts a term of a given length.
    pub fn given(&self, step: P::Step) -> Option<Length> {
        self.given.get(&step).copied()
    }

    /// Takes a stored step again, as it was recorded: only whether the procedure allows the
    /// move is checked (the facts were checked when it was recorded; they may have been
    /// corrected since).
    pub fn restore(&mut self, step: P::Step, on: Date, length: Option<Length>) -> bool {
        let Some(t) = P::transitions()
            .iter()
            .find(|t| t.from == self.state && t.step == step)
        else {
            return false;
        };
        if let Some(length) = length {
            self.given.insert(step, length);
        }
        self.steps.insert(step, on);
        self.last = Some(self.last.map_or(on, |last| last.max(on)));
        self.state = t.to;
        true
    }

    /// The steps that may be recorded now.
    pub fn next_steps(&self) -> Vec<P::Step> {
        P::transitions()
            .iter()
            .filter(|t| t.from == self.state)
            .map(|t| t.step)
            .collect()
    }

    /// Records `step` on `on` when the procedure allows it and `known` holds every fact it
    /// needs; the record is unchanged when it is refused.
    pub fn record(
        &mut self,
        step: P::Step,
        on: Date,
        known: &[P::Fact],
    ) -> Result<P::State, Refusal<P>> {
        self.record_given(step, (on, None), known)
    }

    /// Records `step` as [`Record::record`] does, with the length of the term it starts when
    /// the law leaves that to the decision (required then).
    pub fn record_given(
        &mut self,
        step: P::Step,
        (on, length): (Date, Option<Length>),
        known: &[P::Fact],
    ) -> Result<P::State, Refusal<P>> {
        let Some(t) = P::transitions()
            .iter()
            .find(|t| t.from == self.state && t.step == step)
        else {
            return Err(StepRefused::NotAllowed {
                from: self.state,
                step,
                allowed: self.next_steps(),
            });
        };
        let missing: Vec<P::Fact> = t
            .requires
            .iter()
            .copied()
            .filter(|f| !known.contains(f))
            .collect();
        if !missing.is_empty() {
            return Err(StepRefused::MissingFacts { step, missing });
        }
        if let Some(previous) = self.last.filter(|last| on < *last) {
            return Err(StepRefused::BeforePrevious { step, previous });
        }
        for (waiting, term) in P::waits() {
            let Some(rule) = P::terms().iter().find(|r| r.term == *term) else {
                continue;
            };
            // A term of length zero (spoedeisend) does not hold anything back.
            let zero = self.given.get(&rule.from).is_some_and(|l| l.count() == 0);
            if *waiting != step || zero {
                continue;
            }
            if let Some(Due::On(ends)) = self.due(rule, on) {
                if on <= ends {
                    return Err(StepRefused::BeforeTermEnds {
                        step,
                        term: term.slug(),
                        ends,
                    });
                }
            }
        }
        let needs_length = needs_length::<P>(step);
        if needs_length && length.is_none() {
            return Err(StepRefused::MissingLength { step });
        }
        if let Some(length) = length.filter(|_| needs_length) {
            self.given.insert(step, length);
        }
        self.steps.insert(step, on);
        self.last = Some(on);
        self.state = t.to;
        Ok(t.to)
    }

    /// Each term that has started, with its due day as the record stands on `today`.
    pub fn terms(&self, today: Date) -> Vec<(P::Term, Due)> {
        P::terms()
            .iter()
            .filter_map(|rule| self.due(rule, today).map(|due| (rule.term, due)))
            .collect()
    }

    fn due(&self, rule: &TermRule<P::Term, P::Step>, today: Date) -> Option<Due> {
        let start = self.date_of(rule.from)?;
        if let Some(met) = rule.met_by.iter().filter_map(|s| self.date_of(*s)).min() {
            return Some(Due::Met { on: met });
        }
        let length = match rule.length {
            TermLength::Fixed(length) => length,
            TermLength::Given => *self.given.get(&rule.from)?,
        };
        let mut end = length.after(start);
        if let Some((step, more)) = rule.extended {
            let more = match more {
                TermLength::Fixed(more) => Some(more),
                TermLength::Given => self.given.get(&step).copied(),
            };
            if let (Some(_), Some(more)) = (self.date_of(step), more) {
                end = more.after(end);
            }
        }
        let mut suspended = 0;
        for s in rule.suspensions {
            let Some(from) = self.date_of(s.from) else {
                continue;
            };
            let cap = s.at_most.map(|at_most| {
                let mut days = at_most.days_from(from);
                if let Some((step, more)) = s.extended {
                    if self.date_of(step).is_some() {
                        days += more.days_from(at_most.after(from));
                    }
                }
                days
            });
            let days = match self.date_of(s.until) {
                Some(until) => (until - from).whole_days().max(0),
                // Still suspended: it stands still until the step is recorded, unless the
                // suspension has reached its maximum.
                None => match cap {
                    Some(cap) if (today - from).whole_days() >= cap => cap,
                    _ => return Some(Due::Suspended { since: from }),
                },
            };
            suspended += cap.map_or(days, |cap| days.min(cap));
        }
        let end = end + Duration::days(suspended);
        Some(Due::On(match rule.ends {
            Ending::NextWorkingDay => next_working_day(end),
            Ending::OnTheDay => end,
        }))
    }
}

/// Whether recording `step` needs a length: it starts a term of a given length, or extends
/// one by a given length.
pub fn needs_length<P: Procedure>(step: P::Step) -> bool {
    P::terms().iter().any(|r| {
        (r.from == step && r.length == TermLength::Given)
            || r.extended == Some((step, TermLength::Given))
    })
}

/// A term's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due on this day.
    On(Date),
    /// Standing still since this day (e.g. waiting for the questionnaire).
    Suspended { since: Date },
    /// Met on this day.
    Met { on: Date },
}

/// How a term stands on a day, for lists and overviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Met,
    Suspended,
    /// Its day has passed.
    Overdue,
    /// Due within the working days asked about (today included).
    DueSoon,
    Later,
}

impl Due {
    /// How the term stands on `today`, "soon" meaning within `soon` working days.
    pub fn urgency(self, today: Date, soon: u16) -> Urgency {
        match self {
            Due::Met { .. } => Urgency::Met,
            Due::Suspended { .. } => Urgency::Suspended,
            Due::On(day) if day < today => Urgency::Overdue,
            Due::On(day) if day <= Length::WorkingDays(soon).after(today) => Urgency::DueSoon,
            Due::On(_) => Urgency::Later,
        }
    }
}

/// `day`, or the first working day after it when it is a Saturday, Sunday or public holiday
/// (Algemene termijnenwet art. 1).
pub fn next_working_day(day: Date) -> Date {
    let mut d = day;
    while !crate::deadline::is_working_day(d, ATW_HOLIDAYS) {
        match d.next_day() {
            Some(next) => d = next,
            None => return d,
        }
    }
    d
}

/// For every state and step of `P`: a move the data lists is taken, any other is refused
/// naming the state and what is allowed, and leaves the record as it was.
#[cfg(test)]
pub(crate) fn every_move_not_listed_is_refused<P: Procedure>() {
    let facts = P::Fact::all();
    for state in P::State::all() {
        for step in P::Step::all() {
            let mut r = Record::<P> {
                state: *state,
                ..Record::default()
            };
            let listed = P::transitions()
                .iter()
                .find(|t| t.from == *state && t.step == *step);
            let got = r.record_given(
                *step,
                (time::macros::date!(2025 - 01 - 06), Some(Length::Weeks(1))),
                facts,
            );
            match (listed, got) {
                (Some(t), Ok(to)) => assert_eq!(to, t.to),
                (None, Err(StepRefused::NotAllowed { from, allowed, .. })) => {
                    assert_eq!(from, *state);
                    assert!(!allowed.contains(step));
                    assert_eq!(r.state(), *state, "a refused step changes nothing");
                    assert!(r.steps.is_empty());
                }
                (listed, got) => panic!("{state:?} + {step:?}: {listed:?} but {got:?}"),
            }
        }
    }
}
