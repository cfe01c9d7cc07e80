//! `baken user` and `baken token` for scripting the beheerder's work: list, roles,
//! deactivate, reactivate, reset a password, list and revoke tokens — audited, and the chain
//! still verifies.

use super::{run, text, with};
use baken_store::testing::{TestDatabase, TestEngine};

fn ok(args: &[&str], loc: &[String], stdin: Option<&str>) -> String {
    let o = run(&with(args, loc), stdin);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn accounts_and_tokens_are_administered_from_the_command_line() {
    let db = TestDatabase::fresh(TestEngine::Sqlite).await.unwrap();
    let loc = db.cli_args();
    ok(&["org", "add", "--name", "Gemeente Test"], &loc, None);
    let add = [
        "user",
        "add",
        "--org",
        "Gemeente Test",
        "--role",
        "lezer",
        "--email",
        "l@test.nl",
    ];
    ok(&add, &loc, Some("lang-genoeg-wachtwoord\n"));
    ok(
        &[
            "user",
            "roles",
            "--email",
            "l@test.nl",
            "--role",
            "analist",
            "--role",
            "lezer",
        ],
        &loc,
        None,
    );
    let list = ok(&["user", "list"], &loc, None);
    assert!(
        list.contains("l@test.nl\tGemeente Test\tanalist,lezer\tactief\t-"),
        "{list}"
    );
    let token = ok(
        &[
            "token",
            "create",
            "--email",
            "l@test.nl",
            "--label",
            "script",
        ],
        &loc,
        None,
    );
    assert!(token.trim().starts_with("bkn_"));
    let tokens = ok(&["token", "list", "--email", "l@test.nl"], &loc, None);
    let line = tokens.lines().find(|l| l.contains("\tscript\t")).unwrap();
    assert!(
        !tokens.contains(token.trim()),
        "the token itself is never shown"
    );
    let id = line.split('\t').next().unwrap();
    assert_eq!(id.len(), 12);
    let short = run(&with(&["token", "revoke", "--id", "abc"], &loc), None);
    assert!(!short.status.success());
    assert!(text(&short).contains("--id"), "{}", text(&short));
    ok(&["token", "revoke", "--id", id], &loc, None);
    let tokens = ok(&["token", "list"], &loc, None);
    let line = tokens.lines().find(|l| l.contains("\tscript\t")).unwrap();
    assert!(!line.ends_with("\t-"), "revoked on a day: {line}");
    ok(&["user", "deactivate", "--email", "l@test.nl"], &loc, None);
    assert!(ok(&["user", "list"], &loc, None).contains("\tuitgeschakeld\t"));
    ok(&["user", "reactivate", "--email", "l@test.nl"], &loc, None);
    let temporary = ok(
        &["user", "reset-password", "--email", "l@test.nl"],
        &loc,
        None,
    );
    assert_eq!(temporary.trim().chars().count(), 20);
    let unknown = run(
        &with(&["user", "deactivate", "--email", "x@test.nl"], &loc),
        None,
    );
    assert!(
        text(&unknown).contains("--email: er is geen gebruiker"),
        "{}",
        text(&unknown)
    );
    // Organisations and agreements: listed, and an agreement ended on a date.
    ok(
        &["org", "add", "--name", "Politie Test", "--kind", "politie"],
        &loc,
        None,
    );
    assert!(ok(&["org", "list"], &loc, None).contains("Politie Test\tPolitie"));
    ok(
        &[
            "agreement",
            "add",
            "--name",
            "Convenant test",
            "--org",
            "Gemeente Test",
            "--org",
            "Politie Test",
            "--theme",
            "drugs",
            "--max-classification",
            "intern",
            "--legal-basis",
            "RIEC-convenant",
            "--valid-from",
            "2025-01-01",
        ],
        &loc,
        None,
    );
    let ended = ok(
        &[
            "agreement",
            "end",
            "--name",
            "Convenant test",
            "--last-day",
            "31-12-2026",
        ],
        &loc,
        None,
    );
    assert!(ended.contains("geldt tot en met 2026-12-31"), "{ended}");
    let agreements = ok(&["agreement", "list"], &loc, None);
    assert!(
        agreements.contains(
            "Convenant test\tGemeente Test, Politie Test\tdrugs\tintern\t2025-01-01\t2026-12-31"
        ),
        "{agreements}"
    );
    let again = run(
        &with(
            &[
                "agreement",
                "end",
                "--name",
                "Convenant test",
                "--last-day",
                "01-01-2027",
            ],
            &loc,
        ),
        None,
    );
    assert!(
        text(&again).contains("dit convenant is al beëindigd"),
        "{}",
        text(&again)
    );
    // The audit trail for scripts, read as an auditor (and only so).
    ok(
        &[
            "user",
            "add",
            "--org",
            "Gemeente Test",
            "--role",
            "auditor",
            "--email",
            "a@test.nl",
        ],
        &loc,
        Some("lang-genoeg-wachtwoord\n"),
    );
    let out = db.dir().join("audit.csv");
    let out_arg = out.display().to_string();
    let said = ok(
        &[
            "audit",
            "export",
            "--as",
            "a@test.nl",
            "--action",
            "user.create",
            "--out",
            &out_arg,
        ],
        &loc,
        None,
    );
    assert!(said.contains("2 gebeurtenissen geschreven"), "{said}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("volgnummer;moment;wie;actie;"), "{csv}");
    assert_eq!(
        csv.lines().filter(|l| l.contains(";user.create;")).count(),
        2,
        "{csv}"
    );
    let refused = run(
        &with(
            &["audit", "export", "--as", "l@test.nl", "--out", &out_arg],
            &loc,
        ),
        None,
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("auditspoor"), "{}", text(&refused));
    let bad = run(
        &with(
            &[
                "audit",
                "export",
                "--as",
                "a@test.nl",
                "--from",
                "31-02-2026",
                "--out",
                &out_arg,
            ],
            &loc,
        ),
        None,
    );
    assert!(text(&bad).contains("--from: "), "{}", text(&bad));
    let verified = ok(&["audit", "verify"], &loc, None);
    assert!(!verified.is_empty());
}
