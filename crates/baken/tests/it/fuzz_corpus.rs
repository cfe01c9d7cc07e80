//! The fuzzing corpora (`fuzz/corpus/<target>/`) replayed through the same parsers as the
//! cargo-fuzz targets, on stable Rust: every input a parser once saw, crash or not, keeps
//! being read without a panic (TESTING.md).

use baken_core::catalogue::Catalogue;
use baken_core::public::{PublicIntake, PublicReport, PublicReportInput};
use baken_core::signal::{IntakePolicy, NewSignal, SignalInput};

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{dir} is empty");
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

const NOW: time::OffsetDateTime = time::macros::datetime!(2025-06-01 10:00 UTC);

#[test]
fn every_corpus_input_is_read_without_a_panic() {
    use baken_core::identifiers::*;
    for data in corpus("identifiers") {
        let text = String::from_utf8_lossy(&data);
        let _ = BagId::parse(&text);
        let _ = KvkNumber::parse(&text);
        let _ = Vestigingsnummer::parse(&text);
        let _ = Rsin::parse(&text);
        let _ = Bsn::parse(&text);
        let _ = Postcode::parse(&text);
        let _ = Kenteken::parse(&text);
        let _ = GemeenteCode::parse(&text);
        let _ = WijkCode::parse(&text);
        let _ = BuurtCode::parse(&text);
        let _ = AreaCode::parse(&text);
        let _ = baken_core::subject::normalise_phone(&text);
        let _ = baken_core::subject::normalise_email(&text);
        let _ = baken_core::subject::normalise_iban(&text);
        let _ = baken_core::subject::tidy(&text);
        let _ = baken_core::subject::postcode_and_number(&text);
    }
    for data in corpus("table") {
        if let Ok(table) = baken_intake::open_table(Box::new(std::io::Cursor::new(data))) {
            for row in table.rows {
                let _ = row;
            }
        }
    }
    let options = baken_geo::ImportOptions {
        kind: baken_core::model::AreaKind::Buurt,
        year: 2014,
        id_property: None,
        name_property: None,
    };
    for data in corpus("geojson") {
        let _ = baken_geo::read_areas(&String::from_utf8_lossy(&data), &options);
    }
    let catalogue = Catalogue::groningen_defaults();
    let policy = IntakePolicy::default();
    for data in corpus("public_form") {
        if let Ok(input) = serde_urlencoded::from_bytes::<PublicReportInput>(&data) {
            let intake = PublicIntake {
                contact_days: 30,
                policy: &policy,
                heading: "Melding",
            };
            let _ = PublicReport::parse(&input, &catalogue, intake, NOW);
        }
    }
    let user = baken_core::model::User {
        id: uuid::Uuid::from_u128(1),
        org: uuid::Uuid::from_u128(2),
        email: "analist@a.test".into(),
        display_name: "Analist".into(),
        roles: baken_core::RoleSet::new([baken_core::Role::Analist]),
        active: true,
        password_change_required: false,
    };
    let caller = baken_core::Caller::for_user_handling_signals(&user, "fuzz");
    for data in corpus("signal_input") {
        if let Ok(input) = serde_json::from_slice::<SignalInput>(&data) {
            let _ = NewSignal::parse(&input, &catalogue, &caller, &policy, NOW);
        }
    }
}
