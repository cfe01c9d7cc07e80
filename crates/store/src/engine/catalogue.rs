//! The catalogue of themes and indicators.

use super::*;

#[async_trait]
impl crate::CatalogueStore for EngineStore {
    async fn catalogue(&self) -> Result<Arc<Catalogue>> {
        // Every list and form asks: the version is read at most once a second
        // (`VersionCheck`), the catalogue again only when another version was written.
        let version = self
            .recent_version("catalogue_version", &self.catalogue.version)
            .await?;
        self.catalogue
            .read
            .or_read((), version, async {
                Ok(Arc::new(self.read_catalogue().await?))
            })
            .await
    }

    async fn ensure_catalogue(
        &self,
        actor: &Actor,
        defaults: &Catalogue,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.write_by(actor, now).await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM theme")
            .fetch_one(&mut **tx)
            .await?;
        if existing > 0 {
            tx.abandon().await?;
            return Ok(false);
        }
        for (tp, theme) in defaults.themes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO theme (code, name, position, deadline_days) VALUES ($1, $2, $3, $4)",
            )
            .bind(&theme.code)
            .bind(&theme.name)
            .bind(tp as i64)
            .bind(theme.deadline_working_days.map(i64::from))
            .execute(&mut **tx)
            .await?;
            for (ip, ind) in theme.indicators.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO indicator (code, theme, name, position) VALUES ($1, $2, $3, $4)",
                )
                .bind(&ind.code)
                .bind(&theme.code)
                .bind(&ind.name)
                .bind(ip as i64)
                .execute(&mut **tx)
                .await?;
            }
        }
        Self::new_catalogue_version(&mut tx, now).await?;
        let event = AuditRecord::success(
            AuditAction::CatalogueSeed,
            ObjectKind::Catalogue,
            None,
            format!("themes={}", defaults.themes.len()),
        );
        tx.finish(event).await?;
        self.catalogue.version.forget();
        Ok(true)
    }

    async fn change_catalogue(
        &self,
        caller: &Caller,
        change: baken_core::catalogue::CatalogueChange,
        now: OffsetDateTime,
    ) -> Result<()> {
        use baken_core::catalogue::CatalogueChange;
        if !caller.may_manage_catalogue() {
            return Err(StoreError::Forbidden(Denied::ManageCatalogue));
        }
        let mut tx = self.write(caller, now).await?;
        let (object, detail) = match &change {
            CatalogueChange::Theme {
                code,
                name,
                deadline_working_days,
            } => {
                sqlx::query(
                    "INSERT INTO theme (code, name, position, deadline_days) \
                     VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM theme), $3) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, deadline_days = excluded.deadline_days",
                )
                .bind(code)
                .bind(name)
                .bind(deadline_working_days.map(i64::from))
                .execute(&mut **tx)
                .await?;
                (
                    code.clone(),
                    format!(
                        "theme deadline={}",
                        deadline_working_days
                            .map(|d| d.to_string())
                            .unwrap_or_default()
                    ),
                )
            }
            CatalogueChange::Indicator { theme, code, name } => {
                let known = sqlx::query("SELECT code FROM theme WHERE code = $1")
                    .bind(theme)
                    .fetch_optional(&mut **tx)
                    .await?;
                if known.is_none() {
                    return Err(StoreError::rejected(Rejection::UnknownTheme(theme.clone())));
                }
                let other: Option<String> =
                    sqlx::query_scalar("SELECT theme FROM indicator WHERE code = $1")
                        .bind(code)
                        .fetch_optional(&mut **tx)
                        .await?;
                if let Some(owner) = other {
                    if owner != *theme {
                        return Err(StoreError::rejected(Rejection::CodeOfOtherTheme(owner)));
                    }
                }
                sqlx::query(
                    "INSERT INTO indicator (code, theme, name, position) \
                     VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM indicator WHERE theme = $2)) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                )
                .bind(code)
                .bind(theme)
                .bind(name)
                .execute(&mut **tx)
                .await?;
                (code.clone(), format!("indicator theme={theme}"))
            }
        };
        Self::new_catalogue_version(&mut tx, now).await?;
        let event = AuditRecord::success(
            AuditAction::CatalogueChange,
            ObjectKind::Catalogue,
            Some(object),
            detail,
        );
        tx.finish(event).await?;
        self.catalogue.version.forget();
        Ok(())
    }
}

impl EngineStore {
    async fn read_catalogue(&self) -> Result<Catalogue> {
        // One query for both: themes first, each in its order.
        let rows: Vec<(String, String, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT 't' AS part, code, code AS theme, name, deadline_days, position FROM theme \
             UNION ALL \
             SELECT 'i', code, theme, name, CAST(NULL AS BIGINT), position FROM indicator \
             ORDER BY 1 DESC, 6, 2",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut catalogue = Catalogue::default();
        for (part, code, theme, name, deadline_days) in rows {
            if part == "t" {
                catalogue.themes.push(Theme {
                    code,
                    name,
                    deadline_working_days: deadline_days.and_then(|d| u32::try_from(d).ok()),
                    indicators: Vec::new(),
                });
            } else if let Some(t) = catalogue.themes.iter_mut().find(|t| t.code == theme) {
                t.indicators.push(Indicator { code, name });
            }
        }
        Ok(catalogue)
    }

    /// Tells every process that reads the catalogue (`CatalogueCache`) to read it again.
    async fn new_catalogue_version(tx: &mut Write<'_>, now: OffsetDateTime) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('catalogue_version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(new_id(now).to_string())
        .execute(&mut ***tx)
        .await?;
        Ok(())
    }
}
