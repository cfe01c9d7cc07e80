//! The API's new-signal body (JSON) through the domain parser, for an analyst.
#![no_main]
use baken_core::catalogue::Catalogue;
use baken_core::model::User;
use baken_core::signal::{IntakePolicy, NewSignal, SignalInput};
use baken_core::{Caller, Role, RoleSet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(Catalogue::groningen_defaults)
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<SignalInput>(data) else {
        return;
    };
    let user = User {
        id: uuid::Uuid::from_u128(1),
        org: uuid::Uuid::from_u128(2),
        email: "analist@a.test".into(),
        display_name: "Analist".into(),
        roles: RoleSet::new([Role::Analist]),
        active: true,
        password_change_required: false,
    };
    let caller = Caller::for_user_handling_signals(&user, "fuzz");
    let now = time::macros::datetime!(2025-06-01 10:00 UTC);
    let _ = NewSignal::parse(&input, catalogue(), &caller, &IntakePolicy::default(), now);
});
