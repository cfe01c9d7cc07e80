//! Writing and reading the processing log (`baken_core::processing`, migration 0042): one line
//! per data subject (a person's mention) per processing operation, in the transaction of the
//! processing itself, so there is no processing without its lines.

use super::*;
use baken_core::processing::{data_subject_id, ProcessingActivity, DATA_SUBJECT_ID_TYPE};
use rand::RngCore;

fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Writes the lines of one processing operation on `mentions` (persons' mention ids) by `org`.
pub(super) async fn log_processing(
    tx: &mut Transaction<'static, Db>,
    key: Option<&AuditKey>,
    activity: ProcessingActivity,
    org: &str,
    mentions: &[String],
    now: OffsetDateTime,
) -> Result<()> {
    if mentions.is_empty() {
        return Ok(());
    }
    let Some(key) = key else {
        return Err(StoreError::Corrupt(
            "personal data cannot be processed without the installation's key (processing log)"
                .into(),
        ));
    };
    // A UUIDv7 (16 bytes): time-ordered, so lines of the same moment keep their order.
    let trace = new_id(now).simple().to_string();
    let at = ts(now);
    let ids: Vec<String> = mentions
        .iter()
        .map(|m| parse_uuid(m).map(|id| data_subject_id(key, id)))
        .collect::<Result<_>>()?;
    for chunk in ids.chunks(500) {
        insert_rows(
            tx,
            "INSERT INTO processing_log (operation_id, trace_id, name, start_time, end_time, \
             status_code, processing_activity, data_subject_id, data_subject_id_type, \
             organisation) ",
            chunk,
            10,
            |b, subject| {
                b.push_bind(random_hex::<8>())
                    .push_bind(trace.clone())
                    .push_bind(activity.slug())
                    .push_bind(at.clone())
                    .push_bind(at.clone())
                    .push_bind(1_i64)
                    .push_bind(activity.slug())
                    .push_bind(subject.clone())
                    .push_bind(DATA_SUBJECT_ID_TYPE)
                    .push_bind(org.to_string());
            },
        )
        .await?;
    }
    Ok(())
}

/// The person mentions among `subjects` (ids of subjects of any kind).
pub(super) async fn persons_among(
    tx: &mut Transaction<'static, Db>,
    subjects: &[String],
) -> Result<Vec<String>> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Db>::new("SELECT id FROM subject WHERE kind = ");
    qb.push_bind(SubjectKind::Person.slug())
        .push(" AND id IN (");
    let mut list = qb.separated(", ");
    for s in subjects {
        list.push_bind(s.clone());
    }
    qb.push(")");
    Ok(qb.build_query_scalar().fetch_all(&mut **tx).await?)
}

/// The lines about these mentions, oldest first.
pub(super) async fn lines_of(
    tx: &mut Transaction<'static, Db>,
    key: Option<&AuditKey>,
    mentions: &[Uuid],
) -> Result<Vec<crate::ProcessingLine>> {
    let Some(key) = key else {
        return Ok(Vec::new());
    };
    if mentions.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT processing_activity, start_time, organisation, trace_id FROM processing_log \
         WHERE data_subject_id IN (",
    );
    let mut list = qb.separated(", ");
    for m in mentions {
        list.push_bind(data_subject_id(key, *m));
    }
    qb.push(") ORDER BY start_time, trace_id, operation_id");
    let rows: Vec<(String, String, String, String)> =
        qb.build_query_as().fetch_all(&mut **tx).await?;
    rows.into_iter()
        .map(|(activity, at, org, trace)| {
            Ok(crate::ProcessingLine {
                activity: ProcessingActivity::parse(&activity)
                    .ok_or_else(|| StoreError::Corrupt(format!("activity {activity}")))?,
                at: parse_ts(&at)?,
                organisation: parse_uuid(&org)?,
                trace_id: trace,
            })
        })
        .collect()
}
