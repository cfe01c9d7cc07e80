//! The `baken` binary: configuration, accounts, tokens, first start and `audit verify`; the
//! data commands (`data`) and `baken link file` (`link_file`) in their own files.

mod accounts;
mod backup;
mod data;
mod link_file;
mod retention;

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

/// Runs `sql` on the embedded database as someone with the file would, guards untouched.
async fn tamper_result(loc: &[String], sql: &str) -> Result<(), sqlx::Error> {
    let url = format!("sqlite://{}/baken.db", loc[1]);
    let pool = sqlx::SqlitePool::connect(&url).await?;
    sqlx::raw_sql(sql).execute(&pool).await.map(|_| ())
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
        .user_by_token(
            &baken_store::credentials::secret_hash(&token),
            time::OffsetDateTime::now_utc(),
        )
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

/// Someone with the database grants an account a role past its guard and puts the guard
/// back: the chain still verifies, the account's state does not.
#[tokio::test]
async fn a_role_granted_by_hand_fails_verification() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let loc = db.cli_args();
    assert!(run(
        &with(&["org", "add", "--name", "Gemeente Test"], &loc),
        None
    )
    .status
    .success());
    let o = run(
        &with(
            &[
                "user",
                "add",
                "--org",
                "Gemeente Test",
                "--role",
                "lezer",
                "--email",
                "l@test.nl",
            ],
            &loc,
        ),
        Some("lang-genoeg-wachtwoord\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let refused = tamper_result(
        &loc,
        "UPDATE app_user SET roles = 'beheerder' WHERE email = 'l@test.nl'",
    )
    .await;
    assert!(refused.is_err(), "the guard refuses a change of roles");
    tamper_result(
        &loc,
        "DROP TRIGGER app_user_guard_u; \
         UPDATE app_user SET roles = 'beheerder' WHERE email = 'l@test.nl'; \
         CREATE TRIGGER app_user_guard_u BEFORE UPDATE ON app_user \
         WHEN NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id OR NEW.roles IS NOT OLD.roles \
         BEGIN SELECT RAISE(ABORT, 'guard'); END;",
    )
    .await
    .unwrap();
    let broken = run(&with(&["audit", "verify"], &loc), None);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains("buiten Baken om toegevoegd of gewijzigd"),
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

/// A store that cannot be opened says why, in Dutch, with what to do where there is
/// something to do: a data directory that cannot be made, a database server that is not
/// there or has no such database, a database a newer Baken updated, and a data directory
/// without the database's audit key (a forgotten `--data-dir`).
#[tokio::test]
async fn a_store_that_cannot_be_opened_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], expected: &str| {
        let o = baken(args, None);
        assert!(!o.status.success(), "{args:?}");
        assert!(text(&o).contains(expected), "{args:?}: {}", text(&o));
        assert!(
            !text(&o).contains("de database gaf een fout"),
            "{}",
            text(&o)
        );
    };

    let file = dir.path().join("een-bestand");
    std::fs::write(&file, "").unwrap();
    let under_file = file.join("data").display().to_string();
    refused(
        &["migrate", "--data-dir", &under_file],
        &format!("de gegevensmap {under_file} kan niet worden aangemaakt (een deel van het pad is geen map)"),
    );

    let data = dir.path().join("data").display().to_string();
    refused(
        &[
            "migrate",
            "--data-dir",
            &data,
            "--database-url",
            "postgres://baken:geheim-wachtwoord@127.0.0.1:1/baken",
        ],
        "database openen: de databaseserver is niet bereikbaar (verbinding geweigerd)",
    );
    // The database URL's password is not repeated.
    let o = baken(
        &[
            "migrate",
            "--data-dir",
            &data,
            "--database-url",
            "postgres://baken:geheim-wachtwoord@127.0.0.1:1/baken",
        ],
        None,
    );
    assert!(!text(&o).contains("geheim-wachtwoord"), "{}", text(&o));
    if let Ok(url) = std::env::var("BAKEN_TEST_POSTGRES_URL") {
        let (server, _) = url.rsplit_once('/').unwrap();
        let missing = format!("{server}/baken_bestaat_niet");
        refused(
            &["migrate", "--data-dir", &data, "--database-url", &missing],
            "de database uit het databaseadres bestaat niet op de databaseserver",
        );
    }

    // An installation, and the same database opened with another data directory.
    let o = baken(&["migrate", "--data-dir", &data], None);
    assert!(o.status.success(), "{}", text(&o));
    let elsewhere = dir.path().join("elders").display().to_string();
    let database = format!("sqlite://{data}/baken.db");
    refused(
        &[
            "migrate",
            "--data-dir",
            &elsewhere,
            "--database-url",
            &database,
        ],
        &format!(
            "{elsewhere} bevat geen auditsleutel, en de gebeurtenissen in deze database zijn met \
             een sleutel ondertekend: geef de gegevensmap van de installatie op (--data-dir of \
             BAKEN_DATA_DIR)"
        ),
    );

    // A database a newer Baken brought up to date.
    let loc = vec!["--data-dir".to_string(), data.clone()];
    tamper(
        &loc,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999, 'later', 1, x'00', 0)",
    )
    .await;
    refused(
        &["migrate", "--data-dir", &data],
        "de database is bijgewerkt door een nieuwere versie van Baken (migratie 99999 is \
         onbekend): gebruik die versie",
    );
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
    let bad_date = add(&["--theme", "drugs", "--valid-until", "31-13-2025"]);
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
