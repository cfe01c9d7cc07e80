//! Plain PDF documents made in-process (no browser, no network): a title, headings,
//! paragraphs, label–value facts and notes, set in Helvetica on A4 with word wrapping, page
//! breaks and a footer with page numbers. Helvetica is one of the PDF standard fonts every
//! reader has, so nothing is embedded; text is written in WinAnsi encoding (Dutch letters
//! with diacritics included). `pdf-writer` writes the file; this module only lays out lines.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    /// A label and its value (the value wraps under the label).
    Fact(String, String),
    /// Small grey text (explanations, confidentiality notices).
    Note(String),
    /// A bar chart: a caption, then per row its label, a bar and its value.
    Bars(String, Vec<BarRow>),
    /// A map of areas filled by class, with a caption and a legend.
    Map(MapBlock),
}

/// A colour, 0–1 per channel.
pub type Rgb = (f32, f32, f32);

/// One area of a map: its rings (longitude, latitude) and its fill.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    pub rings: Vec<Vec<(f64, f64)>>,
    pub fill: Rgb,
}

/// A map: areas drawn in a box of the text's width (shapes kept true at the map's
/// latitude), then a legend of swatches.
#[derive(Debug, Clone, PartialEq)]
pub struct MapBlock {
    pub caption: String,
    pub shapes: Vec<MapShape>,
    pub legend_title: String,
    pub legend: Vec<(Rgb, String)>,
}

/// The tallest a map is drawn.
const MAP_HEIGHT: f32 = 260.0;
const MAP_WIDTH: f32 = 320.0;

/// The shapes projected into a box (x to the right, y up, from 0): equirectangular with the
/// longitude scaled by cos(mid-latitude), fitted into `MAP_WIDTH` × `MAP_HEIGHT`.
/// A shape in page units, from the map box's lower left corner.
#[derive(Debug, Clone, PartialEq)]
struct Projected {
    rings: Vec<Vec<(f32, f32)>>,
    fill: Rgb,
}

fn project(shapes: &[MapShape]) -> Option<(Vec<Projected>, f32)> {
    let points = || shapes.iter().flat_map(|s| s.rings.iter().flatten());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in points() {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let kx = ((y0 + y1) / 2.0).to_radians().cos();
    let scale = (f64::from(MAP_WIDTH) / ((x1 - x0) * kx)).min(f64::from(MAP_HEIGHT) / (y1 - y0));
    let height = ((y1 - y0) * scale) as f32;
    let projected = shapes
        .iter()
        .map(|s| {
            let rings = s
                .rings
                .iter()
                .map(|ring| {
                    ring.iter()
                        .map(|(x, y)| (((x - x0) * kx * scale) as f32, ((y - y0) * scale) as f32))
                        .collect()
                })
                .collect();
            Projected {
                rings,
                fill: s.fill,
            }
        })
        .collect();
    Some((projected, height))
}

/// One row of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    /// The value as shown ("12", "<5").
    pub shown: String,
    /// The bar's length as a part of the longest, 0–1 (0: no bar).
    pub fraction: f32,
}

/// A document: its title (first page, and the PDF's metadata), a footer on every page and
/// its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub footer: String,
    pub blocks: Vec<Block>,
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The lowest line's baseline; the footer sits below it.
const BOTTOM: f32 = MARGIN + 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    face: Face,
    size: f32,
    grey: bool,
    text: String,
    /// Space above the line (leading included).
    advance: f32,
    /// How much must follow the line on its page.
    keep: f32,
    /// What is drawn besides the text.
    extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
enum Extra {
    None,
    /// A chart row: the text is its label, then the bar (0–1) and this value.
    Bar(f32, String),
    /// A legend row: a swatch before the text.
    Swatch(Rgb),
    /// A projected map; the line is as tall as the map.
    Map(Vec<Projected>),
}

/// Where a chart row's bar starts, how long the longest is, and where its value stands.
const BAR_X: f32 = MARGIN + 200.0;
const BAR_LENGTH: f32 = 200.0;
const BAR_VALUE_X: f32 = BAR_X + BAR_LENGTH + 10.0;

/// `text` cut (with "…") to fit `width`.
fn fit(text: &str, face: Face, size: f32, width: f32) -> String {
    if text_width(text, face, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let mut longer = out.clone();
        longer.push(c);
        longer.push('…');
        if text_width(&longer, face, size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Helvetica's advance widths (Adobe AFM, per 1000 units) for ASCII 32–126.
#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's advance widths for ASCII 32–126.
#[rustfmt::skip]
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The ASCII letter a Latin letter with a diacritic is drawn on (its width is the same).
fn base_letter(c: char) -> Option<char> {
    let base = match c {
        'à'..='å' => 'a',
        'À'..='Å' => 'A',
        'è'..='ë' => 'e',
        'È'..='Ë' => 'E',
        'ì'..='ï' => 'i',
        'Ì'..='Ï' => 'I',
        'ò'..='ö' | 'ø' => 'o',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ù'..='ü' => 'u',
        'Ù'..='Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        _ => return None,
    };
    Some(base)
}

/// The width of `c` in 1000ths of the font size.
fn char_width(c: char, face: Face) -> u16 {
    let table = match face {
        Face::Regular => &REGULAR,
        Face::Bold => &BOLD,
    };
    let c = base_letter(c).unwrap_or(c);
    match c {
        ' '..='~' => table[c as usize - 32],
        '–' | '€' | '°' => 556,
        '—' | '…' => 1000,
        '‘' | '’' | '‚' => 278,
        '“' | '”' | '„' => 500,
        '•' => 350,
        _ => 611,
    }
}

fn text_width(text: &str, face: Face, size: f32) -> f32 {
    text.chars()
        .map(|c| f32::from(char_width(c, face)))
        .sum::<f32>()
        * size
        / 1000.0
}

/// `text` in WinAnsi encoding (what cannot be written becomes "?").
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Breaks `text` into lines no wider than `width` (a word longer than a line is cut);
/// line breaks in the text are kept.
fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, face, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must.
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !line.is_empty() && text_width(&longer, face, size) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// How a text block is set: face, size, grey, the space above it, and how much must follow
/// it on the same page (a heading is not left alone at the foot of a page).
struct Set {
    face: Face,
    size: f32,
    grey: bool,
    gap: f32,
    keep: f32,
}

const TITLE: Set = Set {
    face: Face::Bold,
    size: 17.0,
    grey: false,
    gap: 0.0,
    keep: 0.0,
};
const HEADING: Set = Set {
    face: Face::Bold,
    size: 13.0,
    grey: false,
    gap: 12.0,
    keep: 45.0,
};
const SUBHEADING: Set = Set {
    face: Face::Bold,
    size: 11.0,
    grey: false,
    gap: 8.0,
    keep: 30.0,
};
const PARAGRAPH: Set = Set {
    face: Face::Regular,
    size: 10.0,
    grey: false,
    gap: 4.0,
    keep: 0.0,
};
const LABEL: Set = Set {
    face: Face::Bold,
    size: 9.0,
    grey: false,
    gap: 4.0,
    keep: 13.0,
};
const VALUE: Set = Set {
    face: Face::Regular,
    size: 10.0,
    grey: false,
    gap: 0.0,
    keep: 0.0,
};
const NOTE: Set = Set {
    face: Face::Regular,
    size: 8.5,
    grey: true,
    gap: 4.0,
    keep: 0.0,
};
/// A chart's caption keeps two rows with it; a map's caption the map (set per map).
const CAPTION: Set = Set {
    face: Face::Bold,
    size: 9.0,
    grey: false,
    gap: 4.0,
    keep: 26.0,
};

fn lay_out(doc: &Document) -> Vec<Line> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Line>, text: &str, set: &Set| {
        for (i, line) in wrap(text, set.face, set.size, TEXT_WIDTH)
            .into_iter()
            .enumerate()
        {
            out.push(Line {
                face: set.face,
                size: set.size,
                grey: set.grey,
                text: line,
                advance: set.size * 1.3 + if i == 0 { set.gap } else { 0.0 },
                keep: set.keep,
                extra: Extra::None,
            });
        }
    };
    push(&mut out, &doc.title, &TITLE);
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => push(&mut out, t, &HEADING),
            Block::Subheading(t) => push(&mut out, t, &SUBHEADING),
            Block::Paragraph(t) => push(&mut out, t, &PARAGRAPH),
            Block::Fact(label, value) => {
                push(&mut out, label, &LABEL);
                push(&mut out, value, &VALUE);
            }
            Block::Note(t) => push(&mut out, t, &NOTE),
            Block::Bars(caption, rows) => {
                push(&mut out, caption, &CAPTION);
                for row in rows {
                    out.push(Line {
                        face: Face::Regular,
                        size: 9.0,
                        grey: false,
                        text: fit(&row.label, Face::Regular, 9.0, BAR_X - MARGIN - 8.0),
                        advance: 9.0 * 1.4,
                        keep: 0.0,
                        extra: Extra::Bar(row.fraction.clamp(0.0, 1.0), row.shown.clone()),
                    });
                }
            }
            Block::Map(map) => {
                let Some((shapes, height)) = project(&map.shapes) else {
                    continue;
                };
                let advance = height + 6.0;
                push(
                    &mut out,
                    &map.caption,
                    &Set {
                        keep: advance,
                        ..CAPTION
                    },
                );
                out.push(Line {
                    face: Face::Regular,
                    size: 9.0,
                    grey: false,
                    text: String::new(),
                    advance,
                    keep: 24.0,
                    extra: Extra::Map(shapes),
                });
                push(
                    &mut out,
                    &map.legend_title,
                    &Set {
                        keep: 12.0,
                        ..CAPTION
                    },
                );
                for (colour, label) in &map.legend {
                    out.push(Line {
                        face: Face::Regular,
                        size: 8.5,
                        grey: false,
                        text: label.clone(),
                        advance: 8.5 * 1.5,
                        keep: 0.0,
                        extra: Extra::Swatch(*colour),
                    });
                }
            }
        }
    }
    out
}

/// Splits lines into pages: a heading is not left alone at the foot of a page.
fn paginate(lines: Vec<Line>) -> Vec<Vec<(f32, Line)>> {
    let mut pages: Vec<Vec<(f32, Line)>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let keep_with_next = if i + 1 < count { line.keep } else { 0.0 };
        // A map is as tall as itself also at the top of a page.
        let tall = matches!(line.extra, Extra::Map(_));
        let first_on_page = pages.last().is_none_or(Vec::is_empty);
        let advance = if first_on_page && !tall {
            line.size
        } else {
            line.advance
        };
        if !first_on_page && y - advance - keep_with_next < BOTTOM {
            pages.push(Vec::new());
            y = PAGE_HEIGHT - MARGIN - if tall { line.advance } else { line.size };
        } else {
            y -= advance;
        }
        if let Some(page) = pages.last_mut() {
            page.push((y, line));
        }
    }
    pages
}

/// What a line draws besides its text, its baseline at `y`.
fn draw_extra(content: &mut Content, line: &Line, y: f32) {
    match &line.extra {
        Extra::None => {}
        Extra::Bar(fraction, value) => {
            if *fraction > 0.0 {
                content.set_fill_rgb(0.114, 0.306, 0.537);
                content.rect(BAR_X, y - 1.0, fraction * BAR_LENGTH, line.size * 0.8);
                content.fill_nonzero();
                content.set_fill_gray(0.0);
            }
            content
                .begin_text()
                .set_font(line.face.resource(), line.size)
                .next_line(BAR_VALUE_X, y)
                .show(Str(&win_ansi(value)))
                .end_text();
        }
        Extra::Swatch((r, g, b)) => {
            content.set_fill_rgb(*r, *g, *b);
            content.set_stroke_gray(0.33);
            content.set_line_width(0.5);
            content.rect(MARGIN, y - 1.0, 11.0, 8.0);
            content.fill_nonzero_and_stroke();
            content.set_fill_gray(0.0);
        }
        Extra::Map(shapes) => {
            content.set_stroke_gray(0.33);
            content.set_line_width(0.5);
            for shape in shapes {
                let (r, g, b) = shape.fill;
                content.set_fill_rgb(r, g, b);
                for ring in &shape.rings {
                    for (i, (x, ry)) in ring.iter().enumerate() {
                        let (px, py) = (MARGIN + x, y + 3.0 + ry);
                        if i == 0 {
                            content.move_to(px, py);
                        } else {
                            content.line_to(px, py);
                        }
                    }
                    content.close_path();
                }
                content.fill_even_odd_and_stroke();
            }
            content.set_fill_gray(0.0);
        }
    }
}

/// The PDF file of `doc`.
pub fn render(doc: &Document) -> Vec<u8> {
    let pages = paginate(lay_out(doc));
    let total = pages.len();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut next = 6;
    let mut ids = Vec::new();
    for _ in 0..total {
        ids.push((Ref::new(next), Ref::new(next + 1)));
        next += 2;
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(total).unwrap_or(i32::MAX));
    pdf.document_info(info)
        .title(pdf_writer::TextStr(&doc.title))
        .producer(pdf_writer::TextStr("Baken"));
    for (font, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(font)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (n, ((page_id, content_id), lines)) in ids.iter().zip(pages).enumerate() {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Face::Regular.resource(), regular)
            .pair(Face::Bold.resource(), bold);
        page.finish();
        let mut content = Content::new();
        for (y, line) in &lines {
            let indent = if matches!(line.extra, Extra::Swatch(_)) {
                16.0
            } else {
                0.0
            };
            content.set_fill_gray(if line.grey { 0.35 } else { 0.0 });
            content
                .begin_text()
                .set_font(line.face.resource(), line.size)
                .next_line(MARGIN + indent, *y)
                .show(Str(&win_ansi(&line.text)))
                .end_text();
            draw_extra(&mut content, line, *y);
        }
        let number = format!("pagina {} van {total}", n + 1);
        let footer_size = 8.0;
        content.set_fill_gray(0.35);
        for (text, x) in [
            (doc.footer.clone(), MARGIN),
            (
                number.clone(),
                PAGE_WIDTH - MARGIN - text_width(&number, Face::Regular, footer_size),
            ),
        ] {
            content
                .begin_text()
                .set_font(Face::Regular.resource(), footer_size)
                .next_line(x, MARGIN - 10.0)
                .show(Str(&win_ansi(&text)))
                .end_text();
        }
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_never_run_past_the_margin_and_long_words_are_cut() {
        let text = "De burgemeester besluit tot sluiting van het pand voor zes maanden op grond \
                    van artikel 13b Opiumwet; één bewoner, geïnformeerd, zienswijze ontvangen. "
            .repeat(5)
            + &"x".repeat(300);
        for face in [Face::Regular, Face::Bold] {
            let lines = wrap(&text, face, 10.0, TEXT_WIDTH);
            assert!(lines.len() > 5);
            for line in &lines {
                assert!(text_width(line, face, 10.0) <= TEXT_WIDTH, "{line}");
            }
            let rejoined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            assert_eq!(rejoined, original, "no word is lost");
        }
        assert_eq!(
            wrap("eerste\ntweede", Face::Regular, 10.0, TEXT_WIDTH).len(),
            2
        );
    }

    #[test]
    fn a_chart_row_has_its_label_cut_to_fit_its_bar_and_its_value() {
        let doc = Document {
            title: "Rapportage".into(),
            footer: String::new(),
            blocks: vec![Block::Bars(
                "Naar wijk".into(),
                vec![
                    BarRow {
                        label: "Wijk 01 Schilders- en Zeeheldenwijk en nog veel meer tekst".into(),
                        shown: "12".into(),
                        fraction: 1.0,
                    },
                    BarRow {
                        label: "Wijk 02".into(),
                        shown: "<5".into(),
                        fraction: 0.0,
                    },
                ],
            )],
        };
        let lines = lay_out(&doc);
        let rows: Vec<&Line> = lines
            .iter()
            .filter(|l| matches!(l.extra, Extra::Bar(..)))
            .collect();
        assert_eq!(rows.len(), 2);
        for row in &rows {
            assert!(text_width(&row.text, row.face, row.size) <= BAR_X - MARGIN - 8.0);
        }
        assert!(rows[0].text.ends_with('…'));
        assert_eq!(rows[1].text, "Wijk 02");
        let bytes = render(&doc);
        let text = String::from_utf8_lossy(&bytes);
        // One filled bar (the row with a value above zero), both values written.
        assert_eq!(text.matches(" re\n").count(), 1, "{text}");
        assert!(text.contains("(12) Tj") && text.contains("(<5) Tj"));
    }

    #[test]
    fn a_map_is_drawn_whole_on_one_page_with_its_caption_and_legend() {
        let square = |x: f64, fill: Rgb| MapShape {
            rings: vec![vec![
                (x, 53.2),
                (x + 0.01, 53.2),
                (x + 0.01, 53.21),
                (x, 53.21),
            ]],
            fill,
        };
        let map = Block::Map(MapBlock {
            caption: "Sluitingen, per wijk".into(),
            shapes: vec![square(6.5, (1.0, 0.8, 0.36)), square(6.51, (0.7, 0.7, 0.7))],
            legend_title: "Aantal".into(),
            legend: vec![
                ((1.0, 0.8, 0.36), "1 – 3".into()),
                ((0.7, 0.7, 0.7), "afgeschermd".into()),
            ],
        });
        // Enough text before it that the map does not fit on the first page.
        let mut blocks: Vec<Block> = (0..40)
            .map(|i| Block::Paragraph(format!("Regel {i}")))
            .collect();
        blocks.push(map);
        let doc = Document {
            title: "Rapportage".into(),
            footer: String::new(),
            blocks,
        };
        let pages = paginate(lay_out(&doc));
        let (page, (y, line)) = pages
            .iter()
            .enumerate()
            .find_map(|(n, p)| {
                p.iter()
                    .find(|(_, l)| matches!(l.extra, Extra::Map(_)))
                    .map(|l| (n, l))
            })
            .unwrap();
        let top = y + 3.0 + MAP_HEIGHT.min(line.advance);
        assert!(*y >= BOTTOM && top <= PAGE_HEIGHT - MARGIN, "{y} {top}");
        // The caption is on the map's page, just above it.
        assert!(pages[page]
            .iter()
            .any(|(_, l)| l.text == "Sluitingen, per wijk"));
        let text = String::from_utf8_lossy(&render(&doc)).to_string();
        assert_eq!(text.matches("B*").count(), 2, "one filled shape per area");
        assert!(text.contains("(afgeschermd) Tj"));
    }

    #[test]
    fn dutch_letters_are_written_in_win_ansi() {
        assert_eq!(win_ansi("één"), [0xE9, 0xE9, b'n']);
        assert_eq!(win_ansi("geïnd – €5"), b"ge\xefnd \x96 \x805".to_vec());
        assert_eq!(win_ansi("→"), b"?".to_vec());
    }

    #[test]
    fn a_long_document_is_a_pdf_of_several_numbered_pages() {
        let doc = Document {
            title: "Verslag casusoverleg".into(),
            footer: "Vertrouwelijk".into(),
            blocks: (0..60)
                .flat_map(|i| {
                    [
                        Block::Heading(format!("{i}. Casus")),
                        Block::Fact("Besluit".into(), "Waarschuwing en zorg".into()),
                        Block::Paragraph("Bespreking ".repeat(40)),
                        Block::Note("Niet gedeeld".into()),
                    ]
                })
                .collect(),
        };
        let bytes = render(&doc);
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Helvetica-Bold"));
        assert!(text.contains("/WinAnsiEncoding"));
        let pages = paginate(lay_out(&doc));
        assert!(pages.len() > 3);
        assert!(text.contains(&format!("pagina {} van {}", pages.len(), pages.len())));
        for page in &pages {
            for (y, _) in page {
                assert!(*y >= BOTTOM - 0.01 && *y <= PAGE_HEIGHT - MARGIN, "{y}");
            }
        }
        // No page ends with a heading or a label whose text follows on the next page.
        for page in &pages[..pages.len() - 1] {
            let (_, last) = page.last().unwrap();
            assert_eq!(last.keep, 0.0, "page ends with {:?}", last.text);
        }
    }
}
