//! Incremental linking at scale: saving one signal that names five subjects, against a store
//! that already holds N subjects (default 10,000,000), on the embedded SQLite engine.
//!
//! The existing subjects are bulk-loaded once (as `baken link run` would leave them: blocking
//! keys with comparable forms, value counts, one entity each) into DIR/baken.db; then SAMPLES signals, each naming
//! three people (variants of stored people, some with very common names), an address and a
//! vehicle, are saved one by one through `Store::create_signal`, which links their subjects in
//! the same transaction. Reports p50, p90, p99 and the maximum of the whole save.
//!
//! Usage: cargo run --release -p baken-store --example link_incremental -- DIR [N] [SAMPLES]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use baken_core::catalogue::Catalogue;
use baken_core::model::OrgKind;
use baken_core::signal::{IntakePolicy, NewSignal, SignalInput};
use baken_core::subject::SubjectInput;
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_link::compare::{FieldKind, Prepared, Slot};
use baken_store::{Actor, NewUser, SqliteStore, Store};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Row};
use std::collections::HashMap;
use std::time::Instant;
use time::OffsetDateTime;

const GIVEN: [&str; 24] = [
    "Jan", "Johannes", "Cornelis", "Hendrik", "Pieter", "Willem", "Maria", "Anna", "Johanna",
    "Emma", "Julia", "Sanne", "Daan", "Sem", "Lucas", "Mohamed", "Fatima", "Priya", "Bram",
    "Lotte", "Eva", "Thijs", "Iris", "Noor",
];
const SURNAMES: [&str; 16] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
];
const SYLLABLES: [&str; 32] = [
    "berg", "man", "stra", "ma", "sen", "kamp", "veld", "hof", "dijk", "huis", "hout", "broek",
    "ink", "ing", "ter", "bos", "wijk", "land", "meer", "zand", "gaard", "horst", "loo", "kes",
    "ers", "sma", "ga", "ens", "beek", "hage", "burg", "rijk",
];

/// Person `i` of the stored population: deterministic, so samples can name stored people.
fn person(i: u64) -> (String, String) {
    let mut rng = SmallRng::seed_from_u64(i);
    let given = if rng.gen_bool(0.6) {
        GIVEN[rng.gen_range(0..GIVEN.len())].to_string()
    } else {
        let mut g: String = (0..2)
            .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
            .collect();
        g[..1].make_ascii_uppercase();
        g
    };
    let surname = if rng.gen_bool(0.12) {
        SURNAMES[rng.gen_range(0..SURNAMES.len())].to_string()
    } else {
        let mut s: String = (0..3)
            .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
            .collect();
        s[..1].make_ascii_uppercase();
        s
    };
    let born = format!(
        "{}-{:02}-{:02}",
        rng.gen_range(1930..2006),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28)
    );
    (format!("{given} {surname}"), born)
}

async fn load(dir: &std::path::Path, n: u64, org: &str) {
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("baken.db"))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-1000000")
        .connect()
        .await
        .unwrap();
    let started = Instant::now();
    let at = "2026-01-01T00:00:00.000000Z";
    let mut keys: Vec<(String, u64)> = Vec::with_capacity(n as usize * 4);
    let mut terms: [HashMap<String, i64>; 2] = [HashMap::new(), HashMap::new()];
    let id_of = |i: u64| {
        uuid::Uuid::from_u128((0x0190_0000_0000_7000_8000_0000_0000_0000u128) | u128::from(i))
            .to_string()
    };
    let batch = 1_500u64;
    let mut i = 0u64;
    while i < n {
        let end = (i + batch).min(n);
        let mut tx = conn.begin().await.unwrap();
        for table in ["subject", "entity", "entity_member"] {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(match table {
                "subject" => "INSERT INTO subject (id, kind, original, normalised, details, owner_org, created_at, link_form) ",
                "entity" => "INSERT INTO entity (id, kind, merged_into, created_at) ",
                _ => "INSERT INTO entity_member (subject_id, entity_id) ",
            });
            qb.push_values(i..end, |mut b, k| {
                let id = id_of(k);
                match table {
                    "subject" => {
                        let (name, born) = person(k);
                        let details = baken_core::subject::SubjectDetails::Person {
                            name: name.clone(),
                            birth_date: baken_core::signal::parse_date(&born).ok(),
                        };
                        let details = serde_json::to_string(&details).unwrap();
                        let form = Prepared::new(&[
                            (FieldKind::FullName, name.clone()),
                            (FieldKind::DateOfBirth, born.clone()),
                        ])
                        .encode();
                        b.push_bind(id)
                            .push_bind("persoon")
                            .push_bind(name.clone())
                            .push_bind(baken_core::subject::fold(&name))
                            .push_bind(details)
                            .push_bind(org.to_string())
                            .push_bind(at)
                            .push_bind(form);
                    }
                    "entity" => {
                        b.push_bind(id)
                            .push_bind("persoon")
                            .push_bind(None::<String>)
                            .push_bind(at);
                    }
                    _ => {
                        b.push_bind(id.clone()).push_bind(id);
                    }
                }
            });
            qb.build().execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        for k in i..end {
            let (name, born) = person(k);
            let p = Prepared::new(&[(FieldKind::FullName, name), (FieldKind::DateOfBirth, born)]);
            for (t, slot) in [Slot::Given, Slot::Surname].iter().enumerate() {
                if let Some(v) = p.get(*slot) {
                    *terms[t].entry(v.to_string()).or_default() += 1;
                }
            }
            for key in baken_link::block::keys(&p) {
                keys.push((key, k));
            }
        }
        i = end;
        if i.is_multiple_of(1_000_000) {
            eprintln!(
                "{i} subjects loaded ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!("sorting {} keys", keys.len());
    keys.sort_unstable();
    for chunk in keys.chunks(200_000) {
        let mut tx = conn.begin().await.unwrap();
        for part in chunk.chunks(5_000) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO subject_key (kind, key, subject_id, form) ",
            );
            qb.push_values(part, |mut b, (key, k)| {
                let (name, born) = person(*k);
                let form =
                    Prepared::new(&[(FieldKind::FullName, name), (FieldKind::DateOfBirth, born)])
                        .encode();
                b.push_bind("persoon")
                    .push_bind(key.clone())
                    .push_bind(id_of(*k))
                    .push_bind(form);
            });
            qb.build().execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let mut tx = conn.begin().await.unwrap();
    for (t, slot) in ["given_name", "surname"].iter().enumerate() {
        let counts: Vec<(&String, &i64)> = terms[t].iter().collect();
        for part in counts.chunks(5_000) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO subject_term (kind, slot, value, n) ",
            );
            qb.push_values(part, |mut b, (v, c)| {
                b.push_bind("persoon")
                    .push_bind(*slot)
                    .push_bind((*v).clone())
                    .push_bind(**c);
            });
            qb.build().execute(&mut *tx).await.unwrap();
        }
        let total: i64 = counts.iter().map(|(_, c)| **c).sum();
        let squares: i64 = counts.iter().map(|(_, c)| **c * **c).sum();
        sqlx::query("INSERT INTO subject_term_total (kind, slot, total, sum_squares) VALUES ('persoon', $1, $2, $3)")
            .bind(*slot)
            .bind(total)
            .bind(squares)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    // The model `baken link run` would store, estimated on (up to) the first million people;
    // λ, the chance that two random records match, scales with 1/N at a fixed share of
    // duplicates, so it is scaled to the whole population.
    let sample = n.min(1_000_000);
    let prepared: Vec<Prepared> = (0..sample)
        .map(|k| {
            let (name, born) = person(k);
            Prepared::new(&[(FieldKind::FullName, name), (FieldKind::DateOfBirth, born)])
        })
        .collect();
    let pairs = baken_link::block::candidates(&prepared, None);
    let mut model = baken_link::estimate_model(&prepared, &pairs, None, 2);
    model.lambda *= sample as f64 / n as f64;
    sqlx::query("INSERT INTO link_model (kind, model, estimated_at) VALUES ('persoon', $1, $2)")
        .bind(serde_json::to_string(&model).unwrap())
        .bind(at)
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    eprintln!(
        "loaded {n} subjects in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// Collects the `micros` of the store's "subjects linked" events: the linking part of a save.
#[derive(Clone, Default)]
struct LinkTimes(std::sync::Arc<std::sync::Mutex<Vec<f64>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LinkTimes {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Micros(Option<u64>);
        impl tracing::field::Visit for Micros {
            fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
                if field.name() == "micros" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        if event.metadata().target() == "baken_store::linking" {
            let mut m = Micros(None);
            event.record(&mut m);
            if let (Some(v), Ok(mut all)) = (m.0, self.0.lock()) {
                all.push(v as f64 / 1000.0);
            }
        }
    }
}

fn percentiles(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    if times.is_empty() {
        return "none".into();
    }
    let q = |p: f64| {
        times[((times.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(times.len() - 1)]
    };
    format!(
        "p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        q(0.5),
        q(0.9),
        q(0.99),
        times[times.len() - 1]
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    use tracing_subscriber::layer::{Layer, SubscriberExt};
    let link_times = LinkTimes::default();
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("baken_store::linking", tracing::Level::DEBUG);
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(link_times.clone().with_filter(filter)),
    )
    .unwrap();
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let n: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let samples: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    std::fs::create_dir_all(&dir).unwrap();
    let now = OffsetDateTime::now_utc();
    let fresh = !dir.join("baken.db").exists();
    let store = SqliteStore::open_file(&dir.join("baken.db")).await.unwrap();
    let system = Actor::System {
        process: "bench".into(),
    };
    if fresh {
        store
            .ensure_catalogue(&system, &Catalogue::groningen_defaults(), now)
            .await
            .unwrap();
        store
            .create_organisation(&system, "Gemeente Bench", OrgKind::Gemeente, now)
            .await
            .unwrap();
    }
    let org = store
        .organisation_by_name("Gemeente Bench")
        .await
        .unwrap()
        .unwrap();
    let user = match store.user_by_email("analist@bench.test").await.unwrap() {
        Some(u) => u,
        None => store
            .create_user(
                &system,
                NewUser {
                    org: org.id,
                    email: "analist@bench.test".into(),
                    display_name: "Bench".into(),
                    roles: RoleSet::new([Role::Analist]),
                    password_hash: None,
                },
                now,
            )
            .await
            .unwrap(),
    };
    let (stored, signals): (i64, i64) = {
        let mut conn = SqliteConnectOptions::new()
            .filename(dir.join("baken.db"))
            .connect()
            .await
            .unwrap();
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM subject) AS n, (SELECT COUNT(*) FROM signal) AS s",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        (row.get("n"), row.get("s"))
    };
    if stored < n as i64 {
        load(&dir, n, &org.id.to_string()).await;
    }
    let caller = Caller {
        user: user.id,
        org: org.id,
        roles: user.roles.clone(),
        purpose: Purpose::new("benchmark"),
        origin: "bench".into(),
    };
    // A server that has been running has its database in the page cache; read the file once
    // so the samples measure linking, not the disk after a reload or a build.
    for file in ["baken.db", "baken.db-wal"] {
        if let Ok(mut f) = std::fs::File::open(dir.join(file)) {
            std::io::copy(&mut f, &mut std::io::sink()).unwrap();
        }
    }
    let catalogue = store.catalogue().await.unwrap();
    // Each run on the same database names other people: repeating the same samples would
    // grow their entities run after run and measure that instead.
    let mut rng = SmallRng::seed_from_u64(7 + signals as u64);
    let mut times = Vec::with_capacity(samples);
    let warm_up = 50;
    for s in 0..samples + warm_up {
        let mut subjects = Vec::new();
        for _ in 0..3 {
            let (name, born) = person(rng.gen_range(0..n));
            let name = match rng.gen_range(0..3) {
                0 => name,
                1 => {
                    let (g, rest) = name.split_once(' ').unwrap();
                    format!("{}. {rest}", &g[..1])
                }
                _ => format!("{}{}", &name[..name.len() - 1], "e"),
            };
            subjects.push(SubjectInput {
                kind: Some("persoon".into()),
                role: Some("betrokkene".into()),
                name: Some(name),
                birth_date: rng.gen_bool(0.7).then_some(born),
                ..Default::default()
            });
        }
        subjects.push(SubjectInput {
            kind: Some("adres".into()),
            role: Some("locatie".into()),
            postcode: Some(format!("{}AB", 1000 + rng.gen_range(0..9000))),
            house_number: Some(rng.gen_range(1..300).to_string()),
            street: Some("Kerkstraat".into()),
            place: Some("Groningen".into()),
            ..Default::default()
        });
        subjects.push(SubjectInput {
            kind: Some("voertuig".into()),
            role: Some("betrokkene".into()),
            plate: Some(format!(
                "{:02}-ABC-{}",
                rng.gen_range(10..99),
                rng.gen_range(1..9)
            )),
            ..Default::default()
        });
        if std::env::var_os("WITHOUT_SUBJECTS").is_some() {
            subjects.clear();
        }
        let input = SignalInput {
            title: Some(format!("Meting {s}")),
            description: Some("Incrementeel koppelen".into()),
            source_kind: Some("partner".into()),
            source_reliability: Some("B".into()),
            information_credibility: Some("2".into()),
            themes: vec!["drugs".into()],
            classification: Some("intern".into()),
            subjects,
            ..Default::default()
        };
        let new =
            NewSignal::parse(&input, &catalogue, &caller, &IntakePolicy::default(), now).unwrap();
        let started = Instant::now();
        store.create_signal(&caller, new, now).await.unwrap();
        if s >= warm_up {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        } else if let Ok(mut t) = link_times.0.lock() {
            t.clear();
        }
    }
    let linking = link_times.0.lock().map(|t| t.clone()).unwrap_or_default();
    println!(
        "stored subjects: {}, signals saved: {samples} after {warm_up} to warm up (5 subjects each)",
        stored.max(n as i64)
    );
    println!("linking the five subjects, ms: {}", percentiles(linking));
    println!(
        "whole save (signal, subjects, linking, search index, audit), ms: {}",
        percentiles(times)
    );
}
