//! The yearly access review (issue 18, pt 3): the beheerder sees per organisation who has
//! which roles, when each account was last used and what needs attention, as a page and as
//! CSV; each reading is audited; nobody else sees it.

use crate::harness::TestApp;
use baken_core::{Caller, Role, RoleSet};
use baken_store::Actor;

baken_store::on_both_engines!(crate::harness::TestApp =>
    the_beheerder_reviews_roles_and_unused_accounts_per_organisation,
);

async fn text(r: reqwest::Response) -> String {
    r.text().await.unwrap()
}

async fn the_beheerder_reviews_roles_and_unused_accounts_per_organisation(app: &TestApp) {
    // The analist works today; the lezer becomes an analist; a token is made for toezicht.
    app.login("analist@a.test").await;
    let beheer = app
        .store
        .user_by_email("beheer@a.test")
        .await
        .unwrap()
        .unwrap();
    let lezer = app
        .store
        .user_by_email("lezer@a.test")
        .await
        .unwrap()
        .unwrap();
    let actor = Actor::Caller(Caller::for_user_handling_signals(&beheer, "test"));
    use baken_core::Clock;
    app.store
        .set_roles(
            &actor,
            lezer.id,
            RoleSet::new([Role::Analist]),
            app.clock.now(),
        )
        .await
        .unwrap();
    let token = app.token("toezicht@a.test").await;

    // A hundred days later the toezichthouder still uses the token; nobody else came back.
    app.clock.advance(time::Duration::days(100));
    app.get_json(&token, "/api/v1/signals").await;
    let admin = app.login("beheer@a.test").await;
    let page = text(
        admin
            .get(app.url("/beheer/toegangsreview"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    for org in ["Gemeente A", "Politie B", "Waterschap C"] {
        assert!(page.contains(&format!(">{org}</h2>")), "{org}: {page}");
    }
    let row = |email: &str| -> String {
        let at = page
            .find(email)
            .unwrap_or_else(|| panic!("{email} in {page}"));
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(
        row("analist@a.test").contains("Niet gebruikt in 90 dagen"),
        "{}",
        row("analist@a.test")
    );
    assert!(
        row("partner@b.test").contains("Nooit gebruikt"),
        "{}",
        row("partner@b.test")
    );
    let toezicht = row("toezicht@a.test");
    assert!(
        !toezicht.contains("Niet gebruikt") && !toezicht.contains("Nooit"),
        "{toezicht}"
    );
    assert!(toezicht.contains("(1 actief)"), "{toezicht}");
    let changed = row("lezer@a.test");
    assert!(
        changed.contains("<td>Analist</td>") && changed.contains("<td>1</td>"),
        "{changed}"
    );
    assert!(!row("beheer@a.test").contains("Niet gebruikt"));
    assert!(page.contains("Actieve accounts per rol: Analist 2, Bibob-coördinator 1, Toezichthouder 3, Beheerder 1."), "{page}");

    // One organisation, and its CSV.
    let orgs = app.store.organisations().await.unwrap();
    let b = orgs.iter().find(|o| o.name == "Politie B").unwrap();
    let only_b = text(
        admin
            .get(app.url(&format!("/beheer/toegangsreview?organisatie={}", b.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(only_b.contains(">Politie B</h2>") && !only_b.contains(">Gemeente A</h2>"));
    assert!(only_b.contains(&format!("toegangsreview.csv?organisatie={}", b.id)));
    let csv = admin
        .get(app.url("/beheer/toegangsreview.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("toegangsreview-2025-09-10.csv"));
    let csv = text(csv).await;
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("organisatie;naam;e-mailadres;rollen;actief"));
    let analist = csv.lines().find(|l| l.contains("analist@a.test")).unwrap();
    assert_eq!(
        analist,
        "Gemeente A;analist;analist@a.test;Analist;ja;02-06-2025;02-06-2025;;;0;0;Niet gebruikt in 90 dagen"
    );
    // Every account once, the public form's registrar too (without a finding: nobody signs
    // in with it).
    assert_eq!(csv.lines().count(), 1 + 10, "{csv}");
    let registrar = page
        .find("kan niet aanmelden")
        .expect("the registrar's line");
    assert!(
        !page[registrar..registrar + page[registrar..].find("</tr>").unwrap()]
            .contains("Nooit gebruikt")
    );

    // A wrong choice is named; an unknown organisation is not found.
    let wrong = admin
        .get(app.url("/beheer/toegangsreview?organisatie=gemeente"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert!(text(wrong)
        .await
        .contains("Organisatie: kies een organisatie uit de lijst."));
    let unknown = admin
        .get(app.url(&format!(
            "/beheer/toegangsreview?organisatie={}",
            uuid::Uuid::nil()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    // Others may not; every reading is audited.
    let analist = app.login("analist@b.test").await;
    let refused = analist
        .get(app.url("/beheer/toegangsreview.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let reviews = app
        .store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "access.review")
        .count();
    assert_eq!(reviews, 3);
}
