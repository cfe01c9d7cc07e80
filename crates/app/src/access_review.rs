//! The yearly access review as the beheerder reads it (issue 18, pt 3): per organisation who
//! has which roles, when each account was last used, and what needs attention
//! (`baken_core::access_review`), for the page and its CSV alike.

use crate::labels::Label;
use baken_core::access::Role;
use baken_core::access_review::{AccountFacts, Finding, SignInRoute};
use baken_core::calendar::local_date;
use baken_core::model::Organisation;
use baken_core::sign_in::SignInPolicy;
use baken_store::ReviewedAccount;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The review of one or all organisations on one day.
#[derive(Debug, Clone)]
pub struct AccessReview {
    pub today: Date,
    /// The first day of the period looked back on.
    pub since: Date,
    pub organisations: Vec<OrganisationReview>,
}

#[derive(Debug, Clone)]
pub struct OrganisationReview {
    pub id: Uuid,
    pub name: String,
    /// Active accounts per role (roles nobody has are left out).
    pub per_role: Vec<(&'static str, usize)>,
    /// How many accounts have each finding (findings nobody has are left out).
    pub findings: Vec<(&'static str, usize)>,
    pub accounts: Vec<ReviewLine>,
}

/// One account's line.
#[derive(Debug, Clone)]
pub struct ReviewLine {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub active: bool,
    pub created_on: Date,
    pub last_login_on: Option<Date>,
    pub last_token_use_on: Option<Date>,
    pub second_factor_since: Option<Date>,
    pub live_tokens: u64,
    pub role_changes: u64,
    pub sign_in: SignInRoute,
    pub findings: Vec<Finding>,
}

impl ReviewLine {
    /// Whether anyone signs in with the account (for "never" against "used by Baken").
    pub fn signs_in(&self) -> bool {
        self.sign_in != SignInRoute::Nobody
    }

    /// Whether the identity provider signs the account in (and asks its second factor).
    pub fn via_provider(&self) -> bool {
        self.sign_in == SignInRoute::IdentityProvider
    }

    pub fn finding_labels(&self) -> String {
        self.findings
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Builds the review of `accounts` (of `only` one organisation, or all) on the Dutch day of
/// `now`; accounts needing attention come first within each organisation.
pub fn review(
    accounts: &[ReviewedAccount],
    organisations: &[Organisation],
    only: Option<Uuid>,
    policy: &SignInPolicy,
    since: OffsetDateTime,
    now: OffsetDateTime,
) -> AccessReview {
    let today = local_date(now);
    let mut out = Vec::new();
    for org in organisations
        .iter()
        .filter(|o| only.is_none_or(|id| id == o.id))
    {
        let mut lines: Vec<ReviewLine> = accounts
            .iter()
            .filter(|a| a.account.user.org == org.id)
            .map(|a| line(a, today, policy))
            .collect();
        lines.sort_by(|a, b| {
            (a.findings.is_empty(), !a.active, &a.name).cmp(&(
                b.findings.is_empty(),
                !b.active,
                &b.name,
            ))
        });
        let per_role = Role::ALL
            .into_iter()
            .map(|r| {
                let n = accounts
                    .iter()
                    .filter(|a| {
                        a.account.user.org == org.id
                            && a.account.user.active
                            && a.account.user.roles.has(r)
                    })
                    .count();
                (r.label(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let findings = [
            Finding::Unused,
            Finding::NeverUsed,
            Finding::NoSecondFactor,
            Finding::Deactivated,
        ]
        .into_iter()
        .map(|f| {
            (
                f.label(),
                lines.iter().filter(|l| l.findings.contains(&f)).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
        out.push(OrganisationReview {
            id: org.id,
            name: org.name.clone(),
            per_role,
            findings,
            accounts: lines,
        });
    }
    AccessReview {
        today,
        since: local_date(since),
        organisations: out,
    }
}

fn line(a: &ReviewedAccount, today: Date, policy: &SignInPolicy) -> ReviewLine {
    let user = &a.account.user;
    let facts = AccountFacts {
        roles: user.roles.clone(),
        active: user.active,
        created_on: local_date(a.account.created_at),
        last_login_on: a.account.last_login.map(local_date),
        last_token_use_on: a.last_token_use.map(local_date),
        second_factor: a.second_factor_since.is_some(),
        sign_in: a.sign_in,
    };
    ReviewLine {
        id: user.id,
        name: user.display_name.clone(),
        email: user.email.clone(),
        roles: user
            .roles
            .iter()
            .map(Label::label)
            .collect::<Vec<_>>()
            .join(", "),
        active: user.active,
        created_on: facts.created_on,
        last_login_on: facts.last_login_on,
        last_token_use_on: facts.last_token_use_on,
        second_factor_since: a.second_factor_since.map(local_date),
        live_tokens: a.live_tokens,
        role_changes: a.role_changes,
        sign_in: a.sign_in,
        findings: facts.findings(today, policy),
    }
}

/// The header row of the CSV.
pub const HEADER: [&str; 12] = [
    "organisatie",
    "naam",
    "e-mailadres",
    "rollen",
    "actief",
    "account sinds",
    "laatst aangemeld",
    "token laatst gebruikt",
    "tweede factor sinds",
    "actieve tokens",
    "rolwijzigingen in periode",
    "bevindingen",
];

/// The review as CSV (`;`-separated, days as dd-mm-jjjj, empty where there is none); every
/// cell that came from outside is made safe for spreadsheets.
pub fn csv(review: &AccessReview) -> Result<Vec<u8>, csv::Error> {
    let safe = |s: &str| baken_core::text::spreadsheet_safe(s).into_owned();
    let day = |d: Option<Date>| d.map(crate::wording::day).unwrap_or_default();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for org in &review.organisations {
        for l in &org.accounts {
            w.write_record([
                safe(&org.name),
                safe(&l.name),
                safe(&l.email),
                l.roles.clone(),
                if l.active { "ja" } else { "nee" }.to_string(),
                day(Some(l.created_on)),
                day(l.last_login_on),
                day(l.last_token_use_on),
                match (l.second_factor_since, l.sign_in) {
                    (None, SignInRoute::IdentityProvider) => "bij identiteitsprovider".to_string(),
                    (since, _) => day(since),
                },
                l.live_tokens.to_string(),
                l.role_changes.to_string(),
                l.finding_labels(),
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
