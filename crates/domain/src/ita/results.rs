//! Official ITA results of past years, entered from the NACC's published figures.

use async_trait::async_trait;
use prongsai_thai::FiscalYear;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::AgencyId;
use crate::platform::audit::Audited;
use crate::validate::{ErrorCode, FieldErrors};

/// A score out of 100 with two decimals, kept as hundredths: 87.57 is `Score(8757)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(pub i32);

impl Score {
    /// The pass mark of the ITA: 85.00.
    pub const PASS: Score = Score(8500);

    /// Parses "87.57", "87.5", "87", "๘๗.๕๗" (0–100, at most two decimals).
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let s = prongsai_thai::to_arabic_digits(raw.trim());
        super::framework::parse_hundredths(&s)
            .filter(|v| (0..=10_000).contains(v))
            .and_then(|v| i32::try_from(v).ok())
            .map(Self)
            .ok_or(ErrorCode::InvalidNumber)
    }

    pub fn passes(self) -> bool {
        self >= Self::PASS
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// The grades the NACC gives.
pub const GRADES: [&str; 7] = ["AA", "A", "B", "C", "D", "E", "F"];

/// An agency's official result for one assessed fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialResult {
    pub agency_id: AgencyId,
    pub fiscal_year: FiscalYear,
    pub total: Score,
    pub grade: String,
    /// Indicators 1–10, where published.
    pub indicators: [Option<Score>; 10],
    /// Where the figures come from ("ITAS", a letter from the NACC, …).
    pub source: String,
}

impl Audited for OfficialResult {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        let mut v = vec![
            ("fiscal_year", Some(self.fiscal_year.be().to_string())),
            ("total", Some(self.total.to_string())),
            ("grade", Some(self.grade.clone())),
            ("source", Some(self.source.clone())),
        ];
        const NAMES: [&str; 10] = ["i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10"];
        for (i, s) in self.indicators.iter().enumerate() {
            v.push((NAMES[i], s.map(|s| s.to_string())));
        }
        v
    }
}

/// The result form.
#[derive(Debug, Clone, Default)]
pub struct OfficialResultInput {
    pub fiscal_year: String,
    pub total: String,
    pub grade: String,
    pub indicators: [String; 10],
    pub source: String,
}

impl OfficialResultInput {
    pub fn parse(&self, agency_id: AgencyId) -> Result<OfficialResult, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = e.take(
            "fiscal_year",
            self.fiscal_year
                .parse::<FiscalYear>()
                .ok()
                .filter(|y| (2560..=2650).contains(&y.be()))
                .ok_or(ErrorCode::InvalidNumber),
        );
        let total = e.take("total", Score::parse(&self.total));
        let grade = self.grade.trim().to_uppercase();
        if !GRADES.contains(&grade.as_str()) {
            e.add("grade", ErrorCode::InvalidChoice);
        }
        const FIELDS: [&str; 10] = ["i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10"];
        let mut indicators = [None; 10];
        for (i, raw) in self.indicators.iter().enumerate() {
            if !raw.trim().is_empty() {
                indicators[i] = e.take(FIELDS[i], Score::parse(raw));
            }
        }
        let source = crate::validate::field::optional(&self.source, 200)
            .unwrap_or(None)
            .unwrap_or_else(|| "ITAS".into());
        match (year, total) {
            (Some(fiscal_year), Some(total)) if e.is_empty() => Ok(OfficialResult {
                agency_id,
                fiscal_year,
                total,
                grade,
                indicators,
                source,
            }),
            _ => Err(e),
        }
    }

    pub fn from_result(r: &OfficialResult) -> Self {
        Self {
            fiscal_year: r.fiscal_year.be().to_string(),
            total: r.total.to_string(),
            grade: r.grade.clone(),
            indicators: r
                .indicators
                .map(|s| s.map(|s| s.to_string()).unwrap_or_default()),
            source: r.source.clone(),
        }
    }
}

/// The columns of a results CSV file, in order; `source` may be left out.
pub const CSV_COLUMNS: [&str; 14] = [
    "fiscal_year",
    "total",
    "grade",
    "i1",
    "i2",
    "i3",
    "i4",
    "i5",
    "i6",
    "i7",
    "i8",
    "i9",
    "i10",
    "source",
];

/// The most rows a results file may have.
pub const CSV_MAX_ROWS: usize = 200;

/// The rows of a results file, header first, in the columns [`parse_csv`] reads back.
pub fn csv_rows(results: &[OfficialResult]) -> Vec<Vec<String>> {
    let mut rows = vec![CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for r in results {
        let mut row = vec![
            r.fiscal_year.be().to_string(),
            r.total.to_string(),
            r.grade.clone(),
        ];
        row.extend(
            r.indicators
                .iter()
                .map(|s| s.map(|s| s.to_string()).unwrap_or_default()),
        );
        row.push(r.source.clone());
        rows.push(row);
    }
    rows
}

/// Results as a CSV file (see [`excel_csv`]).
pub fn to_csv(results: &[OfficialResult]) -> Vec<u8> {
    excel_csv(&csv_rows(results))
}

/// Rows as a CSV file: UTF-8 with a byte-order mark, so that Excel reads the Thai.
pub fn excel_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

/// What is wrong in a results CSV file: the line (1 = the header), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: u64,
    pub column: String,
    pub code: ErrorCode,
}

/// Opens an uploaded CSV file (UTF-8, with or without the byte-order mark Excel's "CSV UTF-8"
/// writes; cells trimmed; rows of any length) and reads its header, lower-cased.
pub(crate) fn open_csv(bytes: &[u8]) -> Result<(Vec<String>, csv::Reader<&[u8]>), CsvProblem> {
    let problem = |code| CsvProblem {
        line: 1,
        column: String::new(),
        code,
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(problem(ErrorCode::NotUtf8Csv));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) => h.iter().map(str::to_lowercase).collect(),
        Err(_) => return Err(problem(ErrorCode::InvalidChoice)),
    };
    Ok((header, reader))
}

/// Reads official results from CSV (UTF-8, with or without a byte-order mark, as Excel's
/// "CSV UTF-8" saves it): a header row of [`CSV_COLUMNS`], then one row per fiscal year. Every
/// problem is reported; nothing is returned unless the whole file is right.
pub fn parse_csv(
    bytes: &[u8],
    agency_id: AgencyId,
) -> Result<Vec<OfficialResult>, Vec<CsvProblem>> {
    let problem = |line: u64, column: &str, code| CsvProblem {
        line,
        column: column.to_owned(),
        code,
    };
    let (header, mut reader) = open_csv(bytes).map_err(|p| vec![p])?;
    let with_source = header.len() == CSV_COLUMNS.len();
    if !(with_source || header.len() == CSV_COLUMNS.len() - 1)
        || header.iter().zip(CSV_COLUMNS).any(|(h, c)| h != c)
    {
        return Err(vec![problem(1, "", ErrorCode::WrongCsvHeader)]);
    }
    let mut problems = Vec::new();
    let mut results: Vec<OfficialResult> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = u64::try_from(i).map_or(u64::MAX, |i| i + 2);
        if i >= CSV_MAX_ROWS {
            problems.push(problem(line, "", ErrorCode::TooLong { max: CSV_MAX_ROWS }));
            break;
        }
        let record = match record {
            Ok(r) if r.len() == header.len() => r,
            Ok(_) | Err(_) => {
                problems.push(problem(line, "", ErrorCode::WrongCsvRow));
                continue;
            }
        };
        let cell = |k: usize| record.get(k).unwrap_or("").to_owned();
        let input = OfficialResultInput {
            fiscal_year: cell(0),
            total: cell(1),
            grade: cell(2),
            indicators: std::array::from_fn(|k| cell(k + 3)),
            source: if with_source { cell(13) } else { String::new() },
        };
        match input.parse(agency_id) {
            Ok(r) if results.iter().any(|x| x.fiscal_year == r.fiscal_year) => {
                problems.push(problem(line, "fiscal_year", ErrorCode::Duplicate));
            }
            Ok(r) => results.push(r),
            Err(e) => problems.extend(
                e.0.iter()
                    .map(|fe| problem(line, fe.field, fe.code.clone())),
            ),
        }
    }
    if results.is_empty() && problems.is_empty() {
        problems.push(problem(2, "", ErrorCode::Required));
    }
    if problems.is_empty() {
        Ok(results)
    } else {
        Err(problems)
    }
}

#[async_trait]
pub trait ItaStore: Send + Sync {
    /// Every official result of an agency, newest first.
    async fn official_results(&self, agency: AgencyId) -> StoreResult<Vec<OfficialResult>>;
    /// Every agency's official total and grade of one year: (agency, total, grade).
    async fn year_official_results(
        &self,
        fiscal_year: i32,
    ) -> StoreResult<Vec<(AgencyId, Score, String)>>;
    /// Creates or replaces the result of a year.
    async fn put_official_result(&self, w: Write<'_>, result: &OfficialResult) -> StoreResult<()>;
    /// Creates or replaces several years' results, all or none.
    async fn put_official_results(
        &self,
        w: Write<'_>,
        results: &[OfficialResult],
    ) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_results_csv_reads_every_year_or_reports_every_problem_by_line_and_column() {
        let agency = AgencyId::from_raw(7);
        let good = "\u{feff}fiscal_year,total,grade,i1,i2,i3,i4,i5,i6,i7,i8,i9,i10,source\n\
                    2565,80.62,B,91.35,78.60,82.10,76.45,80.90,92.75,89.40,87.15,68.00,75.00,ITAS\n\
                    \"2564\", 72.41 ,b,,,,,,,,,,,\n";
        let r = parse_csv(good.as_bytes(), agency).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].total, Score(8062));
        assert_eq!(r[0].indicators[8], Some(Score(6800)));
        assert_eq!(r[1].grade, "B");
        assert_eq!(r[1].source, "ITAS", "a blank source is ITAS");

        let bad = "fiscal_year,total,grade,i1,i2,i3,i4,i5,i6,i7,i8,i9,i10\n\
                   2565,80.62,B,91.35,,,,,,,,,\n\
                   2565,80.62,B,,,,,,,,,,\n\
                   2563,101,Q,,,,,,,,,x,\n\
                   2562,70\n";
        let problems = parse_csv(bad.as_bytes(), agency).unwrap_err();
        let found: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "fiscal_year"),
                (4, "total"),
                (4, "grade"),
                (4, "i9"),
                (5, "")
            ],
            "{problems:?}"
        );
        assert_eq!(problems[4].code, ErrorCode::WrongCsvRow);

        let header = parse_csv(b"year,total\n2565,80\n", agency).unwrap_err();
        assert_eq!(header[0].code, ErrorCode::WrongCsvHeader);
        let tis620 = parse_csv(b"fiscal_year\n\xbb\xd5\n", agency).unwrap_err();
        assert_eq!(tis620[0].code, ErrorCode::NotUtf8Csv);

        // What is written reads back the same.
        let again = parse_csv(&to_csv(&r), agency).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn scores_parse_to_hundredths() {
        let cases: &[(&str, Result<i32, ErrorCode>)] = &[
            ("87.57", Ok(8757)),
            ("87.5", Ok(8750)),
            ("๘๗", Ok(8700)),
            ("100", Ok(10_000)),
            ("0.01", Ok(1)),
            ("100.01", Err(ErrorCode::InvalidNumber)),
            ("87.575", Err(ErrorCode::InvalidNumber)),
            ("-1", Err(ErrorCode::InvalidNumber)),
            ("", Err(ErrorCode::InvalidNumber)),
            ("8x", Err(ErrorCode::InvalidNumber)),
        ];
        for (raw, expected) in cases {
            assert_eq!(Score::parse(raw).map(|s| s.0), *expected, "{raw}");
        }
        assert_eq!(Score(8507).to_string(), "85.07");
        assert!(Score(8500).passes() && !Score(8499).passes());
    }
}
