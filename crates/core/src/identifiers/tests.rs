use super::*;
use proptest::prelude::*;

const BAG_TYPES: [&str; 6] = ["01", "02", "03", "10", "20", "30"];

fn bsn_check_digit(first8: &[u8]) -> Option<u8> {
    let sum: i64 = first8
        .iter()
        .enumerate()
        .map(|(i, d)| i64::from(*d) * (9 - i as i64))
        .sum();
    let last = sum % 11;
    (last < 10).then_some(last as u8)
}

#[test]
fn bag_ids_from_the_groningen_examples() {
    let na = BagId::parse("0014200010875280").unwrap();
    assert_eq!(na.object_type(), BagObjectType::Nummeraanduiding);
    assert_eq!(na.municipality_code(), "0014");
    let vbo = BagId::parse_as("0014010011064644", BagObjectType::Verblijfsobject).unwrap();
    assert_eq!(vbo.to_string(), "0014010011064644");
    let err = BagId::parse_as("0014300010785543", BagObjectType::Nummeraanduiding).unwrap_err();
    assert!(err.to_string().contains("openbare ruimte"), "{err}");
    assert!(matches!(
        BagId::parse("0014990011064644"),
        Err(IdentifierError::BagObjectType(_))
    ));
    assert!(matches!(
        BagId::parse("001401001106464"),
        Err(IdentifierError::Length { .. })
    ));
    assert!(matches!(
        BagId::parse("0014O10011064644"),
        Err(IdentifierError::NotDigits)
    ));
}

#[test]
fn postcode_is_normalised() {
    let p = Postcode::parse(" 9712 jg ").unwrap();
    assert_eq!(p.compact(), "9712JG");
    assert_eq!(p.to_string(), "9712 JG");
    assert_eq!(Postcode::parse("9712JG").unwrap(), p);
    for bad in [
        "0712JG", "9712 J", "9712-JG", "97123JG", "9712  JG", "971 2JG", "ABCD12", "",
    ] {
        assert!(Postcode::parse(bad).is_err(), "{bad} accepted");
    }
    assert!(matches!(
        Postcode::parse("9712 SS"),
        Err(IdentifierError::PostcodeLetters(_))
    ));
}

#[test]
fn bsn_and_rsin_follow_the_eleven_test() {
    assert_eq!(Bsn::parse("111222333").unwrap().expose(), "111222333");
    assert_eq!(Bsn::parse("1112.22.333").unwrap().expose(), "111222333");
    assert!(matches!(
        Bsn::parse("111222334"),
        Err(IdentifierError::ElevenTest)
    ));
    assert!(Bsn::parse("000000000").is_err());
    assert!(Rsin::parse("111222333").is_ok());
    assert_eq!(
        format!("{:?}", Bsn::parse("111222333").unwrap()),
        "Bsn(*********)"
    );
    assert!(!format!("{}", Bsn::parse("111222333").unwrap()).contains('1'));
}

#[test]
fn bsn_needs_a_legal_basis_to_be_stored() {
    let bsn = Bsn::parse("111222333").unwrap();
    assert_eq!(
        StorableBsn::new(bsn.clone(), None),
        Err(IdentifierError::BsnNotAllowed)
    );
    assert_eq!(
        StorableBsn::new(bsn.clone(), Some("  ")),
        Err(IdentifierError::BsnNotAllowed)
    );
    assert_eq!(
        StorableBsn::new(bsn, Some("Wet Bibob art. 7a"))
            .unwrap()
            .legal_basis,
        "Wet Bibob art. 7a"
    );
}

#[test]
fn kvk_and_vestiging_lengths() {
    assert_eq!(
        KvkNumber::parse("0123 4567").unwrap().to_string(),
        "01234567"
    );
    assert!(KvkNumber::parse("1234567").is_err());
    assert!(Vestigingsnummer::parse("000012345678").is_ok());
    assert!(Vestigingsnummer::parse("00001234567").is_err());
}

#[test]
fn plates_in_every_sidecode() {
    let cases = [
        ("ab1234", "AB-12-34", 1),
        ("1234AB", "12-34-AB", 2),
        ("12-AB-34", "12-AB-34", 3),
        ("AB12CD", "AB-12-CD", 4),
        ("ABCD12", "AB-CD-12", 5),
        ("12ABCD", "12-AB-CD", 6),
        ("12ABC3", "12-ABC-3", 7),
        ("1ABC23", "1-ABC-23", 8),
        ("AB123C", "AB-123-C", 9),
        ("A123BC", "A-123-BC", 10),
        ("ABC12D", "ABC-12-D", 11),
        ("A12BCD", "A-12-BCD", 12),
        ("1AB234", "1-AB-234", 13),
        ("123AB4", "123-AB-4", 14),
    ];
    for (input, shown, sidecode) in cases {
        let k = Kenteken::parse(input).unwrap();
        assert_eq!(k.to_string(), shown);
        assert_eq!(k.sidecode(), sidecode);
    }
    for bad in [
        "ABC123",
        "AB-12-3",
        "A1B2C3",
        "AB-1234",
        "ABCDEF",
        "123456",
        "AB-12-34-5",
        "A-B1234",
    ] {
        assert!(Kenteken::parse(bad).is_err(), "{bad} accepted");
    }
    // A sidecode's shape with a letter the RDW never issues.
    assert_eq!(
        Kenteken::parse("QQ-123-Q"),
        Err(IdentifierError::PlateLetter('Q'))
    );
    assert_eq!(Kenteken::parse("12-ABC-3").map(|k| k.sidecode()), Ok(7));
}

#[test]
fn cbs_codes_know_their_parents() {
    let bu = CbsCode::parse("BU00140000").unwrap();
    let wk = CbsCode::parse("WK001400  ").unwrap();
    let gm = CbsCode::parse("gm0014").unwrap();
    assert_eq!(bu.parent(), Some(wk.clone()));
    assert_eq!(wk.parent(), Some(gm.clone()));
    assert!(bu.within(&gm));
    assert!(!gm.within(&bu));
    assert!(!CbsCode::parse("BU00140101").unwrap().within(&wk));
    for bad in ["WK00140", "BU0014000", "XX001400", "GM14", ""] {
        assert!(CbsCode::parse(bad).is_err(), "{bad} accepted");
    }
}

#[test]
fn area_codes_are_cbs_or_custom() {
    assert_eq!(
        AreaCode::parse("bu00140000").unwrap().with_parents(),
        vec!["BU00140000", "WK001400", "GM0014"]
    );
    assert_eq!(
        AreaCode::parse("BT-zuidoost").unwrap().as_str(),
        "BT-zuidoost"
    );
    assert_eq!(
        AreaCode::parse("bg-ten-boer").unwrap().as_str(),
        "BG-ten-boer"
    );
    for bad in [
        "BT-",
        "BT-Zuid Oost",
        "XX-zuidoost",
        "zuidoost",
        "WK0014",
        "BT--x",
    ] {
        assert!(AreaCode::parse(bad).is_err(), "{bad} accepted");
    }
}

proptest! {
    #[test]
    fn bag_round_trip(gm in 1u32..10_000, t in 0usize..6, seq in 0u64..10_000_000_000) {
        let s = format!("{gm:04}{}{seq:010}", BAG_TYPES[t]);
        let id = BagId::parse(&s).unwrap();
        prop_assert_eq!(id.to_string(), s.clone());
        prop_assert_eq!(BagId::parse(id.as_ref()).unwrap(), id);
        // Near misses: one digit short, one too many, an unknown object type.
        prop_assert!(BagId::parse(&s[1..]).is_err());
        assert!(BagId::parse(&format!("{s}0")).is_err());
        let bad_type = format!("{gm:04}{:02}{seq:010}", [4u32, 5, 11, 21, 31, 99][t]);
        prop_assert!(BagId::parse(&bad_type).is_err());
    }

    #[test]
    fn bsn_round_trip_and_single_digit_errors(digits in proptest::collection::vec(0u8..10, 8), pos in 0usize..9, delta in 1u8..10) {
        if let Some(check) = bsn_check_digit(&digits) {
            let mut all = digits.clone();
            all.push(check);
            let s: String = all.iter().map(|d| char::from(b'0' + d)).collect();
            if s != "000000000" {
                let bsn = Bsn::parse(&s).unwrap();
                prop_assert_eq!(Bsn::parse(bsn.expose()).unwrap(), bsn);
                let mut wrong = all.clone();
                wrong[pos] = (wrong[pos] + delta) % 10;
                let w: String = wrong.iter().map(|d| char::from(b'0' + d)).collect();
                prop_assert!(Bsn::parse(&w).is_err(), "{} accepted", w);
            }
        }
    }

    #[test]
    fn postcode_round_trip(n in 1000u32..10_000, a in b'A'..=b'Z', b in b'A'..=b'Z', space: bool) {
        let letters = format!("{}{}", a as char, b as char);
        let input = if space { format!("{n} {letters}") } else { format!("{n}{letters}") };
        match Postcode::parse(&input) {
            Ok(p) => {
                prop_assert!(!matches!(letters.as_str(), "SA" | "SD" | "SS"));
                prop_assert_eq!(p.compact(), format!("{n}{letters}"));
                prop_assert_eq!(Postcode::parse(&p.to_string()).unwrap(), p.clone());
                prop_assert_eq!(Postcode::parse(&input.to_lowercase()).unwrap(), p);
            }
            Err(_) => prop_assert!(matches!(letters.as_str(), "SA" | "SD" | "SS")),
        }
        assert!(Postcode::parse(&format!("{}{letters}", n / 10)).is_err());
        assert!(Postcode::parse(&format!("{n}{}", a as char)).is_err());
    }

    #[test]
    fn plate_round_trip(code in 0usize..14, seed in proptest::collection::vec(0u8..26, 6)) {
        let pattern = SIDECODES[code].1;
        let raw: String = pattern.bytes().zip(seed.iter()).map(|(p, s)| {
            // Any letter but Q, which is never issued.
            if p == b'D' { char::from(b'0' + s % 10) } else if *s == b'Q' - b'A' { 'R' } else { char::from(b'A' + s) }
        }).collect();
        let k = Kenteken::parse(&raw).unwrap();
        prop_assert_eq!(k.sidecode(), SIDECODES[code].0);
        prop_assert_eq!(Kenteken::parse(&k.to_string()).unwrap(), k.clone());
        prop_assert_eq!(k.compact(), raw.clone());
        // Dropping a character never leaves a valid plate.
        prop_assert!(Kenteken::parse(&raw[1..]).is_err());
    }

    #[test]
    fn cbs_round_trip(gm in 0u32..10_000, wk in 0u32..100, bu in 0u32..100) {
        let b = format!("BU{gm:04}{wk:02}{bu:02}");
        let code = CbsCode::parse(&b).unwrap();
        prop_assert_eq!(code.to_string(), b.clone());
        let wijk = format!("WK{gm:04}{wk:02}");
        prop_assert_eq!(code.parent().unwrap().to_string(), wijk);
        prop_assert!(CbsCode::parse(&b[..b.len() - 1]).is_err());
        assert!(CbsCode::parse(&format!("{b}0")).is_err());
    }
}
