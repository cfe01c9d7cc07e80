//! Throttling failed logins without collateral damage. Failures count three ways, each with
//! its own limit (kept in memory per process, never written anywhere):
//!
//! - per **(account, address)**: one person's typos block only that account from that
//!   address — colleagues behind the same proxy log in as before;
//! - per **account**, from any address: slow guessing spread over many addresses locks the
//!   account (it says so and for how long; the beheerder can unlock it);
//! - per **address**, over all accounts: a password spray from one address meets a ceiling
//!   high enough for an office behind one proxy.
//!
//! The account is the typed e-mail address (normalised and hashed), whether or not an
//! account has it, so a lock never tells that an address is an account. An attempt without
//! an e-mail address aims at no account and counts only for its address. A successful login
//! only clears its own (account, address) count: logging in to another account resets
//! nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// How many failures within `window` lead to a block of `lock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub failures: u32,
    pub window: Duration,
    pub lock: Duration,
}

/// The three limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    pub pair: Limit,
    pub account: Limit,
    pub address: Limit,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            pair: Limit {
                failures: 5,
                window: Duration::minutes(15),
                lock: Duration::minutes(15),
            },
            account: Limit {
                failures: 20,
                window: Duration::hours(1),
                lock: Duration::hours(1),
            },
            address: Limit {
                failures: 100,
                window: Duration::minutes(15),
                lock: Duration::minutes(15),
            },
        }
    }
}

/// Why a login attempt is not even tried, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// Too many failures from this address over all accounts.
    Address(OffsetDateTime),
    /// The account is locked (too many failures from anywhere).
    Account(OffsetDateTime),
    /// Too many failures for this account from this address.
    AccountFromAddress(OffsetDateTime),
}

impl Block {
    pub fn until(self) -> OffsetDateTime {
        match self {
            Block::Address(t) | Block::Account(t) | Block::AccountFromAddress(t) => t,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Counter {
    failures: u32,
    since: OffsetDateTime,
    locked_until: Option<OffsetDateTime>,
}

impl Counter {
    fn new(now: OffsetDateTime) -> Self {
        Self {
            failures: 0,
            since: now,
            locked_until: None,
        }
    }

    fn locked(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.locked_until.filter(|until| now < *until)
    }

    fn fail(&mut self, limit: Limit, now: OffsetDateTime) {
        if now - self.since >= limit.window {
            self.failures = 0;
            self.since = now;
        }
        self.failures += 1;
        if self.failures >= limit.failures {
            self.locked_until = Some(now + limit.lock);
            self.failures = 0;
            self.since = now;
        }
    }

    fn spent(&self, limit: Limit, now: OffsetDateTime) -> bool {
        self.locked(now).is_none() && now - self.since >= limit.window
    }
}

/// The account key: the typed address, trimmed and lower-cased, hashed.
fn account_key(email: &str) -> String {
    crate::auth::secret_hash(&email.trim().to_lowercase())
}

#[derive(Default)]
struct Counters {
    pairs: HashMap<(String, IpAddr), Counter>,
    accounts: HashMap<String, Counter>,
    addresses: HashMap<IpAddr, Counter>,
    /// Forgotten counters are dropped when the maps grow past this.
    prune_at: usize,
}

impl Counters {
    fn len(&self) -> usize {
        self.pairs.len() + self.accounts.len() + self.addresses.len()
    }

    fn prune(&mut self, policy: &LoginPolicy, now: OffsetDateTime) {
        self.pairs.retain(|_, c| !c.spent(policy.pair, now));
        self.accounts.retain(|_, c| !c.spent(policy.account, now));
        self.addresses.retain(|_, c| !c.spent(policy.address, now));
        self.prune_at = (self.len() * 2).max(1024);
    }
}

pub struct LoginGuard {
    policy: LoginPolicy,
    counters: Mutex<Counters>,
}

impl Default for LoginGuard {
    fn default() -> Self {
        Self::new(LoginPolicy::default())
    }
}

impl LoginGuard {
    pub fn new(policy: LoginPolicy) -> Self {
        Self {
            policy,
            counters: Mutex::new(Counters::default()),
        }
    }

    /// Whether an attempt for `email` from `address` is refused without looking at the
    /// password (a poisoned lock refuses everything: failing closed).
    pub fn check(&self, email: &str, address: IpAddr, now: OffsetDateTime) -> Option<Block> {
        let Ok(c) = self.counters.lock() else {
            return Some(Block::Address(now + self.policy.address.lock));
        };
        let account = account_key(email);
        if let Some(until) = c.addresses.get(&address).and_then(|x| x.locked(now)) {
            return Some(Block::Address(until));
        }
        if email.trim().is_empty() {
            return None;
        }
        if let Some(until) = c.accounts.get(&account).and_then(|x| x.locked(now)) {
            return Some(Block::Account(until));
        }
        c.pairs
            .get(&(account, address))
            .and_then(|x| x.locked(now))
            .map(Block::AccountFromAddress)
    }

    pub fn failed(&self, email: &str, address: IpAddr, now: OffsetDateTime) {
        let Ok(mut c) = self.counters.lock() else {
            return;
        };
        if c.len() >= c.prune_at {
            c.prune(&self.policy, now);
        }
        let account = account_key(email);
        let policy = self.policy;
        c.addresses
            .entry(address)
            .or_insert_with(|| Counter::new(now))
            .fail(policy.address, now);
        if email.trim().is_empty() {
            return;
        }
        c.accounts
            .entry(account.clone())
            .or_insert_with(|| Counter::new(now))
            .fail(policy.account, now);
        c.pairs
            .entry((account, address))
            .or_insert_with(|| Counter::new(now))
            .fail(policy.pair, now);
    }

    /// A successful login clears that account's count from that address, nothing else.
    pub fn succeeded(&self, email: &str, address: IpAddr) {
        if let Ok(mut c) = self.counters.lock() {
            c.pairs.remove(&(account_key(email), address));
        }
    }

    /// Until when the account is locked, if it is.
    pub fn locked_until(&self, email: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let c = self.counters.lock().ok()?;
        c.accounts
            .get(&account_key(email))
            .and_then(|x| x.locked(now))
    }

    /// The beheerder's unlock: the account's count and its counts from every address go.
    pub fn unlock(&self, email: &str) {
        if let Ok(mut c) = self.counters.lock() {
            let account = account_key(email);
            c.accounts.remove(&account);
            c.pairs.retain(|(a, _), _| *a != account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-12-01 09:00 UTC);

    fn ip(n: u32) -> IpAddr {
        IpAddr::from(std::net::Ipv4Addr::from(0xC000_0200 + n))
    }

    #[test]
    fn one_users_typos_do_not_lock_out_colleagues_behind_the_same_proxy() {
        let guard = LoginGuard::default();
        let office = ip(1);
        for _ in 0..5 {
            assert_eq!(guard.check("anna@gemeente.nl", office, START), None);
            guard.failed("anna@gemeente.nl", office, START);
        }
        assert!(matches!(
            guard.check("Anna@Gemeente.nl ", office, START),
            Some(Block::AccountFromAddress(_))
        ));
        assert_eq!(guard.check("bert@gemeente.nl", office, START), None);
        // Anna herself can still log in from home, and from the office after the lock.
        assert_eq!(guard.check("anna@gemeente.nl", ip(2), START), None);
        let later = START + Duration::minutes(16);
        assert_eq!(guard.check("anna@gemeente.nl", office, later), None);
        assert_eq!(guard.locked_until("anna@gemeente.nl", START), None);
    }

    #[test]
    fn a_password_spray_from_one_address_meets_the_ceiling() {
        let guard = LoginGuard::default();
        let attacker = ip(3);
        let mut tries = 0;
        for n in 0..1_000 {
            let account = format!("medewerker{n}@gemeente.nl");
            if guard.check(&account, attacker, START).is_some() {
                break;
            }
            guard.failed(&account, attacker, START);
            tries += 1;
        }
        assert_eq!(tries, 100);
        assert!(matches!(
            guard.check("iemand@gemeente.nl", attacker, START),
            Some(Block::Address(until)) if until == START + Duration::minutes(15)
        ));
        // No account was locked by it, and other addresses are untouched.
        assert_eq!(guard.check("medewerker1@gemeente.nl", ip(4), START), None);
    }

    #[test]
    fn slow_guessing_from_many_addresses_locks_the_account_until_unlocked() {
        let guard = LoginGuard::default();
        let mut tries = 0;
        for n in 0..1_000 {
            let at = START + Duration::minutes(2) * n;
            if guard
                .check("wethouder@gemeente.nl", ip(100 + n as u32), at)
                .is_some()
            {
                break;
            }
            guard.failed("wethouder@gemeente.nl", ip(100 + n as u32), at);
            tries += 1;
        }
        assert_eq!(tries, 20, "20 guesses within the hour lock the account");
        let now = START + Duration::minutes(40);
        let Some(Block::Account(until)) = guard.check("wethouder@gemeente.nl", ip(7), now) else {
            panic!("locked from everywhere");
        };
        assert_eq!(until, START + Duration::minutes(38) + Duration::hours(1));
        assert_eq!(
            guard.locked_until("wethouder@gemeente.nl", now),
            Some(until)
        );
        guard.unlock("wethouder@gemeente.nl");
        assert_eq!(guard.check("wethouder@gemeente.nl", ip(7), now), None);
    }

    #[test]
    fn logging_in_to_another_account_resets_nothing() {
        // Nine wrong passwords for one account, then a right one for another, repeated.
        let guard = LoginGuard::default();
        let address = ip(5);
        let mut guesses = 0;
        'outer: for round in 0..6 {
            for _ in 0..9 {
                let at = START + Duration::minutes(round);
                if guard.check("doel@gemeente.nl", address, at).is_some() {
                    break 'outer;
                }
                guard.failed("doel@gemeente.nl", address, at);
                guesses += 1;
            }
            guard.succeeded("eigen@gemeente.nl", address);
        }
        assert_eq!(guesses, 5);
    }

    #[test]
    fn a_successful_login_clears_only_its_own_count() {
        let guard = LoginGuard::default();
        for _ in 0..4 {
            guard.failed("anna@gemeente.nl", ip(1), START);
        }
        guard.succeeded("anna@gemeente.nl", ip(1));
        for _ in 0..4 {
            guard.failed("anna@gemeente.nl", ip(1), START);
        }
        assert_eq!(guard.check("anna@gemeente.nl", ip(1), START), None);
    }

    #[test]
    fn forgotten_counters_are_pruned() {
        let guard = LoginGuard::default();
        for n in 0..2_000 {
            guard.failed(&format!("x{n}@y.nl"), ip(n % 50), START);
        }
        let later = START + Duration::hours(3);
        guard.counters.lock().unwrap().prune_at = 0;
        guard.failed("laatste@y.nl", ip(1), later);
        assert_eq!(guard.counters.lock().unwrap().len(), 3);
    }
}
