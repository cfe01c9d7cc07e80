//! The peer of the bulk-import benchmark: the same CSV rows inserted as they are into one
//! SQLite table (one prepared statement, one transaction, no validation or normalisation).
//!
//! With `--batched` the rows go in as multi-row `INSERT … VALUES` statements of 500 rows, the
//! fastest plain way; without it, one prepared statement per row, the usual way.
//!
//! Usage: cargo run --release -p baken-intake --example raw_insert -- IN.csv OUT.db [--batched]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let started = Instant::now();
    let mut conn = SqliteConnectOptions::new()
        .filename(&args[2])
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE raw (title TEXT, description TEXT, received TEXT, theme TEXT, lat TEXT, lon TEXT, \
         name TEXT, postcode TEXT, number TEXT, plate TEXT)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(&args[1])
        .unwrap();
    let batched = args.get(3).is_some_and(|a| a == "--batched");
    let mut tx = conn.begin().await.unwrap();
    let mut rows = 0u64;
    let mut pending: Vec<csv::StringRecord> = Vec::with_capacity(500);
    for record in reader.records() {
        let r = record.unwrap();
        rows += 1;
        if batched {
            pending.push(r);
            if pending.len() == 500 {
                insert_batch(&mut tx, &pending).await;
                pending.clear();
            }
            continue;
        }
        let mut q = sqlx::query("INSERT INTO raw VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        for field in r.iter() {
            q = q.bind(field.to_string());
        }
        q.execute(&mut *tx).await.unwrap();
    }
    if !pending.is_empty() {
        insert_batch(&mut tx, &pending).await;
    }
    tx.commit().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "raw insert: {rows} rows in {secs:.2} s = {:.0} rows/s",
        rows as f64 / secs
    );
}

async fn insert_batch(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, rows: &[csv::StringRecord]) {
    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO raw ");
    qb.push_values(rows, |mut b, r| {
        for field in r.iter() {
            b.push_bind(field.to_string());
        }
    });
    qb.build().execute(&mut **tx).await.unwrap();
}
