//! Areas: reading area polygons from GeoJSON (CBS buurten and wijken, business parks, rural
//! areas) with repair of the geometry faults real files have, and an R-tree index that places
//! a point in its areas. No I/O: callers hand in text and get values back.

mod import;
mod index;

pub use import::{read_areas, AreaShape, ImportOptions, ImportOutcome};
pub use index::{AreaIndex, AreaRef};

use geo::MultiPolygon;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    #[error("het bestand is geen GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("het bestand is GeoJSON, maar geen FeatureCollection met vlakken")]
    NotFeatureCollection,
    #[error("opgeslagen geometrie is onleesbaar: {0}")]
    StoredGeometry(String),
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
