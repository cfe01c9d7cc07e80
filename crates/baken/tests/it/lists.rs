//! Long lists in the browser: paged by cursor (Volgende, Vorige, Eerste), with the filters
//! kept, and a total that the page states.

use crate::harness::{signal_json, TestApp};

baken_store::on_both_engines!(crate::harness::TestApp =>
    the_signal_list_pages_forward_and_back_with_its_filters,
);

/// The `href`s of the pagination links with `rel`.
fn link(page: &str, rel: &str) -> Option<String> {
    let nav = &page[page.find("class=\"pagination\"")?..];
    let at = nav.find(&format!("rel=\"{rel}\""))?;
    let start = nav[..at].rfind("href=\"")? + 6;
    let end = start + nav[start..].find('"')?;
    Some(nav[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

fn titles(page: &str) -> Vec<String> {
    page.split("<td><a href=\"/signalen/")
        .skip(1)
        .filter_map(|row| {
            let start = row.find('>')? + 1;
            let end = row.find("</a>")?;
            Some(row[start..end].to_string())
        })
        .collect()
}

async fn the_signal_list_pages_forward_and_back_with_its_filters(app: &TestApp) {
    let token = app.token("analist@a.test").await;
    for i in 0..27 {
        app.api_signal(&token, signal_json(&format!("Drugs {i:02}"), "drugs"))
            .await;
    }
    app.api_signal(&token, signal_json("Cyber", "cybercrime"))
        .await;
    let browser = app.login("analist@a.test").await;
    let get = |path: String| {
        let browser = browser.clone();
        async move {
            let r = browser.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        }
    };
    let first = get("/signalen?theme=drugs".into()).await;
    assert!(first.contains("27 signalen gevonden"), "{first}");
    assert_eq!(titles(&first).len(), 25);
    assert!(link(&first, "prev").is_none() && link(&first, "first").is_none());
    let next = link(&first, "next").unwrap();
    assert!(
        next.contains("theme=drugs") && next.contains("cursor="),
        "{next}"
    );
    let second = get(next.clone()).await;
    assert_eq!(titles(&second).len(), 2);
    assert!(titles(&second).iter().all(|t| t.starts_with("Drugs")));
    assert!(link(&second, "next").is_none());
    assert_eq!(
        link(&second, "first").as_deref(),
        Some("/signalen?theme=drugs")
    );
    let back = get(link(&second, "prev").unwrap()).await;
    assert_eq!(titles(&back), titles(&first));
    // A place in the list that was never given out is named, not guessed.
    let r = browser
        .get(app.url("/signalen?cursor=pagina-twee"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("geen plek in deze lijst"));
}
