//! Reading areas from a GeoJSON FeatureCollection. Every feature either becomes an area
//! (repaired where needed, with a message) or is skipped with a message that names it; a bad
//! feature never aborts the import.

use baken_core::identifiers::CbsCode;
use baken_core::model::{Area, AreaKind};
use geo::bool_ops::FillRule;
use geo::{Area as _, BooleanOps, Coord, LineString, MultiPolygon, Polygon, Validation};
use std::collections::HashSet;

use crate::GeoError;

/// Smaller than this (in square degrees, about 0.01 m²) is a sliver, not an area.
const MIN_AREA: f64 = 1e-12;

/// Vertices of one area that Baken reads: a detailed CBS gemeente has tens of thousands; a
/// polygon of millions (which took validation and repair more than ten minutes) is refused
/// before any of that work.
pub const MAX_VERTICES: usize = 250_000;

/// Where Dutch areas lie, in WGS84 degrees (land and territorial waters, generously).
const LON: (f64, f64) = (2.5, 7.5);
const LAT: (f64, f64) = (50.5, 54.0);

/// The vertices of a GeoJSON geometry, counted without building anything.
fn vertex_count(value: &geojson::GeometryValue) -> usize {
    use geojson::GeometryValue as V;
    match value {
        V::Point { .. } => 1,
        V::MultiPoint { coordinates } | V::LineString { coordinates } => coordinates.len(),
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().map(Vec::len).sum()
        }
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().map(Vec::len).sum(),
        V::GeometryCollection { geometries } => {
            geometries.iter().map(|g| vertex_count(&g.value)).sum()
        }
    }
}

/// Why a geometry's coordinates are not Dutch WGS84 degrees, if they are not: RD coordinates
/// (EPSG:28992, metres) are named as such, so the user knows to convert the file.
fn outside_the_netherlands(value: &geojson::GeometryValue) -> Option<String> {
    let mut first_wrong: Option<(f64, f64)> = None;
    let mut incomplete = false;
    let mut check = |p: &geojson::Position| {
        if let [x, y, ..] = p.as_slice() {
            let inside = (LON.0..=LON.1).contains(x) && (LAT.0..=LAT.1).contains(y);
            if !inside && first_wrong.is_none() {
                first_wrong = Some((*x, *y));
            }
        } else {
            incomplete = true;
        }
    };
    fn each(value: &geojson::GeometryValue, f: &mut dyn FnMut(&geojson::Position)) {
        use geojson::GeometryValue as V;
        match value {
            V::Point { coordinates } => f(coordinates),
            V::MultiPoint { coordinates } | V::LineString { coordinates } => {
                coordinates.iter().for_each(f)
            }
            V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
                coordinates.iter().flatten().for_each(f)
            }
            V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().for_each(f),
            V::GeometryCollection { geometries } => {
                geometries.iter().for_each(|g| each(&g.value, f))
            }
        }
    }
    each(value, &mut check);
    if incomplete {
        return Some("een punt heeft geen twee coördinaten (lengte- en breedtegraad)".into());
    }
    let (x, y) = first_wrong?;
    let rd = (0.0..=300_000.0).contains(&x) && (289_000.0..=629_000.0).contains(&y);
    Some(if rd {
        format!("coördinaat ({x}, {y}) lijkt RD (EPSG:28992, meters); zet het bestand om naar WGS84 (lengte- en breedtegraden)")
    } else {
        format!(
            "coördinaat ({x}, {y}) ligt niet in Nederland (lengtegraad {} tot {}, breedtegraad {} tot {})",
            LON.0, LON.1, LAT.0, LAT.1
        )
    })
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub kind: AreaKind,
    pub year: i32,
    /// Property holding the area's code; default `statcode` (CBS), else derived from the name.
    pub id_property: Option<String>,
    /// Property holding the name; default `statnaam` (CBS), then `naam`, then `name`.
    pub name_property: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AreaShape {
    pub area: Area,
    /// `None` when the source geometry has no area left (collapsed to a line or point): the
    /// area exists, but no point can be placed in it.
    pub geometry: Option<MultiPolygon<f64>>,
}

#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub areas: Vec<AreaShape>,
    /// One message per repaired feature, naming it.
    pub repaired: Vec<String>,
    /// One message per skipped feature, naming it and saying why.
    pub skipped: Vec<String>,
}

fn text_property(f: &geojson::Feature, name: &str) -> Option<String> {
    match f.property(name)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The code of a custom area: a kind prefix and a slug of its name, e.g. `BT-zuidoost`.
pub fn custom_code(kind: AreaKind, name: &str) -> String {
    let prefix = match kind {
        AreaKind::Bedrijventerrein => "BT",
        AreaKind::Buitengebied => "BG",
        _ => "GB",
    };
    format!("{prefix}-{}", slug(name))
}

/// Drops repeated points and degenerate rings; returns the cleaned polygon, or `None` when
/// nothing with an area is left.
fn clean_polygon(p: &Polygon<f64>, notes: &mut Vec<&'static str>) -> Option<Polygon<f64>> {
    fn ring(ls: &LineString<f64>) -> Option<LineString<f64>> {
        let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ls.0.len());
        for c in &ls.0 {
            if !c.x.is_finite() || !c.y.is_finite() {
                return None;
            }
            if pts.last() != Some(c) {
                pts.push(*c);
            }
        }
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        if pts.len() < 3 {
            return None;
        }
        let first = pts[0];
        pts.push(first);
        Some(LineString::from(pts))
    }
    let Some(exterior) = ring(p.exterior()) else {
        notes.push("leeg of lijnvormig deel verwijderd");
        return None;
    };
    let mut interiors = Vec::new();
    for hole in p.interiors() {
        match ring(hole) {
            Some(h) => interiors.push(h),
            None => notes.push("leeg gat verwijderd"),
        }
    }
    Some(Polygon::new(exterior, interiors))
}

/// Reads areas of one kind and year from GeoJSON text.
pub fn read_areas(text: &str, options: &ImportOptions) -> Result<ImportOutcome, GeoError> {
    let geojson: geojson::GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| GeoError::NotGeoJson(e.to_string()))?;
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        return Err(GeoError::NotFeatureCollection);
    };
    let mut outcome = ImportOutcome::default();
    let mut seen = HashSet::new();
    let cbs_kind = matches!(
        options.kind,
        AreaKind::Gemeente | AreaKind::Wijk | AreaKind::Buurt
    );
    for (i, feature) in collection.features.iter().enumerate() {
        let number = i + 1;
        let name = options.name_property.as_deref().map_or_else(
            || {
                text_property(feature, "statnaam")
                    .or_else(|| text_property(feature, "naam"))
                    .or_else(|| text_property(feature, "name"))
            },
            |p| text_property(feature, p),
        );
        let raw_code = options.id_property.as_deref().map_or_else(
            || text_property(feature, "statcode"),
            |p| text_property(feature, p),
        );
        let label = match (&raw_code, &name) {
            (Some(c), Some(n)) => format!("object {number} ({c} {n})"),
            (Some(c), None) => format!("object {number} ({c})"),
            (None, Some(n)) => format!("object {number} ({n})"),
            (None, None) => format!("object {number}"),
        };
        let mut skip = |why: String| outcome.skipped.push(format!("{label}: {why}"));

        // The code, and for CBS areas the check that it is the right kind of code.
        let (code, parent) = if cbs_kind {
            let Some(raw) = raw_code.clone() else {
                skip("heeft geen CBS-code (eigenschap statcode)".into());
                continue;
            };
            match CbsCode::parse(&raw) {
                Ok(code) => {
                    let kind_ok = matches!(
                        (&code, options.kind),
                        (CbsCode::Buurt(_), AreaKind::Buurt)
                            | (CbsCode::Wijk(_), AreaKind::Wijk)
                            | (CbsCode::Gemeente(_), AreaKind::Gemeente)
                    );
                    if !kind_ok {
                        skip(format!("code {raw} is geen {}code", options.kind.slug()));
                        continue;
                    }
                    (code.to_string(), code.parent().map(|p| p.to_string()))
                }
                Err(e) => {
                    skip(format!("CBS-code '{raw}' {e}"));
                    continue;
                }
            }
        } else {
            match (&raw_code, &name) {
                (Some(c), _) => (c.clone(), None),
                (None, Some(n)) if !slug(n).is_empty() => (custom_code(options.kind, n), None),
                _ => {
                    skip("heeft geen naam (eigenschap naam of name) en geen code".into());
                    continue;
                }
            }
        };
        if !seen.insert(code.clone()) {
            skip(format!("code {code} komt al eerder in het bestand voor"));
            continue;
        }

        let Some(geometry) = &feature.geometry else {
            skip("heeft geen geometrie".into());
            continue;
        };
        let vertices = vertex_count(&geometry.value);
        if vertices > MAX_VERTICES {
            skip(format!(
                "geometrie heeft {vertices} punten; de grens is {MAX_VERTICES} (vereenvoudig het bestand)"
            ));
            continue;
        }
        if let Some(why) = outside_the_netherlands(&geometry.value) {
            skip(why);
            continue;
        }
        let polygons: Vec<Polygon<f64>> = match geo::Geometry::<f64>::try_from(&geometry.value) {
            Ok(geo::Geometry::Polygon(p)) => vec![p],
            Ok(geo::Geometry::MultiPolygon(mp)) => mp.0,
            Ok(other) => {
                let kind = match other {
                    geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_) => "een punt",
                    geo::Geometry::LineString(_)
                    | geo::Geometry::MultiLineString(_)
                    | geo::Geometry::Line(_) => "een lijn",
                    _ => "geen vlak",
                };
                skip(format!("geometrie is {kind}, geen vlak"));
                continue;
            }
            Err(e) => {
                skip(format!("geometrie is onleesbaar: {e}"));
                continue;
            }
        };
        let mut notes = Vec::new();
        let cleaned: Vec<Polygon<f64>> = polygons
            .iter()
            .filter_map(|p| clean_polygon(p, &mut notes))
            .collect();
        let mut shape = MultiPolygon(cleaned);
        if !shape.0.is_empty() && !shape.is_valid() {
            // Self-touching, overlapping or flat rings: the union of the parts is the valid
            // area, and it drops parts without area.
            // NonZero keeps both lobes of a bow tie.
            shape = shape.union_with_fill_rule(&MultiPolygon(vec![]), FillRule::NonZero);
            notes.push("ongeldige geometrie (zelfraking, overlap of platte delen) hersteld");
        }
        let before = shape.0.len();
        shape.0.retain(|p| p.unsigned_area() > MIN_AREA);
        if shape.0.len() < before {
            notes.push("splinters zonder oppervlakte verwijderd");
        }
        let geometry = if shape.0.is_empty() {
            notes.push("geometrie heeft geen oppervlakte (vervallen tot lijn of punt); gebied opgenomen zonder vlak");
            None
        } else {
            Some(shape)
        };
        if !notes.is_empty() {
            notes.dedup();
            outcome
                .repaired
                .push(format!("{label}: {}", notes.join("; ")));
        }
        outcome.areas.push(AreaShape {
            area: Area {
                name: name.unwrap_or_else(|| code.clone()),
                code,
                kind: options.kind,
                year: options.year,
                parent,
            },
            geometry,
        });
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests;
