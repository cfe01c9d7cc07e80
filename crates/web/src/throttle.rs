//! Limits how often one network address may do something (fail a login, send a public
//! report) within a window. Kept in memory per process and never written anywhere: with
//! several application servers each limits on its own, which still bounds the rate by the
//! number of servers.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

pub struct Throttle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, (u32, OffsetDateTime)>>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(10, Duration::minutes(15))
    }
}

impl Throttle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// True when `ip` has used up its failed attempts within the window.
    pub fn blocked(&self, ip: IpAddr, now: OffsetDateTime) -> bool {
        let Ok(map) = self.failures.lock() else {
            return true;
        };
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= self.max_failures && now - *since < self.window)
    }

    pub fn failed(&self, ip: IpAddr, now: OffsetDateTime) {
        if let Ok(mut map) = self.failures.lock() {
            map.retain(|_, (_, since)| now - *since < self.window);
            let entry = map.entry(ip).or_insert((0, now));
            entry.0 += 1;
        }
    }

    pub fn succeeded(&self, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&ip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn blocks_after_the_limit_until_the_window_passes() {
        let t = Throttle::new(3, Duration::minutes(15));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let start = datetime!(2025-01-01 10:00 UTC);
        for _ in 0..3 {
            assert!(!t.blocked(ip, start));
            t.failed(ip, start);
        }
        assert!(t.blocked(ip, start + Duration::minutes(5)));
        assert!(!t.blocked(other, start));
        assert!(!t.blocked(ip, start + Duration::minutes(16)));
        t.failed(other, start);
        t.succeeded(other);
        assert!(!t.blocked(other, start));
    }
}
