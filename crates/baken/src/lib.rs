//! Wiring for the `baken` binary: command-line parsing, configuration and start-up.

pub mod cli;
pub mod config;
mod link_file;
mod run;

pub use run::run;
