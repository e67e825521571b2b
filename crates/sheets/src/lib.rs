//! Spreadsheets: tables of text written to an XLSX workbook that Excel and LibreOffice open and
//! edit, and read back with a problem reported per cell. This crate knows the file format only;
//! what the columns mean is the caller's business (the measures module defines the plan's
//! workbook).
//!
//! Reading is strict, because a person edited the file: a missing sheet, a wrong header, a merged
//! cell, a formula, a date typed as a date, or an error value is reported with its cell
//! reference, and nothing is guessed.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook};

/// The layout of one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSpec {
    /// The sheet's name (tab), at most 31 characters.
    pub name: String,
    /// The header row, in column order.
    pub headers: Vec<String>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
}

/// A sheet to write: its layout and rows of text.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetData {
    pub spec: SheetSpec,
    pub rows: Vec<Vec<String>>,
}

/// A row read back, with its row number as the spreadsheet shows it (header = 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRow {
    pub number: u32,
    pub cells: Vec<String>,
}

/// A sheet read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSheet {
    pub name: String,
    pub rows: Vec<ReadRow>,
}

/// What is wrong with a cell (or a sheet, or the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not an XLSX workbook.
    NotXlsx,
    /// A sheet the file must have is missing.
    MissingSheet,
    /// The header cell is not what it must be.
    WrongHeader { expected: String, found: String },
    /// The cell is part of a merged range.
    MergedCell,
    /// The cell holds a formula; only typed values are read.
    Formula,
    /// The cell holds a date value; dates must be typed as text in the Buddhist Era.
    DateValue,
    /// The cell holds an error value (#N/A, #REF! …).
    ErrorValue,
    /// The sheet has more rows than are read.
    TooManyRows { max: usize },
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub sheet: String,
    /// "C5", or empty for the whole sheet or file.
    pub cell: String,
    pub problem: Problem,
}

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the workbook: {0}")]
pub struct WriteError(String);

/// The cell reference of a 0-based (row, column): (4, 2) → "C5".
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Writes sheets as a workbook: a bold shaded header row that stays in view, wrapped text in
/// "TH Sarabun New" 16 pt (what Thai offices have installed), and the given column widths.
pub fn write(sheets: &[SheetData], title: &str) -> Result<Vec<u8>, WriteError> {
    let err = |e: rust_xlsxwriter::XlsxError| WriteError(e.to_string());
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(title));
    let base = Format::new()
        .set_font_name("TH Sarabun New")
        .set_font_size(16)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0x00B0_B8B4));
    let header = base
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBE6));
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.spec.name).map_err(err)?;
        for (c, h) in sheet.spec.headers.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| WriteError("too many columns".into()))?;
            ws.write_string_with_format(0, col, h, &header)
                .map_err(err)?;
            if let Some(w) = sheet.spec.widths.get(c) {
                ws.set_column_width(col, *w).map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let rn = u32::try_from(r + 1).map_err(|_| WriteError("too many rows".into()))?;
            for (c, value) in row.iter().enumerate() {
                let col = u16::try_from(c).map_err(|_| WriteError("too many columns".into()))?;
                ws.write_string_with_format(rn, col, value, &base)
                    .map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// Reads the sheets named by `specs` from an XLSX file. Rows after the header are returned with
/// every cell as text (numbers as written, without a trailing ".0"); rows that are entirely
/// empty are skipped. Every problem found is returned, not only the first.
pub fn read(
    bytes: &[u8],
    specs: &[SheetSpec],
    max_rows: usize,
) -> Result<Vec<ReadSheet>, Vec<CellProblem>> {
    let whole = |sheet: &str, problem| CellProblem {
        sheet: sheet.to_owned(),
        cell: String::new(),
        problem,
    };
    let Ok(mut book) = open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes.to_vec())) else {
        return Err(vec![whole("", Problem::NotXlsx)]);
    };
    let names = book.sheet_names();
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for spec in specs {
        if !names.contains(&spec.name) {
            problems.push(whole(&spec.name, Problem::MissingSheet));
            continue;
        }
        let Ok(range) = book.worksheet_range(&spec.name) else {
            problems.push(whole(&spec.name, Problem::NotXlsx));
            continue;
        };
        let at = |row: u32, col: u32, problem| CellProblem {
            sheet: spec.name.clone(),
            cell: cell_ref(row, col),
            problem,
        };
        // Formulas, anywhere.
        if let Ok(formulas) = book.worksheet_formula(&spec.name) {
            for (r, c, f) in formulas.used_cells() {
                if !f.is_empty() {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    problems.push(at(
                        r0 + u32::try_from(r).unwrap_or(0),
                        c0 + u32::try_from(c).unwrap_or(0),
                        Problem::Formula,
                    ));
                }
            }
        }
        // Merged ranges, reported at their top-left cell.
        if let Ok(merged) = book.merge_cells_by_sheet_name(&spec.name) {
            for d in merged {
                problems.push(at(d.start.0, d.start.1, Problem::MergedCell));
            }
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let value = |row: u32, col: u32| -> Option<&Data> {
            let (row, col) = (row.checked_sub(r0)?, col.checked_sub(c0)?);
            range.get((usize::try_from(row).ok()?, usize::try_from(col).ok()?))
        };
        for (c, expected) in spec.headers.iter().enumerate() {
            let col = u32::try_from(c).unwrap_or(0);
            let found = value(0, col).map(text_of).unwrap_or_default();
            if normalise(&found) != normalise(expected) {
                problems.push(at(
                    0,
                    col,
                    Problem::WrongHeader {
                        expected: expected.clone(),
                        found,
                    },
                ));
            }
        }
        let last_row = range.end().map_or(0, |(r, _)| r);
        if usize::try_from(last_row).unwrap_or(usize::MAX) > max_rows {
            problems.push(whole(&spec.name, Problem::TooManyRows { max: max_rows }));
            continue;
        }
        let mut rows = Vec::new();
        for r in 1..=last_row {
            let mut cells = Vec::with_capacity(spec.headers.len());
            for c in 0..spec.headers.len() {
                let col = u32::try_from(c).unwrap_or(0);
                let cell = value(r, col).unwrap_or(&Data::Empty);
                match cell {
                    Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
                        problems.push(at(r, col, Problem::DateValue))
                    }
                    Data::Error(_) => problems.push(at(r, col, Problem::ErrorValue)),
                    _ => {}
                }
                cells.push(text_of(cell));
            }
            if cells.iter().any(|c| !c.trim().is_empty()) {
                rows.push(ReadRow {
                    number: r + 1,
                    cells,
                });
            }
        }
        out.push(ReadSheet {
            name: spec.name.clone(),
            rows,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A cell's value as text.
fn text_of(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) => dt.to_string(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// Header comparison ignores spacing and line breaks.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> SheetSpec {
        SheetSpec {
            name: "มาตรการ".into(),
            headers: vec!["ที่".into(), "ข้อความ".into()],
            widths: vec![6.0, 60.0],
        }
    }

    #[test]
    fn cell_references_are_spreadsheet_style() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(4, 2), "C5");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 27), "AB10");
    }

    #[test]
    fn a_written_workbook_reads_back_the_same() {
        let rows = vec![
            vec!["1".into(), "การปฏิบัติหน้าที่\nบรรทัดที่สอง".into()],
            vec![String::new(), String::new()],
            vec!["2".into(), "#[]$\\".into()],
        ];
        let bytes = write(&[SheetData { spec: spec(), rows }], "แผน").unwrap();
        let back = read(&bytes, &[spec()], 100).unwrap();
        assert_eq!(back[0].rows.len(), 2, "the empty row is skipped");
        assert_eq!(
            back[0].rows[0],
            ReadRow {
                number: 2,
                cells: vec!["1".into(), "การปฏิบัติหน้าที่\nบรรทัดที่สอง".into()]
            }
        );
        assert_eq!(back[0].rows[1].number, 4);
        assert_eq!(back[0].rows[1].cells[1], "#[]$\\");
    }

    #[test]
    fn a_wrong_header_and_a_missing_sheet_are_reported_by_cell() {
        let other = SheetSpec {
            headers: vec!["ที่".into(), "อื่น".into()],
            ..spec()
        };
        let bytes = write(
            &[SheetData {
                spec: other,
                rows: vec![],
            }],
            "x",
        )
        .unwrap();
        let missing = SheetSpec {
            name: "ขั้นตอน".into(),
            ..spec()
        };
        let problems = read(&bytes, &[spec(), missing], 100).unwrap_err();
        assert!(problems.iter().any(|p| p.cell == "B1"
            && matches!(&p.problem, Problem::WrongHeader { found, .. } if found == "อื่น")));
        assert!(
            problems
                .iter()
                .any(|p| p.sheet == "ขั้นตอน" && p.problem == Problem::MissingSheet)
        );
    }

    #[test]
    fn formulas_merged_cells_and_dates_are_refused() {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("มาตรการ").unwrap();
        ws.write_string(0, 0, "ที่").unwrap();
        ws.write_string(0, 1, "ข้อความ").unwrap();
        ws.write_formula(1, 0, "=1+1").unwrap();
        ws.merge_range(2, 0, 2, 1, "รวม", &Format::new()).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 1, 15).unwrap();
        ws.write_datetime_with_format(3, 1, &date, &Format::new().set_num_format("d mmm yyyy"))
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let problems = read(&bytes, &[spec()], 100).unwrap_err();
        let found: Vec<(&str, &Problem)> = problems
            .iter()
            .map(|p| (p.cell.as_str(), &p.problem))
            .collect();
        assert!(found.contains(&("A2", &Problem::Formula)), "{found:?}");
        assert!(found.contains(&("A3", &Problem::MergedCell)), "{found:?}");
        assert!(found.contains(&("B4", &Problem::DateValue)), "{found:?}");
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        assert_eq!(
            read(b"not a zip", &[spec()], 10).unwrap_err()[0].problem,
            Problem::NotXlsx
        );
        assert_eq!(
            read(b"PK\x03\x04garbage", &[spec()], 10).unwrap_err()[0].problem,
            Problem::NotXlsx
        );
    }
}
