//! Reference averages: the national and provincial figures the NACC publishes each year (the
//! average total, the average of each indicator, and the share of agencies passing each OIT
//! item), imported by the platform operator from CSV so that every agency can compare itself
//! with them. They are national data, kept on the platform, never per agency.

use std::collections::BTreeMap;

use async_trait::async_trait;
use prongsai_thai::FiscalYear;

use super::framework::Framework;
use super::results::{CsvProblem, Score, open_csv};
use crate::ctx::{Ctx, Write};
use crate::error::StoreResult;
use crate::platform::Actor;
use crate::platform::account::Account;
use crate::validate::ErrorCode;

/// Whose average: the whole country, or one province (by its Thai name, as agencies' profiles
/// write it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    National,
    Province(String),
}

impl Scope {
    /// The stored and CSV form: `national`, or the province's name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::National => "national",
            Self::Province(p) => p,
        }
    }

    /// Reads a scope cell: `national` (also `ประเทศ`, `ทั้งประเทศ`), or a province name
    /// (`จังหวัด` in front is dropped).
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        if s.eq_ignore_ascii_case("national") || s == "ประเทศ" || s == "ทั้งประเทศ"
        {
            return Some(Self::National);
        }
        let name = s.strip_prefix("จังหวัด").unwrap_or(s).trim();
        let ok = !name.is_empty()
            && name.chars().count() <= 60
            && !name.chars().any(|c| c.is_control() || c == '/');
        ok.then(|| Self::Province(name.to_owned()))
    }
}

/// What an average is of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Of {
    Total,
    /// An indicator, by number.
    Indicator(u8),
    /// An OIT item, by code: the value is the share of agencies passing it, in percent.
    Item(String),
}

impl Of {
    /// The stored and CSV form: `total`, the indicator's number, or the item's code.
    pub fn code(&self) -> String {
        match self {
            Self::Total => "total".into(),
            Self::Indicator(n) => n.to_string(),
            Self::Item(c) => c.clone(),
        }
    }

    /// Reads a code against the framework of the year: `total`, an indicator number it has, or
    /// an OIT item code it has (any case).
    pub fn parse(raw: &str, fw: &Framework) -> Option<Self> {
        let s = prongsai_thai::to_arabic_digits(raw.trim());
        if s.eq_ignore_ascii_case("total") || s == "รวม" {
            return Some(Self::Total);
        }
        if let Ok(n) = s.parse::<u8>() {
            return fw
                .indicators
                .iter()
                .any(|i| i.number == n)
                .then_some(Self::Indicator(n));
        }
        fw.oit_items
            .iter()
            .find(|i| i.code.eq_ignore_ascii_case(&s))
            .map(|i| Self::Item(i.code.clone()))
    }
}

/// One imported figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Average {
    pub fiscal_year: FiscalYear,
    pub scope: Scope,
    pub of: Of,
    pub value: Score,
}

/// The figures of one year and scope, as stored, with who imported them and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AverageSet {
    pub fiscal_year: FiscalYear,
    pub scope: Scope,
    pub values: BTreeMap<Of, Score>,
    pub imported_at: i64,
    pub imported_by: String,
}

/// The averages an agency compares itself with in one year: the nation's and its province's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Benchmarks {
    pub national: Option<AverageSet>,
    pub province: Option<AverageSet>,
}

impl Benchmarks {
    pub fn is_empty(&self) -> bool {
        self.national.is_none() && self.province.is_none()
    }

    /// (national, provincial) figure for one thing.
    pub fn of(&self, of: &Of) -> (Option<Score>, Option<Score>) {
        let get = |s: &Option<AverageSet>| s.as_ref().and_then(|s| s.values.get(of).copied());
        (get(&self.national), get(&self.province))
    }
}

/// The columns of the averages CSV file.
pub const CSV_COLUMNS: [&str; 4] = ["fiscal_year", "scope", "code", "value"];
/// The most rows one file may hold (a year has about 55 figures per scope; 78 provinces).
pub const CSV_MAX_ROWS: usize = 20_000;

/// Reads averages from CSV (UTF-8, with or without a byte-order mark): a header row of
/// [`CSV_COLUMNS`], then one figure per row. `framework` gives the framework of a year (None:
/// the year has none). Every problem is reported; nothing is returned unless the whole file is
/// right.
pub fn parse_csv(
    bytes: &[u8],
    framework: impl Fn(i32) -> Option<Framework>,
) -> Result<Vec<Average>, Vec<CsvProblem>> {
    let problem = |line: u64, column: &str, code| CsvProblem {
        line,
        column: column.to_owned(),
        code,
    };
    let (header, mut reader) = open_csv(bytes).map_err(|p| vec![p])?;
    if header != CSV_COLUMNS {
        return Err(vec![problem(1, "", ErrorCode::WrongCsvHeader)]);
    }
    let mut frameworks: BTreeMap<i32, Option<Framework>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut out: Vec<Average> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = u64::try_from(i).map_or(u64::MAX, |i| i + 2);
        if i >= CSV_MAX_ROWS {
            problems.push(problem(line, "", ErrorCode::TooLong { max: CSV_MAX_ROWS }));
            break;
        }
        let record = match record {
            Ok(r) if r.len() == CSV_COLUMNS.len() => r,
            Ok(_) | Err(_) => {
                problems.push(problem(line, "", ErrorCode::WrongCsvRow));
                continue;
            }
        };
        let cell = |k: usize| record.get(k).unwrap_or("");
        let year = prongsai_thai::to_arabic_digits(cell(0))
            .parse::<i32>()
            .ok()
            .and_then(|y| FiscalYear::new(y).ok());
        let Some(year) = year else {
            problems.push(problem(line, "fiscal_year", ErrorCode::InvalidNumber));
            continue;
        };
        let fw = frameworks
            .entry(year.be())
            .or_insert_with(|| framework(year.be()));
        let Some(fw) = fw.as_ref() else {
            problems.push(problem(line, "fiscal_year", ErrorCode::InvalidChoice));
            continue;
        };
        let scope = Scope::parse(cell(1));
        let of = Of::parse(cell(2), fw);
        let value = Score::parse(cell(3));
        if scope.is_none() {
            problems.push(problem(line, "scope", ErrorCode::Required));
        }
        if of.is_none() {
            problems.push(problem(line, "code", ErrorCode::InvalidChoice));
        }
        if let Err(e) = &value {
            problems.push(problem(line, "value", e.clone()));
        }
        if let (Some(scope), Some(of), Ok(value)) = (scope, of, value) {
            let a = Average {
                fiscal_year: year,
                scope,
                of,
                value,
            };
            if out
                .iter()
                .any(|x| x.fiscal_year == a.fiscal_year && x.scope == a.scope && x.of == a.of)
            {
                problems.push(problem(line, "code", ErrorCode::Duplicate));
            } else {
                out.push(a);
            }
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(problem(2, "", ErrorCode::Required));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[async_trait]
pub trait AverageStore: Send + Sync {
    /// Every imported set, newest year first, the national set before the provinces.
    async fn average_sets(&self, fiscal_year: Option<FiscalYear>) -> StoreResult<Vec<AverageSet>>;
    /// Replaces, all or none, every (year, scope) set that `averages` has figures for: figures
    /// of a set the file no longer holds are removed. One platform audit entry per set.
    async fn replace_averages(&self, w: Write<'_>, averages: &[Average]) -> StoreResult<()>;
}

/// What importing averages can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("only the platform operator imports averages")]
    Forbidden,
    #[error("the file has problems")]
    Invalid(Vec<CsvProblem>),
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    #[error(transparent)]
    Load(#[from] super::service::FrameworkLoadError),
}

/// Imports an averages file (see [`parse_csv`]); returns how many figures were stored.
pub async fn import(
    cx: &Ctx,
    actor: &Actor,
    operator: &Account,
    bytes: &[u8],
) -> Result<usize, ImportError> {
    if !operator.is_platform_operator {
        return Err(ImportError::Forbidden);
    }
    // The frameworks of the years the file names, loaded before parsing (the parser is
    // synchronous).
    let mut frameworks = BTreeMap::new();
    for y in super::service::framework_years(cx).await? {
        if let Some(f) = super::service::framework(cx, y).await? {
            frameworks.insert(y, f);
        }
    }
    let averages =
        parse_csv(bytes, |y| frameworks.get(&y).cloned()).map_err(ImportError::Invalid)?;
    cx.store
        .replace_averages(cx.write(actor), &averages)
        .await?;
    Ok(averages.len())
}

impl Benchmarks {
    /// The averages an agency in `province` compares itself with in `year`, from every imported
    /// set (read once with `AverageStore::average_sets(None)`).
    pub fn pick(sets: &[AverageSet], year: FiscalYear, province: &str) -> Self {
        let province = Scope::parse(province);
        let mut b = Self::default();
        for set in sets.iter().filter(|s| s.fiscal_year == year) {
            match &set.scope {
                Scope::National => b.national = Some(set.clone()),
                s if Some(s) == province.as_ref() => b.province = Some(set.clone()),
                Scope::Province(_) => {}
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw(year: i32) -> Option<Framework> {
        super::super::framework::built_in(year).and_then(Result::ok)
    }

    #[test]
    fn an_averages_file_reads_every_figure_or_reports_every_problem() {
        let good = "\u{feff}fiscal_year,scope,code,value\n\
                    2566,national,total,88.84\n\
                    2566,ทั้งประเทศ,1,๙๑.๒๐\n\
                    2566,จังหวัดขอนแก่น,total,86.10\n\
                    2566,ขอนแก่น,o19,72.5\n";
        let a = parse_csv(good.as_bytes(), fw).unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(a[1].scope, Scope::National);
        assert_eq!(a[1].of, Of::Indicator(1));
        assert_eq!(a[1].value, Score(9120));
        assert_eq!(a[2].scope, Scope::Province("ขอนแก่น".into()));
        assert_eq!(a[3].of, Of::Item("O19".into()));

        let bad = "fiscal_year,scope,code,value\n\
                   2566,national,total,101\n\
                   2566,national,99,80\n\
                   2400,national,total,80\n\
                   2566,,total,80\n\
                   2566,national,O99,80\n\
                   2566,national,1,80\n\
                   2566,national,1,81\n\
                   2566,national\n";
        let p = parse_csv(bad.as_bytes(), fw).unwrap_err();
        let got: Vec<(u64, &str)> = p.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(
            got,
            [
                (2, "value"),
                (3, "code"),
                (4, "fiscal_year"),
                (5, "scope"),
                (6, "code"),
                (8, "code"),
                (9, ""),
            ]
        );
        assert_eq!(p[5].code, ErrorCode::Duplicate);
        let header = parse_csv(b"year,total\n2566,80\n", fw).unwrap_err();
        assert_eq!(header[0].code, ErrorCode::WrongCsvHeader);
        let empty = parse_csv(b"fiscal_year,scope,code,value\n", fw).unwrap_err();
        assert_eq!(empty[0].code, ErrorCode::Required);
        let tis620 = parse_csv(b"fiscal_year,scope,code,value\n2566,\xbe,total,80\n", fw);
        assert_eq!(tis620.unwrap_err()[0].code, ErrorCode::NotUtf8Csv);
    }

    #[test]
    fn an_agency_compares_with_the_nation_and_its_own_province_only() {
        let set = |scope: Scope, v: i32| AverageSet {
            fiscal_year: FiscalYear::new(2566).unwrap(),
            scope,
            values: [(Of::Total, Score(v))].into_iter().collect(),
            imported_at: 0,
            imported_by: String::new(),
        };
        let sets = [
            set(Scope::National, 8884),
            set(Scope::Province("อุดรธานี".into()), 9999),
            set(Scope::Province("ขอนแก่น".into()), 8610),
        ];
        let b = Benchmarks::pick(&sets, FiscalYear::new(2566).unwrap(), "จังหวัดขอนแก่น");
        assert_eq!(b.of(&Of::Total), (Some(Score(8884)), Some(Score(8610))));
        let other_year = Benchmarks::pick(&sets, FiscalYear::new(2567).unwrap(), "ขอนแก่น");
        assert!(other_year.is_empty());
        assert_eq!(b.of(&Of::Indicator(1)), (None, None));
        assert_eq!(
            Scope::parse(" จังหวัด ขอนแก่น "),
            Some(Scope::Province("ขอนแก่น".into()))
        );
        assert_eq!(Scope::parse("a/b"), None);
    }
}
