use super::*;
use crate::identifiers::IdentifierError;
use crate::validation::Choice;
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 01);

fn input(kind: &str) -> SubjectInput {
    SubjectInput {
        kind: Some(kind.into()),
        ..Default::default()
    }
}

#[test]
fn addresses_in_three_forms() {
    let mut by_postcode = input("adres");
    by_postcode.postcode = Some("9712 jg".into());
    by_postcode.house_number = Some("3".into());
    by_postcode.house_letter = Some("a".into());
    by_postcode.house_number_addition = Some("bis".into());
    let s = NewSubject::parse(&by_postcode, 0, TODAY).unwrap();
    assert_eq!(s.normalised, "9712JG 3A-BIS");
    assert_eq!(s.original, "3 a bis 9712 jg");
    assert_eq!(s.details.display(), "3A-BIS, 9712 JG");

    let mut by_bag = input("adres");
    by_bag.bag_id = Some("0014200010875280".into());
    assert_eq!(
        NewSubject::parse(&by_bag, 0, TODAY).unwrap().normalised,
        "BAG 0014200010875280"
    );
    by_bag.bag_id = Some("0014100010875280".into());
    let e = NewSubject::parse(&by_bag, 2, TODAY).unwrap_err();
    assert!(
        matches!(
            e.for_field("subjects[2].bagId"),
            Some(Problem::Identifier(IdentifierError::BagWrongObjectType {
                found: BagObjectType::Pand,
                ..
            }))
        ),
        "{e}"
    );

    let mut by_street = input("adres");
    by_street.street = Some("Martinikerkhof".into());
    by_street.house_number = Some("3".into());
    by_street.place = Some("Groningen".into());
    assert_eq!(
        NewSubject::parse(&by_street, 0, TODAY).unwrap().normalised,
        "MARTINIKERKHOF 3 GRONINGEN"
    );

    let mut incomplete = input("adres");
    incomplete.street = Some("Martinikerkhof".into());
    let e = NewSubject::parse(&incomplete, 1, TODAY).unwrap_err();
    assert_eq!(
        e.for_field("subjects[1].postcode"),
        Some(&Problem::Missing(Missing::Address))
    );
}

#[test]
fn persons_organisations_vehicles() {
    let mut p = input("persoon");
    p.name = Some("  José  van der   Berg ".into());
    p.role = Some("huurder".into());
    p.birth_date = Some("1980-02-29".into());
    let s = NewSubject::parse(&p, 0, TODAY).unwrap();
    assert_eq!(s.normalised, "JOSE VAN DER BERG 1980-02-29");
    assert_eq!(s.role, SubjectRole::Huurder);
    assert_eq!(s.original, "José  van der   Berg 1980-02-29");

    let mut o = input("organisatie");
    o.name = Some("Loods & Opslag B.V.".into());
    o.kvk_number = Some("1234 5678".into());
    assert_eq!(
        NewSubject::parse(&o, 0, TODAY).unwrap().normalised,
        "KVK 12345678"
    );
    o.kvk_number = Some("123".into());
    assert!(NewSubject::parse(&o, 0, TODAY)
        .unwrap_err()
        .for_field("subjects[0].kvkNumber")
        .is_some());

    let mut v = input("voertuig");
    v.plate = Some("12-abc-3".into());
    v.role = Some("chauffeur".into());
    let s = NewSubject::parse(&v, 0, TODAY).unwrap();
    assert_eq!(
        (s.normalised.as_str(), s.details.display().as_str()),
        ("12ABC3", "12-ABC-3")
    );
    v.plate = Some("ABC123".into());
    assert!(NewSubject::parse(&v, 0, TODAY)
        .unwrap_err()
        .for_field("subjects[0].plate")
        .is_some_and(|p| *p == Problem::Identifier(IdentifierError::PlateFormat)));
}

#[test]
fn phones_emails_ibans() {
    for (typed, e164) in [
        ("06-12345678", "+31612345678"),
        ("+31 (0)6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("050 - 367 11 11", "+31503671111"),
        ("+49 30 1234567", "+49301234567"),
    ] {
        assert_eq!(normalise_phone(typed).unwrap(), e164, "{typed}");
    }
    for bad in ["12345", "06-1234567", "+31 6 1234 56789", "bel mij", "0"] {
        assert!(normalise_phone(bad).is_err(), "{bad}");
    }
    assert_eq!(
        normalise_email(" Info@Voorbeeld.NL ").unwrap(),
        "info@voorbeeld.nl"
    );
    for bad in [
        "info", "info@", "@x.nl", "a b@x.nl", "a@x", "a@@x.nl", "a@x..nl",
    ] {
        assert!(normalise_email(bad).is_err(), "{bad}");
    }
    assert_eq!(
        normalise_iban("nl91 abna 0417 1643 00").unwrap(),
        "NL91ABNA0417164300"
    );
    assert!(matches!(
        normalise_iban("NL91ABNA0417164301"),
        Err(Problem::NotA {
            format: Format::IbanChecksum,
            ..
        })
    ));
    assert!(normalise_iban("NL91ABNA041716430").is_err());
    assert_eq!(
        normalise_iban("DE89 3704 0044 0532 0130 00").unwrap(),
        "DE89370400440532013000"
    );
    let mut iban = input("iban");
    iban.value = Some("NL91ABNA0417164301".into());
    assert!(NewSubject::parse(&iban, 0, TODAY)
        .unwrap_err()
        .for_field("subjects[0].value")
        .is_some());
}

#[test]
fn kind_and_role_are_checked() {
    let e = NewSubject::parse(&input("hond"), 3, TODAY).unwrap_err();
    assert!(matches!(
        e.for_field("subjects[3].kind"),
        Some(Problem::UnknownChoice {
            choice: Choice::SubjectKind,
            ..
        })
    ));
    let mut p = input("persoon");
    p.name = Some("X".into());
    p.role = Some("baas".into());
    assert!(NewSubject::parse(&p, 0, TODAY)
        .unwrap_err()
        .for_field("subjects[0].role")
        .is_some());
    assert!(SubjectInput::default().is_blank());
}

#[test]
fn relations_refer_to_subjects_of_the_signal() {
    let ok = RelationInput {
        from: Some(0),
        to: Some(1),
        kind: Some("eigenaar-van".into()),
        ..Default::default()
    };
    assert_eq!(
        NewRelation::parse(&ok, 0, 2).unwrap().kind,
        RelationKind::EigenaarVan
    );
    let bad = RelationInput {
        from: Some(0),
        to: Some(5),
        kind: Some("vriend".into()),
        valid_from: Some("2025-01-02".into()),
        valid_until: Some("2025-01-01".into()),
    };
    let e = NewRelation::parse(&bad, 1, 2).unwrap_err();
    for f in [
        "relations[1].to",
        "relations[1].kind",
        "relations[1].validUntil",
    ] {
        assert!(e.for_field(f).is_some(), "{f}: {e}");
    }
    let same = RelationInput {
        from: Some(1),
        to: Some(1),
        kind: Some("overig".into()),
        ..Default::default()
    };
    assert!(NewRelation::parse(&same, 0, 2).is_err());
}

proptest! {
    #[test]
    fn normalisation_is_idempotent(mobile in 10_000_000u32..99_999_999, name in "[A-Za-zéë ]{1,30}") {
        let once = normalise_phone(&format!("06{mobile:08}")).unwrap();
        prop_assert_eq!(normalise_phone(&once).unwrap(), once.clone());
        let folded = fold(&name);
        prop_assert_eq!(fold(&folded), folded);
    }

    #[test]
    fn iban_single_digit_changes_are_caught(pos in 4usize..18, delta in 1u32..10) {
        let good = "NL91ABNA0417164300";
        let mut chars: Vec<char> = good.chars().collect();
        if let Some(d) = chars[pos].to_digit(10) {
            chars[pos] = char::from_digit((d + delta) % 10, 10).unwrap();
            let bad: String = chars.into_iter().collect();
            prop_assert!(normalise_iban(&bad).is_err(), "{} accepted", bad);
        }
    }
}

#[test]
fn an_address_typed_as_text_gives_its_postcode_and_number() {
    let pc = |t: &str| postcode_and_number(t).map(|(p, n)| (p.compact().to_string(), n));
    assert_eq!(
        pc("Oosterparkstraat 12a, 9713 AA Groningen"),
        Some(("9713AA".into(), 12))
    );
    assert_eq!(pc("9713AA 12-1"), Some(("9713AA".into(), 12)));
    assert_eq!(pc("9713 aa, nummer 7"), Some(("9713AA".into(), 7)));
    assert_eq!(
        pc("Loods bij 1e Hunzepad 3, 9471 PA Zuidlaren"),
        Some(("9471PA".into(), 3)),
        "an ordinal in the street name is no house number"
    );
    assert_eq!(pc("Oosterparkstraat 12"), None, "no postcode");
    assert_eq!(pc("9713 AA Groningen"), None, "no number");
    assert_eq!(pc("12345 AB 3"), None, "five digits are no postcode");
}

#[test]
fn a_relation_position_may_be_written_as_a_whole_number_with_a_point() {
    let r: RelationInput = serde_json::from_str(r#"{"from": 0.0, "to": 1}"#).unwrap();
    assert_eq!((r.from, r.to), (Some(0), Some(1)));
    assert!(serde_json::from_str::<RelationInput>(r#"{"from": 0.5}"#).is_err());
    assert!(serde_json::from_str::<RelationInput>(r#"{"from": -1}"#).is_err());
}

#[test]
fn an_iban_with_wide_characters_is_refused_not_a_panic() {
    assert!(normalise_iban("0\u{80}0000\u{10000}\u{10000}").is_err());
    assert!(normalise_iban("NL91 ABNA 0417 1643 00").is_ok());
}

#[test]
fn a_bsn_needs_the_callers_legal_basis_and_the_elfproef_and_a_person() {
    let person = SubjectInput {
        kind: Some("persoon".into()),
        name: Some("Jan de Vries".into()),
        bsn: Some("1112.22.333".into()),
        ..Default::default()
    };
    let refused = NewSubject::parse(&person, 0, TODAY).unwrap_err();
    assert_eq!(
        refused.for_field("subjects[0].bsn"),
        Some(&Problem::Identifier(IdentifierError::BsnNotAllowed))
    );
    let basis = Some("Wet Bibob art. 7a");
    let s = NewSubject::parse_with_bsn(&person, 0, TODAY, basis).unwrap();
    let bsn = s.bsn.as_ref().unwrap();
    assert_eq!(bsn.bsn.expose(), "111222333");
    assert_eq!(bsn.legal_basis, "Wet Bibob art. 7a");
    // The number stays out of everything else a subject carries.
    for text in [&s.original, &s.normalised, &s.details.display()] {
        assert!(
            !text.contains("111222333") && !text.contains("1112"),
            "{text}"
        );
    }
    assert!(!serde_json::to_string(&s).unwrap().contains("111222333"));
    let mut wrong = person.clone();
    wrong.bsn = Some("111222334".into());
    assert!(NewSubject::parse_with_bsn(&wrong, 0, TODAY, basis)
        .unwrap_err()
        .for_field("subjects[0].bsn")
        .is_some());
    let vehicle = SubjectInput {
        kind: Some("voertuig".into()),
        plate: Some("12-ABC-3".into()),
        bsn: Some("111222333".into()),
        ..Default::default()
    };
    assert_eq!(
        NewSubject::parse_with_bsn(&vehicle, 1, TODAY, basis)
            .unwrap_err()
            .for_field("subjects[1].bsn"),
        Some(&Problem::BsnOnlyForPersons)
    );
}
