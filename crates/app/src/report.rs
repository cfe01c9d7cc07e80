//! The council report as people read it: a view in Dutch (chapters with what was promised,
//! done and planned; each figure with its definition, breakdowns as bars and — for those who
//! may see them — the records it counts; the effects), rendered as self-contained HTML that
//! prints well, as PDF (in-process, [`crate::pdf`]) and as XLSX with every table.

mod files;
mod view;

pub use files::{html, pdf, xlsx, XlsxError};
pub use view::{body_html, Drill, ReportView, Wijken};

use baken_core::report::ReportRequest;

/// The report's file name for a request: `rapportage-2024`, with both days for another
/// period, and the chapters and "extern" when chosen.
pub fn file_stem(request: &ReportRequest) -> String {
    let mut stem = period_stem(request);
    for c in &request.chapters {
        stem.push('-');
        stem.push_str(c.slug());
    }
    if request.readers == baken_core::report::ReportReaders::Outside {
        stem.push_str("-extern");
    }
    stem
}

fn period_stem(request: &ReportRequest) -> String {
    let (from, until) = (request.period.from(), request.period.until());
    if from.ordinal() == 1
        && until.month() == time::Month::December
        && until.day() == 31
        && from.year() == until.year()
    {
        format!("rapportage-{}", from.year())
    } else {
        format!(
            "rapportage-{}-tot-en-met-{}",
            baken_core::signal::format_date(from),
            baken_core::signal::format_date(until)
        )
    }
}
