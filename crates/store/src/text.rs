//! The stored text forms of times, dates and ids, shared by both engines.

use crate::{Result, StoreError};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// Fixed-precision UTC RFC 3339, so that text order is time order.
pub fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.format(&fmt)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

pub fn parse_ts(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| StoreError::Corrupt(format!("timestamp '{s}': {e}")))
}

pub fn date(d: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

pub fn parse_date(s: &str) -> Result<Date> {
    let fmt = format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map_err(|e| StoreError::Corrupt(format!("date '{s}': {e}")))
}

pub fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("id '{s}': {e}")))
}

/// The words of a search or of indexed text: diacritics folded, lower case, split on anything
/// that is not a letter or digit.
pub fn search_tokens(text: &str) -> Vec<String> {
    baken_core::text::words(text)
}

/// Whether a word is an identifier rather than a word of the language: it holds a digit (a
/// licence plate, a postcode, a KvK, BSN or house number). One character off, an identifier is
/// another vehicle, address or company, not a misspelling of it: a search finds identifiers as
/// typed (or as the start of a longer one), never through near-miss spellings. Most of the
/// vocabulary at a million signals is identifiers (at 300,000 signals 598,741 of 599,060
/// words), so this also keeps a search's near-miss lookup to the words that have spellings.
pub fn is_identifier(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}

/// The words of a folded text that have spellings (not identifiers), each once, in the order
/// they first appear.
fn spelled_words(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    text.split(' ')
        .filter(|w| !w.is_empty() && !is_identifier(w) && seen.insert(*w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The starts of words a search word also finds: the word itself and its Dutch stem, for
/// words of at least four letters (shorter ones would find too much).
pub fn search_prefixes(word: &str) -> Vec<String> {
    if word.chars().count() < 4 {
        return Vec::new();
    }
    let mut out = vec![word.to_string()];
    let stem = baken_core::text::dutch_stem(word);
    if stem != word && stem.chars().count() >= 4 {
        out.push(stem);
    }
    out
}

/// What PostgreSQL compares a search's words with for near-miss names
/// (`signal_search.names`): each subject's words that have spellings, each once within the
/// subject, subject after subject. A subject's text names it three times (as typed, canonical,
/// readable) beside postcodes and plates; the comparison's cost grows with the text and is
/// paid for every row a frequent word's walk looks at. Repeats are dropped within a subject
/// only: a name is matched as a run of words, and "anna de vries" must stay a run beside an
/// earlier "jan de vries".
pub fn near_names(subjects: &[baken_core::subject::NewSubject]) -> String {
    subjects
        .iter()
        .map(|s| spelled_words(&baken_core::text::words_text(&subject_words(s))))
        .filter(|words| !words.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A subject as it is searched: as typed, canonical and readable (not yet folded).
fn subject_words(subject: &baken_core::subject::NewSubject) -> String {
    format!(
        "{} {} {}",
        subject.original,
        subject.normalised,
        subject.details.display()
    )
}

/// The searchable text of a signal's subjects ([`subject_words`] of each), folded.
pub fn subjects_text(subjects: &[baken_core::subject::NewSubject]) -> String {
    let text = subjects
        .iter()
        .map(subject_words)
        .collect::<Vec<_>>()
        .join(" ");
    baken_core::text::words_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_words_name_each_word_once_in_order_without_identifiers() {
        assert_eq!(
            spelled_words("mohamed mulder mohamed mulder 37 9716 gv 9716gv mohamed bf406l"),
            "mohamed mulder gv"
        );
        assert_eq!(spelled_words("37 9716gv"), "");
        assert_eq!(spelled_words(""), "");
    }
}
