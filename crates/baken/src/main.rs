//! `baken`: the command line. All behaviour lives in the library crates; this file only
//! parses arguments and reports failures.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than the C library's allocator: a request allocates and frees many small
/// strings on whichever worker thread runs it (measured in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
