//! Fills a store with a synthetic register of interventions for the report benchmark
//! (`bench/report.sh`): `gen_register DATA_DIR N ANALIST_EMAIL BIBOB_EMAIL [DATABASE_URL]`.

use baken_core::{Caller, Purpose};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, n, analist, bibob, rest @ ..] = args.as_slice() else {
        return Err(
            "gebruik: gen_register DATA_DIR N ANALIST_EMAIL BIBOB_EMAIL [DATABASE_URL]".into(),
        );
    };
    let n: usize = n.parse()?;
    let store =
        baken_store::open(rest.first().map(String::as_str), std::path::Path::new(dir)).await?;
    let who = |email: &str| {
        let store = store.clone();
        let email = email.to_string();
        async move {
            let u = store
                .user_by_email(&email)
                .await?
                .ok_or("onbekende gebruiker")?;
            Ok::<Caller, Box<dyn std::error::Error>>(Caller::for_user(
                &u,
                Purpose::new("benchmark"),
                "bench",
            ))
        }
    };
    let (a, b) = (who(analist).await?, who(bibob).await?);
    let now = time::OffsetDateTime::now_utc();
    let started = std::time::Instant::now();
    baken_demo::plan::register_synthetic(store.as_ref(), (&a, &b), n, now).await?;
    eprintln!(
        "{n} interventies in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
