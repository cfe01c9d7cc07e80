//! Every Dutch identifier parser and the subject normalisers (phone, e-mail, IBAN, address)
//! on arbitrary text: errors, never a panic.
#![no_main]
use baken_core::identifiers::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = BagId::parse(text);
    let _ = KvkNumber::parse(text);
    let _ = Vestigingsnummer::parse(text);
    let _ = Rsin::parse(text);
    let _ = Bsn::parse(text);
    let _ = Postcode::parse(text);
    let _ = Kenteken::parse(text);
    let _ = GemeenteCode::parse(text);
    let _ = WijkCode::parse(text);
    let _ = BuurtCode::parse(text);
    let _ = AreaCode::parse(text);
    let _ = baken_core::subject::normalise_phone(text);
    let _ = baken_core::subject::normalise_email(text);
    let _ = baken_core::subject::normalise_iban(text);
    let _ = baken_core::subject::tidy(text);
    let _ = baken_core::subject::postcode_and_number(text);
});
