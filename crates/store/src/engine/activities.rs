//! Activities: recorded by the organisation's analysts, seen by its members (issue 15, pt 8).

use super::*;
use baken_core::activity::{school_year, Activity, ActivityKind, NewActivity};

#[derive(sqlx::FromRow)]
pub(super) struct ActivityRow {
    id: String,
    kind: String,
    title: String,
    held_on: String,
    audience: String,
    theme: String,
    organisation: String,
    reached: i64,
    sessions: i64,
    notes: String,
    recorded_by: String,
    recorded_at: String,
}

impl ActivityRow {
    pub(super) fn into_activity(self) -> Result<Activity> {
        let held_on = parse_date(&self.held_on)?;
        Ok(Activity {
            id: parse_uuid(&self.id)?,
            kind: parse_enum(ActivityKind::parse(&self.kind))?,
            title: self.title,
            held_on,
            school_year: school_year(held_on),
            audience: self.audience,
            theme: self.theme,
            organisation: self.organisation,
            reached: u32::try_from(self.reached).unwrap_or_default(),
            sessions: u32::try_from(self.sessions).unwrap_or_default(),
            notes: self.notes,
            recorded_by: self.recorded_by,
            recorded_at: parse_ts(&self.recorded_at)?,
        })
    }
}

#[async_trait]
impl crate::ActivityStore for EngineStore {
    async fn record_activity(
        &self,
        caller: &Caller,
        activity: NewActivity,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = new_id(now);
        let attempt = AuditRecord::success(
            AuditAction::ActivityCreate,
            ObjectKind::Activity,
            Some(id.to_string()),
            format!(
                "kind={} theme={} reached={}",
                activity.kind.slug(),
                activity.theme,
                activity.reached
            ),
        );
        let mut tx = self.write(caller, now).await?;
        if !caller.may_record_activity() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::RecordActivity), attempt)
                .await);
        }
        let unknown = Self::unknown_themes(&mut tx, std::slice::from_ref(&activity.theme)).await?;
        if !unknown.is_empty() {
            return Err(tx.refuse(StoreError::Rejected(unknown), attempt).await);
        }
        sqlx::query(
            "INSERT INTO activity (id, org_id, kind, title, held_on, audience, theme, reached, \
             sessions, notes, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id.to_string())
        .bind(caller.org().to_string())
        .bind(activity.kind.slug())
        .bind(&activity.title)
        .bind(date(activity.held_on))
        .bind(&activity.audience)
        .bind(&activity.theme)
        .bind(i64::from(activity.reached))
        .bind(i64::from(activity.sessions))
        .bind(&activity.notes)
        .bind(caller.user().to_string())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        tx.finish(attempt).await?;
        Ok(id)
    }

    async fn activities(
        &self,
        caller: &Caller,
        page: PageRequest,
        now: OffsetDateTime,
    ) -> Result<Page<Activity>> {
        let mut tx = self.read(caller, now).await?;
        let event = AuditRecord::success(
            AuditAction::ActivityList,
            ObjectKind::Activity,
            None,
            String::new(),
        );
        if !caller.may_see_activities() {
            return Err(tx
                .refuse(StoreError::Forbidden(Denied::SeeActivities), event)
                .await);
        }
        let org = caller.org().to_string();
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT a.id, a.kind, a.title, a.held_on, a.audience, a.theme, o.name AS organisation, \
             a.reached, a.sessions, a.notes, u.display_name AS recorded_by, a.recorded_at \
             FROM activity a JOIN organisation o ON o.id = a.org_id \
             JOIN app_user u ON u.id = a.recorded_by WHERE a.org_id = ",
        );
        qb.push_bind(org.clone());
        push_page(&mut qb, ("a.held_on", "a.id"), KeyTime::Day, page);
        let rows: Vec<ActivityRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
        let rows = rows
            .into_iter()
            .map(ActivityRow::into_activity)
            .collect::<Result<Vec<_>>>()?;
        let mut selected = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM (SELECT 1 FROM activity a WHERE a.org_id = ",
        );
        selected.push_bind(org);
        let total = page_total(&mut tx, (page, rows.len()), selected).await?;
        let list = Page::from_rows(rows, page, total, |a| Cursor::on_day(a.held_on, a.id));
        let event = AuditRecord {
            detail: page_detail(&list, page),
            ..event
        };
        tx.finish(event).await?;
        Ok(list)
    }
}
