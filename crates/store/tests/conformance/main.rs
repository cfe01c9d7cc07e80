//! One behavioural suite for both storage engines. Every test runs on SQLite, and on
//! PostgreSQL when `BAKEN_TEST_POSTGRES_URL` is set (required under `CI=true`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod accounts;
mod areas;
mod audience;
mod audit;
mod audit_key;
mod barriers;
mod bsn;
mod cases;
mod commitments;
mod corrections;
mod field;
mod guarded;
mod harness;
mod identities;
mod interventions;
mod inzage;
mod linking;
mod meetings;
mod paging;
mod picture;
mod referrals;
mod retention;
mod retention_rules;
mod search;
mod signals;
mod triage;
