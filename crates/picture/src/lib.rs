//! The picture of areas (DESIGN.md §5 "give meaning"): which areas deviate from the rest of
//! the municipality, and the printable SVG maps and charts that show it. Pure functions: the
//! caller brings counts the user may see, bases and shapes; nothing here reads a store.

pub mod chart;
pub mod deviation;
pub mod hotspot;
pub mod map;

pub use deviation::{deviation_table, AreaInput, DeviationClass, DeviationRow, DeviationTable};

/// Escapes text for XML content and attribute values.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number the Dutch way: decimal comma, `decimals` places.
pub fn dutch_number(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}
