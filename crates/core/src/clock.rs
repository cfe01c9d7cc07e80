//! Time is a parameter: code that stamps events, computes deadlines or retention takes a
//! [`Clock`] (or a timestamp) instead of reading the system clock itself.

use std::sync::Mutex;
use time::{Date, OffsetDateTime};
use uuid::timestamp::context::ContextV7;
use uuid::{Timestamp, Uuid};

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;

    /// Today in the Netherlands (see [`crate::calendar`]).
    fn today(&self) -> Date {
        crate::calendar::local_date(self.now())
    }
}

/// A new UUIDv7 for a record made at `now`, the injected clock's time: ids carry that time and
/// sort by creation, also within one millisecond (one counter for the process, as
/// RFC 9562 §6.2 method 1), so "the latest" of several records made at one instant is the
/// last one made.
pub fn new_id(now: OffsetDateTime) -> Uuid {
    static CONTEXT: Mutex<ContextV7> = Mutex::new(ContextV7::new());
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    Uuid::new_v7(Timestamp::from_unix(&CONTEXT, seconds, now.nanosecond()))
}

/// The real clock. Only the binary and the web edge construct it.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that only moves when told to; for tests and deterministic generators.
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: OffsetDateTime) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = at;
        }
    }

    pub fn advance(&self, by: time::Duration) {
        if let Ok(mut guard) = self.0.lock() {
            *guard += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        match self.0.lock() {
            Ok(guard) => *guard,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ids_carry_the_injected_time_and_sort_by_creation() {
        let at = datetime!(2024-02-03 04:05:06.789 UTC);
        let ids: Vec<Uuid> = (0..1000).map(|_| new_id(at)).collect();
        let (secs, nanos) = ids[0].get_timestamp().map(|t| t.to_unix()).unwrap();
        assert_eq!(secs, at.unix_timestamp() as u64);
        assert_eq!(nanos / 1_000_000, 789);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn today_is_the_dutch_day() {
        let clock = FixedClock::new(datetime!(2026-11-29 23:30 UTC));
        assert_eq!(clock.today(), time::macros::date!(2026 - 11 - 30));
    }
}
