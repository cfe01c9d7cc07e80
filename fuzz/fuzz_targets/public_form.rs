//! The public report form as the browser posts it (URL-encoded) through the domain parser.
#![no_main]
use baken_core::catalogue::Catalogue;
use baken_core::public::{PublicIntake, PublicReport, PublicReportInput};
use baken_core::signal::IntakePolicy;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(Catalogue::groningen_defaults)
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_urlencoded::from_bytes::<PublicReportInput>(data) else {
        return;
    };
    let policy = IntakePolicy::default();
    let intake = PublicIntake {
        contact_days: 30,
        policy: &policy,
        heading: "Melding",
    };
    let now = time::macros::datetime!(2025-06-01 10:00 UTC);
    let _ = PublicReport::parse(&input, catalogue(), intake, now);
});
