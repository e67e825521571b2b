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

#[async_trait]
pub trait ItaStore: Send + Sync {
    /// Every official result of an agency, newest first.
    async fn official_results(&self, agency: AgencyId) -> StoreResult<Vec<OfficialResult>>;
    /// Creates or replaces the result of a year.
    async fn put_official_result(&self, w: Write<'_>, result: &OfficialResult) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

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
