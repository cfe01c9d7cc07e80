//! Who may see each signal, kept in `signal_audience` (migration 0018) from
//! `baken_core::audience`: rows for new signals on intake, the shared rows of the parties'
//! signals when an agreement is made or ends (`reshare.rs`), everything when the store opens
//! without them. The
//! visibility predicate ([`push_audience`]) is then an index lookup instead of a walk over
//! agreements and themes per row.

use super::reshare::{forget_pending, reshare_in};
use super::rows::AgreementRow;
use super::tally::{month_of, Counted, NewCounts};
use super::*;
use baken_core::audience::{partner_windows, SignalReach, Window};

type Conn = <Db as sqlx::Database>::Connection;

/// The first day of an owner's row: the owner sees its signals on every day.
const OWNER_FROM: &str = "0000-01-01";

/// The meta key whose presence says the audience table is complete.
const BUILT: &str = "audience";

/// One row of `signal_audience`.
pub(super) struct AudienceRow {
    pub(super) signal: String,
    pub(super) org: String,
    pub(super) from: String,
    pub(super) until: Option<String>,
    pub(super) owned: bool,
    pub(super) rank: i64,
    pub(super) state: SignalState,
}

/// What every audience row of a signal carries of the signal: when it was received, its
/// status (migration 0060 on SQLite, 0059 on PostgreSQL) and its triage deadline while it
/// awaits triage (`SignalStatus::triage_deadline`, migration 0053).
#[derive(Debug, Clone)]
pub(super) struct SignalState {
    received_at: String,
    pub(super) status: SignalStatus,
    triage_deadline: Option<String>,
}

impl SignalState {
    fn new(received_at: String, status: SignalStatus, deadline: Option<Date>) -> Self {
        SignalState {
            received_at,
            status,
            triage_deadline: status.triage_deadline(deadline).map(date),
        }
    }

    /// From the stored forms of a signal's status and deadline.
    pub(super) fn stored(
        received_at: String,
        status: &str,
        deadline: Option<&str>,
    ) -> Result<Self> {
        let status = parse_enum(SignalStatus::parse(status))?;
        let deadline = deadline.map(parse_date).transpose()?;
        Ok(Self::new(received_at, status, deadline))
    }
}

/// Keeps the status and the triage deadline in a signal's audience rows when its status
/// changes.
pub(super) async fn restate_status(
    tx: &mut Transaction<'static, Db>,
    id: &str,
    status: SignalStatus,
    deadline: Option<Date>,
) -> Result<()> {
    sqlx::query(
        "UPDATE signal_audience SET status = $1, triage_deadline = $2 WHERE signal_id = $3",
    )
    .bind(status.slug())
    .bind(status.triage_deadline(deadline).map(date))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What intake knows of a new signal for its audience and counts.
pub(super) struct NewAudience<'a> {
    pub(super) id: &'a str,
    pub(super) signal: &'a NewSignal,
    /// The areas it lies in.
    pub(super) areas: &'a [(String, AreaKind)],
}

/// Appends "the caller may see signal `s` (joined to its audience row `va`) today": the
/// caller's organisation's row whose window holds today, and the role's rules on top
/// (Bibob only for Bibob coördinators; toezichthouders only their own registrations; lezers,
/// when counting, their organisation's own non-Bibob signals).
pub(super) fn push_audience(
    qb: &mut QueryBuilder<'_, Db>,
    (caller, purpose): (&Caller, Sight),
    today: Date,
    keys: PlanKeys,
) {
    let Some(scope) = audience_of(caller, purpose) else {
        qb.push("1 = 0");
        return;
    };
    qb.push("va.org_id = ");
    push_plan_key(qb, &caller.org().to_string(), keys);
    qb.push(" AND va.visible_from <= ")
        .push_bind(date(today))
        .push(" AND (va.visible_until IS NULL OR va.visible_until >= ")
        .push_bind(date(today))
        .push(")");
    if scope != Audience::All {
        qb.push(" AND va.classification_rank < ")
            .push_bind(Classification::Bibob.rank());
    }
    match scope {
        Audience::OwnRegistrations => {
            qb.push(" AND va.owned = 1 AND s.created_by = ")
                .push_bind(caller.user().to_string());
        }
        Audience::OwnBelowBibob => {
            qb.push(" AND va.owned = 1");
        }
        Audience::All | Audience::BelowBibob => {}
    }
}

/// Whether a query lists signals or only counts them (lezers count their own organisation's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sight {
    See,
    Count,
}

/// Which of its organisation's audience rows a caller sees or counts: `None` for nothing.
pub(super) fn audience_of(caller: &Caller, purpose: Sight) -> Option<Audience> {
    match purpose {
        Sight::Count if caller.sees_only_aggregates() => Some(Audience::OwnBelowBibob),
        _ => match caller.signal_scope() {
            SignalScope::Nothing => None,
            SignalScope::OwnRegistrations => Some(Audience::OwnRegistrations),
            SignalScope::OrganisationAndShared { bibob: true } => Some(Audience::All),
            SignalScope::OrganisationAndShared { bibob: false } => Some(Audience::BelowBibob),
        },
    }
}

/// The part of its organisation's audience a caller reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Audience {
    /// Everything the organisation may see (Bibob coördinators).
    All,
    /// Everything below Bibob.
    BelowBibob,
    /// What the caller registered for the organisation, below Bibob (toezichthouders).
    OwnRegistrations,
    /// The organisation's own signals below Bibob (lezers, counting).
    OwnBelowBibob,
}

/// Every sharing agreement with its parties and themes (a handful of rows).
pub(super) async fn load_agreements(conn: &mut Conn) -> Result<Vec<SharingAgreement>> {
    let rows: Vec<AgreementRow> = sqlx::query_as(
        "SELECT e.id, e.name, e.legal_basis, e.purposes, e.max_classification, e.valid_from, \
         e.valid_until, a.referral_contact FROM sharing_agreement_effective e \
         JOIN sharing_agreement a ON a.id = e.id ORDER BY e.name, e.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let parties: Vec<(String, String)> = sqlx::query_as(
        "SELECT agreement_id, org_id FROM agreement_party ORDER BY agreement_id, org_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let themes: Vec<(String, String)> = sqlx::query_as(
        "SELECT agreement_id, theme FROM agreement_theme ORDER BY agreement_id, theme",
    )
    .fetch_all(&mut *conn)
    .await?;
    let of = |pairs: &[(String, String)], id: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(a, _)| a == id)
            .map(|(_, v)| v.clone())
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let (p, t) = (of(&parties, row.id()), of(&themes, row.id()));
            row.into_agreement(p, t)
        })
        .collect()
}

pub(super) fn partner_rows(
    id: &str,
    reach: &SignalReach<'_>,
    state: &SignalState,
    agreements: &[SharingAgreement],
    out: &mut Vec<AudienceRow>,
) {
    for (org, windows) in partner_windows(reach, agreements) {
        for Window { from, until } in windows {
            out.push(AudienceRow {
                signal: id.to_string(),
                org: org.to_string(),
                from: date(from),
                until: until.map(date),
                owned: false,
                rank: reach.classification.rank(),
                state: state.clone(),
            });
        }
    }
}

/// The columns an audience row is written with, the engine's copy of its signal's search
/// document ([`AUDIENCE_DOC`]) last.
fn audience_columns() -> String {
    format!(
        "signal_id, org_id, visible_from, visible_until, owned, classification_rank, \
         received_at, status, triage_deadline{}",
        AUDIENCE_DOC.map_or(String::new(), |(column, _)| format!(", {column}"))
    )
}

pub(super) async fn insert_audience(
    tx: &mut Transaction<'static, Db>,
    rows: &[AudienceRow],
) -> Result<()> {
    let head = format!("INSERT INTO signal_audience ({}) ", audience_columns());
    insert_rows(
        tx,
        &head,
        rows,
        9 + usize::from(AUDIENCE_DOC.is_some()),
        |b, r| {
            b.push_bind(r.signal.clone())
                .push_bind(r.org.clone())
                .push_bind(r.from.clone())
                .push_bind(r.until.clone())
                .push_bind(i64::from(r.owned))
                .push_bind(r.rank)
                .push_bind(r.state.received_at.clone())
                .push_bind(r.state.status.slug())
                .push_bind(r.state.triage_deadline.clone());
            if let Some((_, read)) = AUDIENCE_DOC {
                b.push("(")
                    .push_unseparated(read)
                    .push_bind_unseparated(r.signal.clone())
                    .push_unseparated(")");
            }
        },
    )
    .await
}

impl EngineStore {
    /// The audience of new signals of `owner` and their counts (`tally.rs`), inside their
    /// intake transaction: computed here, not read back, so that a long import does not
    /// query the tables it is filling.
    pub(super) async fn add_audience(
        tx: &mut Transaction<'static, Db>,
        owner: Uuid,
        signals: &[NewAudience<'_>],
        counts: &mut NewCounts,
    ) -> Result<()> {
        let agreements = load_agreements(tx).await?;
        let mut rows = Vec::with_capacity(signals.len());
        for new in signals {
            let state = SignalState::new(
                ts(new.signal.received_at),
                SignalStatus::Nieuw,
                Some(new.signal.deadline),
            );
            let reach = SignalReach {
                owner,
                classification: new.signal.classification,
                sharing: new.signal.sharing,
                themes: &new.signal.themes,
            };
            rows.push(AudienceRow {
                signal: new.id.to_string(),
                org: owner.to_string(),
                from: OWNER_FROM.to_string(),
                until: None,
                owned: true,
                rank: new.signal.classification.rank(),
                state: state.clone(),
            });
            partner_rows(new.id, &reach, &state, &agreements, &mut rows);
        }
        insert_audience(tx, &rows).await?;
        let mut by_signal = signals.iter().peekable();
        for row in &rows {
            while by_signal.peek().is_some_and(|s| s.id != row.signal) {
                by_signal.next();
            }
            let Some(new) = by_signal.peek() else { break };
            counts.add(
                &Counted {
                    org: &row.org,
                    from: &row.from,
                    until: row.until.as_deref(),
                    owned: row.owned,
                    bibob: row.rank >= Classification::Bibob.rank(),
                    owner: &owner.to_string(),
                    status: SignalStatus::Nieuw,
                    month: &month_of(new.signal.received_at),
                },
                &new.signal.themes,
                new.areas,
            );
        }
        Ok(())
    }

    /// Recomputes the audience of one signal from its stored state (after a correction of its
    /// classification, sharing or themes): its owner's row and the rows the agreements give
    /// their partners. The caller takes its counts away before and adds them after.
    pub(super) async fn reaudience(tx: &mut Transaction<'static, Db>, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM signal_audience WHERE signal_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        type Stored = (String, String, String, String, String, Option<String>);
        let (owner, classification, sharing, received_at, status, deadline): Stored =
            sqlx::query_as(
                "SELECT owner_org, classification, sharing, received_at, status, deadline \
                 FROM signal WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        let state = SignalState::stored(received_at, &status, deadline.as_deref())?;
        let themes: Vec<String> = sqlx::query_scalar(
            "SELECT theme FROM signal_theme WHERE signal_id = $1 ORDER BY theme",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        let agreements = load_agreements(tx).await?;
        let classification = parse_enum(Classification::parse(&classification))?;
        let reach = SignalReach {
            owner: parse_uuid(&owner)?,
            classification,
            sharing: parse_enum(Sharing::parse(&sharing))?,
            themes: &themes,
        };
        let mut rows = vec![AudienceRow {
            signal: id.to_string(),
            org: owner,
            from: OWNER_FROM.to_string(),
            until: None,
            owned: true,
            rank: classification.rank(),
            state: state.clone(),
        }];
        partner_rows(id, &reach, &state, &agreements, &mut rows);
        insert_audience(tx, &rows).await
    }
}

/// Makes the audience of every stored signal when the table is not complete (a database
/// from before migration 0018); otherwise does nothing.
pub(crate) async fn ensure_audience(pool: &sqlx::Pool<Db>) -> Result<()> {
    let Some(mut tx) = begin_once(pool, BUILT).await? else {
        return Ok(());
    };
    sqlx::query("DELETE FROM signal_audience")
        .execute(&mut *tx)
        .await?;
    let mut owned = QueryBuilder::<Db>::new(format!(
        "INSERT INTO signal_audience ({}) SELECT id, owner_org, ",
        audience_columns()
    ));
    owned
        .push_bind(OWNER_FROM)
        .push(", NULL, 1, classification_rank, received_at, status, CASE WHEN ");
    push_status_in(&mut owned, "s.status", SignalStatus::awaits_triage);
    owned.push(" THEN deadline END");
    if let Some((_, read)) = AUDIENCE_DOC {
        owned.push(format_args!(", ({read}s.id)"));
    }
    owned.push(" FROM signal s");
    owned.build().execute(&mut *tx).await?;
    let owners: Vec<String> = sqlx::query_scalar("SELECT id FROM organisation ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    let owners = owners
        .iter()
        .map(|o| parse_uuid(o))
        .collect::<Result<Vec<_>>>()?;
    reshare_in(&mut tx, &owners).await?;
    forget_pending(&mut tx).await?;
    // The tally counts audience rows: it is made again after them.
    sqlx::query("DELETE FROM meta WHERE key = 'tally'")
        .execute(&mut *tx)
        .await?;
    finish_once(tx, BUILT).await
}
