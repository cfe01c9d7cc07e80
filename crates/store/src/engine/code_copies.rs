//! Copies on each signal of its area's name and of its themes, indicators and areas (migration
//! 0058): every read of a signal used to gather them from four tables, seven subqueries per
//! signal, more than half of what a page of the list cost PostgreSQL (BENCHMARKS.md, issue
//! 13). Invariant: each copy equals the expression it copies, for every signal, after every
//! committed transaction — kept by the writes that change what they copy (intake,
//! corrections, area imports), each in its own transaction; checked by the conformance suite.

use super::*;

/// The name of area `code` (an SQL expression) in its newest year: how a signal names its
/// areas.
fn newest_name(code: &str) -> String {
    format!("(SELECT an.name FROM area an WHERE an.code = {code} ORDER BY an.year DESC LIMIT 1)")
}

/// Each copy on `signal` (alias `s`) and the expression it copies. The lists are read by
/// [`super::rows::Codes::from_row`].
fn copies() -> [(&'static str, String); 4] {
    let (agg, end) = JOINED_TEXTS;
    let sep = PART_SEPARATOR;
    [
        ("area_name", newest_name("s.area_code")),
        (
            "codes_themes",
            format!("(SELECT {agg}theme{end} FROM signal_theme WHERE signal_id = s.id)"),
        ),
        (
            "codes_indicators",
            format!("(SELECT {agg}indicator{end} FROM signal_indicator WHERE signal_id = s.id)"),
        ),
        (
            "codes_areas",
            format!(
                "(SELECT {agg}sa.area_kind || {sep} || sa.area_code || {sep} || \
                 COALESCE({}, ''){end} FROM signal_area sa WHERE sa.signal_id = s.id)",
                newest_name("sa.area_code")
            ),
        ),
    ]
}

/// `UPDATE signal AS s SET` every copy to what it copies, up to the `WHERE`.
fn copy_statement() -> String {
    let set: Vec<String> = copies()
        .iter()
        .map(|(column, expr)| format!("{column} = {expr}"))
        .collect();
    format!("UPDATE signal AS s SET {}", set.join(", "))
}

/// At most this many signals or area codes per statement (bind-parameter limits).
const CHUNK: usize = 1_000;

/// Whose copies to bring in step.
pub(super) enum Copied<'a> {
    /// These signals, after their themes, indicators or areas were written.
    Signals(&'a [String]),
    /// Every signal in or of an area whose newest name is among these codes, after an area
    /// import renamed or added them.
    InOrOfAreas(&'a [String]),
}

impl EngineStore {
    /// Brings the copies of `which` signals in step, inside `tx`.
    pub(super) async fn copy_codes(
        tx: &mut Transaction<'static, Db>,
        which: Copied<'_>,
    ) -> Result<()> {
        let statement = copy_statement();
        let keys = match which {
            Copied::Signals(ids) => ids,
            Copied::InOrOfAreas(codes) => codes,
        };
        for chunk in keys.chunks(CHUNK) {
            let mut qb = QueryBuilder::<Db>::new(&statement);
            match which {
                Copied::Signals(_) => {
                    qb.push(" WHERE s.id IN (");
                    super::retention::push_ids(&mut qb, chunk);
                }
                Copied::InOrOfAreas(_) => {
                    qb.push(" WHERE s.area_code IN (");
                    super::retention::push_ids(&mut qb, chunk);
                    qb.push(
                        " OR s.id IN (SELECT sa.signal_id FROM signal_area sa WHERE sa.area_code IN (",
                    );
                    super::retention::push_ids(&mut qb, chunk);
                    qb.push(")");
                }
            }
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Each area code with the name of its newest year.
    pub(super) async fn newest_area_names(
        tx: &mut Transaction<'static, Db>,
    ) -> Result<HashMap<String, String>> {
        let rows: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT DISTINCT a.code, {} FROM area a",
            newest_name("a.code")
        ))
        .fetch_all(&mut **tx)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// The signals whose copies differ from what they copy (empty when in step): their codes,
    /// and the receipt their theme and area rows carry (migrations 0047 and 0061/0062) — the
    /// invariant the conformance suite checks after intake, corrections and area imports.
    #[cfg(feature = "test-support")]
    pub async fn code_copies_out_of_step(&self) -> Result<Vec<String>> {
        let mut differ: Vec<String> = copies()
            .iter()
            .map(|(column, expr)| format!("s.{column} IS DISTINCT FROM {expr}"))
            .collect();
        for table in ["signal_theme", "signal_area"] {
            differ.push(format!(
                "EXISTS (SELECT 1 FROM {table} c WHERE c.signal_id = s.id \
                 AND c.received_at <> s.received_at)"
            ));
        }
        Ok(sqlx::query_scalar(&format!(
            "SELECT s.id FROM signal s WHERE {} ORDER BY s.id",
            differ.join(" OR ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Marks in `meta` that the copies were filled for the signals stored before migration 0058.
const FILLED: &str = "signal_code_copies";

/// Fills the copies of every signal once, when the store first opens after migration 0058.
pub(crate) async fn ensure_code_copies(pool: &sqlx::Pool<Db>) -> Result<()> {
    let Some(mut tx) = begin_once(pool, FILLED).await? else {
        return Ok(());
    };
    sqlx::query(&copy_statement()).execute(&mut *tx).await?;
    finish_once(tx, FILLED).await
}
