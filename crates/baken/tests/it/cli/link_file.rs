//! `baken link file`: deduplicating and linking spreadsheets with the engine of the store.

use super::*;

/// Pairs from `baken link file`'s output, each ordered.
fn pairs_written(out: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            let (x, y) = (f.next().unwrap().to_string(), f.next().unwrap().to_string());
            if x < y {
                (x, y)
            } else {
                (y, x)
            }
        })
        .collect()
}

#[test]
fn link_file_never_joins_records_with_conflicting_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mensen.csv");
    let out = dir.path().join("pairs.csv");
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[columns]\nfull_name = \"naam\"\ndate_of_birth = \"geboren\"\npostcode = \"pc\"\nhouse_number = \"nr\"\norganisation_name = \"organisatie\"\n",
    )
    .unwrap();
    // A father and son of the same name at the same address, two mentions of "Jan de Vries"
    // there without a date (either could be either), and two organisations of the same name
    // and address but of different legal forms.
    std::fs::write(
        &file,
        "id;naam;geboren;pc;nr;organisatie\n\
         vader;JAN de Vries;12-04-1979;9711AA;12;\n\
         zoon;Jan de Vries;02-04-1985;9711AA;12;\n\
         zonder1;Jan de Vries;;9711AA;12;\n\
         zonder2;J. de Vries;;9711 AA;12;\n\
         bv;;;9711AA;14;Jansen Transport B.V.\n\
         stichting;;;9711AA;14;Stichting Jansen Transport\n\
         bv2;;;9711AA;14;Jansen Transport BV\n",
    )
    .unwrap();
    let o = baken(
        &[
            "link",
            "file",
            &file.display().to_string(),
            "--id-column",
            "id",
            "--mapping",
            &map.display().to_string(),
            "--out",
            &out.display().to_string(),
            "--threshold",
            "0.5",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let found = pairs_written(&out);
    // The pairs written, joined transitively, never put father and son (or B.V. and
    // stichting) together.
    let mut group: std::collections::BTreeMap<String, String> = Default::default();
    fn root(g: &std::collections::BTreeMap<String, String>, x: &str) -> String {
        let mut x = x.to_string();
        while let Some(p) = g.get(&x).filter(|p| **p != x) {
            x = p.clone();
        }
        x
    }
    for (a, b) in &found {
        let (ra, rb) = (root(&group, a), root(&group, b));
        if ra != rb {
            group.insert(ra, rb);
        }
    }
    assert_ne!(root(&group, "vader"), root(&group, "zoon"), "{found:?}");
    assert_ne!(root(&group, "bv"), root(&group, "stichting"), "{found:?}");
    // What does not conflict still links: the two ways of writing the B.V.
    assert!(found.contains(&("bv".into(), "bv2".into())), "{found:?}");
    assert!(
        text(&o).contains("niet gekoppeld: ze zouden records met tegenstrijdige gegevens"),
        "{}",
        text(&o)
    );
}

#[test]
fn link_file_deduplicates_and_links_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let out = dir.path().join("pairs.csv");
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[columns]\nfull_name = \"naam\"\ndate_of_birth = \"geboren\"\npostcode = \"pc\"\nhouse_number = \"nr\"\n",
    )
    .unwrap();
    let mut rows = String::from("id;naam;geboren;pc;nr\n");
    let people = [
        ("Jan", "de Vries"),
        ("Piet", "Bakker"),
        ("Anna", "van der Berg"),
        ("Klaas", "Visser"),
        ("Sanne", "Smit"),
        ("Lotte", "Meijer"),
        ("Bram", "Mulder"),
        ("Eva", "Bos"),
    ];
    for (i, (g, s)) in people.iter().enumerate() {
        rows.push_str(&format!(
            "p{i};{g} {s};19{}-0{}-1{};97{i}1AB;{}\n",
            60 + i,
            1 + i,
            i,
            10 + i
        ));
    }
    // Two duplicates written differently: initial and register order, Dutch date order.
    rows.push_str("d0;Vries, J. de;10-01-1960;971 1ab;10\n");
    rows.push_str("d2;Berg, Anna van der;12-03-1962;9721AB;12\n");
    // An id that a spreadsheet would run as a formula.
    rows.push_str("=HYPERLINK(\"http://x\");Eva Bos;1967-08-17;9771AB;17\n");
    std::fs::write(&a, &rows).unwrap();
    let o = baken(
        &[
            "link",
            "file",
            &a.display().to_string(),
            "--id-column",
            "id",
            "--mapping",
            &map.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("11 records"), "{}", text(&o));
    let pairs = std::fs::read_to_string(&out).unwrap();
    assert!(
        pairs.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "the formula id is written as text: {pairs}"
    );
    let lines: Vec<&str> = pairs.lines().collect();
    assert_eq!(lines[0], "left_id,right_id,match_probability,match_weight");
    let found = pairs_written(&out);
    assert!(found.contains(&("d0".into(), "p0".into())), "{pairs}");
    assert!(found.contains(&("d2".into(), "p2".into())), "{pairs}");
    assert!(
        found.contains(&("\"'=HYPERLINK(\"\"http://x\"\")\"".into(), "p7".into())),
        "{pairs}"
    );
    assert_eq!(found.len(), 3, "{pairs}");

    // Linking two files writes the first file's id on the left.
    std::fs::write(
        &b,
        "id;naam;geboren;pc;nr\nx;J. de Vries;1960-01-10;9701AB;10\n",
    )
    .unwrap();
    let o = baken(
        &[
            "link",
            "file",
            &a.display().to_string(),
            &b.display().to_string(),
            "--id-column",
            "id",
            "--mapping",
            &map.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let pairs = std::fs::read_to_string(&out).unwrap();
    assert!(
        pairs
            .lines()
            .skip(1)
            .all(|l| l.split(',').nth(1) == Some("x")),
        "{pairs}"
    );
    assert!(pairs.contains("p0,x,"), "{pairs}");

    // Bad mappings and columns are named.
    std::fs::write(&map, "[columns]\nvoornaam = \"naam\"\n").unwrap();
    let o = baken(
        &[
            "link",
            "file",
            &a.display().to_string(),
            "--id-column",
            "id",
            "--mapping",
            &map.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("onbekend soort veld 'voornaam'"),
        "{}",
        text(&o)
    );
    std::fs::write(&map, "[columns]\nsurname = \"achternaam\"\n").unwrap();
    let o = baken(
        &[
            "link",
            "file",
            &a.display().to_string(),
            "--id-column",
            "id",
            "--mapping",
            &map.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
        None,
    );
    assert!(
        text(&o).contains("kolom 'achternaam' (surname) staat niet in"),
        "{}",
        text(&o)
    );
    let o = baken(
        &[
            "link",
            "file",
            &a.display().to_string(),
            "--id-column",
            "nummer",
            "--out",
            &out.display().to_string(),
        ],
        None,
    );
    assert!(
        text(&o).contains("--id-column: kolom 'nummer' staat niet in"),
        "{}",
        text(&o)
    );
}
