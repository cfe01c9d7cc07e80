//! Time is a parameter: code that stamps events, computes deadlines or retention takes a
//! [`Clock`] (or a timestamp) instead of reading the system clock itself.

use std::sync::Mutex;
use time::OffsetDateTime;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
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
