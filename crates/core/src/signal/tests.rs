use super::*;
use crate::access::{Purpose, Role, RoleSet};
use time::macros::datetime;

fn caller(role: Role) -> Caller {
    let user = crate::model::User {
        id: Uuid::nil(),
        org: Uuid::nil(),
        email: "test@a.test".into(),
        display_name: "Test".into(),
        roles: RoleSet::new([role]),
        active: true,
        password_change_required: false,
    };
    Caller::for_user(&user, Purpose::signal_handling(), "test")
}

fn valid() -> SignalInput {
    SignalInput {
        title: Some("Loods verhuurd tegen contant geld".into()),
        description: Some("Boer meldt aanbod van 20.000 euro contant voor lege loods.".into()),
        source_kind: Some("veldbezoek".into()),
        source_reliability: Some("b".into()),
        information_credibility: Some("2".into()),
        themes: vec!["buitengebied".into()],
        indicators: vec!["loods-huuraanbod".into()],
        area_code: Some("WK001409".into()),
        ..Default::default()
    }
}

#[test]
fn a_valid_signal_parses_with_defaults() {
    let now = datetime!(2025-03-01 10:00 UTC);
    let s = NewSignal::parse(
        &valid(),
        &Catalogue::groningen_defaults(),
        &caller(Role::Analist),
        &IntakePolicy::default(),
        now,
    )
    .unwrap();
    assert_eq!(s.received_at, now);
    assert_eq!(s.classification, Classification::Intern);
    assert_eq!(s.sharing, Sharing::Convenant);
    assert_eq!(s.source_reliability, SourceReliability::B);
    assert_eq!(s.retention_until, time::macros::date!(2030 - 03 - 01));
}

#[test]
fn every_bad_field_is_named() {
    let now = datetime!(2025-03-01 10:00 UTC);
    let input = SignalInput {
        title: Some("  ".into()),
        received_at: Some("gisteren".into()),
        source_kind: Some("roddel".into()),
        source_reliability: Some("G".into()),
        information_credibility: Some("7".into()),
        themes: vec!["voetbal".into()],
        indicators: vec!["hennepteelt".into()],
        area_code: Some("WK0014".into()),
        classification: Some("bibob".into()),
        retention_until: Some("2020-01-01".into()),
        ..Default::default()
    };
    let e = NewSignal::parse(
        &input,
        &Catalogue::groningen_defaults(),
        &caller(Role::Partner),
        &IntakePolicy::default(),
        now,
    )
    .unwrap_err();
    for field in [
        "title",
        "description",
        "receivedAt",
        "sourceKind",
        "sourceReliability",
        "informationCredibility",
        "themes",
        "indicators",
        "areaCode",
        "classification",
        "retentionUntil",
    ] {
        assert!(e.for_field(field).is_some(), "no error for {field}: {e}");
    }
    assert_eq!(
        e.for_field("classification"),
        Some(&Problem::BibobClassificationReserved)
    );
}

#[test]
fn received_at_accepts_any_offset_and_returns_utc() {
    let now = datetime!(2025-03-01 10:00 UTC);
    let mut input = valid();
    input.received_at = Some("2025-02-01T12:00:00+01:00".into());
    let s = NewSignal::parse(
        &input,
        &Catalogue::groningen_defaults(),
        &caller(Role::Analist),
        &IntakePolicy::default(),
        now,
    )
    .unwrap();
    assert_eq!(s.received_at, datetime!(2025-02-01 11:00 UTC));
    assert_eq!(s.received_at.offset(), time::UtcOffset::UTC);
}

#[test]
fn filters_parse_and_complain() {
    let cat = Catalogue::groningen_defaults();
    let (f, p) = SignalFilterInput {
        theme: Some("drugs".into()),
        area_code: Some("wk001400".into()),
        cursor: Some("n18c6a1e0b0f400.0192f0c2aa5b7d3e8f00112233445566".into()),
        ..Default::default()
    }
    .parse(&cat)
    .unwrap();
    assert_eq!(f.theme.as_deref(), Some("drugs"));
    assert!(matches!(p.from, Some((crate::page::Side::After, _))));
    assert_eq!(p.size, crate::page::PageRequest::DEFAULT_SIZE);
    let e = SignalFilterInput {
        status: Some("open".into()),
        cursor: Some("page=3".into()),
        page_size: Some("1000".into()),
        received_from: Some("2025-13-01".into()),
        ..Default::default()
    }
    .parse(&cat)
    .unwrap_err();
    assert!(
        e.for_field("status").is_some()
            && e.for_field("pageSize").is_some()
            && e.for_field("receivedFrom").is_some()
            && e.for_field("cursor").is_some()
    );
}

#[test]
fn coordinates_inside_the_netherlands_only() {
    let now = datetime!(2025-03-01 10:00 UTC);
    let cat = Catalogue::groningen_defaults();
    let mut input = valid();
    input.latitude = Some("53,21927".into());
    input.longitude = Some("6.568567".into());
    let s = NewSignal::parse(
        &input,
        &cat,
        &caller(Role::Analist),
        &IntakePolicy::default(),
        now,
    )
    .unwrap();
    let c = s.coordinates.unwrap();
    assert_eq!((c.lat_micro, c.lon_micro), (53_219_270, 6_568_567));
    assert_eq!(c.to_string(), "53.219270, 6.568567");
    input.latitude = Some("48.85".into());
    input.longitude = Some("oost".into());
    let e = NewSignal::parse(
        &input,
        &cat,
        &caller(Role::Analist),
        &IntakePolicy::default(),
        now,
    )
    .unwrap_err();
    assert!(matches!(
        e.for_field("latitude"),
        Some(Problem::OutsideNetherlands {
            axis: Axis::Latitude,
            ..
        })
    ));
    assert!(matches!(
        e.for_field("longitude"),
        Some(Problem::NotA {
            format: Format::Longitude,
            ..
        })
    ));
    input.longitude = None;
    let e = NewSignal::parse(
        &input,
        &cat,
        &caller(Role::Analist),
        &IntakePolicy::default(),
        now,
    )
    .unwrap_err();
    assert_eq!(
        e.for_field("longitude"),
        Some(&Problem::CoordinateWithoutPartner(Axis::Longitude))
    );
}

#[test]
fn api_coordinates_may_be_numbers() {
    let input: SignalInput = serde_json_like(r#"{"latitude": 53.2, "longitude": "6.5"}"#);
    assert_eq!(input.latitude.as_deref(), Some("53.2"));
    assert_eq!(input.longitude.as_deref(), Some("6.5"));
}

fn serde_json_like(text: &str) -> SignalInput {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_signal_received_after_midnight_in_groningen_counts_from_that_day() {
    // Monday 30 November 2026, 00:30 in Groningen is Sunday 23:30 UTC. Counting from Sunday
    // (the UTC date) would give a deadline a working day earlier than counting from Monday.
    let parse = |now: OffsetDateTime| {
        NewSignal::parse(
            &valid(),
            &Catalogue::groningen_defaults(),
            &caller(Role::Analist),
            &IntakePolicy::default(),
            now,
        )
        .unwrap()
    };
    let monday_night = parse(datetime!(2026-11-29 23:30 UTC));
    let monday_noon = parse(datetime!(2026-11-30 11:00 UTC));
    assert_eq!(monday_night.deadline, monday_noon.deadline);
    let sunday_evening = parse(datetime!(2026-11-29 22:30 UTC));
    assert!(sunday_evening.deadline <= monday_night.deadline);
    // Summer time: 00:30 on Monday 1 June 2026 is 22:30 UTC on Sunday.
    assert_eq!(
        parse(datetime!(2026-05-31 22:30 UTC)).deadline,
        parse(datetime!(2026-06-01 10:00 UTC)).deadline
    );
    // Retention counts from the Dutch day as well.
    assert_eq!(monday_night.retention_until, monday_noon.retention_until);
}

#[test]
fn a_plain_received_date_is_the_start_of_that_dutch_day() {
    // A year at the end of the calendar is an error, not a crash.
    assert!(parse_date_time("-9999-01-01").is_err());
    let t = parse_date_time("2026-07-15").unwrap();
    assert_eq!(t, datetime!(2026-07-14 22:00 UTC));
    assert_eq!(
        crate::calendar::local_date(t),
        time::macros::date!(2026 - 07 - 15)
    );
}

#[test]
fn dutch_dates_are_read_day_first_and_iso_dates_still_are() {
    use time::macros::date;
    for (text, day) in [
        ("15-10-2026", date!(2026 - 10 - 15)),
        ("5-3-2026", date!(2026 - 03 - 05)),
        ("05-03-2026", date!(2026 - 03 - 05)),
        ("15/10/2026", date!(2026 - 10 - 15)),
        (" 2026-10-15 ", date!(2026 - 10 - 15)),
    ] {
        assert_eq!(parse_date(text), Ok(day), "{text}");
    }
    for bad in [
        "31-02-2026",
        "15-13-2026",
        "10/15/2026",
        "15-10-26",
        "gisteren",
        "2026/10/15x",
    ] {
        assert!(parse_date(bad).is_err(), "{bad} accepted");
    }
    // A day with a Dutch wall-clock time; a plain Dutch day starts at local midnight.
    assert_eq!(
        parse_date_time("15-10-2026 14:30"),
        Ok(datetime!(2026-10-15 12:30 UTC))
    );
    assert_eq!(
        parse_date_time("5-12-2026"),
        Ok(datetime!(2026-12-04 23:00 UTC))
    );
    assert!(parse_date_time("15-10-2026 25:00").is_err());
}

#[test]
fn an_assignment_reason_is_required_and_bounded_as_a_status_reason() {
    assert!(Assignment::parse("", "Team Noord", " ").is_err());
    let long = "x".repeat(Assignment::MAX_REASON + 1);
    let errors = Assignment::parse("", "Team Noord", &long).unwrap_err();
    assert_eq!(
        errors.0[0].problem,
        Problem::TooLong {
            max: Assignment::MAX_REASON
        }
    );
    assert!(Assignment::parse("", "Team Noord", &long[1..]).is_ok());
}

#[test]
fn a_blank_subject_block_is_left_out_unless_its_kind_or_role_is_unknown() {
    let parse = |role: &str| {
        let mut input = valid();
        input.subjects = vec![crate::subject::SubjectInput {
            kind: Some("persoon".into()),
            role: Some(role.into()),
            ..Default::default()
        }];
        NewSignal::parse(
            &input,
            &Catalogue::groningen_defaults(),
            &caller(Role::Analist),
            &IntakePolicy::default(),
            datetime!(2025-03-01 10:00 UTC),
        )
    };
    assert!(parse("bewoner").unwrap().subjects.is_empty());
    let errors = parse("AAA").unwrap_err();
    assert_eq!(errors.0[0].field, "subjects[0].role");
}

#[test]
fn subjects_and_relations_are_objects_not_arrays_of_their_fields() {
    let read = |text: &str| serde_json::from_str::<SignalInput>(text);
    assert!(read(r#"{"subjects": [[null, null]]}"#).is_err());
    assert!(read(r#"{"relations": [[0, 1, "woont-op"]]}"#).is_err());
    let ok =
        read(r#"{"subjects": [{"kind": "persoon", "name": "Jan"}], "relations": []}"#).unwrap();
    assert_eq!(ok.subjects[0].name.as_deref(), Some("Jan"));
    assert!(read("{}").unwrap().subjects.is_empty());
}
