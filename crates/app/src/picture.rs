//! The picture's use cases: the deviation table of every area of one level (counts from the
//! store, already limited to what the caller may count; bases; statistics from
//! `baken-picture`) and the comparison of one area with the others, theme by theme, with its
//! queen neighbours.

use baken_analysis::weights::Contiguity;
use baken_analysis::Weights;
use baken_core::catalogue::Catalogue;
use baken_core::identifiers::AreaCode;
use baken_core::model::{Area, AreaKind};
use baken_core::picture::{AreaBase, CountGroup, CountQuery, PictureQuery};
use baken_core::signal::SignalFilter;
use baken_core::Caller;
use baken_geo::MultiPolygon;
use baken_picture::hotspot::{hotspots, Hotspots};
use baken_picture::{deviation_table, AreaInput, DeviationClass, DeviationRow, DeviationTable};
use baken_store::{Result, ShownCount, SignalCounts};
use std::collections::HashMap;

use crate::Operations;

/// The false discovery rate the deviation table controls.
pub const ALPHA: f64 = 0.05;

/// The method in one paragraph, for API clients.
pub const METHOD: &str = "Per area: count x of visible signals and base n; reference rate p = sum x / sum n over \
areas with both; expected E = n p; index = 100 (x/n)/p; z = (x - E)/sqrt(E(1 - p)); p-value two-sided exact \
Poisson with mean E; Benjamini-Hochberg at alpha over all areas tested; class above/below only when significant, \
strongly when |z| > 3; smoothed rate by global Empirical Bayes (Marshall 1991).";

/// Counts, bases and the deviation table of every area of one level.
pub struct AreaTable {
    pub shapes: baken_store::AreaShapes,
    pub counts: SignalCounts,
    pub bases: HashMap<String, AreaBase>,
    /// Rows in the order of `shapes`.
    pub table: DeviationTable,
}

/// The seed of the permutations behind clusters and hot spots: the same counts give the same
/// figures, and anyone can reproduce them with it.
pub const HOTSPOT_SEED: u64 = 20_241_212;

/// The method of clusters and hot spots in one paragraph, for API clients.
pub const HOTSPOT_METHOD: &str = "Per area with a rate (signals per 1,000 of the base, smoothed by global Empirical Bayes; areas without a base or with a suppressed count take no part): local Moran's I (row-standardised queen contiguity among the areas taking part) and Getis-Ord Gi* (the area with its neighbours), each with 999 conditional permutations from a fixed seed; Benjamini-Hochberg at alpha over the areas tested, per statistic. Clusters: high-high and low-low; outliers: high-low and low-high; Gi*: hot and cold spots.";

/// The question behind an area table: `filter`'s signals per area of the query's level.
fn area_counts(query: &PictureQuery, filter: SignalFilter) -> CountQuery {
    CountQuery {
        filter,
        group: CountGroup::Area(query.level),
    }
}

impl AreaTable {
    /// The table of the areas in `shapes` from their counts and bases.
    fn of(
        shapes: baken_store::AreaShapes,
        counts: SignalCounts,
        bases: HashMap<String, AreaBase>,
    ) -> Self {
        let inputs: Vec<AreaInput> = shapes
            .iter()
            .map(|(a, _)| AreaInput {
                code: a.code.clone(),
                name: a.name.clone(),
                count: counts.of(&a.code).value,
                base: bases.get(&a.code).map(|b| b.value),
            })
            .collect();
        let table = deviation_table(&inputs, ALPHA);
        AreaTable {
            shapes,
            counts,
            bases,
            table,
        }
    }

    /// Clusters and hot spots of the rates in the table, among neighbouring areas (queen
    /// contiguity of their shapes), with [`HOTSPOT_SEED`]. The rates are the smoothed ones
    /// (global Empirical Bayes, as in the table): a raw rate of a small area swings with one
    /// signal more or less and would drown every pattern in noise (GeoDa's "EB rate" LISA).
    /// Only areas with a rate take part: a suppressed count has none, so lezers get figures
    /// from what they may see only.
    pub fn hotspots(&self) -> Hotspots {
        let rings: Vec<Vec<Vec<(f64, f64)>>> = self
            .shapes
            .iter()
            .map(|(_, shape)| shape.as_ref().map(rings).unwrap_or_default())
            .collect();
        let weights = Weights::contiguity(&rings, Contiguity::Queen);
        let values: Vec<Option<f64>> = self
            .table
            .rows
            .iter()
            .zip(self.shapes.iter())
            .map(|(r, (_, shape))| shape.as_ref().and(r.count).and(r.smoothed_rate))
            .collect();
        hotspots(&values, &weights, ALPHA, HOTSPOT_SEED)
    }
}

/// One theme (or all themes, `theme: None`) on an area page: the area's row in the table of
/// its level.
pub struct ThemeComparison {
    pub theme: Option<String>,
    pub row: DeviationRow,
}

/// An area among the others of its kind.
pub struct AreaComparison {
    /// All themes first, then each theme of the catalogue in its order.
    pub themes: Vec<ThemeComparison>,
    /// The table of the theme the query asks for.
    pub selected: Option<AreaTable>,
    /// The queen neighbours with shapes, and their class in the selected table.
    pub neighbours: Vec<(Area, DeviationClass)>,
    /// True when the area has a shape but no neighbour touches it.
    pub island: bool,
}

/// How many months back an area's picture counts its signals per month.
pub const AREA_MONTHS: i32 = 24;

/// An area's picture, as its page and the API show it.
pub struct AreaPicture {
    /// The area among the others of its kind; `None` for a gemeente.
    pub comparison: Option<AreaComparison>,
    /// Its signals per month.
    pub months: AreaMonths,
    /// Its signals per organisation that registered them.
    pub owners: SignalCounts,
}

/// An area's signals per calendar month, as the area's page and the API show them.
pub struct AreaMonths {
    /// `YYYY-MM` and the month's count as the caller may see it, oldest first.
    pub months: Vec<(String, ShownCount)>,
    /// Whether the counts are the caller's organisation's aggregates (lezers).
    pub aggregated: bool,
}

impl Operations {
    /// The deviation table of every area of `query.level` for what `query.filter` selects.
    pub async fn area_table(&self, caller: &Caller, query: &PictureQuery) -> Result<AreaTable> {
        let shapes = self.store.area_shapes(query.level).await?;
        let counts = self
            .store
            .signal_counts(
                caller,
                &area_counts(query, query.filter.clone()),
                self.suppression,
                self.clock.now(),
            )
            .await?;
        let bases = self.bases(query).await?;
        Ok(AreaTable::of(shapes, counts, bases))
    }

    async fn bases(&self, query: &PictureQuery) -> Result<HashMap<String, AreaBase>> {
        Ok(self
            .store
            .area_bases(query.base)
            .await?
            .into_iter()
            .map(|b| (b.area_code.clone(), b))
            .collect())
    }

    /// An area's picture: `area` among the other areas of its kind per theme (gemeenten are
    /// not compared), its signals (of the query's theme, or all) per Dutch calendar month over
    /// the last [`AREA_MONTHS`] months up to this one, and its signals per organisation that
    /// registered them — counted in one read, recorded as one.
    pub async fn area_picture(
        &self,
        caller: &Caller,
        (area, code): (&Area, &AreaCode),
        query: &PictureQuery,
        catalogue: &Catalogue,
    ) -> Result<AreaPicture> {
        let now = self.clock.now();
        let today = baken_core::calendar::local_date(now);
        let compared = area.kind != AreaKind::Gemeente;
        let themes: Vec<Option<String>> = if compared {
            std::iter::once(None)
                .chain(catalogue.themes.iter().map(|t| Some(t.code.clone())))
                .collect()
        } else {
            Vec::new()
        };
        let mut questions: Vec<CountQuery> = themes
            .iter()
            .map(|theme| {
                let filter = SignalFilter {
                    theme: theme.clone(),
                    ..Default::default()
                };
                area_counts(query, filter)
            })
            .collect();
        let first_month = baken_core::calendar::months_before(today, AREA_MONTHS - 1);
        questions.push(CountQuery {
            filter: SignalFilter {
                theme: query.filter.theme.clone(),
                area: Some(code.clone()),
                received_from: Some(first_month),
                ..Default::default()
            },
            group: CountGroup::Month,
        });
        questions.push(CountQuery {
            filter: SignalFilter {
                area: Some(code.clone()),
                ..Default::default()
            },
            group: CountGroup::Organisation,
        });
        let mut counts = self
            .store
            .signal_counts_each(caller, &questions, self.suppression, now)
            .await?;
        let missing =
            || baken_store::StoreError::Corrupt("a count question went unanswered".into());
        let owners = counts.pop().ok_or_else(missing)?;
        let monthly = counts.pop().ok_or_else(missing)?;
        let months = AreaMonths {
            months: (0..AREA_MONTHS)
                .map(|k| {
                    let month = baken_core::calendar::months_before(today, AREA_MONTHS - 1 - k);
                    let key = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
                    let shown = monthly.of(&key);
                    (key, shown)
                })
                .collect(),
            aggregated: monthly.aggregated,
        };
        let comparison = if compared {
            Some(
                self.compare(area, query, themes.into_iter().zip(counts))
                    .await?,
            )
        } else {
            None
        };
        Ok(AreaPicture {
            comparison,
            months,
            owners,
        })
    }

    /// `area` among the other areas of its kind, from the counts per area of each theme.
    async fn compare(
        &self,
        area: &Area,
        query: &PictureQuery,
        counts: impl Iterator<Item = (Option<String>, SignalCounts)>,
    ) -> Result<AreaComparison> {
        let shapes = self.store.area_shapes(query.level).await?;
        let bases = self.bases(query).await?;
        let mut compared = Vec::new();
        let mut selected = None;
        for (theme, counts) in counts {
            let table = AreaTable::of(shapes.clone(), counts, bases.clone());
            if let Some(row) = table.table.rows.iter().find(|r| r.code == area.code) {
                compared.push(ThemeComparison {
                    theme: theme.clone(),
                    row: row.clone(),
                });
            }
            if theme == query.filter.theme {
                selected = Some(table);
            }
        }
        let (neighbours, island) = match &selected {
            Some(table) => neighbours_of(table, &area.code),
            None => (Vec::new(), false),
        };
        Ok(AreaComparison {
            themes: compared,
            selected,
            neighbours,
            island,
        })
    }
}

/// The queen neighbours of `code` among the areas of `table` that have a shape.
fn neighbours_of(table: &AreaTable, code: &str) -> (Vec<(Area, DeviationClass)>, bool) {
    let with_shape: Vec<usize> = (0..table.shapes.len())
        .filter(|i| table.shapes[*i].1.is_some())
        .collect();
    let all_rings: Vec<Vec<Vec<(f64, f64)>>> = with_shape
        .iter()
        .filter_map(|i| table.shapes[*i].1.as_ref().map(rings))
        .collect();
    let weights = Weights::contiguity(&all_rings, Contiguity::Queen);
    let index = table.shapes.iter().position(|(a, _)| a.code == code);
    let Some(k) = index.and_then(|i| with_shape.iter().position(|j| *j == i)) else {
        return (Vec::new(), false);
    };
    let neighbours = weights.neighbours[k]
        .iter()
        .map(|n| {
            let i = with_shape[*n];
            (table.shapes[i].0.clone(), table.table.rows[i].class)
        })
        .collect();
    (neighbours, weights.neighbours[k].is_empty())
}

/// The rings of a shape, as contiguity wants them.
fn rings(shape: &MultiPolygon<f64>) -> Vec<Vec<(f64, f64)>> {
    shape
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
        .collect()
}
