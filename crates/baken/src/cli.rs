//! The command-line interface.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "baken",
    version,
    about = "Baken: informatieplatform voor de gemeentelijke aanpak van ondermijning"
)]
pub struct Cli {
    /// Optional TOML configuration file.
    #[arg(long, global = true, env = "BAKEN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct StoreArgs {
    /// Directory for the embedded database and other data.
    #[arg(long, env = "BAKEN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://… to use PostgreSQL instead of the embedded SQLite database.
    #[arg(long, env = "BAKEN_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web interface and API.
    Serve {
        #[arg(long, env = "BAKEN_BIND")]
        bind: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Run with a freshly generated demo data set on the embedded database.
    Demo {
        #[arg(long, env = "BAKEN_BIND")]
        bind: Option<String>,
        /// Directory of the demo database (default: baken-demo).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Generate the data set and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation.
    Add {
        /// Name, e.g. "Politie Noord-Nederland".
        #[arg(long)]
        name: String,
        /// gemeente, politie, waterschap, riec, inspectie, belangenorganisatie or overig.
        #[arg(long, default_value = "gemeente")]
        kind: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        /// Name of the user's organisation.
        #[arg(long)]
        org: String,
        /// Role (repeat for several): analist, bibob-coordinator, casustafel-lid, toezichthouder, partner, lezer, beheerder.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long)]
        email: String,
        /// Display name (default: the part of the e-mail address before @).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token; it is printed once and stored only as a hash.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        label: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exits 0 when intact, 1 naming the first bad event otherwise.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}
