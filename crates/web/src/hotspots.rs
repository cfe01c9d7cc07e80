//! Clusters and hot spots on `/kaart` (a layer) and `/afwijkingen` (a table), with the method
//! in plain Dutch and the seed that reproduces the figures.

use baken_app::labels::Label;
use baken_app::picture::{AreaTable, HOTSPOT_SEED};
use baken_core::picture::{BaseKind, Measure};
use baken_picture::hotspot::{Cluster, Hotspots, Spot};
use baken_picture::map::{self, LegendEntry};
use baken_picture::{dutch_number, DeviationRow};

pub(crate) fn cluster_colour(c: Cluster) -> &'static str {
    match c {
        Cluster::HighHigh => "#d7191c",
        Cluster::LowLow => "#2c7bb6",
        Cluster::HighLow => "#fdae61",
        Cluster::LowHigh => "#abd9e9",
        Cluster::NotSignificant => "#f7f7f7",
        Cluster::NotTested => map::NO_VALUE,
    }
}

pub(crate) fn spot_colour(s: Spot) -> &'static str {
    match s {
        Spot::Hot => "#d7191c",
        Spot::Cold => "#2c7bb6",
        Spot::NotSignificant => "#f7f7f7",
        Spot::NotTested => map::NO_VALUE,
    }
}

/// The smoothed rate the statistics use.
fn rate_text(r: &DeviationRow) -> String {
    r.smoothed_rate.map_or_else(
        || "geen cijfer".into(),
        |v| format!("{} per 1.000, gladgestreken", dutch_number(v, 2)),
    )
}

/// Fill, hatching and caption per area (in the table's order) and the legend, for the
/// clusters (`Measure::Clusters`) or the hot spots (`Measure::Hotspots`) layer.
pub(crate) fn fills(
    table: &AreaTable,
    hotspots: &Hotspots,
    measure: Measure,
) -> (Vec<(&'static str, bool, String)>, Vec<LegendEntry>) {
    let spots = measure == Measure::Hotspots;
    let fills = table
        .table
        .rows
        .iter()
        .zip(&hotspots.rows)
        .map(|(r, h)| {
            let (colour, label) = if spots {
                (spot_colour(h.spot), h.spot.label())
            } else {
                (cluster_colour(h.cluster), h.cluster.label())
            };
            (
                colour,
                r.count.is_none(),
                format!("{label} ({})", rate_text(r)),
            )
        })
        .collect();
    let legend = if spots {
        Spot::ALL
            .iter()
            .map(|s| LegendEntry {
                label: s.label().to_string(),
                colour: spot_colour(*s),
                hatched: false,
            })
            .collect()
    } else {
        Cluster::ALL
            .iter()
            .map(|c| LegendEntry {
                label: c.label().to_string(),
                colour: cluster_colour(*c),
                hatched: false,
            })
            .collect()
    };
    (fills, legend)
}

/// The method in plain Dutch, with what was tested and the seed.
pub(crate) fn method(hotspots: &Hotspots, base: BaseKind) -> Vec<String> {
    vec![
        format!(
            "Baken vergelijkt het gladgestreken aantal signalen per 1.000 {} van elk gebied (Empirical Bayes: het cijfer van een klein gebied wordt naar het gemiddelde getrokken, zodat één signaal meer of minder geen patroon maakt) met dat van zijn buren: gebieden die een grens of een hoek delen. Gebieden zonder bekende basis, of met een aantal dat u niet mag zien, doen niet mee.",
            base.label()
        ),
        "Clusters (lokale Moran's I): een gebied met een hoog cijfer tussen buren met hoge cijfers is hoog-hoog, laag tussen laag is laag-laag; een hoog cijfer tussen lage (of omgekeerd) is een uitschieter. Hotspots (Getis-Ord Gi*): het gebied en zijn buren samen hebben een opvallend hoog (hotspot) of laag (coldspot) cijfer.".into(),
        format!(
            "Of een patroon toeval kan zijn, toetst Baken door de cijfers van de buren {} keer willekeurig te verwisselen. Omdat veel gebieden tegelijk worden bekeken, corrigeert Baken voor het aantal vergelijkingen (Benjamini–Hochberg, hooguit {} % vals alarm onder de gemarkeerde gebieden).",
            hotspots.permutations,
            dutch_number(hotspots.alpha * 100.0, 0)
        ),
        format!(
            "{} gebieden getoetst. De willekeurige verwisselingen beginnen bij zaadgetal {}: met dezelfde signalen en hetzelfde zaadgetal komt precies dezelfde uitkomst.",
            hotspots.tested, HOTSPOT_SEED
        ),
        "Een cluster laat een patroon zien, geen oordeel over mensen of adressen.".into(),
    ]
}

/// `/kaart` with the same selection as `input`, showing clusters.
pub(crate) fn map_href(input: &baken_core::picture::PictureInput) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    let fields = [
        ("level", &input.level),
        ("theme", &input.theme),
        ("indicator", &input.indicator),
        ("receivedFrom", &input.received_from),
        ("receivedUntil", &input.received_until),
        ("base", &input.base),
    ];
    for (name, value) in fields {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            q.append_pair(name, v);
        }
    }
    q.append_pair("measure", Measure::Clusters.slug());
    format!("/kaart?{}", q.finish())
}

/// One area with a significant cluster or hot spot, for the table on `/afwijkingen`.
pub(crate) struct HotspotView {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) rate: String,
    pub(crate) cluster: &'static str,
    pub(crate) cluster_slug: &'static str,
    pub(crate) spot: &'static str,
    pub(crate) moran_p: String,
    pub(crate) gi_z: String,
    pub(crate) gi_p: String,
    pub(crate) neighbours: usize,
}

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p < 0.001 => "< 0,001".into(),
        Some(p) => dutch_number(p, 3),
    }
}

/// The areas with a significant cluster or hot spot: hot spots and high-high clusters first,
/// then by Gi* z.
pub(crate) fn views(table: &AreaTable, hotspots: &Hotspots) -> Vec<HotspotView> {
    let mut rows: Vec<(&DeviationRow, &baken_picture::hotspot::HotspotRow)> = table
        .table
        .rows
        .iter()
        .zip(&hotspots.rows)
        .filter(|(_, h)| h.cluster.significant() || h.spot.significant())
        .collect();
    rows.sort_by(|a, b| {
        let z = |h: &baken_picture::hotspot::HotspotRow| h.gi_z.unwrap_or(0.0);
        z(b.1).total_cmp(&z(a.1))
    });
    rows.into_iter()
        .map(|(r, h)| HotspotView {
            code: r.code.clone(),
            name: r.name.clone(),
            rate: rate_text(r),
            cluster: h.cluster.label(),
            cluster_slug: h.cluster.slug(),
            spot: h.spot.label(),
            moran_p: p_text(h.moran_p),
            gi_z: h.gi_z.map_or_else(|| "–".into(), |z| dutch_number(z, 2)),
            gi_p: p_text(h.gi_p),
            neighbours: h.neighbours,
        })
        .collect()
}
