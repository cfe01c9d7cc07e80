//! The `baken` binary: configuration, accounts, tokens, first start and `audit verify`.

use baken_store::testing::{TestDatabase, TestEngine};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

pub fn baken(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baken"))
        .args(args)
        .env_remove("BAKEN_DATA_DIR")
        .env_remove("BAKEN_DATABASE_URL")
        .env_remove("BAKEN_BIND")
        .env_remove("BAKEN_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn with(args: &[&str], loc: &[String]) -> Vec<String> {
    args.iter()
        .map(|s| s.to_string())
        .chain(loc.iter().cloned())
        .collect()
}

fn run(args: &[String], stdin: Option<&str>) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    baken(&refs, stdin)
}

async fn tamper(loc: &[String], sql: &str) {
    if loc[0] == "--database-url" {
        let pool = sqlx::PgPool::connect(&loc[1]).await.unwrap();
        sqlx::raw_sql("DROP TRIGGER audit_event_append_only ON audit_event")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
    } else {
        let url = format!("sqlite://{}/baken.db", loc[1]);
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::raw_sql(
            "DROP TRIGGER audit_event_append_only_u; DROP TRIGGER audit_event_append_only_d;",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
    }
}

baken_store::on_both_engines!(TestDatabase => accounts_tokens_and_audit_verify);

async fn accounts_tokens_and_audit_verify(db: &TestDatabase) {
    let loc = db.cli_args();
    let o = run(
        &with(
            &[
                "org",
                "add",
                "--name",
                "Gemeente Test",
                "--kind",
                "gemeente",
            ],
            &loc,
        ),
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let bad_role = run(
        &with(
            &[
                "user",
                "add",
                "--org",
                "Gemeente Test",
                "--role",
                "admin",
                "--email",
                "a@test.nl",
            ],
            &loc,
        ),
        Some("lang-genoeg-wachtwoord\n"),
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).contains("--role") && text(&bad_role).contains("onbekende rol 'admin'"),
        "{}",
        text(&bad_role)
    );
    let short = run(
        &with(
            &[
                "user",
                "add",
                "--org",
                "Gemeente Test",
                "--role",
                "analist",
                "--email",
                "a@test.nl",
            ],
            &loc,
        ),
        Some("kort\n"),
    );
    assert!(!short.status.success() && text(&short).contains("minstens 12 tekens"));
    let no_org = run(
        &with(
            &[
                "user",
                "add",
                "--org",
                "Bestaat Niet",
                "--role",
                "analist",
                "--email",
                "a@test.nl",
            ],
            &loc,
        ),
        Some("lang-genoeg-wachtwoord\n"),
    );
    assert!(
        !no_org.status.success()
            && text(&no_org).contains("organisatie 'Bestaat Niet' bestaat niet")
    );
    let o = run(
        &with(
            &[
                "user",
                "add",
                "--org",
                "Gemeente Test",
                "--role",
                "analist",
                "--role",
                "bibob-coördinator",
                "--email",
                "a@test.nl",
            ],
            &loc,
        ),
        Some("lang-genoeg-wachtwoord\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        &with(&["token", "create", "--email", "a@test.nl"], &loc),
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let token = String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_string();
    assert!(token.starts_with("bkn_"), "{token}");

    let store = db.open().await;
    let user = store
        .user_by_token(&baken_store::credentials::secret_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "a@test.nl");
    let (_, hash) = store.login_credentials("a@test.nl").await.unwrap().unwrap();
    assert!(baken_web::auth::verify_password(
        "lang-genoeg-wachtwoord",
        &hash
    ));
    drop(store);

    let ok = run(&with(&["audit", "verify"], &loc), None);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(
        text(&ok).contains("Auditketen intact: 4 gebeurtenissen"),
        "{}",
        text(&ok)
    );

    tamper(
        &loc,
        "UPDATE audit_event SET origin = 'elders' WHERE seq = 2",
    )
    .await;
    let broken = run(&with(&["audit", "verify"], &loc), None);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains("verbroken bij gebeurtenis 2"),
        "{}",
        text(&broken)
    );
}

#[tokio::test]
async fn deleted_audit_event_fails_verification() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let loc = db.cli_args();
    for name in ["Org 1", "Org 2", "Org 3"] {
        assert!(run(&with(&["org", "add", "--name", name], &loc), None)
            .status
            .success());
    }
    tamper(&loc, "DELETE FROM audit_event WHERE seq = 2").await;
    let broken = run(&with(&["audit", "verify"], &loc), None);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        text(&broken).contains("gebeurtenis 2 ontbreekt"),
        "{}",
        text(&broken)
    );
}

/// A checkpoint taken while Baken ran finds a tail cut off later, head and all, which the
/// chain alone cannot show.
#[tokio::test]
async fn a_checkpoint_finds_a_cut_off_tail() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let loc = db.cli_args();
    for name in ["Org 1", "Org 2", "Org 3"] {
        assert!(run(&with(&["org", "add", "--name", name], &loc), None)
            .status
            .success());
    }
    let line = run(&with(&["audit", "checkpoint"], &loc), None);
    assert!(line.status.success(), "{}", text(&line));
    let seen: i64 = text(&line)
        .strip_prefix("checkpoint ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", text(&line)));
    tamper(
        &loc,
        &format!(
            "DELETE FROM audit_event WHERE seq = {seen}; \
             UPDATE audit_head SET seq = {prev}, hash = (SELECT hash FROM audit_event WHERE seq = {prev}) WHERE id = 1",
            prev = seen - 1
        ),
    )
    .await;
    let broken = run(&with(&["audit", "verify"], &loc), None);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains(&format!("de keten eindigt vóór gebeurtenis {seen}")),
        "{}",
        text(&broken)
    );
}

/// `baken audit verify` on a directory without a database refuses, instead of creating an
/// empty database and calling it intact.
#[test]
fn audit_verify_refuses_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("bestaat-niet");
    let o = baken(
        &[
            "audit",
            "verify",
            "--data-dir",
            &missing.display().to_string(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("geen Baken-database"), "{}", text(&o));
    assert!(!text(&o).contains("intact"), "{}", text(&o));
    assert!(!missing.exists(), "nothing was created");
}

#[test]
fn unknown_configuration_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_baken"))
        .args(["migrate", "--data-dir", &data])
        .env("BAKEN_DATABSE_URL", "postgres://typo")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        text(&o).contains("onbekende omgevingsvariabele BAKEN_DATABSE_URL"),
        "{}",
        text(&o)
    );

    let config = dir.path().join("baken.toml");
    std::fs::write(&config, "bind = \"127.0.0.1:9999\"\nsecure_cookie = true\n").unwrap();
    let o = baken(
        &[
            "--config",
            &config.display().to_string(),
            "migrate",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("secure_cookie") && text(&o).contains("regel 2"),
        "{}",
        text(&o)
    );

    std::fs::write(
        &config,
        "secure_cookies = true\norganisation = \"Gemeente X\"\n",
    )
    .unwrap();
    let o = baken(
        &[
            "--config",
            &config.display().to_string(),
            "migrate",
            "--data-dir",
            &data,
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = baken(&["migrate", "--database-url", "mysql://x"], None);
    assert!(
        !o.status.success() && text(&o).contains("onbekend databasetype 'mysql'"),
        "{}",
        text(&o)
    );
}

#[tokio::test]
async fn first_start_creates_an_administrator_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_baken"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir", &data])
            .env_remove("BAKEN_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let read_until_running = |child: &mut std::process::Child| {
        let mut lines = Vec::new();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        loop {
            let mut line = String::new();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "server stopped: {lines:?}"
            );
            let done = line.starts_with("Baken draait op");
            lines.push(line);
            if done {
                return lines;
            }
        }
    };
    let mut first = start();
    let lines = read_until_running(&mut first);
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("wachtwoord:"))
        .unwrap_or_else(|| panic!("no password printed: {lines:?}"))
        .trim()
        .to_string();
    assert!(lines.iter().any(|l| l.contains("beheerder@baken.local")));
    let address = lines
        .last()
        .unwrap()
        .split_whitespace()
        .nth(3)
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    // The printed password works once the server runs.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(format!("{address}/inloggen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::harness::TestApp::csrf_of(&page);
    let r = browser
        .post(format!("{address}/inloggen"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "beheerder@baken.local"),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    first.kill().unwrap();
    first.wait().unwrap();

    let mut second = start();
    let lines = read_until_running(&mut second);
    second.kill().unwrap();
    second.wait().unwrap();
    assert!(
        !lines.iter().any(|l| l.contains("wachtwoord")),
        "password printed twice: {lines:?}"
    );
}

#[tokio::test]
async fn agreements_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    for name in ["Gemeente G", "Politie P"] {
        assert!(
            baken(&["org", "add", "--name", name, "--data-dir", &data], None)
                .status
                .success()
        );
    }
    let add = |extra: &[&str]| {
        let mut args = vec![
            "agreement",
            "add",
            "--name",
            "G-P drugs",
            "--org",
            "Gemeente G",
            "--org",
            "Politie P",
            "--legal-basis",
            "RIEC-convenant",
            "--valid-from",
            "2025-01-01",
            "--data-dir",
            &data,
        ];
        args.extend_from_slice(extra);
        baken(&args, None)
    };
    let bibob = add(&["--theme", "drugs", "--max-classification", "bibob"]);
    assert!(!bibob.status.success());
    assert!(
        text(&bibob).contains("maxClassification") && text(&bibob).contains("art. 28 Wet Bibob"),
        "{}",
        text(&bibob)
    );
    let unknown = add(&["--theme", "voetbal"]);
    assert!(
        !unknown.status.success() && text(&unknown).contains("onbekend thema 'voetbal'"),
        "{}",
        text(&unknown)
    );
    let bad_date = add(&["--theme", "drugs", "--valid-until", "31-12-2025"]);
    assert!(
        !bad_date.status.success() && text(&bad_date).contains("--valid-until"),
        "{}",
        text(&bad_date)
    );
    let ok = add(&[
        "--theme",
        "drugs",
        "--theme",
        "mensenhandel",
        "--max-classification",
        "vertrouwelijk",
    ]);
    assert!(ok.status.success(), "{}", text(&ok));
    let store = baken_store::open(None, dir.path()).await.unwrap();
    let agreements = store.agreements().await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert_eq!(
        agreements[0].themes,
        vec!["drugs".to_string(), "mensenhandel".to_string()]
    );
    assert_eq!(
        agreements[0].max_classification,
        baken_core::model::Classification::Vertrouwelijk
    );
    assert_eq!(agreements[0].parties.len(), 2);
}

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
    let o = run(&args(&["--dry-run"]), None);
    assert!(
        text(&o).contains("Proefrun: 3 rijen gelezen, 1 goed, 2 met fouten"),
        "{}",
        text(&o)
    );
    let o = run(&args(&["--skip-invalid"]), None);
    assert!(
        text(&o)
            .contains("3 rijen gelezen, 1 signalen opgeslagen, 2 rijen met fouten overgeslagen"),
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
    let found: Vec<(String, String)> = lines[1..]
        .iter()
        .map(|l| {
            let mut f = l.split(',');
            let (x, y) = (f.next().unwrap().to_string(), f.next().unwrap().to_string());
            if x < y {
                (x, y)
            } else {
                (y, x)
            }
        })
        .collect();
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

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // `baken … | head -1`: the reader is gone before the command prints.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_baken"))
        .args(["org", "add", "--name", "Gemeente Pijp", "--data-dir", &data])
        .env_remove("BAKEN_DATA_DIR")
        .env_remove("BAKEN_DATABASE_URL")
        .env_remove("BAKEN_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
    // The work was done before the output: the organisation exists.
    let again = baken(
        &["org", "add", "--name", "Gemeente Pijp", "--data-dir", &data],
        None,
    );
    assert!(text(&again).contains("bestaat al"), "{}", text(&again));
}
