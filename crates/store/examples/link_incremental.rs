//! Incremental linking at scale: saving one signal that names five subjects, against a store
//! that already holds N subjects (default 10,000,000), on the embedded SQLite engine (TARGET
//! is a directory) or on PostgreSQL (TARGET is a `postgres://` URL of an empty database).
//!
//! The existing subjects are bulk-loaded once (as `baken link run` would leave them: blocking
//! keys with comparable forms, value counts, one entity each, a model) into TARGET; then
//! SAMPLES signals, each naming three people (variants of stored people, some with very
//! common names), an address and a vehicle, are saved one by one through
//! `Store::create_signal`, which links their subjects in the same transaction. Reports p50,
//! p90, p99 and the maximum of the linking and of the whole save.
//!
//! Usage: cargo run --release -p baken-store --example link_incremental -- TARGET [N] [SAMPLES]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use baken_core::catalogue::Catalogue;
use baken_core::model::OrgKind;
use baken_core::signal::{IntakePolicy, NewSignal, SignalInput};
use baken_core::subject::SubjectInput;
use baken_core::{Caller, Purpose, Role, RoleSet};
use baken_link::compare::{FieldKind, Prepared, Slot};
use baken_store::{Actor, NewUser};
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

/// Where the bulk load writes: the SQLite file directly, or PostgreSQL through `COPY`.
enum Sink {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Sink {
    async fn open(target: &Target) -> Sink {
        match target {
            Target::Sqlite(dir) => Sink::Sqlite(
                SqliteConnectOptions::new()
                    .filename(dir.join("baken.db"))
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Off)
                    .pragma("cache_size", "-1000000")
                    .connect()
                    .await
                    .unwrap(),
            ),
            Target::Postgres(url) => {
                Sink::Postgres(sqlx::PgConnection::connect(url).await.unwrap())
            }
        }
    }

    /// Writes rows (text values; `None` is NULL) into `table`, all or nothing.
    async fn write(&mut self, table: &str, columns: &[&str], rows: &[Vec<Option<String>>]) {
        match self {
            Sink::Sqlite(conn) => {
                let mut tx = conn.begin().await.unwrap();
                for part in rows.chunks(30_000 / columns.len()) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                        "INSERT INTO {table} ({}) ",
                        columns.join(", ")
                    ));
                    qb.push_values(part, |mut b, row| {
                        for v in row {
                            b.push_bind(v.clone());
                        }
                    });
                    qb.build().execute(&mut *tx).await.unwrap();
                }
                tx.commit().await.unwrap();
            }
            Sink::Postgres(conn) => {
                let mut copy = conn
                    .copy_in_raw(&format!("COPY {table} ({}) FROM STDIN", columns.join(", ")))
                    .await
                    .unwrap();
                let mut text = String::new();
                for row in rows {
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            text.push('\t');
                        }
                        match v {
                            None => text.push_str("\\N"),
                            Some(v) => {
                                for c in v.chars() {
                                    match c {
                                        '\\' => text.push_str("\\\\"),
                                        '\t' => text.push_str("\\t"),
                                        '\n' => text.push_str("\\n"),
                                        '\r' => text.push_str("\\r"),
                                        c => text.push(c),
                                    }
                                }
                            }
                        }
                    }
                    text.push('\n');
                }
                copy.send(text.into_bytes()).await.unwrap();
                copy.finish().await.unwrap();
            }
        }
    }

    async fn analyze(&mut self) {
        match self {
            Sink::Sqlite(conn) => {
                sqlx::query("ANALYZE").execute(conn).await.unwrap();
            }
            Sink::Postgres(conn) => {
                sqlx::query("ANALYZE").execute(conn).await.unwrap();
            }
        }
    }

    async fn count(&mut self, sql: &str) -> i64 {
        match self {
            Sink::Sqlite(conn) => sqlx::query(sql).fetch_one(conn).await.unwrap().get(0),
            Sink::Postgres(conn) => sqlx::query(sql).fetch_one(conn).await.unwrap().get(0),
        }
    }
}

enum Target {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

fn form_of(k: u64) -> String {
    let (name, born) = person(k);
    Prepared::new(&[(FieldKind::FullName, name), (FieldKind::DateOfBirth, born)]).encode()
}

async fn load(target: &Target, n: u64, org: &str) {
    let mut sink = Sink::open(target).await;
    let started = Instant::now();
    let at = "2026-01-01T00:00:00.000000Z".to_string();
    let mut keys: Vec<(String, u64)> = Vec::with_capacity(n as usize * 4);
    let mut terms: [HashMap<String, i64>; 2] = [HashMap::new(), HashMap::new()];
    let id_of = |i: u64| {
        uuid::Uuid::from_u128((0x0190_0000_0000_7000_8000_0000_0000_0000u128) | u128::from(i))
            .to_string()
    };
    let batch = match target {
        Target::Sqlite(_) => 1_500u64,
        Target::Postgres(_) => 50_000u64,
    };
    let mut i = 0u64;
    while i < n {
        let end = (i + batch).min(n);
        let mut subjects = Vec::new();
        let mut entities = Vec::new();
        let mut members = Vec::new();
        for k in i..end {
            let id = id_of(k);
            let (name, born) = person(k);
            let details = baken_core::subject::SubjectDetails::Person {
                name: name.clone(),
                birth_date: baken_core::signal::parse_date(&born).ok(),
            };
            let p = Prepared::new(&[
                (FieldKind::FullName, name.clone()),
                (FieldKind::DateOfBirth, born.clone()),
            ]);
            for (t, slot) in [Slot::Given, Slot::Surname].iter().enumerate() {
                if let Some(v) = p.get(*slot) {
                    *terms[t].entry(v.to_string()).or_default() += 1;
                }
            }
            for key in baken_link::block::keys(&p) {
                keys.push((key, k));
            }
            subjects.push(vec![
                Some(id.clone()),
                Some("persoon".into()),
                Some(name.clone()),
                Some(baken_core::subject::fold(&name)),
                Some(serde_json::to_string(&details).unwrap()),
                Some(org.to_string()),
                Some(at.clone()),
                Some(p.encode()),
            ]);
            entities.push(vec![
                Some(id.clone()),
                Some("persoon".into()),
                None,
                Some(at.clone()),
            ]);
            members.push(vec![Some(id.clone()), Some(id)]);
        }
        sink.write(
            "subject",
            &[
                "id",
                "kind",
                "original",
                "normalised",
                "details",
                "owner_org",
                "created_at",
                "link_form",
            ],
            &subjects,
        )
        .await;
        sink.write(
            "entity",
            &["id", "kind", "merged_into", "created_at"],
            &entities,
        )
        .await;
        sink.write("entity_member", &["subject_id", "entity_id"], &members)
            .await;
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
        let rows: Vec<Vec<Option<String>>> = chunk
            .iter()
            .map(|(key, k)| {
                vec![
                    Some("persoon".into()),
                    Some(key.clone()),
                    Some(id_of(*k)),
                    Some(form_of(*k)),
                ]
            })
            .collect();
        sink.write("subject_key", &["kind", "key", "subject_id", "form"], &rows)
            .await;
    }
    drop(keys);
    for (t, slot) in ["given_name", "surname"].iter().enumerate() {
        let rows: Vec<Vec<Option<String>>> = terms[t]
            .iter()
            .map(|(v, c)| {
                vec![
                    Some("persoon".into()),
                    Some(slot.to_string()),
                    Some(v.clone()),
                    Some(c.to_string()),
                ]
            })
            .collect();
        sink.write("subject_term", &["kind", "slot", "value", "n"], &rows)
            .await;
        let total: i64 = terms[t].values().sum();
        let squares: i64 = terms[t].values().map(|c| c * c).sum();
        sink.write(
            "subject_term_total",
            &["kind", "slot", "total", "sum_squares"],
            &[vec![
                Some("persoon".into()),
                Some(slot.to_string()),
                Some(total.to_string()),
                Some(squares.to_string()),
            ]],
        )
        .await;
    }
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
    sink.write(
        "link_model",
        &["kind", "model", "estimated_at", "subjects"],
        &[vec![
            Some("persoon".into()),
            Some(serde_json::to_string(&model).unwrap()),
            Some(at.clone()),
            Some(n.to_string()),
        ]],
    )
    .await;
    sink.analyze().await;
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
    let target = if args[1].starts_with("postgres://") {
        Target::Postgres(args[1].clone())
    } else {
        Target::Sqlite(std::path::PathBuf::from(&args[1]))
    };
    let n: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let samples: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    let now = OffsetDateTime::now_utc();
    let store = match &target {
        Target::Sqlite(dir) => {
            std::fs::create_dir_all(dir).unwrap();
            baken_store::open(None, dir).await.unwrap()
        }
        Target::Postgres(url) => baken_store::open(Some(url), std::path::Path::new("."))
            .await
            .unwrap(),
    };
    let system = Actor::System {
        process: "bench".into(),
    };
    if store
        .organisation_by_name("Gemeente Bench")
        .await
        .unwrap()
        .is_none()
    {
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
    let (stored, signals) = {
        let mut sink = Sink::open(&target).await;
        (
            sink.count("SELECT COUNT(*) FROM subject").await,
            sink.count("SELECT COUNT(*) FROM signal").await,
        )
    };
    if stored < n as i64 {
        load(&target, n, &org.id.to_string()).await;
    }
    let caller = Caller::for_user(&user, Purpose::new("benchmark"), "bench");
    // A server that has been running has its database in the page cache; read the file once
    // so the samples measure linking, not the disk after a reload or a build.
    if let Target::Sqlite(dir) = &target {
        for file in ["baken.db", "baken.db-wal"] {
            if let Ok(mut f) = std::fs::File::open(dir.join(file)) {
                std::io::copy(&mut f, &mut std::io::sink()).unwrap();
            }
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
