//! DOCX through docx-rs: editable A4 documents in the font offices have, "TH Sarabun New".
//!
//! docx-rs 0.4.22 cannot mark a table row as a header row, nor write a field with switches in a
//! header, so the package XML is touched up after it is built: header rows carry a marker row
//! height that becomes `<w:tblHeader/>`.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Header, HeightRule, InstrText, LineSpacing,
    PageMargin, PageNumType, PageOrientationType, Paragraph, Pic, Run, RunFonts, Section, Shading,
    ShdType, SpecialIndentType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};
use prongsai_thai::Digits;

use crate::DocumentError;
use crate::image::ImageInfo;
use crate::pdf::Raster;
use crate::view::{AnnouncementView, Cell, ItaView, ReportView};

/// The font Thai offices have installed; LibreOffice on Linux substitutes it through
/// fontconfig (Laksaman, from TH SarabunPSK).
pub(crate) const FONT: &str = "TH Sarabun New";

// Sizes in half-points: TH Sarabun New 16 pt for the body, 14 pt in tables.
const BODY: usize = 32;
const TABLE: usize = 28;
const SMALL: usize = 24;
const TITLE: usize = 40;
const COVER_AGENCY: usize = 36;
const HEADING: usize = 32;

// Lengths in twentieths of a point (twips): 1 cm = 567.
const CM: i32 = 567;
const A4_SHORT: u32 = 11_906;
const A4_LONG: u32 = 16_838;
const MARGIN_LEFT: i32 = 1_417; // 2.5 cm
const MARGIN_TOP: i32 = 1_417;
const MARGIN_RIGHT: i32 = 1_134; // 2 cm
const MARGIN_BOTTOM: i32 = 1_134;
const INDENT: i32 = 1_418; // 2.5 cm first-line indent

/// The row height that marks a header row until it is turned into `<w:tblHeader/>`.
const HEADER_MARK: f32 = 7.0;
const HEADER_MARK_XML: &str = r#"<w:trHeight w:val="7" w:hRule="atLeast" />"#;

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts()).size(size)
}

fn tight() -> LineSpacing {
    LineSpacing::new().before(0).after(0)
}

fn para(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, size))
        .line_spacing(tight())
}

fn bold_para(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, size).bold())
        .line_spacing(tight())
}

/// A body paragraph with the 2.5 cm first-line indent.
fn body(text: &str) -> Paragraph {
    para(text, BODY).indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
}

fn centred_lines(lines: &[String], size: usize, bold: bool) -> Vec<Paragraph> {
    lines
        .iter()
        .map(|l| {
            let r = run(l, size);
            Paragraph::new()
                .add_run(if bold { r.bold() } else { r })
                .align(AlignmentType::Center)
                .line_spacing(tight())
        })
        .collect()
}

fn blank(size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run("", size))
        .line_spacing(tight())
}

fn width_of(w: i32) -> usize {
    usize::try_from(w.max(0)).unwrap_or(0)
}

/// A cell holding paragraphs (Word needs at least one paragraph in every cell).
fn cell(paras: Vec<Paragraph>, width: i32) -> TableCell {
    let mut c = TableCell::new().width(width_of(width), WidthType::Dxa);
    if paras.is_empty() {
        return c.add_paragraph(blank(TABLE));
    }
    for p in paras {
        c = c.add_paragraph(p);
    }
    c
}

fn text_cell(lines: &[String], width: i32) -> TableCell {
    cell(lines.iter().map(|l| para(l, TABLE)).collect(), width)
}

fn header_row<S: AsRef<str>>(labels: &[S], widths: &[i32]) -> TableRow {
    let cells = labels
        .iter()
        .zip(widths)
        .map(|(label, w)| {
            cell(
                vec![
                    Paragraph::new()
                        .add_run(run(label.as_ref(), TABLE).bold())
                        .align(AlignmentType::Center)
                        .line_spacing(tight()),
                ],
                *w,
            )
            .shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color("auto")
                    .fill("E8E8E8"),
            )
            .vertical_align(VAlignType::Center)
        })
        .collect();
    TableRow::new(cells)
        .cant_split()
        .row_height(HEADER_MARK)
        .height_rule(HeightRule::AtLeast)
}

fn table(rows: Vec<TableRow>, widths: &[i32]) -> Table {
    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, pos| {
        b.set(
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000"),
        )
    });
    Table::new(rows)
        .set_grid(widths.iter().map(|w| width_of(*w)).collect())
        .width(width_of(widths.iter().sum()), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders)
        .margins(TableCellMargins::new().margin(40, 85, 40, 85))
}

/// The page-number paragraph: "- ๒ -", centred, with a PAGE field.
///
/// Thai digits come from the section's page-number format (`w:fmt="thaiNumbers"`, added in
/// [`pack`]), which Word applies to a PAGE field without a format switch. LibreOffice ignores
/// that format and prints Arabic digits; it reads the `\* ThaiArabic` switch as Thai *letters*
/// (ก ข ค), which is why the switch is not used. The cached result is in the document's digits.
fn page_number_header(digits: Digits) -> Header {
    let field = |r: Run| r.fonts(fonts()).size(BODY);
    let p = Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(tight())
        .add_run(run("- ", BODY))
        .add_run(field(Run::new()).add_field_char(FieldCharType::Begin, false))
        .add_run(field(Run::new()).add_instr_text(InstrText::Unsupported(" PAGE ".into())))
        .add_run(field(Run::new()).add_field_char(FieldCharType::Separate, false))
        .add_run(run(&digits.apply("1"), BODY))
        .add_run(field(Run::new()).add_field_char(FieldCharType::End, false))
        .add_run(run(" -", BODY));
    Header::new().add_paragraph(p)
}

fn margins(left: i32) -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP)
        .left(left)
        .bottom(MARGIN_BOTTOM)
        .right(MARGIN_RIGHT)
        .header(CM)
        .footer(CM)
        .gutter(0)
}

fn base() -> Docx {
    Docx::new()
        .default_fonts(fonts())
        .default_size(BODY)
        .default_spacing(0)
}

/// The logo as an inline picture `height_cm` high, or nothing.
fn logo(logo: Option<(&[u8], ImageInfo)>, height_cm: u32) -> Option<Paragraph> {
    let (bytes, info) = logo?;
    let h_emu = u64::from(height_cm) * 360_000;
    let w_emu = h_emu * u64::from(info.width) / u64::from(info.height.max(1));
    let pic = Pic::new_with_dimensions(bytes.to_vec(), info.width, info.height)
        .size(u32::try_from(w_emu).ok()?, u32::try_from(h_emu).ok()?);
    Some(
        Paragraph::new()
            .add_run(Run::new().add_image(pic))
            .align(AlignmentType::Center)
            .line_spacing(tight()),
    )
}

fn space_before(p: Paragraph, twips: u32) -> Paragraph {
    p.line_spacing(LineSpacing::new().before(twips).after(0))
}

const PAGE_NUMBERS_XML: &str = r#"<w:pgNumType w:start="1" />"#;
const THAI_PAGE_NUMBERS_XML: &str = r#"<w:pgNumType w:fmt="thaiNumbers" w:start="1" />"#;

/// Packs the document, turning the header-row markers into `<w:tblHeader/>` and, for Thai
/// digits, giving the numbered sections the page-number format `thaiNumbers`.
fn pack(docx: Docx, digits: Digits) -> Result<Vec<u8>, DocumentError> {
    let mut xml = docx.build();
    let mut document = String::from_utf8(std::mem::take(&mut xml.document))
        .map_err(|e| DocumentError::Docx(e.to_string()))?
        .replace(HEADER_MARK_XML, "<w:tblHeader />");
    if digits == Digits::Thai {
        document = document.replace(PAGE_NUMBERS_XML, THAI_PAGE_NUMBERS_XML);
    }
    xml.document = document.into_bytes();
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

fn digits_of(name: &str) -> Digits {
    if name == "thai" {
        Digits::Thai
    } else {
        Digits::Arabic
    }
}

// ---------------------------------------------------------------------------------------------
// (a) The measures report.

pub(crate) fn report(
    v: &ReportView,
    logo_image: Option<(&[u8], ImageInfo)>,
) -> Result<Vec<u8>, DocumentError> {
    let digits = digits_of(v.digits);

    // The cover: its own portrait section, with no page number.
    let mut cover = Section::new()
        .page_size(
            docx_rs::PageSize::new()
                .size(A4_SHORT, A4_LONG)
                .orient(PageOrientationType::Portrait),
        )
        .page_margin(margins(MARGIN_LEFT));
    cover = cover.add_paragraph(space_before(blank(BODY), 600));
    if let Some(p) = logo(logo_image, 4) {
        cover = cover.add_paragraph(p);
    }
    let mut first = true;
    for p in centred_lines(&v.cover_title, TITLE, true) {
        cover = cover.add_paragraph(if first { space_before(p, 700) } else { p });
        first = false;
    }
    let mut first = true;
    for p in centred_lines(&v.cover_agency, COVER_AGENCY, true) {
        cover = cover.add_paragraph(if first { space_before(p, 4200) } else { p });
        first = false;
    }

    let mut doc = base()
        .add_section(cover)
        .page_size(A4_LONG, A4_SHORT)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(margins(MARGIN_LEFT))
        .header(page_number_header(digits))
        .page_num_type(PageNumType::new().start(1));

    for p in centred_lines(&v.heading, HEADING, true) {
        doc = doc.add_paragraph(p);
    }
    for t in &v.introduction {
        doc = doc.add_paragraph(body(t));
    }
    doc = doc.add_paragraph(blank(SMALL));

    // Text width in landscape: 29.7 − 2.5 − 2 cm.
    let w = [2155, 6520, 1814, 1644, 2154];
    let mut rows = vec![header_row(&v.measures_header, &w)];
    for m in &v.measures {
        let mut first_col = vec![bold_para(&m.title, TABLE)];
        if let Some(pc) = &m.percent {
            first_col.push(
                Paragraph::new()
                    .add_run(run(pc, SMALL).color("505050"))
                    .line_spacing(tight()),
            );
        }
        let mut actions = Vec::new();
        let mut lines = 0;
        for a in &m.actions {
            lines += estimated_lines(&a.text, w[1] - 300, TABLE);
            if let Some(p) = &a.progress {
                let mut texts = vec![format!(
                    "{} {} {}",
                    p.label,
                    p.status,
                    p.date.clone().unwrap_or_default()
                )];
                texts.extend(p.narrative.iter().cloned());
                texts.extend(p.evidence.iter().cloned());
                lines += estimated_lines(&texts, w[1] - 300, SMALL);
            }
            for (i, t) in a.text.iter().enumerate() {
                let text = if i == 0 {
                    format!("{} {t}", a.number)
                } else {
                    t.clone()
                };
                actions.push(
                    para(&text, TABLE).line_spacing(
                        LineSpacing::new()
                            .before(if i == 0 { 60 } else { 0 })
                            .after(0),
                    ),
                );
            }
            if a.text.is_empty() {
                actions.push(para(&a.number, TABLE));
            }
            if let Some(p) = &a.progress {
                let mut line = Paragraph::new()
                    .add_run(run(p.label, SMALL).bold().color("505050"))
                    .add_run(run(&format!(" {}", p.status), SMALL).color("505050"))
                    .add_run(
                        run(
                            &p.date.as_ref().map(|d| format!(" {d}")).unwrap_or_default(),
                            SMALL,
                        )
                        .color("505050"),
                    )
                    .indent(Some(284), None, None, None)
                    .line_spacing(tight());
                for n in &p.narrative {
                    line = line.add_run(run(&format!(" {n}"), SMALL).color("505050"));
                }
                actions.push(line);
                if let Some(e) = &p.evidence {
                    actions.push(
                        Paragraph::new()
                            .add_run(run(e, SMALL).italic().color("505050"))
                            .indent(Some(284), None, None, None)
                            .line_spacing(tight()),
                    );
                }
            }
        }
        let lines = [
            lines,
            estimated_lines(&m.responsible, w[2], TABLE),
            estimated_lines(&m.period, w[3], TABLE),
            estimated_lines(&m.recommendation, w[4], TABLE),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        rows.push(kept(
            TableRow::new(vec![
                cell(first_col, w[0]),
                cell(actions, w[1]),
                text_cell(&m.responsible, w[2]),
                text_cell(&m.period, w[3]),
                text_cell(&m.recommendation, w[4]),
            ]),
            lines,
        ));
    }
    doc = doc.add_table(table(rows, &w));

    if let Some(r) = &v.review {
        doc = doc.add_paragraph(blank(BODY));
        for p in centred_lines(&r.heading, HEADING, true) {
            doc = doc.add_paragraph(p.keep_next(true));
        }
        for t in &r.introduction {
            doc = doc.add_paragraph(body(t).keep_next(true));
        }
        doc = doc.add_paragraph(blank(SMALL).keep_next(true));
        let w = [2268, 4006, 4006, 4007];
        let mut rows = vec![header_row(&r.header, &w)];
        rows.extend(r.rows.iter().map(|row| cells_row(row, &w)));
        doc = doc.add_table(table(rows, &w));
    }

    if !v.steps.is_empty() {
        doc = doc.add_paragraph(blank(BODY));
        let w = [4819, 4819, 2041, 2608];
        let mut rows = vec![header_row(&v.steps_header, &w)];
        for row in &v.steps {
            let mut cells: Vec<TableCell> = row
                .cells
                .iter()
                .zip(&w)
                .take(3)
                .map(|(c, w)| text_cell(c, *w))
                .collect();
            let monitoring = text_cell(row.cells.get(3).map_or(&[][..], |c| c.as_slice()), w[3]);
            cells.push(match row.monitoring_span {
                0 => cell(vec![blank(TABLE)], w[3]).vertical_merge(VMergeType::Continue),
                1 => monitoring,
                _ => monitoring.vertical_merge(VMergeType::Restart),
            });
            let lines = row
                .cells
                .iter()
                .zip(&w)
                .take(3)
                .map(|(c, w)| estimated_lines(c, *w, TABLE))
                .max()
                .unwrap_or(0);
            rows.push(kept(TableRow::new(cells), lines));
        }
        doc = doc.add_table(table(rows, &w));
    }
    pack(doc, digits)
}

fn cells_row(row: &[Cell], widths: &[i32]) -> TableRow {
    let lines = row
        .iter()
        .zip(widths)
        .map(|(c, w)| estimated_lines(c, *w, TABLE))
        .max()
        .unwrap_or(0);
    kept(
        TableRow::new(
            row.iter()
                .zip(widths)
                .map(|(c, w)| text_cell(c, *w))
                .collect(),
        ),
        lines,
    )
}

/// Rows of at most this many lines stay on one page; longer rows may break across pages, so
/// that a long row never leaves most of a page empty.
const KEEP_ROW_LINES: usize = 14;

/// A rough count of the lines a cell's paragraphs take at `size` half-points in a column
/// `width` twips wide (a Thai character is about 0.45 em wide on average).
fn estimated_lines<S: AsRef<str>>(paras: &[S], width: i32, size: usize) -> usize {
    let char_twips = (size * 10 * 45 / 100).max(1); // half-points × 10 = twips per em
    let per_line = (width_of(width - 170) / char_twips).max(1);
    paras
        .iter()
        .map(|p| {
            p.as_ref()
                .chars()
                .filter(|c| !is_thai_mark(*c))
                .count()
                .div_ceil(per_line)
                .max(1)
        })
        .sum()
}

fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{e31}' | '\u{e34}'..='\u{e3a}' | '\u{e47}'..='\u{e4e}')
}

/// A row that stays on one page when it is short enough (Word and LibreOffice split it anyway
/// when it is taller than a page).
fn kept(row: TableRow, lines: usize) -> TableRow {
    if lines <= KEEP_ROW_LINES {
        row.cant_split()
    } else {
        row
    }
}

// ---------------------------------------------------------------------------------------------
// (b) The announcement.

pub(crate) fn announcement(
    v: &AnnouncementView,
    logo_image: Option<(&[u8], ImageInfo)>,
) -> Result<Vec<u8>, DocumentError> {
    let digits = digits_of(v.digits);
    let left = 1_701; // 3 cm, as in official letters
    let text_width = i32::try_from(A4_SHORT).unwrap_or(11_906) - left - MARGIN_RIGHT;
    let mut doc = base()
        .page_size(A4_SHORT, A4_LONG)
        .page_margin(margins(left).top(CM * 2))
        .header(page_number_header(digits))
        .first_header(Header::new())
        .page_num_type(PageNumType::new().start(1));

    if let Some(p) = logo(logo_image, 3) {
        doc = doc.add_paragraph(p);
    }
    let (first, rest) = v.title.split_at(v.title.len().min(1));
    for p in centred_lines(first, 36, true)
        .into_iter()
        .chain(centred_lines(rest, BODY, true))
    {
        doc = doc.add_paragraph(p);
    }
    doc = doc.add_paragraph(
        para("------------------------------------", BODY).align(AlignmentType::Center),
    );
    for t in &v.preamble {
        doc = doc.add_paragraph(body(t));
    }
    for m in &v.measures {
        doc = doc.add_paragraph(
            bold_para(&m.title, BODY)
                .indent(Some(INDENT), None, None, None)
                .line_spacing(LineSpacing::new().before(120).after(0)),
        );
        for (number, text) in &m.actions {
            for (i, t) in text.iter().enumerate() {
                let t = if i == 0 {
                    format!("{number} {t}")
                } else {
                    t.clone()
                };
                doc =
                    doc.add_paragraph(para(&t, BODY).indent(Some(INDENT + 340), None, None, None));
            }
        }
    }
    doc = doc.add_paragraph(blank(BODY));
    // The closing travels with the date and the signature.
    for t in &v.closing {
        doc = doc.add_paragraph(body(t).keep_next(true));
    }
    doc = doc.add_paragraph(blank(BODY).keep_next(true));
    doc = doc.add_paragraph(
        para(&v.date_line, BODY)
            .indent(Some(CM * 4), None, None, None)
            .keep_next(true),
    );
    for _ in 0..3 {
        doc = doc.add_paragraph(blank(BODY).keep_next(true));
    }
    let sign_left = text_width - CM * 9;
    let mut signer: Vec<&String> = Vec::new();
    if !v.signer.name.is_empty() {
        signer.push(&v.signer.name);
    }
    signer.extend(v.signer.position.iter());
    let n = signer.len();
    for (i, line) in signer.into_iter().enumerate() {
        doc = doc.add_paragraph(
            para(line, BODY)
                .align(AlignmentType::Center)
                .indent(Some(sign_left), None, None, None)
                .keep_next(i + 1 < n),
        );
    }
    pack(doc, digits)
}

// ---------------------------------------------------------------------------------------------
// (c) The ITA analysis.

pub(crate) fn ita(
    v: &ItaView,
    logo_image: Option<(&[u8], ImageInfo)>,
    chart: Raster,
) -> Result<Vec<u8>, DocumentError> {
    let digits = digits_of(v.digits);
    let text_width = i32::try_from(A4_SHORT).unwrap_or(11_906) - MARGIN_LEFT - MARGIN_RIGHT;
    let mut doc = base()
        .page_size(A4_SHORT, A4_LONG)
        .page_margin(margins(MARGIN_LEFT))
        .header(page_number_header(digits))
        .first_header(Header::new())
        .page_num_type(PageNumType::new().start(1));

    if let Some(p) = logo(logo_image, 3) {
        doc = doc.add_paragraph(p);
    }
    let (big, year) = v.title.split_at(v.title.len().saturating_sub(1));
    for p in centred_lines(big, 36, true)
        .into_iter()
        .chain(centred_lines(year, BODY, true))
    {
        doc = doc.add_paragraph(p);
    }
    for p in centred_lines(&v.agency, BODY, false) {
        doc = doc.add_paragraph(p);
    }

    let section = |t: &str| {
        bold_para(t, 36)
            .keep_next(true)
            .line_spacing(LineSpacing::new().before(240).after(80))
    };

    doc = doc.add_paragraph(section(&v.sections[0]));
    let fw = [4800, text_width - 4800 - 567];
    let facts: Vec<TableRow> = v
        .facts
        .iter()
        .map(|(label, value)| {
            TableRow::new(vec![
                cell(vec![para(label, BODY)], fw[0]),
                cell(vec![bold_para(value, BODY)], fw[1]),
            ])
        })
        .collect();
    doc = doc.add_table(
        Table::without_borders(facts)
            .set_grid(fw.iter().map(|w| width_of(*w)).collect())
            .layout(TableLayoutType::Fixed)
            .indent(567),
    );
    for t in &v.summary {
        doc = doc.add_paragraph(body(t));
    }

    doc = doc.add_paragraph(section(&v.sections[1]));
    let w = [text_width - 1330 * 2 - 1560 - 1640, 1330, 1330, 1560, 1640];
    let mut rows = vec![header_row(&v.table_header, &w)];
    let indicator_row = |r: &crate::view::IndicatorRow, bold: bool| {
        let mk = |t: &str, centre: bool, colour: &str| {
            let r = run(t, TABLE).color(colour);
            let p = Paragraph::new()
                .add_run(if bold { r.bold() } else { r })
                .line_spacing(tight());
            if centre {
                p.align(AlignmentType::Center)
            } else {
                p
            }
        };
        let verdict_colour = if r.passes { "2E6F9E" } else { "C8553D" };
        TableRow::new(vec![
            cell(vec![mk(&r.label, false, "000000")], w[0]),
            cell(vec![mk(&r.score, true, "000000")], w[1]),
            cell(vec![mk(&r.previous, true, "000000")], w[2]),
            cell(vec![mk(&r.change, true, "000000")], w[3]),
            cell(vec![mk(&r.verdict, true, verdict_colour)], w[4]),
        ])
    };
    rows.extend(v.rows.iter().map(|r| indicator_row(r, false)));
    rows.push(indicator_row(&v.total_row, true));
    doc = doc.add_table(table(rows, &w));

    doc = doc.add_paragraph(section(&v.sections[2]));
    let pic = Pic::new_with_dimensions(chart.png, chart.width, chart.height)
        .size(chart.width_emu, chart.height_emu);
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_image(pic))
            .align(AlignmentType::Center),
    );

    doc = doc.add_paragraph(section(&v.sections[3]));
    doc = doc.add_paragraph(body(&v.weakest_intro));
    for t in &v.weakest {
        doc = doc.add_paragraph(para(&format!("• {t}"), BODY).indent(
            Some(INDENT),
            Some(SpecialIndentType::Hanging(284)),
            None,
            None,
        ));
    }

    doc = doc.add_paragraph(section(&v.sections[4]));
    for (title, paras) in &v.recommendations {
        doc = doc.add_paragraph(
            bold_para(title, BODY)
                .indent(Some(567), None, None, None)
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(120).after(0)),
        );
        for t in paras {
            doc = doc.add_paragraph(para(t, BODY).indent(Some(907), None, None, None));
        }
    }
    pack(doc, digits)
}
