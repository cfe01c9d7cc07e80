//! The report as a file: HTML (self-contained, prints well), PDF and XLSX.

use askama::Template;
use rust_xlsxwriter::{Format, Workbook};

use super::view::{MapView, ReportView};
use crate::pdf::{BarRow, Block, Document, MapBlock, MapShape, Rgb};

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a ReportView,
}

/// The self-contained HTML document (styles inline, no scripts, nothing fetched).
pub fn html(view: &ReportView) -> String {
    Page { r: view }.render().unwrap_or_default()
}

/// A colour "#rrggbb" as PDF wants it.
fn rgb(hex: &str) -> Rgb {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f32::from(v) / 255.0)
    };
    (channel(1), channel(3), channel(5))
}

/// A protected count's fill on paper (a grey darker than "none", named in the legend).
const PROTECTED: Rgb = (0.7, 0.7, 0.7);

fn map_block(m: &MapView) -> MapBlock {
    MapBlock {
        caption: m.title.clone(),
        legend_title: super::view::MAP_LEGEND_TITLE.into(),
        shapes: m
            .areas
            .iter()
            .map(|a| MapShape {
                rings: a
                    .shape
                    .0
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
                    .collect(),
                fill: if a.hatched { PROTECTED } else { rgb(a.fill) },
            })
            .collect(),
        legend: m
            .legend
            .iter()
            .map(|l| {
                (
                    if l.hatched { PROTECTED } else { rgb(l.colour) },
                    l.label.clone(),
                )
            })
            .collect(),
    }
}

/// The PDF, made in-process.
pub fn pdf(view: &ReportView) -> Vec<u8> {
    let mut blocks = vec![Block::Note(format!(
        "Periode: {}. {} {}",
        view.period, view.protection, view.bibob_note
    ))];
    if !view.differences.is_empty() {
        blocks.push(Block::Heading(
            "Verschillen met eerder gepubliceerde cijfers".into(),
        ));
        for d in &view.differences {
            blocks.push(Block::Paragraph(d.clone()));
        }
    }
    for c in &view.chapters {
        blocks.push(Block::Heading(c.title.to_string()));
        if !c.promised.is_empty() {
            blocks.push(Block::Subheading("Wat hadden we beloofd".into()));
            for p in &c.promised {
                blocks.push(Block::Fact(
                    p.status.to_string(),
                    format!("{} ({})", p.text, p.owner),
                ));
            }
        }
        if !c.figures.is_empty() {
            blocks.push(Block::Subheading("Wat hebben we gedaan".into()));
        }
        for f in &c.figures {
            let mut value = f.shown.clone();
            if let Some(of) = &f.of {
                value.push_str(&format!(" van {of}"));
            }
            if let Some(s) = &f.share {
                value.push_str(&format!(" ({s})"));
            }
            if f.suppressed {
                value.push_str(" — afgeschermd");
            }
            blocks.push(Block::Fact(f.title.clone(), value));
            if let Some(m) = &f.map {
                blocks.push(Block::Map(map_block(m)));
            }
            for b in f.breakdowns.iter().filter(|b| !b.rows.is_empty()) {
                blocks.push(Block::Bars(
                    format!("Naar {}", b.title),
                    b.rows
                        .iter()
                        .map(|row| BarRow {
                            label: row.label.clone(),
                            shown: row.shown.clone(),
                            fraction: row.bar as f32 / 200.0,
                        })
                        .collect(),
                ));
            }
            blocks.push(Block::Note(f.definition.to_string()));
        }
        if !c.planned.is_empty() {
            blocks.push(Block::Subheading("Wat gaan we doen".into()));
            for p in &c.planned {
                let due = if p.due.is_empty() {
                    String::new()
                } else {
                    format!(", uiterlijk {}", p.due)
                };
                blocks.push(Block::Fact(
                    p.status.to_string(),
                    format!("{} ({}{due})", p.text, p.owner),
                ));
            }
        }
    }
    if !view.effects.is_empty() || view.effects_withheld.is_some() {
        blocks.push(Block::Heading("Effecten".into()));
        if let Some(why) = view.effects_withheld {
            blocks.push(Block::Paragraph(why.to_string()));
        }
        for e in &view.effects {
            blocks.push(Block::Subheading(format!("{} ({})", e.title, e.kind)));
            for row in &e.rows {
                blocks.push(Block::Fact(
                    format!("{} (n = {})", row.group, row.n),
                    row.value.clone(),
                ));
            }
            blocks.push(Block::Note(e.definition.to_string()));
        }
    }
    crate::pdf::render(&Document {
        title: view.title.clone(),
        footer: format!(
            "Rapportage {} — berekend uit de vastgelegde gegevens",
            view.period
        ),
        blocks,
    })
}

/// Writing the workbook failed.
#[derive(Debug, thiserror::Error)]
#[error("werkmap maken mislukt: {0}")]
pub struct XlsxError(#[from] rust_xlsxwriter::XlsxError);

/// The workbook: every table of the report on its own sheet.
pub fn xlsx(view: &ReportView) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    {
        let sheet = book.add_worksheet().set_name("Cijfers")?;
        let head = [
            "Thema",
            "Cijfer",
            "Aantal",
            "Van",
            "Afgeschermd",
            "Definitie",
        ];
        for (c, h) in head.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut r = 1;
        for c in &view.chapters {
            for f in &c.figures {
                sheet.write_string(r, 0, c.title)?;
                sheet.write_string(r, 1, &f.title)?;
                write_count(sheet, r, 2, &f.shown)?;
                if let Some(of) = &f.of {
                    write_count(sheet, r, 3, of)?;
                }
                sheet.write_string(r, 4, if f.suppressed { "ja" } else { "nee" })?;
                sheet.write_string(r, 5, f.definition)?;
                r += 1;
            }
        }
        sheet.write_string(
            r + 1,
            0,
            format!("Periode: {}. {}", view.period, view.protection),
        )?;
        for (i, d) in view.differences.iter().enumerate() {
            sheet.write_string(r + 3 + i as u32, 0, d)?;
        }
    }
    {
        let sheet = book.add_worksheet().set_name("Uitsplitsingen")?;
        for (c, h) in ["Thema", "Cijfer", "Naar", "Waarde", "Aantal"]
            .iter()
            .enumerate()
        {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut r = 1;
        for c in &view.chapters {
            for f in &c.figures {
                for b in &f.breakdowns {
                    for row in &b.rows {
                        sheet.write_string(r, 0, c.title)?;
                        sheet.write_string(r, 1, &f.title)?;
                        sheet.write_string(r, 2, b.title)?;
                        sheet.write_string(r, 3, &row.label)?;
                        write_count(sheet, r, 4, &row.shown)?;
                        r += 1;
                    }
                }
            }
        }
    }
    {
        let sheet = book.add_worksheet().set_name("Toezeggingen")?;
        for (c, h) in [
            "Thema",
            "Soort",
            "Toezegging",
            "Eigenaar",
            "Uiterlijk",
            "Status",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut r = 1;
        for c in &view.chapters {
            for (kind, list) in [("beloofd", &c.promised), ("gepland", &c.planned)] {
                for p in list {
                    sheet.write_string(r, 0, c.title)?;
                    sheet.write_string(r, 1, kind)?;
                    sheet.write_string(r, 2, &p.text)?;
                    sheet.write_string(r, 3, &p.owner)?;
                    sheet.write_string(r, 4, &p.due)?;
                    sheet.write_string(r, 5, p.status)?;
                    r += 1;
                }
            }
        }
    }
    {
        let sheet = book.add_worksheet().set_name("Effecten")?;
        for (c, h) in [
            "Effect",
            "Interventie",
            "Groep",
            "Aantal",
            "Uitkomst",
            "Definitie",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut r = 1;
        for e in &view.effects {
            for row in &e.rows {
                sheet.write_string(r, 0, e.title)?;
                sheet.write_string(r, 1, e.kind)?;
                sheet.write_string(r, 2, &row.group)?;
                write_count(sheet, r, 3, &row.n)?;
                sheet.write_string(r, 4, &row.value)?;
                sheet.write_string(r, 5, e.definition)?;
                r += 1;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A count as a number cell when it is one, else as text ("<5").
fn write_count(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    shown: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    // A count as shown has its thousands separated by dots ("25.000"): a number in the sheet.
    match shown.replace('.', "").parse::<u64>() {
        Ok(n) => sheet.write_number(row, col, n as f64).map(|_| ()),
        Err(_) => sheet.write_string(row, col, shown).map(|_| ()),
    }
}
