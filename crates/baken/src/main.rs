//! `baken`: the command line. All behaviour lives in the library crates; this file only
//! parses arguments and reports failures.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = baken::cli::Cli::parse();
    match baken::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fout: {e:#}");
            ExitCode::from(2)
        }
    }
}
