//! Wiring for the `baken` binary: command-line parsing, configuration and start-up.

/// Prints a line of a command's output. When the reader has gone (`baken … | head`), the
/// command ends quietly with success, as `println!` would panic instead (Rust ignores
/// SIGPIPE, so a closed pipe is an error on the next write).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod account_cli;
mod app;
mod backup_cli;
mod case_cli;
pub mod cli;
pub mod config;
mod input;
mod link_file;
mod report_cli;
mod retention_cli;
mod run;

pub use app::App;
pub use run::run;
