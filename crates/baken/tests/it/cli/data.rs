//! The data commands: areas and their bases, signal and field-object imports, area statistics.

use super::*;

#[test]
fn areas_import_reports_every_feature_and_refuses_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let buurten = format!(
        "{}/../../data/cbs/groningen-buurten-2014.geojson",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = baken(
        &[
            "areas",
            "import",
            &buurten,
            "--kind",
            "buurt",
            "--year",
            "2014",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("93 gebieden (buurt)"), "{out}");
    assert!(
        out.contains("hersteld: object 31 (BU00140709 Woonwagenkamp)"),
        "{out}"
    );
    let not_geojson = dir.path().join("kaart.geojson");
    std::fs::write(&not_geojson, "statcode;statnaam\nBU1;x\n").unwrap();
    let o = baken(
        &[
            "areas",
            "import",
            &not_geojson.display().to_string(),
            "--kind",
            "buurt",
            "--year",
            "2014",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("kaart.geojson: het bestand is geen GeoJSON"),
        "{}",
        text(&o)
    );
    let o = baken(
        &[
            "areas",
            "import",
            &buurten,
            "--kind",
            "straat",
            "--year",
            "2014",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(
        !o.status.success()
            && text(&o).contains("--kind")
            && text(&o).contains("onbekende gebiedssoort 'straat'"),
        "{}",
        text(&o)
    );
    let o = baken(
        &[
            "areas",
            "import",
            "/bestaat/niet.geojson",
            "--kind",
            "buurt",
            "--year",
            "2014",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(
        !o.status.success() && text(&o).contains("is niet te lezen"),
        "{}",
        text(&o)
    );
    // Nothing of the refused imports was stored: the buurten are still 93.
    let o = baken(&["audit", "verify", "--data-dir", &data], None);
    assert!(
        text(&o).contains("Auditketen intact: 2 gebeurtenissen"),
        "{}",
        text(&o)
    );
}

#[test]
fn import_signals_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    assert!(baken(
        &["org", "add", "--name", "Gemeente G", "--data-dir", &data],
        None
    )
    .status
    .success());
    assert!(baken(
        &[
            "user",
            "add",
            "--org",
            "Gemeente G",
            "--role",
            "analist",
            "--email",
            "a@g.nl",
            "--data-dir",
            &data
        ],
        Some("lang-genoeg-wachtwoord\n")
    )
    .status
    .success());
    let mapping = dir.path().join("koppeling.toml");
    std::fs::write(
        &mapping,
        "[columns]\ntitle = \"Titel\"\ndescription = \"Omschrijving\"\nthemes = \"Thema\"\n\n[defaults]\nsource_kind = \"partner\"\nsource_reliability = \"B\"\ninformation_credibility = \"2\"\n",
    )
    .unwrap();
    let csv = dir.path().join("signalen.csv");
    std::fs::write(
        &csv,
        "Titel;Omschrijving;Thema\nA;Eerste;drugs\nB;;drugs\nC;Derde;onbekend\n",
    )
    .unwrap();
    let report = dir.path().join("fouten.csv");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "import",
            "signals",
            csv.to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
            "--as",
            "a@g.nl",
            "--data-dir",
            &data,
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let o = run(&args(&["--report", report.to_str().unwrap()]), None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("rij 3, kolom Omschrijving: beschrijf wat er is waargenomen"),
        "{out}"
    );
    assert!(
        out.contains("rij 4, kolom Thema: onbekend thema 'onbekend'"),
        "{out}"
    );
    assert!(
        out.contains("Er is niets opgeslagen (alles of niets)"),
        "{out}"
    );
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(
        written.starts_with("rij;kolom;probleem\n3;Omschrijving;"),
        "{written}"
    );
    // A column named like a formula is written as text.
    std::fs::write(
        &mapping,
        "[columns]\ntitle = \"Titel\"\ndescription = \"=Omschrijving\"\nthemes = \"Thema\"\n\n[defaults]\nsource_kind = \"partner\"\nsource_reliability = \"B\"\ninformation_credibility = \"2\"\n",
    )
    .unwrap();
    std::fs::write(&csv, "Titel;=Omschrijving;Thema\nB;;drugs\n").unwrap();
    run(&args(&["--report", report.to_str().unwrap()]), None);
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.contains("\n2;'=Omschrijving;"), "{written}");
    std::fs::write(
        &mapping,
        "[columns]\ntitle = \"Titel\"\ndescription = \"Omschrijving\"\nthemes = \"Thema\"\n\n[defaults]\nsource_kind = \"partner\"\nsource_reliability = \"B\"\ninformation_credibility = \"2\"\n",
    )
    .unwrap();
    std::fs::write(
        &csv,
        "Titel;Omschrijving;Thema\nA;Eerste;drugs\nB;;drugs\nC;Derde;onbekend\n",
    )
    .unwrap();
    let o = run(&args(&["--dry-run"]), None);
    assert!(
        text(&o).contains("Proefrun: 3 rijen gelezen, 1 goed, 2 met fouten"),
        "{}",
        text(&o)
    );
    let o = run(&args(&["--skip-invalid"]), None);
    assert!(
        text(&o).contains("3 rijen gelezen, 1 signaal opgeslagen, 2 rijen met fouten overgeslagen"),
        "{}",
        text(&o)
    );
    let o = run(
        &with(
            &[
                "import",
                "signals",
                "/bestaat/niet.csv",
                "--mapping",
                mapping.to_str().unwrap(),
                "--as",
                "a@g.nl",
            ],
            &["--data-dir".to_string(), data.clone()],
        ),
        None,
    );
    assert!(!o.status.success() && text(&o).contains("is niet te lezen"));
    let o = run(&args(&["--as", "niemand@g.nl"]), None);
    assert!(!o.status.success(), "{}", text(&o));
    std::fs::write(&mapping, "[columns]\ntitel = \"Titel\"\n").unwrap();
    let o = run(&args(&[]), None);
    assert!(
        !o.status.success() && text(&o).contains("--mapping") && text(&o).contains("titel"),
        "{}",
        text(&o)
    );
}

#[tokio::test]
async fn field_objects_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    assert!(baken(
        &["org", "add", "--name", "Gemeente G", "--data-dir", &data],
        None
    )
    .status
    .success());
    assert!(baken(
        &[
            "user",
            "add",
            "--org",
            "Gemeente G",
            "--role",
            "analist",
            "--email",
            "a@g.nl",
            "--data-dir",
            &data
        ],
        Some("lang-genoeg-wachtwoord\n")
    )
    .status
    .success());
    let csv = dir.path().join("boerderijen.csv");
    std::fs::write(
        &csv,
        "naam;adres;gebied\nHoeve A;Dorpsweg 1;WK000901\nHoeve B;;\n",
    )
    .unwrap();
    let args = |kind: &str| {
        vec![
            "import",
            "objects",
            csv.to_str().unwrap(),
            "--kind",
            kind,
            "--as",
            "a@g.nl",
            "--data-dir",
            &data,
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let o = run(&args("boerderij"), None);
    assert!(
        !o.status.success() && text(&o).contains("onbekende soort object 'boerderij'"),
        "{}",
        text(&o)
    );
    let o = run(&args("agrarisch-bedrijf"), None);
    assert!(
        o.status.success() && text(&o).contains("2 objecten (agrarisch-bedrijf) ingelezen"),
        "{}",
        text(&o)
    );
    std::fs::write(&csv, "naam;gebied\nHoeve C;WK0009\n").unwrap();
    let o = run(&args("agrarisch-bedrijf"), None);
    assert!(
        !o.status.success() && text(&o).contains("rij 2, kolom gebied"),
        "{}",
        text(&o)
    );
}

#[test]
fn area_statistics_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let square = |x: f64, y: f64| {
        format!(
            "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
            x + 1.0,
            x + 1.0,
            y + 1.0,
            y + 1.0
        )
    };
    let feature = |id: &str, geom: String| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{id}"}},"geometry":{{"type":"Polygon","coordinates":{geom}}}}}"#
        )
    };
    let features = [
        feature("A", square(0.0, 0.0)),
        feature("B", square(1.0, 0.0)),
        feature("C", square(0.0, 1.0)),
        feature("D", square(1.0, 1.0)),
        feature("Eiland", square(9.0, 9.0)),
    ];
    let areas = dir.path().join("vlakken.geojson");
    std::fs::write(
        &areas,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let values = dir.path().join("waarden.csv");
    std::fs::write(&values, "code;aantal\nA;10\nB;9\nC;1\nD;2\nEiland;5\n").unwrap();
    let out = dir.path().join("uitkomst.csv");
    let args = |what: &str, weights: &str| {
        vec![
            "analyse",
            what,
            "--areas",
            areas.to_str().unwrap(),
            "--id-property",
            "code",
            "--values",
            values.to_str().unwrap(),
            "--weights",
            weights,
            "--permutations",
            "99",
            "--seed",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let o = run(&args("local", "queen"), None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 vlakken zonder buren (eilanden): Eiland"));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("id,moran_i,moran_quadrant,moran_z_sim,moran_p_sim,gi_star,gi_star_z"));
    assert_eq!(csv.lines().count(), 6);
    let island = csv.lines().find(|l| l.starts_with("Eiland,")).unwrap();
    assert!(
        island.contains(",,"),
        "no pseudo p-value for an island: {island}"
    );
    let same = std::fs::read_to_string(&out).unwrap();
    assert!(run(&args("local", "queen"), None).status.success());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        same,
        "the same seed gives the same result"
    );
    let o = run(&args("global", "rook"), None);
    assert!(
        o.status.success()
            && std::fs::read_to_string(&out)
                .unwrap()
                .starts_with("moran_i,expected")
    );
    let o = run(&args("local", "hexagon"), None);
    assert!(!o.status.success() && text(&o).contains("--weights: 'hexagon'"));
    std::fs::write(&values, "code;aantal\nA;1\nB;1\nC;1\nD;1\nEiland;1\n").unwrap();
    let o = run(&args("global", "queen"), None);
    assert!(
        !o.status.success() && text(&o).contains("alle waarden zijn gelijk"),
        "{}",
        text(&o)
    );
    std::fs::write(&values, "code;aantal\nA;10\nB;9\n").unwrap();
    let o = run(&args("local", "queen"), None);
    assert!(
        !o.status.success() && text(&o).contains("geen waarde voor vlak 'C'"),
        "{}",
        text(&o)
    );
}

#[tokio::test]
async fn area_bases_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let file = dir.path().join("inwoners.csv");
    let bases = |path: &std::path::Path, extra: &[&str]| {
        let p = path.display().to_string();
        let mut args = vec![
            "areas",
            "bases",
            &p,
            "--kind",
            "inwoners",
            "--year",
            "2024",
            "--data-dir",
            &data,
        ];
        args.extend_from_slice(extra);
        baken(&args, None)
    };
    // One bad row refuses the whole file and names every problem.
    std::fs::write(
        &file,
        "gwb_code;inwoners\nWK001400;20.485\nWK001401;veel\nWK0014;3\nWK001400;1\n",
    )
    .unwrap();
    let o = bases(
        &file,
        &[
            "--source",
            "CBS 2024",
            "--code-column",
            "gwb_code",
            "--value-column",
            "inwoners",
        ],
    );
    assert!(!o.status.success());
    let out = text(&o);
    assert!(out.contains("er is niets opgeslagen"), "{out}");
    assert!(
        out.contains("rij 3: aantal: 'veel' is geen geheel aantal"),
        "{out}"
    );
    assert!(out.contains("rij 4: code"), "{out}");
    assert!(
        out.contains("rij 5: code WK001400 staat er twee keer in"),
        "{out}"
    );
    // A column that is not there is named with the columns that are.
    let o = bases(&file, &["--source", "CBS 2024"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--code-column: kolom 'code' staat niet in"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("gwb_code, inwoners"));
    // A source is required.
    let o = bases(&file, &["--source", " "]);
    assert!(text(&o).contains("--source: noem de bron"));

    std::fs::write(&file, "code,aantal\nWK001400,20.485\nWK001401,15000\n").unwrap();
    let o = bases(
        &file,
        &["--source", "CBS Kerncijfers wijken en buurten 2024"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("2 aantallen inwoners (2024)"),
        "{}",
        text(&o)
    );
    let store = baken_store::open(None, dir.path()).await.unwrap();
    let stored = store
        .area_bases(baken_core::picture::BaseKind::Inwoners)
        .await
        .unwrap();
    assert_eq!(
        stored
            .iter()
            .map(|b| (b.area_code.as_str(), b.value))
            .collect::<Vec<_>>(),
        vec![("WK001400", 20_485), ("WK001401", 15_000)]
    );
    assert_eq!(stored[0].source, "CBS Kerncijfers wijken en buurten 2024");
}

/// Files read whole are measured before they are read: an area file past the limit (sparse
/// here, so the test writes nothing) and a mapping past its own are refused with the limit.
#[test]
fn files_past_their_limit_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let huge = dir.path().join("nederland.geojson");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(512 * 1024 * 1024 + 1)
        .unwrap();
    let o = baken(
        &[
            "areas",
            "import",
            &huge.display().to_string(),
            "--kind",
            "buurt",
            "--year",
            "2014",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("is 513 MiB; de grens is 512 MiB"),
        "{}",
        text(&o)
    );
    let mapping = dir.path().join("koppeling.toml");
    std::fs::File::create(&mapping)
        .unwrap()
        .set_len(2 * 1024 * 1024)
        .unwrap();
    let csv = dir.path().join("meldingen.csv");
    std::fs::write(&csv, "Titel\nx\n").unwrap();
    let o = baken(
        &[
            "import",
            "signals",
            &csv.display().to_string(),
            "--mapping",
            &mapping.display().to_string(),
            "--as",
            "analist@a.test",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("--mapping: "), "{}", text(&o));
    assert!(
        text(&o).contains("is 2 MiB; de grens is 1 MiB"),
        "{}",
        text(&o)
    );
}
