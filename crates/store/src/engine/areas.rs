//! Areas (wijken, buurten) with their geometry and bases, and the spatial index.

use super::rows::{AreaRow, AreaShapeRow};
use super::*;
use crate::caches::AreaDirectory;

pub(super) fn area_from_row(r: &DbRow) -> Result<Area> {
    AreaRow::from_row(r)?.into_area()
}

impl EngineStore {
    /// The spatial index of the newest areas of each kind, loaded once per area import.
    pub(super) async fn area_index(&self) -> Result<Arc<AreaIndex>> {
        let version = self.areas_version().await?;
        self.areas
            .index
            .or_read((), version, self.read_area_index())
            .await
    }

    async fn read_area_index(&self) -> Result<Arc<AreaIndex>> {
        let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT code, kind, year, geometry FROM area WHERE geometry IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut newest: HashMap<&str, i64> = HashMap::new();
        for (_, kind, year, _) in &rows {
            let e = newest.entry(kind.as_str()).or_insert(*year);
            *e = (*e).max(*year);
        }
        let mut shapes = Vec::new();
        for (code, kind, year, geometry) in &rows {
            if newest.get(kind.as_str()) != Some(year) {
                continue;
            }
            let geometry = baken_geo::geometry_from_text(geometry)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            shapes.push((
                AreaRef {
                    code: code.clone(),
                    kind: parse_enum(AreaKind::parse(kind))?,
                },
                geometry,
            ));
        }
        Ok(Arc::new(AreaIndex::new(shapes)))
    }

    /// Changes with every area import: read from `meta` (placing a signal needs the current
    /// areas).
    async fn areas_version(&self) -> Result<String> {
        self.read_version("areas_version", &self.areas.version)
            .await
    }

    /// Every area by code, read once per area import (and looked for again within the last
    /// second, as the shapes are).
    pub(super) async fn area_directory(&self) -> Result<Arc<AreaDirectory>> {
        let version = self
            .recent_version("areas_version", &self.areas.version)
            .await?;
        let read = async {
            let rows = sqlx::query("SELECT code, year, name, kind, parent_code FROM area")
                .fetch_all(&self.pool)
                .await?;
            let versions = rows.iter().map(area_from_row).collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(AreaDirectory::of(versions)))
        };
        self.areas.directory.or_read((), version, read).await
    }

    /// Marks the stored areas or their bases changed: every process reads them again (within
    /// [`crate::VERSION_RECHECK`]).
    async fn new_areas_version(
        tx: &mut Transaction<'static, Db>,
        now: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('areas_version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(new_id(now).to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The index, loaded only when the signal has coordinates to place.
    pub(super) async fn index_for(&self, signal: &NewSignal) -> Result<Option<Arc<AreaIndex>>> {
        match signal.coordinates {
            Some(_) => Ok(Some(self.area_index().await?)),
            None => Ok(None),
        }
    }
}

#[async_trait]
impl crate::AreaStore for EngineStore {
    async fn upsert_areas(
        &self,
        actor: &Actor,
        areas: &[AreaShape],
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.write_by(actor, now).await?;
        let names_before = Self::newest_area_names(&mut tx).await?;
        for shape in areas {
            let area = &shape.area;
            sqlx::query(
                "INSERT INTO area (code, year, name, kind, parent_code, geometry) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code, year) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                 parent_code = excluded.parent_code, geometry = excluded.geometry",
            )
            .bind(&area.code)
            .bind(i64::from(area.year))
            .bind(&area.name)
            .bind(area.kind.slug())
            .bind(&area.parent)
            .bind(shape.geometry.as_ref().map(baken_geo::geometry_to_text))
            .execute(&mut **tx)
            .await?;
        }
        // The signals in or of an area whose newest name changed (or that has a name now).
        let renamed: Vec<String> = Self::newest_area_names(&mut tx)
            .await?
            .into_iter()
            .filter(|(code, name)| names_before.get(code) != Some(name))
            .map(|(code, _)| code)
            .collect();
        Self::copy_codes(&mut tx, Copied::InOrOfAreas(&renamed)).await?;
        Self::new_areas_version(&mut tx, now).await?;
        let kinds: std::collections::BTreeSet<&str> =
            areas.iter().map(|a| a.area.kind.slug()).collect();
        let event = AuditRecord::success(
            AuditAction::AreaImport,
            ObjectKind::Area,
            None,
            format!(
                "count={} kinds={}",
                areas.len(),
                kinds.into_iter().collect::<Vec<_>>().join(",")
            ),
        );
        tx.finish(event).await?;
        self.areas.version.forget();
        super::after_areas_written(&self.pool).await;
        Ok(())
    }

    async fn areas(&self, kind: AreaKind) -> Result<Vec<Area>> {
        let rows = sqlx::query("SELECT code, year, name, kind, parent_code FROM area WHERE kind = $1 ORDER BY code, year")
            .bind(kind.slug())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(area_from_row).collect()
    }

    async fn child_areas(&self, code: &str) -> Result<Vec<Area>> {
        Ok(self.area_directory().await?.children(code))
    }

    async fn area(&self, code: &str) -> Result<Option<Area>> {
        Ok(self.area_directory().await?.area(code))
    }

    async fn area_shapes(&self, kind: AreaKind) -> Result<crate::AreaShapes> {
        // What maps and pictures draw: the version found within the last second.
        let version = self
            .recent_version("areas_version", &self.areas.version)
            .await?;
        let read = async {
            let rows: Vec<AreaShapeRow> = sqlx::query_as(
                "SELECT code, year, name, kind, parent_code, geometry FROM area a WHERE kind = $1 \
                 AND year = (SELECT MAX(b.year) FROM area b WHERE b.code = a.code) ORDER BY code",
            )
            .bind(kind.slug())
            .fetch_all(&self.pool)
            .await?;
            let shapes: crate::AreaShapes = rows
                .into_iter()
                .map(|r| {
                    let geometry = r
                        .geometry
                        .map(|t| baken_geo::geometry_from_text(&t))
                        .transpose()
                        .map_err(|e| StoreError::Corrupt(format!("area geometry: {e}")))?;
                    Ok((r.area.into_area()?, geometry))
                })
                .collect::<Result<Vec<_>>>()?
                .into();
            Ok(shapes)
        };
        self.areas.shapes.or_read(kind, version, read).await
    }

    async fn upsert_area_bases(
        &self,
        actor: &Actor,
        bases: &[AreaBase],
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.write_by(actor, now).await?;
        for base in bases {
            sqlx::query(
                "INSERT INTO area_base (area_code, kind, year, value, source) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (area_code, kind, year) DO UPDATE SET value = excluded.value, source = excluded.source",
            )
            .bind(&base.area_code)
            .bind(base.kind.slug())
            .bind(i64::from(base.year))
            .bind(i64::try_from(base.value).unwrap_or(i64::MAX))
            .bind(&base.source)
            .execute(&mut **tx)
            .await?;
        }
        Self::new_areas_version(&mut tx, now).await?;
        let kinds: std::collections::BTreeSet<&str> = bases.iter().map(|b| b.kind.slug()).collect();
        let event = AuditRecord::success(
            AuditAction::AreaBaseImport,
            ObjectKind::AreaBase,
            None,
            format!(
                "count={} kinds={}",
                bases.len(),
                kinds.into_iter().collect::<Vec<_>>().join(",")
            ),
        );
        tx.finish(event).await?;
        self.areas.version.forget();
        Ok(())
    }

    async fn area_bases(&self, kind: BaseKind) -> Result<Vec<AreaBase>> {
        // Every map and picture asks: the version found within the last second.
        let version = self
            .recent_version("areas_version", &self.areas.version)
            .await?;
        let read = async {
            let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
                "SELECT area_code, year, value, source FROM area_base b WHERE kind = $1 \
                 AND year = (SELECT MAX(c.year) FROM area_base c WHERE c.area_code = b.area_code AND c.kind = b.kind) \
                 ORDER BY area_code",
            )
            .bind(kind.slug())
            .fetch_all(&self.pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(area_code, year, value, source)| AreaBase {
                    area_code,
                    kind,
                    year: i32::try_from(year).unwrap_or_default(),
                    value: u64::try_from(value).unwrap_or(0),
                    source,
                })
                .collect())
        };
        self.areas.bases.or_read(kind, version, read).await
    }
}
