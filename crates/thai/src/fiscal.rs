//! Thai government fiscal years (ปีงบประมาณ).
//!
//! A fiscal year runs from 1 October to 30 September and is named by the
//! Buddhist-Era year in which it ends: ปีงบประมาณ พ.ศ. ๒๕๖๖ is 1 October 2022
//! to 30 September 2023. Its quarters start in October (Q1 = Oct–Dec) and its
//! first half (รอบ ๖ เดือน) is 1 October to 31 March.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use thiserror::Error;
use time::{Date, Month};

use crate::date::{BE_OFFSET, be_year, date_or_edge};
use crate::digits::Digits;
use crate::scan::{self, Era, Token, YearIssue};

/// A fiscal year, held as the Buddhist-Era year (an `i32`) in which it ends.
///
/// - [`FiscalYear::of`] gives the fiscal year of any date, so it never
///   fails. (The two fiscal years that straddle the ends of [`Date`]'s range
///   have their first or last day clamped to [`Date::MIN`] or [`Date::MAX`].)
/// - [`FiscalYear::new`] and [`FromStr`], which take years from people, accept
///   only [`FiscalYear::INPUT_RANGE`] (พ.ศ. 2400–2700), to catch
///   Christian-Era years and typos.
///
/// The year is an `i32` to match Buddhist-Era years elsewhere
/// ([`be_year`], [`YearMonth`](crate::YearMonth)) and the
/// store's `fiscal_years.year` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(i32);

/// Why a fiscal year cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FiscalYearError {
    /// Nothing but blanks.
    #[error("no fiscal year given")]
    Empty,
    /// The text is not a fiscal year such as "2566" or "ปีงบประมาณ พ.ศ. ๒๕๖๖".
    #[error("not a fiscal year")]
    Unrecognized,
    /// A Christian-Era year: four digits below 2400, or marked "ค.ศ.".
    #[error(
        "{year} looks like a Christian-Era year; fiscal years are named in Buddhist Era (add 543)"
    )]
    LooksLikeChristianEra {
        /// The year as written.
        year: i32,
    },
    /// A Buddhist-Era year outside [`FiscalYear::INPUT_RANGE`], or a year
    /// written with neither two nor four digits.
    #[error("fiscal year {year} is outside 2400–2700")]
    OutOfRange {
        /// The year as written or given.
        year: i32,
    },
}

impl FiscalYear {
    /// The Buddhist-Era years that [`FiscalYear::new`] and parsing accept.
    pub const INPUT_RANGE: RangeInclusive<i32> = 2400..=2700;

    /// The fiscal year of [`Date::MIN`] (a 1 January).
    const FIRST: i32 = Date::MIN.year() + BE_OFFSET;
    /// The fiscal year of [`Date::MAX`] (a 31 December).
    const LAST: i32 = Date::MAX.year() + BE_OFFSET + 1;

    /// The fiscal year named by the Buddhist-Era year `be`.
    ///
    /// # Errors
    ///
    /// [`FiscalYearError::OutOfRange`] outside
    /// [`INPUT_RANGE`](Self::INPUT_RANGE).
    pub fn new(be: i32) -> Result<Self, FiscalYearError> {
        if Self::INPUT_RANGE.contains(&be) {
            Ok(Self(be))
        } else {
            Err(FiscalYearError::OutOfRange { year: be })
        }
    }

    /// The fiscal year that `date` falls in.
    ///
    /// ```
    /// use prongsai_thai::FiscalYear;
    /// use time::macros::date;
    /// assert_eq!(FiscalYear::of(date!(2022-10-01)).be(), 2566);
    /// assert_eq!(FiscalYear::of(date!(2023-09-30)).be(), 2566);
    /// ```
    #[must_use]
    pub fn of(date: Date) -> Self {
        Self(be_year(date) + i32::from(date.month() >= Month::October))
    }

    /// The Buddhist-Era year that names this fiscal year.
    #[must_use]
    pub const fn be(self) -> i32 {
        self.0
    }

    /// The Christian-Era year in which this fiscal year ends.
    const fn ce_end_year(self) -> i32 {
        self.0 - BE_OFFSET
    }

    /// The first day: 1 October of the previous year.
    #[must_use]
    pub fn start(self) -> Date {
        date_or_edge(self.ce_end_year() - 1, Month::October, 1)
    }

    /// The last day (inclusive): 30 September.
    #[must_use]
    pub fn end(self) -> Date {
        date_or_edge(self.ce_end_year(), Month::September, 30)
    }

    /// Whether `date` falls in this fiscal year.
    #[must_use]
    pub fn contains(self, date: Date) -> bool {
        Self::of(date) == self
    }

    /// The fiscal year before, if any date falls in it.
    #[must_use]
    pub fn previous(self) -> Option<Self> {
        (self.0 > Self::FIRST).then(|| Self(self.0 - 1))
    }

    /// The fiscal year after, if any date falls in it.
    #[must_use]
    pub fn next(self) -> Option<Self> {
        (self.0 < Self::LAST).then(|| Self(self.0 + 1))
    }

    /// The Buddhist-Era year in the given digits: "๒๕๖๖" or "2566".
    #[must_use]
    pub fn format(self, digits: Digits) -> String {
        digits.apply(&self.0.to_string())
    }

    /// The days of quarter `q` (1–4; Q1 = October–December), or `None` for
    /// another `q`.
    #[must_use]
    pub fn quarter_days(self, q: u8) -> Option<RangeInclusive<Date>> {
        let (first_month, year) = match q {
            1 => (Month::October, self.ce_end_year() - 1),
            2 => (Month::January, self.ce_end_year()),
            3 => (Month::April, self.ce_end_year()),
            4 => (Month::July, self.ce_end_year()),
            _ => return None,
        };
        let last_month = first_month.nth_next(2);
        Some(
            date_or_edge(year, first_month, 1)
                ..=date_or_edge(year, last_month, last_month.length(year)),
        )
    }

    /// The first half (รอบ ๖ เดือนแรก): 1 October to 31 March.
    #[must_use]
    pub fn first_half(self) -> RangeInclusive<Date> {
        self.start()..=date_or_edge(self.ce_end_year(), Month::March, 31)
    }

    /// The second half: 1 April to 30 September.
    #[must_use]
    pub fn second_half(self) -> RangeInclusive<Date> {
        date_or_edge(self.ce_end_year(), Month::April, 1)..=self.end()
    }
}

/// The quarter of the fiscal year that `date` falls in: 1 for October to
/// December, 2 for January to March, 3 for April to June, 4 for July to
/// September.
#[must_use]
pub fn quarter(date: Date) -> u8 {
    match date.month() {
        Month::October | Month::November | Month::December => 1,
        Month::January | Month::February | Month::March => 2,
        Month::April | Month::May | Month::June => 3,
        Month::July | Month::August | Month::September => 4,
    }
}

/// The half of the fiscal year that `date` falls in: 1 for October to March
/// (รอบ ๖ เดือนแรก), 2 for April to September.
#[must_use]
pub fn half(date: Date) -> u8 {
    if quarter(date) <= 2 { 1 } else { 2 }
}

impl fmt::Display for FiscalYear {
    /// The Buddhist-Era year in Arabic digits: "2566".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for FiscalYear {
    type Err = FiscalYearError;

    /// Reads "2566", "๒๕๖๖", "66", "พ.ศ. ๒๕๖๖", "ปีงบประมาณ พ.ศ. 2566",
    /// "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖" or "ปีงบ 66". Two-digit years mean
    /// พ.ศ. 25xx. The year must be in [`FiscalYear::INPUT_RANGE`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let tokens = scan::tokenize(s);
        if tokens.is_empty() {
            return Err(FiscalYearError::Empty);
        }
        let rest = match tokens.split_first() {
            Some((Token::FiscalYear, rest)) => rest,
            _ => tokens.as_slice(),
        };
        match scan::take_era(rest) {
            (era, [Token::Number(year)]) => from_written_year(*year, era),
            _ => Err(FiscalYearError::Unrecognized),
        }
    }
}

/// The fiscal year named by a written year.
pub(crate) fn from_written_year(year: scan::Num, era: Era) -> Result<FiscalYear, FiscalYearError> {
    let be = scan::be_year(year, era).map_err(|issue| match issue {
        YearIssue::ChristianEra(year) => FiscalYearError::LooksLikeChristianEra { year },
        YearIssue::Invalid(year) => FiscalYearError::OutOfRange { year },
    })?;
    FiscalYear::new(be)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn fy(be: i32) -> FiscalYear {
        FiscalYear::new(be).unwrap()
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "test tables read better with owned expectations"
    )]
    fn check(input: &str, expected: Result<i32, FiscalYearError>) {
        assert_eq!(
            input.parse::<FiscalYear>().map(FiscalYear::be),
            expected,
            "{input:?}.parse::<FiscalYear>()"
        );
    }

    #[test]
    fn fiscal_year_starts_on_first_of_october() {
        assert_eq!(fy(2566).start(), date!(2022 - 10 - 01));
        assert_eq!(fy(2400).start(), date!(1856 - 10 - 01));
    }

    #[test]
    fn fiscal_year_ends_on_thirtieth_of_september() {
        assert_eq!(fy(2566).end(), date!(2023 - 09 - 30));
        assert_eq!(fy(2700).end(), date!(2157 - 09 - 30));
    }

    #[test]
    fn fiscal_year_is_named_by_the_year_it_ends_in() {
        let cases = [
            (date!(2022 - 09 - 30), 2565),
            (date!(2022 - 10 - 01), 2566),
            (date!(2022 - 12 - 31), 2566),
            (date!(2023 - 01 - 01), 2566),
            (date!(2023 - 09 - 30), 2566),
            (date!(2023 - 10 - 01), 2567),
        ];
        for (date, be) in cases {
            assert_eq!(FiscalYear::of(date), fy(be), "FiscalYear::of({date})");
            assert!(fy(be).contains(date));
            assert!(!fy(be + 1).contains(date));
            assert!(!fy(be - 1).contains(date));
        }
    }

    #[test]
    fn every_date_has_a_fiscal_year_even_outside_the_input_range() {
        assert_eq!(FiscalYear::of(date!(1856 - 09 - 30)).be(), 2399);
        assert_eq!(FiscalYear::of(date!(2157 - 10 - 01)).be(), 2701);
        let first = FiscalYear::of(Date::MIN);
        assert_eq!(first.be(), Date::MIN.year() + 543);
        assert_eq!(first.start(), Date::MIN);
        assert!(first.contains(Date::MIN));
        let last = FiscalYear::of(Date::MAX);
        assert_eq!(last.be(), Date::MAX.year() + 544);
        assert_eq!(last.end(), Date::MAX);
        assert!(last.contains(Date::MAX));
    }

    #[test]
    fn neighbours_stop_where_no_date_is_left() {
        assert_eq!(fy(2566).previous(), Some(fy(2565)));
        assert_eq!(fy(2566).next(), Some(fy(2567)));
        assert_eq!(fy(2400).previous().map(FiscalYear::be), Some(2399));
        assert_eq!(FiscalYear::of(Date::MIN).previous(), None);
        assert_eq!(FiscalYear::of(Date::MAX).next(), None);
    }

    #[test]
    fn years_from_people_must_be_in_the_input_range() {
        assert_eq!(fy(2400).be(), 2400);
        assert_eq!(fy(2700).be(), 2700);
        assert_eq!(
            FiscalYear::new(2399),
            Err(FiscalYearError::OutOfRange { year: 2399 })
        );
        assert_eq!(
            FiscalYear::new(2701),
            Err(FiscalYearError::OutOfRange { year: 2701 })
        );
        assert_eq!(
            FiscalYear::new(-1),
            Err(FiscalYearError::OutOfRange { year: -1 })
        );
    }

    #[test]
    fn fiscal_year_displays_in_arabic_and_formats_in_thai() {
        assert_eq!(fy(2566).to_string(), "2566");
        assert_eq!(fy(2566).format(Digits::Thai), "๒๕๖๖");
        assert_eq!(fy(2566).format(Digits::Arabic), "2566");
    }

    #[test]
    fn fiscal_year_is_read_in_the_forms_documents_use() {
        check("2566", Ok(2566));
        check("๒๕๖๖", Ok(2566));
        check("66", Ok(2566));
        check("พ.ศ. ๒๕๖๖", Ok(2566));
        check("พ.ศ.2566", Ok(2566));
        check("ปีงบประมาณ พ.ศ. 2566", Ok(2566));
        check("ปีงบประมาณพ.ศ.๒๕๖๖", Ok(2566));
        check("ปีงบประมาณ 2566", Ok(2566));
        check("ปีงบ 66", Ok(2566));
        check("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", Ok(2566));
        check("  2566 ", Ok(2566));
    }

    #[test]
    fn fiscal_year_rejects_what_is_not_one() {
        check("", Err(FiscalYearError::Empty));
        check(
            "2023",
            Err(FiscalYearError::LooksLikeChristianEra { year: 2023 }),
        );
        check(
            "ค.ศ. 2023",
            Err(FiscalYearError::LooksLikeChristianEra { year: 2023 }),
        );
        check(
            "2399",
            Err(FiscalYearError::LooksLikeChristianEra { year: 2399 }),
        );
        check("2701", Err(FiscalYearError::OutOfRange { year: 2701 }));
        check("9999", Err(FiscalYearError::OutOfRange { year: 9999 }));
        check("566", Err(FiscalYearError::OutOfRange { year: 566 }));
        check("2566 2567", Err(FiscalYearError::Unrecognized));
        check("ปีงบประมาณ", Err(FiscalYearError::Unrecognized));
        check("FY2566", Err(FiscalYearError::Unrecognized));
        check("-2566", Err(FiscalYearError::Unrecognized));
    }

    #[test]
    fn quarters_start_in_october() {
        let cases = [
            (date!(2022 - 10 - 01), 1),
            (date!(2022 - 12 - 31), 1),
            (date!(2023 - 01 - 01), 2),
            (date!(2023 - 03 - 31), 2),
            (date!(2023 - 04 - 01), 3),
            (date!(2023 - 06 - 30), 3),
            (date!(2023 - 07 - 01), 4),
            (date!(2023 - 09 - 30), 4),
        ];
        for (date, q) in cases {
            assert_eq!(quarter(date), q, "quarter({date})");
        }
        assert_eq!(
            fy(2566).quarter_days(1),
            Some(date!(2022 - 10 - 01)..=date!(2022 - 12 - 31))
        );
        assert_eq!(
            fy(2566).quarter_days(2),
            Some(date!(2023 - 01 - 01)..=date!(2023 - 03 - 31))
        );
        assert_eq!(
            fy(2566).quarter_days(3),
            Some(date!(2023 - 04 - 01)..=date!(2023 - 06 - 30))
        );
        assert_eq!(
            fy(2566).quarter_days(4),
            Some(date!(2023 - 07 - 01)..=date!(2023 - 09 - 30))
        );
        assert_eq!(fy(2566).quarter_days(0), None);
        assert_eq!(fy(2566).quarter_days(5), None);
    }

    #[test]
    fn first_half_runs_from_october_to_march() {
        assert_eq!(
            fy(2566).first_half(),
            date!(2022 - 10 - 01)..=date!(2023 - 03 - 31)
        );
        assert_eq!(
            fy(2566).second_half(),
            date!(2023 - 04 - 01)..=date!(2023 - 09 - 30)
        );
        assert_eq!(half(date!(2023 - 03 - 31)), 1);
        assert_eq!(half(date!(2022 - 10 - 01)), 1);
        assert_eq!(half(date!(2023 - 04 - 01)), 2);
        assert_eq!(half(date!(2023 - 09 - 30)), 2);
    }

    proptest! {
        #[test]
        fn every_date_is_in_exactly_its_fiscal_year(
            date in (Date::MIN.year()..=Date::MAX.year(), 1..=366_u16)
                .prop_filter_map("day of year", |(y, d)| Date::from_ordinal_date(y, d).ok())
        ) {
            let year = FiscalYear::of(date);
            prop_assert!(year.contains(date));
            prop_assert!((year.start()..=year.end()).contains(&date));
            prop_assert!(year.previous().is_none_or(|p| !p.contains(date) && p.end() < date));
            prop_assert!(year.next().is_none_or(|n| !n.contains(date) && n.start() > date));
            let q = quarter(date);
            prop_assert!(year.quarter_days(q).is_some_and(|days| days.contains(&date)));
            let halves = [year.first_half(), year.second_half()];
            prop_assert!(halves.get(usize::from(half(date)) - 1).is_some_and(|h| h.contains(&date)));
        }

        #[test]
        fn fiscal_year_text_round_trips(be in 2400..=2700_i32, thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            let year = fy(be);
            prop_assert_eq!(year.format(digits).parse::<FiscalYear>(), Ok(year));
            prop_assert_eq!(format!("ปีงบประมาณ พ.ศ. {}", year.format(digits)).parse::<FiscalYear>(), Ok(year));
        }

        #[test]
        fn fiscal_year_parsing_never_panics(s in "\\PC*") {
            let _ = s.parse::<FiscalYear>();
        }
    }
}
