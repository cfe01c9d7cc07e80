//! End-to-end tests: the real application on port 0 with a fresh database on each engine,
//! driven over HTTP, and the real `baken` binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_review;
mod admin;
mod api;
mod barriers;
mod browser;
mod cases;
mod cli;
mod corrections;
mod demo;
mod dossier;
mod field;
mod fuzz_corpus;
mod harness;
mod interventions;
mod inzage;
mod lists;
mod matrix;
mod meetings;
mod picture;
mod public;
mod referrals;
mod report;
mod report_web;
mod second_factor;
mod sessions;
mod single_sign_on;
mod ui;
