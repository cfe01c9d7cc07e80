//! Areas: reading area polygons from GeoJSON (CBS buurten and wijken, business parks, rural
//! areas) with repair of the geometry faults real files have, and an R-tree index that places
//! a point in its areas. No I/O: callers hand in text and get values back.

mod import;
mod index;

pub use geo::MultiPolygon;
pub use import::{read_areas, AreaShape, ImportOptions, ImportOutcome};
pub use index::{AreaIndex, AreaRef};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    #[error("het bestand is geen GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("het bestand is GeoJSON, maar geen FeatureCollection met vlakken")]
    NotFeatureCollection,
    #[error("object {feature} heeft geen eigenschap '{property}'")]
    MissingId { feature: usize, property: String },
    #[error("opgeslagen geometrie is onleesbaar: {0}")]
    StoredGeometry(String),
}

/// An area's rings as lists of (x, y) vertices, as the file gives them.
pub type Rings = Vec<Vec<(f64, f64)>>;

/// Every feature's id (from `id_property`) and its rings exactly as the file gives them, for
/// contiguity: no repair, so neighbours are decided on the file's own vertices (as libpysal
/// does). Features without geometry get no rings (and become islands).
pub fn read_rings(text: &str, id_property: &str) -> Result<Vec<(String, Rings)>, GeoError> {
    let geojson: geojson::GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| GeoError::NotGeoJson(e.to_string()))?;
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        return Err(GeoError::NotFeatureCollection);
    };
    let mut out = Vec::with_capacity(collection.features.len());
    for (i, f) in collection.features.iter().enumerate() {
        let id = match f.property(id_property) {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(GeoError::MissingId {
                    feature: i + 1,
                    property: id_property.to_string(),
                })
            }
        };
        let ring = |r: &Vec<geojson::Position>| -> Vec<(f64, f64)> {
            r.iter()
                .map(|p| p.as_slice())
                .filter(|p| p.len() >= 2)
                .map(|p| (p[0], p[1]))
                .collect()
        };
        let rings = match f.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => {
                coordinates.iter().map(ring).collect()
            }
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => {
                coordinates.iter().flatten().map(ring).collect()
            }
            _ => Vec::new(),
        };
        out.push((id, rings));
    }
    Ok(out)
}

/// The stored form of an area's geometry: a GeoJSON geometry object.
pub fn geometry_to_text(geometry: &MultiPolygon<f64>) -> String {
    geojson::Geometry::from(geometry).to_string()
}

pub fn geometry_from_text(text: &str) -> Result<MultiPolygon<f64>, GeoError> {
    let g: geojson::Geometry = text
        .parse::<geojson::Geometry>()
        .map_err(|e| GeoError::StoredGeometry(e.to_string()))?;
    match geo::Geometry::<f64>::try_from(&g.value)
        .map_err(|e| GeoError::StoredGeometry(e.to_string()))?
    {
        geo::Geometry::MultiPolygon(mp) => Ok(mp),
        geo::Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        _ => Err(GeoError::StoredGeometry("geen (multi)polygoon".into())),
    }
}

/// The bounding box in micro-degrees: (min lon, min lat, max lon, max lat).
pub fn bbox_micro(geometry: &MultiPolygon<f64>) -> Option<[i64; 4]> {
    use geo::BoundingRect;
    let r = geometry.bounding_rect()?;
    let m = |v: f64| (v * 1_000_000.0).round() as i64;
    Some([m(r.min().x), m(r.min().y), m(r.max().x), m(r.max().y)])
}
