//! Server-rendered SVG maps: no tiles, no script, printable. Areas are filled by class and are
//! links to their area page; markers show signals or aggregated counts.
//!
//! Projection: longitude and latitude are drawn equirectangular with the longitude scaled by
//! cos(mid-latitude), which keeps shapes true enough at municipal scale (the error over a
//! municipality of 30 km is well under 1%).

use baken_geo::MultiPolygon;

use crate::xml;

/// Sequential classes (ColorBrewer YlOrRd, 5 classes) for counts and rates.
pub const SEQUENTIAL: [&str; 5] = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
/// The fill of "zero" and of "no value".
pub const ZERO: &str = "#f4f4f4";
pub const NO_VALUE: &str = "#d9d9d9";

/// One area on the map.
pub struct MapArea<'a> {
    pub name: &'a str,
    /// Where the area links to; empty: no link (a table beside the map is the way in).
    pub href: String,
    pub shape: &'a MultiPolygon<f64>,
    pub fill: &'static str,
    /// Shown on hover and read out by screen readers, after the name.
    pub caption: String,
    /// Hatched: the value is suppressed.
    pub hatched: bool,
    /// Drawn with a heavy outline (the area of an area page).
    pub highlighted: bool,
}

/// A point or an aggregate marker.
pub struct Marker {
    pub longitude: f64,
    pub latitude: f64,
    pub title: String,
    pub href: Option<String>,
    pub colour: &'static str,
    /// A number drawn inside the marker (aggregates); plain points have none.
    pub label: Option<String>,
}

pub struct LegendEntry {
    pub label: String,
    pub colour: &'static str,
    pub hatched: bool,
}

pub struct MapSpec<'a> {
    /// Unique on the page: the ids inside the map start with it.
    pub id: String,
    pub title: String,
    pub areas: Vec<MapArea<'a>>,
    pub markers: Vec<Marker>,
    pub legend_title: String,
    pub legend: Vec<LegendEntry>,
    pub width: f64,
}

struct Projection {
    min_x: f64,
    max_y: f64,
    scale: f64,
    kx: f64,
}

impl Projection {
    fn fit(areas: &[MapArea<'_>], markers: &[Marker], width: f64) -> Option<(Self, f64)> {
        let mut points = areas
            .iter()
            .flat_map(|a| a.shape.0.iter())
            .flat_map(|p| p.exterior().coords().map(|c| (c.x, c.y)))
            .chain(markers.iter().map(|m| (m.longitude, m.latitude)))
            .peekable();
        points.peek()?;
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let kx = ((y0 + y1) / 2.0).to_radians().cos();
        let span_x = ((x1 - x0) * kx).max(1e-9);
        let span_y = (y1 - y0).max(1e-9);
        let scale = width / span_x;
        let height = (span_y * scale).clamp(width * 0.25, width * 1.6);
        let scale = scale.min(height / span_y);
        Some((
            Self {
                min_x: x0,
                max_y: y1,
                scale,
                kx,
            },
            height,
        ))
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_x) * self.kx * self.scale,
            (self.max_y - lat) * self.scale,
        )
    }
}

fn path(shape: &MultiPolygon<f64>, projection: &Projection) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for (i, c) in ring.coords().enumerate() {
                let (x, y) = projection.xy(c.x, c.y);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

const PAD: f64 = 8.0;
const LEGEND_ROW: f64 = 20.0;

/// Renders the map as one self-contained SVG document (inline styles only, so it prints and
/// passes a strict Content-Security-Policy).
pub fn render(spec: &MapSpec<'_>) -> String {
    use std::fmt::Write;
    let width = spec.width;
    let Some((projection, map_height)) = Projection::fit(&spec.areas, &spec.markers, width) else {
        return String::new();
    };
    let legend_rows = spec.legend.len() as f64 + 1.0;
    let total_height = map_height + 2.0 * PAD + legend_rows * LEGEND_ROW + PAD;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="kaart" viewBox="{} {} {:.1} {:.1}" width="{:.0}" role="{role}" aria-labelledby="{id}-titel"><title id="{id}-titel">{}</title>"#,
        -PAD,
        -PAD,
        width + 2.0 * PAD,
        total_height,
        width + 2.0 * PAD,
        xml(&spec.title),
        id = xml(&spec.id),
        // An image's parts are not read out, so a map whose areas or markers are links is a
        // group of them (axe: nested-interactive); one without links is an image.
        role = if spec.areas.iter().any(|a| !a.href.is_empty())
            || spec.markers.iter().any(|m| m.href.is_some())
        {
            "group"
        } else {
            "img"
        }
    );
    let hatch = format!("url(#{}-gearceerd)", xml(&spec.id));
    let _ = write!(
        svg,
        r##"<defs><pattern id="{}-gearceerd" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888888" stroke-width="2"/></pattern></defs>"##,
        xml(&spec.id)
    );
    svg.push_str(r##"<g stroke="#555555" stroke-width="0.6" stroke-linejoin="round">"##);
    for area in &spec.areas {
        let fill = if area.hatched { &hatch } else { area.fill };
        let (open, close) = if area.href.is_empty() {
            (String::new(), "")
        } else {
            (format!(r#"<a href="{}">"#, xml(&area.href)), "</a>")
        };
        let _ = write!(
            svg,
            r#"{open}<path d="{}" fill="{}" fill-rule="evenodd"{}><title>{}: {}</title></path>{close}"#,
            path(area.shape, &projection),
            fill,
            if area.highlighted {
                r##" stroke="#000000" stroke-width="2.5""##
            } else {
                ""
            },
            xml(area.name),
            xml(&area.caption)
        );
    }
    svg.push_str("</g>");
    for marker in &spec.markers {
        let (x, y) = projection.xy(marker.longitude, marker.latitude);
        let (radius, label) = match &marker.label {
            Some(l) => (
                10.0 + 2.0 * (l.len() as f64 - 1.0).max(0.0),
                format!(
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="10" font-family="sans-serif" fill="#ffffff">{}</text>"##,
                    y + 3.5,
                    xml(l)
                ),
            ),
            None => (4.0, String::new()),
        };
        let circle = format!(
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>{label}"##,
            marker.colour,
            xml(&marker.title)
        );
        match &marker.href {
            Some(href) => {
                let _ = write!(svg, r#"<a href="{}">{circle}</a>"#, xml(href));
            }
            None => svg.push_str(&circle),
        }
    }
    let mut y = map_height + 2.0 * PAD;
    let _ = write!(
        svg,
        r#"<text x="0" y="{:.1}" font-size="13" font-weight="bold" font-family="sans-serif">{}</text>"#,
        y + 12.0,
        xml(&spec.legend_title)
    );
    for entry in &spec.legend {
        y += LEGEND_ROW;
        let fill = if entry.hatched { &hatch } else { entry.colour };
        let _ = write!(
            svg,
            r##"<rect x="0" y="{:.1}" width="18" height="14" fill="{fill}" stroke="#555555" stroke-width="0.6"/><text x="26" y="{:.1}" font-size="12" font-family="sans-serif">{}</text>"##,
            y,
            y + 11.5,
            xml(&entry.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A point inside `shape` (on its largest polygon) where an aggregate marker can stand.
pub fn label_point(shape: &MultiPolygon<f64>) -> Option<(f64, f64)> {
    use geo::{Area, InteriorPoint};
    let largest = shape
        .0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    largest.interior_point().map(|p| (p.x(), p.y()))
}

/// Upper bounds of up to five classes of the positive `values` by quantile, distinct and
/// increasing; zero has a class of its own (see [`class_of`]).
pub fn quantile_breaks(values: &[f64], classes: usize) -> Vec<f64> {
    let mut positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    positive.sort_by(f64::total_cmp);
    let mut breaks: Vec<f64> = Vec::new();
    if positive.is_empty() || classes == 0 {
        return breaks;
    }
    for k in 1..=classes {
        let index = (k * positive.len()).div_ceil(classes).saturating_sub(1);
        let v = positive[index.min(positive.len() - 1)];
        if breaks.last().is_none_or(|last| v > *last) {
            breaks.push(v);
        }
    }
    breaks
}

/// The class of `value` under `breaks`: `None` for zero, else the first break it does not exceed.
pub fn class_of(value: f64, breaks: &[f64]) -> Option<usize> {
    if value <= 0.0 {
        return None;
    }
    Some(
        breaks
            .iter()
            .position(|b| value <= *b)
            .unwrap_or(breaks.len().saturating_sub(1)),
    )
}

/// Legend labels for `breaks` ("1 – 3", "4 – 9", …) with `decimals` places.
pub fn break_labels(breaks: &[f64], decimals: usize) -> Vec<String> {
    let step = if decimals == 0 {
        1.0
    } else {
        10f64.powi(-(decimals as i32))
    };
    let mut lower = if decimals == 0 { 1.0 } else { 0.0 };
    breaks
        .iter()
        .map(|b| {
            let label = if (b - lower).abs() < step / 2.0 {
                crate::dutch_number(*b, decimals)
            } else {
                format!(
                    "{} – {}",
                    crate::dutch_number(lower, decimals),
                    crate::dutch_number(*b, decimals)
                )
            };
            lower = b + step;
            label
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use baken_geo::MultiPolygon;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        let (x1, y1) = (x + 0.01, y + 0.01);
        let text = format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}"#
        );
        baken_geo::geometry_from_text(&text).unwrap_or(MultiPolygon(vec![]))
    }

    #[test]
    fn areas_become_links_with_names_and_classes_and_text_is_escaped() {
        let a = square(6.5, 53.2);
        let b = square(6.51, 53.2);
        let spec = MapSpec {
            id: "kaart".into(),
            title: "Signalen <drugs>".into(),
            areas: vec![
                MapArea {
                    name: "Oost & West",
                    href: "/gebieden/WK001401".into(),
                    shape: &a,
                    fill: SEQUENTIAL[4],
                    caption: "12 signalen".into(),
                    hatched: false,
                    highlighted: false,
                },
                MapArea {
                    name: "Klein",
                    href: "/gebieden/WK001402".into(),
                    shape: &b,
                    fill: NO_VALUE,
                    caption: "<5".into(),
                    hatched: true,
                    highlighted: true,
                },
            ],
            markers: vec![],
            legend_title: "Aantal".into(),
            legend: vec![LegendEntry {
                label: "minder dan 5".into(),
                colour: NO_VALUE,
                hatched: true,
            }],
            width: 400.0,
        };
        let svg = render(&spec);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"<a href="/gebieden/WK001401">"#));
        assert!(svg.contains("Oost &amp; West: 12 signalen"));
        assert!(svg.contains("Signalen &lt;drugs&gt;"));
        assert!(svg.contains("Klein: &lt;5"));
        assert!(svg.contains("url(#kaart-gearceerd)"));
        assert!(svg.contains(r#"aria-labelledby="kaart-titel"><title id="kaart-titel">"#));
        assert!(svg.contains(r#"role="group""#), "links inside: a group");
        assert_eq!(svg.matches("<path").count(), 2);
        // Without a link the area is a plain shape (no link inside the image).
        let plain = render(&MapSpec {
            id: "m2".into(),
            areas: spec
                .areas
                .iter()
                .map(|a| MapArea {
                    href: String::new(),
                    caption: a.caption.clone(),
                    ..*a
                })
                .collect(),
            markers: vec![],
            legend: vec![],
            title: String::new(),
            legend_title: String::new(),
            ..spec
        });
        assert!(!plain.contains("<a "));
        assert!(plain.contains(r#"role="img""#));
        assert!(plain.contains("url(#m2-gearceerd)"));
    }

    #[test]
    fn label_points_lie_inside_the_area() {
        let a = square(6.5, 53.2);
        let (x, y) = label_point(&a).unwrap();
        assert!((6.5..=6.51).contains(&x) && (53.2..=53.21).contains(&y));
        assert_eq!(label_point(&MultiPolygon(vec![])), None);
    }

    #[test]
    fn breaks_are_distinct_quantiles_and_zero_has_its_own_class() {
        let values = [0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0];
        let breaks = quantile_breaks(&values, 5);
        assert!(breaks.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(breaks.last(), Some(&34.0));
        assert_eq!(class_of(0.0, &breaks), None);
        assert_eq!(class_of(34.0, &breaks), Some(breaks.len() - 1));
        assert_eq!(class_of(1.0, &breaks), Some(0));
        let labels = break_labels(&[1.0, 3.0, 10.0], 0);
        assert_eq!(labels, vec!["1", "2 – 3", "4 – 10"]);
    }
}
