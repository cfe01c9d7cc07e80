//! Area boundaries (GeoJSON, WGS84 or RD) on arbitrary text.
#![no_main]
use baken_core::model::AreaKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let options = baken_geo::ImportOptions {
        kind: AreaKind::Buurt,
        year: 2014,
        id_property: None,
        name_property: None,
    };
    let _ = baken_geo::read_areas(text, &options);
});
