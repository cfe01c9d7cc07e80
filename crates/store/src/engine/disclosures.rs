//! What partners bring to a meeting of the case table: recording a disclosure (checked
//! against the table and, under a convenant, the agreement's parties and dates) and reading
//! them per organisation — the own file everything; an organisation what it brought in, what
//! was meant for it, and the notice of information that could not be shared.

use super::*;
use baken_core::access::Purpose;
use baken_core::meeting::{Disclosure, DisclosureBasis, MeetingSummary, MinutesFor, NewDisclosure};

#[derive(sqlx::FromRow)]
struct DisclosureRow {
    id: String,
    case_id: String,
    org_id: String,
    org_name: String,
    basis: String,
    agreement_id: Option<String>,
    agreement_name: Option<String>,
    summary: String,
    recorded_by: String,
    recorded_at: String,
}

impl EngineStore {
    /// The organisations at a meeting's table: the holding one, those taking part and those
    /// of the people taking part.
    pub(super) async fn table_organisations(
        tx: &mut Transaction<'static, Db>,
        meeting: &MeetingSummary,
    ) -> Result<Vec<Uuid>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT mp.org_id FROM meeting_participant mp WHERE mp.meeting_id = $1 AND mp.org_id IS NOT NULL \
             UNION SELECT u.org_id FROM meeting_participant mp JOIN app_user u ON u.id = mp.user_id \
             WHERE mp.meeting_id = $1",
        )
        .bind(meeting.id.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let mut orgs = rows
            .iter()
            .map(|r| parse_uuid(r))
            .collect::<Result<Vec<_>>>()?;
        orgs.push(meeting.owner_org);
        orgs.sort();
        orgs.dedup();
        Ok(orgs)
    }

    /// The disclosures at a meeting per case, with the text only where `version` may read
    /// it: the own file everything; an organisation what it brought in, what was meant for
    /// it, and the notice of information that could not be shared.
    pub(super) async fn disclosures(
        tx: &mut Transaction<'static, Db>,
        meeting: Uuid,
        version: MinutesFor,
    ) -> Result<HashMap<Uuid, Vec<Disclosure>>> {
        let mid = meeting.to_string();
        let rows: Vec<DisclosureRow> = sqlx::query_as(
            "SELECT d.id, d.case_id, d.org_id, o.name AS org_name, d.basis, d.agreement_id, \
             a.name AS agreement_name, d.summary, u.display_name AS recorded_by, d.recorded_at \
             FROM disclosure d JOIN organisation o ON o.id = d.org_id \
             LEFT JOIN sharing_agreement a ON a.id = d.agreement_id \
             JOIN app_user u ON u.id = d.recorded_by \
             WHERE d.meeting_id = $1 ORDER BY d.recorded_at, d.id",
        )
        .bind(&mid)
        .fetch_all(&mut **tx)
        .await?;
        let recipients: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT r.disclosure_id, r.org_id, o.name FROM disclosure_recipient r \
             JOIN disclosure d ON d.id = r.disclosure_id JOIN organisation o ON o.id = r.org_id \
             WHERE d.meeting_id = $1 ORDER BY o.name",
        )
        .bind(&mid)
        .fetch_all(&mut **tx)
        .await?;
        let mut out: HashMap<Uuid, Vec<Disclosure>> = HashMap::new();
        for row in rows {
            let basis = parse_enum(DisclosureBasis::parse(&row.basis))?;
            let to: Vec<&(String, String, String)> =
                recipients.iter().filter(|r| r.0 == row.id).collect();
            let readable = match version {
                MinutesFor::OwnFile => true,
                MinutesFor::Organisation(org) => {
                    let org = org.to_string();
                    basis == DisclosureBasis::NotShareable
                        || row.org_id == org
                        || to.iter().any(|r| r.1 == org)
                }
            };
            out.entry(parse_uuid(&row.case_id)?)
                .or_default()
                .push(Disclosure {
                    id: parse_uuid(&row.id)?,
                    organisation: parse_uuid(&row.org_id)?,
                    organisation_name: row.org_name,
                    basis,
                    agreement: row.agreement_id.as_deref().map(parse_uuid).transpose()?,
                    agreement_name: row.agreement_name,
                    summary: readable.then_some(row.summary),
                    recipients: to.iter().map(|r| r.2.clone()).collect(),
                    recorded_by: row.recorded_by,
                    recorded_at: parse_ts(&row.recorded_at)?,
                });
        }
        Ok(out)
    }

    /// Checks a disclosure against the meeting's table and its agreement.
    async fn disclosure_refusal(
        tx: &mut Transaction<'static, Db>,
        meeting: &MeetingSummary,
        disclosure: &NewDisclosure,
    ) -> Result<Option<Rejection>> {
        let table = Self::table_organisations(tx, meeting).await?;
        if !table.contains(&disclosure.organisation) {
            return Ok(Some(Rejection::NotAtTheTable));
        }
        if disclosure.recipients.iter().any(|r| !table.contains(r)) {
            return Ok(Some(Rejection::RecipientNotAtTheTable));
        }
        let Some(agreement) = disclosure.ground.agreement() else {
            return Ok(None);
        };
        let day = date(meeting.held_on);
        let parties: Vec<String> = sqlx::query_scalar(
            "SELECT p.org_id FROM sharing_agreement_effective a JOIN agreement_party p ON p.agreement_id = a.id \
             WHERE a.id = $1 AND a.valid_from <= $2 AND (a.valid_until IS NULL OR a.valid_until >= $2)",
        )
        .bind(agreement.to_string())
        .bind(day)
        .fetch_all(&mut **tx)
        .await?;
        let covered = std::iter::once(&disclosure.organisation)
            .chain(&disclosure.recipients)
            .all(|org| parties.contains(&org.to_string()));
        Ok((!covered).then_some(Rejection::AgreementNotCovering))
    }
    pub(super) async fn disclose(
        &self,
        caller: &Caller,
        (meeting, case): (Uuid, Uuid),
        disclosure: NewDisclosure,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let caller = &caller.clone().with_purpose(Purpose::case(case));
        let id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::MeetingDisclosure,
            ObjectKind::Meeting,
            Some(meeting.to_string()),
            format!(
                "case={case} disclosure={id} from={} basis={} agreement={} recipients={}",
                disclosure.organisation,
                disclosure.ground.basis().slug(),
                disclosure
                    .ground
                    .agreement()
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                disclosure
                    .recipients
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        );
        let tx = self.write(caller, now).await?;
        let (mut tx, found) = Self::meeting_to_run(tx, caller, meeting, attempt.clone()).await?;
        if !Self::on_agenda(&mut tx, caller, (meeting, case)).await? {
            return Err(tx
                .refuse(StoreError::rejected(Rejection::NotOnTheAgenda), attempt)
                .await);
        }
        if let Some(rejection) = Self::disclosure_refusal(&mut tx, &found, &disclosure).await? {
            return Err(tx.refuse(StoreError::rejected(rejection), attempt).await);
        }
        let did = id.to_string();
        sqlx::query(
            "INSERT INTO disclosure (id, meeting_id, case_id, org_id, basis, agreement_id, summary, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&did)
        .bind(meeting.to_string())
        .bind(case.to_string())
        .bind(disclosure.organisation.to_string())
        .bind(disclosure.ground.basis().slug())
        .bind(disclosure.ground.agreement().map(|a| a.to_string()))
        .bind(&disclosure.summary)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO disclosure_recipient (disclosure_id, org_id) ",
            &disclosure.recipients,
            2,
            |b, org| {
                b.push_bind(did.clone()).push_bind(org.to_string());
            },
        )
        .await?;
        tx.finish(attempt).await?;
        Ok(id)
    }
}
