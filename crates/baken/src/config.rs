//! Configuration: command-line flags over `BAKEN_*` environment variables over an optional
//! TOML file over defaults. Unknown keys and unknown `BAKEN_*` variables are errors that name
//! the culprit, so a typo never silently falls back to a default.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Environment variables Baken reads. `BAKEN_TEST_*` belong to the test suite.
pub const KNOWN_ENV: &[&str] = &[
    "BAKEN_DATA_DIR",
    "BAKEN_DATABASE_URL",
    "BAKEN_BIND",
    "BAKEN_CONFIG",
    "BAKEN_LOG",
];

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    /// Name of the organisation the first administrator belongs to.
    pub organisation: Option<String>,
    /// Mark session cookies `Secure` (set when Baken is served over TLS).
    pub secure_cookies: Option<bool>,
    /// Days that consented contact details from the public report form are kept (default 30).
    pub public_contact_days: Option<u32>,
    /// Counts below this are suppressed in aggregates for lezers (default 5, at least 2).
    pub suppression_threshold: Option<u64>,
    /// Retention (`[intake.retention]`) and triage deadlines (`[intake.deadlines]`).
    pub intake: Option<baken_core::signal::IntakePolicy>,
    /// The escalation matrix for art. 13b Opiumwet (`[escalation]`: `look_back_months` and
    /// `[[escalation.rules]]` with `premises`, `drugs`, `offence`, `measure`, `months`).
    pub escalation: Option<baken_core::intervention::escalation::EscalationPolicy>,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client, for
    /// login throttling, the public form's limit and the audit trail's addresses.
    pub trusted_proxies: Option<baken_web::client::TrustedProxies>,
    /// Sign-in rules (`[sign_in]`: `second_factor_roles`, `idle_minutes`, `session_hours`).
    pub sign_in: Option<baken_core::sign_in::SignInPolicy>,
    /// Single sign-on through an OpenID Connect provider (`[oidc]`: `issuer`, `client_id`,
    /// `client_secret_file`, `redirect_url`, `label`, `roles_claim`, `[[oidc.roles]]`, and
    /// `organisation` or `organisation_claim` with `[[oidc.organisations]]`).
    pub oidc: Option<baken_core::single_sign_on::OidcSettings>,
    /// How long records are kept, in years, per kind (`[retention]`: `closed_case_years`,
    /// `bibob_file_years`, `processing_log_years`, `audit_log_years`).
    pub retention: Option<baken_core::retention::RetentionRules>,
}

/// Every `BAKEN_*` variable must be one Baken knows.
pub fn check_environment(vars: impl Iterator<Item = (String, String)>) -> Result<()> {
    for (name, _) in vars {
        if name.starts_with("BAKEN_")
            && !name.starts_with("BAKEN_TEST_")
            && !KNOWN_ENV.contains(&name.as_str())
        {
            bail!(
                "onbekende omgevingsvariabele {name} (bekend: {})",
                KNOWN_ENV.join(", ")
            );
        }
    }
    Ok(())
}

pub fn load_file(path: &Path) -> Result<FileConfig> {
    let text = crate::input::read_text(path, crate::input::SETTINGS_BYTES, "configuratiebestand ")?;
    parse_file(&text).with_context(|| format!("configuratiebestand {}", path.display()))
}

pub fn parse_file(text: &str) -> Result<FileConfig> {
    let file: FileConfig = toml::from_str(text)
        .map_err(|e| anyhow::anyhow!("{}", e.message().to_string() + &location(text, e.span())))?;
    if let Some(escalation) = &file.escalation {
        escalation.check()?;
    }
    if let Some(sign_in) = &file.sign_in {
        sign_in.check()?;
    }
    if let Some(oidc) = &file.oidc {
        oidc.check()?;
    }
    if let Some(retention) = &file.retention {
        retention.check()?;
    }
    Ok(file)
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            // The setting the value belongs to, when the line sets one.
            let line_text = text[..start].rsplit('\n').next().unwrap_or_default();
            match line_text.split_once('=') {
                Some((key, _)) if !key.trim().is_empty() => {
                    format!(" (regel {line}, {})", key.trim())
                }
                _ => format!(" (regel {line})"),
            }
        }
        None => String::new(),
    }
}

/// The settings in force after all sources are combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub organisation: String,
    pub secure_cookies: bool,
    pub public_contact_days: u32,
    pub suppression_threshold: u64,
    pub intake: baken_core::signal::IntakePolicy,
    pub escalation: baken_core::intervention::escalation::EscalationPolicy,
    pub trusted_proxies: baken_web::client::TrustedProxies,
    pub sign_in: baken_core::sign_in::SignInPolicy,
    pub oidc: Option<baken_core::single_sign_on::OidcSettings>,
    pub retention: baken_core::retention::RetentionRules,
}

pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

pub fn settings(file: FileConfig, overrides: Overrides, default_data_dir: &str) -> Settings {
    Settings {
        bind: overrides
            .bind
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into()),
        data_dir: overrides
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(default_data_dir)),
        database_url: overrides
            .database_url
            .or(file.database_url)
            .filter(|u| !u.is_empty()),
        organisation: file
            .organisation
            .unwrap_or_else(|| "Eigen organisatie".into()),
        secure_cookies: file.secure_cookies.unwrap_or(false),
        public_contact_days: file.public_contact_days.unwrap_or(30),
        suppression_threshold: file.suppression_threshold.unwrap_or(5).max(2),
        intake: file.intake.unwrap_or_default(),
        escalation: file.escalation.unwrap_or_default(),
        trusted_proxies: file.trusted_proxies.unwrap_or_default(),
        sign_in: file.sign_in.unwrap_or_default(),
        oidc: file.oidc,
        retention: file.retention.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let err = parse_file("bind = \"0.0.0.0:80\"\ndatabse_url = \"x\"\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("databse_url"), "{text}");
        assert!(text.contains("regel 2"), "{text}");
        assert_eq!(
            parse_file("bind = \"0.0.0.0:80\"").unwrap().bind.as_deref(),
            Some("0.0.0.0:80")
        );
    }

    #[test]
    fn the_escalation_matrix_is_configurable_and_checked() {
        let c = parse_file(
            "[escalation]\nlook_back_months = 24\n[[escalation.rules]]\npremises = \"woning\"\n\
             drugs = \"softdrugs\"\noffence = 1\nmeasure = \"sluiting\"\nmonths = 3\n",
        )
        .unwrap();
        let e = c.escalation.unwrap();
        assert_eq!(e.look_back_months, 24);
        assert_eq!(e.rules.len(), 1);
        let err = parse_file(
            "[[escalation.rules]]\npremises = \"woning\"\ndrugs = \"softdrugs\"\noffence = 1\n\
             measure = \"sluiting\"\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("1 tot 120 maanden"), "{err:#}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let c = parse_file("trusted_proxies = [\"10.0.0.1\", \"10.1.0.0/16\"]\n").unwrap();
        assert!(c.trusted_proxies.is_some());
        let err = parse_file("trusted_proxies = [\"proxy.intern\"]\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.contains("proxy.intern") && text.contains("regel 1"),
            "{text}"
        );
    }

    #[test]
    fn intake_rules_are_configurable_and_checked() {
        let c =
            parse_file("[intake.deadlines]\ndefault_working_days = 7\npublic_holidays = false\n")
                .unwrap();
        let intake = c.intake.unwrap();
        assert_eq!(intake.deadlines.default_working_days, 7);
        assert!(!intake.deadlines.public_holidays);
        assert_eq!(
            intake.retention.bibob_years, 5,
            "unset parts keep their defaults"
        );
        let err = parse_file("[intake.deadlines]\nholidays = false\n").unwrap_err();
        assert!(format!("{err:#}").contains("holidays"));
    }

    #[test]
    fn who_may_record_a_bsn_is_configured_per_organisation_and_role() {
        let c = parse_file(
            "[[intake.bsn.bases]]\n\
             legal_basis = \"Wet Bibob art. 7a\"\n\
             organisation = \"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\"\n\
             roles = [\"bibob-coordinator\"]\n",
        )
        .unwrap();
        let bases = c.intake.unwrap().bsn.bases;
        assert_eq!(bases.len(), 1);
        assert_eq!(bases[0].legal_basis, "Wet Bibob art. 7a");
        assert_eq!(bases[0].roles, vec![baken_core::Role::BibobCoordinator]);
        let err = parse_file(
            "[[intake.bsn.bases]]\nlegal_basis = \"x\"\norganisation = \"geen-id\"\nroles = []\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("organisation"), "{err:#}");
    }

    #[test]
    fn unknown_environment_variables_are_named() {
        let vars = vec![("BAKEN_BINDD".to_string(), "x".to_string())];
        let err = check_environment(vars.into_iter()).unwrap_err();
        assert!(err.to_string().contains("BAKEN_BINDD"));
        let ok = vec![
            ("BAKEN_BIND".to_string(), String::new()),
            ("BAKEN_TEST_POSTGRES_URL".to_string(), String::new()),
            ("PATH".to_string(), String::new()),
        ];
        assert!(check_environment(ok.into_iter()).is_ok());
    }

    #[test]
    fn flags_win_over_file() {
        let file = FileConfig {
            bind: Some("file:1".into()),
            database_url: Some("postgres://file".into()),
            ..Default::default()
        };
        let s = settings(
            file,
            Overrides {
                bind: Some("flag:2".into()),
                data_dir: None,
                database_url: None,
            },
            "baken-data",
        );
        assert_eq!(s.bind, "flag:2");
        assert_eq!(s.database_url.as_deref(), Some("postgres://file"));
        assert_eq!(s.data_dir, PathBuf::from("baken-data"));
    }

    #[test]
    fn the_suppression_threshold_is_configurable_but_never_below_two() {
        let none = |f: FileConfig| {
            settings(
                f,
                Overrides {
                    bind: None,
                    data_dir: None,
                    database_url: None,
                },
                "d",
            )
        };
        assert_eq!(none(FileConfig::default()).suppression_threshold, 5);
        let ten = parse_file("suppression_threshold = 10\n").unwrap();
        assert_eq!(none(ten).suppression_threshold, 10);
        let one = parse_file("suppression_threshold = 1\n").unwrap();
        assert_eq!(none(one).suppression_threshold, 2);
    }
}
