//! Month-range periods (ระยะเวลาดำเนินการ), as written in measure plans:
//! "ม.ค. ๖๖ - เม.ย. ๖๖".
//!
//! A [`Period`] is a range of whole months, from the first day of its start
//! month to the last day of its end month. Years are Buddhist Era.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;
use time::{Date, Month};

use crate::date::{BE_OFFSET, be_year, date_or_edge, month_full, month_short, short_year};
use crate::digits::Digits;
use crate::fiscal::{self, FiscalYear, FiscalYearError};
use crate::scan::{self, Era, Token, YearIssue};

/// A month of a Buddhist-Era year. Ordered by year, then month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    be_year: i32,
    month: Month,
}

impl YearMonth {
    /// The earliest Buddhist-Era year a [`YearMonth`] can have: that of
    /// [`Date::MIN`].
    pub const MIN_BE_YEAR: i32 = Date::MIN.year() + BE_OFFSET;
    /// The latest Buddhist-Era year a [`YearMonth`] can have: that of
    /// [`Date::MAX`].
    pub const MAX_BE_YEAR: i32 = Date::MAX.year() + BE_OFFSET;

    /// The month `month` of the Buddhist-Era year `be_year`.
    ///
    /// # Errors
    ///
    /// [`PeriodError::YearOutOfRange`] outside
    /// [`MIN_BE_YEAR`](Self::MIN_BE_YEAR)..=[`MAX_BE_YEAR`](Self::MAX_BE_YEAR),
    /// where the month's days could not be represented.
    pub fn new(be_year: i32, month: Month) -> Result<Self, PeriodError> {
        if (Self::MIN_BE_YEAR..=Self::MAX_BE_YEAR).contains(&be_year) {
            Ok(Self { be_year, month })
        } else {
            Err(PeriodError::YearOutOfRange { year: be_year })
        }
    }

    /// The month `month` of `be_year`, or the first or last representable
    /// month if `be_year` is beyond the range.
    fn clamped(be_year: i32, month: Month) -> Self {
        Self::new(be_year, month).unwrap_or_else(|_| {
            if be_year < Self::MIN_BE_YEAR {
                Self::of(Date::MIN)
            } else {
                Self::of(Date::MAX)
            }
        })
    }

    /// The month that `date` falls in.
    #[must_use]
    pub fn of(date: Date) -> Self {
        Self {
            be_year: be_year(date),
            month: date.month(),
        }
    }

    /// The Buddhist-Era year.
    #[must_use]
    pub const fn be_year(self) -> i32 {
        self.be_year
    }

    /// The month.
    #[must_use]
    pub const fn month(self) -> Month {
        self.month
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> Date {
        self.day(1)
    }

    /// The last day of the month.
    #[must_use]
    pub fn last_day(self) -> Date {
        self.day(self.month.length(self.be_year - BE_OFFSET))
    }

    /// Day `day` of this month; `day` must exist.
    fn day(self, day: u8) -> Date {
        // `new` and `of` keep the year within Date's range, so this is exact.
        date_or_edge(self.be_year - BE_OFFSET, self.month, day)
    }

    /// The month before, if representable.
    #[must_use]
    pub fn previous(self) -> Option<Self> {
        match self.month {
            Month::January => Self::new(self.be_year - 1, Month::December).ok(),
            month => Some(Self {
                month: month.previous(),
                ..self
            }),
        }
    }

    /// The month after, if representable.
    #[must_use]
    pub fn next(self) -> Option<Self> {
        match self.month {
            Month::December => Self::new(self.be_year + 1, Month::January).ok(),
            month => Some(Self {
                month: month.next(),
                ..self
            }),
        }
    }

    /// A running count of months, for differences.
    fn index(self) -> i64 {
        i64::from(self.be_year) * 12 + i64::from(u8::from(self.month))
    }

    /// Short form: "ม.ค. ๖๖". The year has two digits in พ.ศ. 2500–2599 and
    /// all its digits otherwise.
    #[must_use]
    pub fn format(self, digits: Digits) -> String {
        digits.apply(&format!(
            "{} {}",
            month_short(self.month),
            short_year(self.be_year)
        ))
    }

    /// Full form: "มกราคม ๒๕๖๖".
    #[must_use]
    pub fn format_full(self, digits: Digits) -> String {
        digits.apply(&format!("{} {}", month_full(self.month), self.be_year))
    }
}

impl fmt::Display for YearMonth {
    /// The short form in Arabic digits: "ม.ค. 66".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Digits::Arabic))
    }
}

/// A range of whole months, start and end included; the end is never before
/// the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    start: YearMonth,
    end: YearMonth,
}

/// Why a period cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    /// Nothing but blanks.
    #[error("no period given")]
    Empty,
    /// The text is not a period in a known form.
    #[error("not a period in a known form")]
    Unrecognized,
    /// A word stands where a month name should be, but is not one.
    #[error("unknown month name {name:?}")]
    UnknownMonth {
        /// The word as written.
        name: String,
    },
    /// The end month comes before the start month.
    #[error("the period ends ({end}) before it starts ({start})")]
    EndBeforeStart {
        /// The start month.
        start: YearMonth,
        /// The end month.
        end: YearMonth,
    },
    /// No month has a year, and no fiscal year was given to place them in.
    #[error("the period has no year")]
    MissingYear,
    /// "ตลอดปีงบประมาณ" without a year, and no fiscal year was given.
    #[error("the whole fiscal year, but which fiscal year is not known")]
    NeedsFiscalYear,
    /// A Christian-Era year: four digits below 2400, or marked "ค.ศ.".
    #[error("{year} looks like a Christian-Era year; write the Buddhist-Era year (add 543)")]
    LooksLikeChristianEra {
        /// The year as written.
        year: i32,
    },
    /// A year written with neither two nor four digits, or outside the
    /// representable range.
    #[error("year {year} is not a usable Buddhist-Era year")]
    YearOutOfRange {
        /// The year as written.
        year: i32,
    },
    /// The fiscal year in "ตลอดปีงบประมาณ พ.ศ. …" is not one.
    #[error(transparent)]
    FiscalYear(#[from] FiscalYearError),
}

impl From<YearIssue> for PeriodError {
    fn from(issue: YearIssue) -> Self {
        match issue {
            YearIssue::ChristianEra(year) => Self::LooksLikeChristianEra { year },
            YearIssue::Invalid(year) => Self::YearOutOfRange { year },
        }
    }
}

/// One side of a written range: a month and maybe its year.
#[derive(Debug, Clone, Copy)]
struct Side {
    month: Month,
    be_year: Option<i32>,
}

impl Period {
    /// The months from `start` to `end`, both included.
    ///
    /// # Errors
    ///
    /// [`PeriodError::EndBeforeStart`] if `end` comes before `start`.
    pub fn new(start: YearMonth, end: YearMonth) -> Result<Self, PeriodError> {
        if end < start {
            Err(PeriodError::EndBeforeStart { start, end })
        } else {
            Ok(Self { start, end })
        }
    }

    /// A single month.
    #[must_use]
    pub const fn month(month: YearMonth) -> Self {
        Self {
            start: month,
            end: month,
        }
    }

    /// The twelve months of a fiscal year: October of the year before to
    /// September. (For the two fiscal years that straddle the ends of
    /// [`Date`]'s range, only their representable months.)
    #[must_use]
    pub fn whole_fiscal_year(year: FiscalYear) -> Self {
        let be = year.be();
        Self {
            start: YearMonth::clamped(be - 1, Month::October),
            end: YearMonth::clamped(be, Month::September),
        }
    }

    /// The first month.
    #[must_use]
    pub const fn start(self) -> YearMonth {
        self.start
    }

    /// The last month.
    #[must_use]
    pub const fn end(self) -> YearMonth {
        self.end
    }

    /// The first day of the first month.
    #[must_use]
    pub fn first_day(self) -> Date {
        self.start.first_day()
    }

    /// The last day of the last month.
    #[must_use]
    pub fn last_day(self) -> Date {
        self.end.last_day()
    }

    /// How many months the period covers, at least 1.
    #[must_use]
    pub fn months(self) -> u32 {
        u32::try_from(self.end.index() - self.start.index() + 1).unwrap_or(u32::MAX)
    }

    /// Whether `date` falls in the period.
    #[must_use]
    pub fn contains(self, date: Date) -> bool {
        (self.start..=self.end).contains(&YearMonth::of(date))
    }

    /// Whether the whole period lies within the fiscal year `year`.
    #[must_use]
    pub fn within(self, year: FiscalYear) -> bool {
        let whole = Self::whole_fiscal_year(year);
        whole.start <= self.start && self.end <= whole.end
    }

    /// The seed documents' form: "ม.ค. ๖๖ - เม.ย. ๖๖", or "ต.ค. ๖๕" for a
    /// single month. Years outside พ.ศ. 2500–2599 are written with all their
    /// digits.
    #[must_use]
    pub fn format(self, digits: Digits) -> String {
        if self.start == self.end {
            self.start.format(digits)
        } else {
            format!(
                "{} - {}",
                self.start.format(digits),
                self.end.format(digits)
            )
        }
    }

    /// The full form: "มกราคม ๒๕๖๖ - เมษายน ๒๕๖๖", or "ตุลาคม ๒๕๖๕" for a
    /// single month.
    #[must_use]
    pub fn format_full(self, digits: Digits) -> String {
        if self.start == self.end {
            self.start.format_full(digits)
        } else {
            format!(
                "{} - {}",
                self.start.format_full(digits),
                self.end.format_full(digits)
            )
        }
    }

    /// Reads a period without a fiscal year to place it in; see
    /// [`Period::parse_in`].
    ///
    /// # Errors
    ///
    /// As [`Period::parse_in`].
    pub fn parse(input: &str) -> Result<Self, PeriodError> {
        Self::parse_in(input, None)
    }

    /// Reads a period, using `fiscal_year` (if given) for the words and months
    /// that carry no year.
    ///
    /// Accepted:
    ///
    /// - a range of months: "ม.ค. ๖๖ - เม.ย. ๖๖", "ม.ค.66-เม.ย.66",
    ///   "มกราคม 2566 – เมษายน 2566", "ม.ค. ๖๖ ถึง เม.ย. ๖๖" (hyphen, en dash,
    ///   em dash or "ถึง"; "พ.ศ." before a year allowed);
    /// - a single month: "ต.ค. ๖๕";
    /// - the whole fiscal year: "ตลอดปีงบประมาณ" (or "ตลอดปีงบ", "ตลอดปี"),
    ///   which needs `fiscal_year`, or "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๖", which does not.
    ///
    /// A year may be left off one side: "ต.ค. - ธ.ค. ๖๕" takes the other
    /// side's year, and a range that would then run backwards crosses the
    /// new year ("ต.ค. - มี.ค. ๖๖" is ต.ค. ๖๕ to มี.ค. ๖๖). Months with no
    /// year on either side are placed in `fiscal_year` (October to December
    /// in its first calendar year).
    ///
    /// # Errors
    ///
    /// A [`PeriodError`] saying what is wrong with the text.
    pub fn parse_in(input: &str, fiscal_year: Option<FiscalYear>) -> Result<Self, PeriodError> {
        let tokens = scan::tokenize(input);
        match tokens.as_slice() {
            [] => Err(PeriodError::Empty),
            [Token::WholeFiscalYear, rest @ ..] => {
                let rest = match rest.split_first() {
                    Some((Token::FiscalYear, rest)) => rest,
                    _ => rest,
                };
                match scan::take_era(rest) {
                    (Era::Unmarked, []) => fiscal_year
                        .map(Self::whole_fiscal_year)
                        .ok_or(PeriodError::NeedsFiscalYear),
                    (era, [Token::Number(year)]) => Ok(Self::whole_fiscal_year(
                        fiscal::from_written_year(*year, era)?,
                    )),
                    _ => Err(PeriodError::Unrecognized),
                }
            }
            tokens => {
                let (start, rest) = side(tokens)?;
                match rest {
                    [] => Self::resolve(start, start, fiscal_year),
                    [
                        Token::Punct('-' | '\u{2013}' | '\u{2014}') | Token::To,
                        rest @ ..,
                    ] => match side(rest)? {
                        (end, []) => Self::resolve(start, end, fiscal_year),
                        _ => Err(PeriodError::Unrecognized),
                    },
                    _ => Err(PeriodError::Unrecognized),
                }
            }
        }
    }

    /// Fills in missing years and builds the period.
    fn resolve(
        start: Side,
        end: Side,
        fiscal_year: Option<FiscalYear>,
    ) -> Result<Self, PeriodError> {
        let (start_year, end_year) = match (start.be_year, end.be_year) {
            (Some(s), Some(e)) => (s, e),
            (None, Some(e)) => (if start.month <= end.month { e } else { e - 1 }, e),
            (Some(s), None) => (s, if start.month <= end.month { s } else { s + 1 }),
            (None, None) => {
                let fy = fiscal_year.ok_or(PeriodError::MissingYear)?;
                let place = |month: Month| fy.be() - i32::from(month >= Month::October);
                (place(start.month), place(end.month))
            }
        };
        Self::new(
            YearMonth::new(start_year, start.month)?,
            YearMonth::new(end_year, end.month)?,
        )
    }
}

/// Reads one side of a range, "ม.ค. พ.ศ. ๒๕๖๖", from the front of `tokens`.
fn side(tokens: &[Token]) -> Result<(Side, &[Token]), PeriodError> {
    let (month, rest) = match tokens.split_first() {
        Some((Token::Month(month), rest)) => (*month, rest),
        Some((Token::Unknown(name), _)) => {
            return Err(PeriodError::UnknownMonth { name: name.clone() });
        }
        _ => return Err(PeriodError::Unrecognized),
    };
    match scan::take_era(rest) {
        (era, [Token::Number(year), rest @ ..]) => {
            let be_year = scan::be_year(*year, era)?;
            Ok((
                Side {
                    month,
                    be_year: Some(be_year),
                },
                rest,
            ))
        }
        (Era::Unmarked, rest) => Ok((
            Side {
                month,
                be_year: None,
            },
            rest,
        )),
        _ => Err(PeriodError::Unrecognized),
    }
}

impl fmt::Display for Period {
    /// The short form in Arabic digits: "ม.ค. 66 - เม.ย. 66".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Digits::Arabic))
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// [`Period::parse`]: no fiscal year to place year-less months in.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn ym(be_year: i32, month: Month) -> YearMonth {
        YearMonth::new(be_year, month).unwrap()
    }

    fn period(start: (i32, Month), end: (i32, Month)) -> Period {
        Period::new(ym(start.0, start.1), ym(end.0, end.1)).unwrap()
    }

    fn fy(be: i32) -> FiscalYear {
        FiscalYear::new(be).unwrap()
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "test tables read better with owned expectations"
    )]
    fn check(input: &str, fiscal_year: Option<i32>, expected: Result<Period, PeriodError>) {
        assert_eq!(
            Period::parse_in(input, fiscal_year.map(fy)),
            expected,
            "Period::parse_in({input:?}, {fiscal_year:?})"
        );
    }

    use Month::{April, December, February, January, March, October, September};

    #[test]
    fn seed_period_is_read_and_written_back_exactly() {
        let seed = "ม.ค. ๖๖ - เม.ย. ๖๖";
        let p = Period::parse(seed).unwrap();
        assert_eq!(p, period((2566, January), (2566, April)));
        assert_eq!(p.format(Digits::Thai), seed);
        assert_eq!(p.format(Digits::Arabic), "ม.ค. 66 - เม.ย. 66");
        assert_eq!(p.to_string(), "ม.ค. 66 - เม.ย. 66");
        assert_eq!(p.format_full(Digits::Thai), "มกราคม ๒๕๖๖ - เมษายน ๒๕๖๖");
    }

    #[test]
    fn ranges_are_read_with_any_separator_and_spacing() {
        let jan_apr = Ok(period((2566, January), (2566, April)));
        for input in [
            "ม.ค. ๖๖ - เม.ย. ๖๖",
            "ม.ค.66-เม.ย.66",
            "ม.ค 66 - เม.ย 66",
            "มค66-เมย66",
            "มกราคม 2566 - เมษายน 2566",
            "มกราคม ๒๕๖๖ – เมษายน ๒๕๖๖",
            "ม.ค. ๖๖ — เม.ย. ๖๖",
            "ม.ค. ๖๖ ถึง เม.ย. ๖๖",
            "ม.ค.๖๖ถึงเม.ย.๖๖",
            "มกราคม พ.ศ. 2566 - เมษายน พ.ศ. 2566",
            "  ม.ค. ๖๖  -  เม.ย. ๖๖  ",
        ] {
            check(input, None, jan_apr.clone());
        }
    }

    #[test]
    fn a_single_month_starts_and_ends_in_itself() {
        check(
            "ต.ค. ๖๕",
            None,
            Ok(period((2565, October), (2565, October))),
        );
        assert_eq!(
            Period::parse("ต.ค. ๖๕").unwrap().format(Digits::Thai),
            "ต.ค. ๖๕"
        );
        assert_eq!(Period::month(ym(2565, October)).months(), 1);
    }

    #[test]
    fn a_year_on_one_side_serves_both() {
        check(
            "ต.ค. - ธ.ค. ๖๕",
            None,
            Ok(period((2565, October), (2565, December))),
        );
        check(
            "ต.ค. - มี.ค. ๖๖",
            None,
            Ok(period((2565, October), (2566, March))),
        );
        check(
            "ต.ค. ๖๕ - มี.ค.",
            None,
            Ok(period((2565, October), (2566, March))),
        );
        check(
            "ม.ค. ๖๖ - เม.ย.",
            None,
            Ok(period((2566, January), (2566, April))),
        );
    }

    #[test]
    fn months_without_years_are_placed_in_the_fiscal_year() {
        check(
            "ต.ค. - มี.ค.",
            Some(2566),
            Ok(period((2565, October), (2566, March))),
        );
        check(
            "ม.ค. - เม.ย.",
            Some(2566),
            Ok(period((2566, January), (2566, April))),
        );
        check(
            "ต.ค.",
            Some(2566),
            Ok(period((2565, October), (2565, October))),
        );
        check("ต.ค. - มี.ค.", None, Err(PeriodError::MissingYear));
        check(
            "ก.ย. - ต.ค.",
            Some(2566),
            Err(PeriodError::EndBeforeStart {
                start: ym(2566, September),
                end: ym(2565, October),
            }),
        );
    }

    #[test]
    fn whole_fiscal_year_wording_needs_a_fiscal_year() {
        let fy66 = Ok(period((2565, October), (2566, September)));
        check("ตลอดปีงบประมาณ", Some(2566), fy66.clone());
        check("ตลอดปีงบ", Some(2566), fy66.clone());
        check("ตลอดปี", Some(2566), fy66.clone());
        check("ตลอดปีงบประมาณ", None, Err(PeriodError::NeedsFiscalYear));
        check("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๖", None, fy66.clone());
        check("ตลอดปีงบประมาณ 2566", Some(2570), fy66.clone());
        check("ตลอดปี งบประมาณ 66", None, fy66);
        check(
            "ตลอดปีงบประมาณ 2023",
            None,
            Err(PeriodError::FiscalYear(
                FiscalYearError::LooksLikeChristianEra { year: 2023 },
            )),
        );
        assert_eq!(Period::whole_fiscal_year(fy(2566)).months(), 12);
    }

    #[test]
    fn whole_fiscal_years_at_the_ends_of_time_keep_their_representable_months() {
        let first = Period::whole_fiscal_year(FiscalYear::of(Date::MIN));
        assert_eq!(first.first_day(), Date::MIN);
        assert_eq!(first.months(), 9);
        let last = Period::whole_fiscal_year(FiscalYear::of(Date::MAX));
        assert_eq!(last.last_day(), Date::MAX);
        assert_eq!(last.months(), 3);
        assert!(last.within(FiscalYear::of(Date::MAX)));
    }

    #[test]
    fn backwards_ranges_are_rejected() {
        assert_eq!(
            Period::new(ym(2566, April), ym(2566, January)),
            Err(PeriodError::EndBeforeStart {
                start: ym(2566, April),
                end: ym(2566, January)
            })
        );
        check(
            "เม.ย. ๖๖ - ม.ค. ๖๖",
            None,
            Err(PeriodError::EndBeforeStart {
                start: ym(2566, April),
                end: ym(2566, January),
            }),
        );
    }

    #[test]
    fn malformed_periods_have_their_own_errors() {
        check("", None, Err(PeriodError::Empty));
        check(
            "ม.ค. 2023 - เม.ย. 2023",
            None,
            Err(PeriodError::LooksLikeChristianEra { year: 2023 }),
        );
        check(
            "มกรา 66 - เมษา 66",
            None,
            Err(PeriodError::UnknownMonth {
                name: "มกรา".into(),
            }),
        );
        check(
            "ม.ค. 66 - เมษา 66",
            None,
            Err(PeriodError::UnknownMonth {
                name: "เมษา".into(),
            }),
        );
        check(
            "ม.ค. 566",
            None,
            Err(PeriodError::YearOutOfRange { year: 566 }),
        );
        check(
            "ม.ค. 66 - เม.ย. 66 - มิ.ย. 66",
            None,
            Err(PeriodError::Unrecognized),
        );
        check("ม.ค. 66 -", None, Err(PeriodError::Unrecognized));
        check("66", None, Err(PeriodError::Unrecognized));
        check("ม.ค. พ.ศ.", None, Err(PeriodError::Unrecognized));
        check("1 ม.ค. 66", None, Err(PeriodError::Unrecognized));
    }

    #[test]
    fn period_days_cover_whole_months() {
        let p = period((2566, January), (2566, April));
        assert_eq!(p.first_day(), date!(2023 - 01 - 01));
        assert_eq!(p.last_day(), date!(2023 - 04 - 30));
        assert_eq!(p.months(), 4);
        assert!(p.contains(date!(2023 - 04 - 30)));
        assert!(!p.contains(date!(2023 - 05 - 01)));
        assert_eq!(
            period((2566, January), (2567, February)).last_day(),
            date!(2024 - 02 - 29)
        );
        assert_eq!(period((2565, October), (2567, September)).months(), 24);
    }

    #[test]
    fn periods_know_whether_they_fit_a_fiscal_year() {
        assert!(period((2566, January), (2566, April)).within(fy(2566)));
        assert!(period((2565, October), (2566, September)).within(fy(2566)));
        assert!(!period((2565, September), (2566, April)).within(fy(2566)));
        assert!(!period((2566, January), (2566, October)).within(fy(2566)));
        assert!(!period((2566, January), (2566, April)).within(fy(2567)));
    }

    #[test]
    fn year_months_step_across_years_and_stop_at_the_ends() {
        assert_eq!(ym(2565, December).next(), Some(ym(2566, January)));
        assert_eq!(ym(2566, January).previous(), Some(ym(2565, December)));
        assert_eq!(ym(YearMonth::MAX_BE_YEAR, December).next(), None);
        assert_eq!(ym(YearMonth::MIN_BE_YEAR, January).previous(), None);
        assert_eq!(YearMonth::of(Date::MAX).last_day(), Date::MAX);
        assert_eq!(YearMonth::of(Date::MIN).first_day(), Date::MIN);
        assert!(YearMonth::new(YearMonth::MAX_BE_YEAR + 1, January).is_err());
    }

    #[test]
    fn years_outside_the_2500s_are_written_in_full() {
        let p = period((2599, December), (2600, January));
        assert_eq!(p.format(Digits::Arabic), "ธ.ค. 99 - ม.ค. 2600");
        assert_eq!(Period::parse(&p.format(Digits::Arabic)), Ok(p));
    }

    fn year_month(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = YearMonth> {
        (years, 1..=12_u8).prop_filter_map("month", |(y, m)| {
            Month::try_from(m)
                .ok()
                .and_then(|m| YearMonth::new(y, m).ok())
        })
    }

    fn periods(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = Period> {
        (year_month(years.clone()), year_month(years))
            .prop_map(|(a, b)| Period::new(a.min(b), a.max(b)).unwrap())
    }

    proptest! {
        #[test]
        fn short_form_round_trips(p in periods(2400..=9999), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(Period::parse(&p.format(digits)), Ok(p));
        }

        #[test]
        fn full_form_round_trips(p in periods(2400..=9999), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(Period::parse(&p.format_full(digits)), Ok(p));
        }

        #[test]
        fn months_count_matches_first_and_last_day(p in periods(2400..=2700)) {
            let mut count = 0_u32;
            let mut m = Some(p.start());
            while let Some(current) = m.filter(|&c| c <= p.end()) {
                count += 1;
                m = current.next();
            }
            prop_assert_eq!(p.months(), count);
            prop_assert!(p.contains(p.first_day()) && p.contains(p.last_day()));
            prop_assert!(p.first_day().previous_day().is_none_or(|d| !p.contains(d)));
            prop_assert!(p.last_day().next_day().is_none_or(|d| !p.contains(d)));
        }

        #[test]
        fn period_parsing_never_panics(s in "\\PC*", fy_be in proptest::option::of(2400..=2700_i32)) {
            let _ = Period::parse_in(&s, fy_be.map(fy));
        }

        #[test]
        fn period_parsing_of_period_like_text_never_panics(
            s in "[ก-ฮะ-ู. \\-–—0-9๐-๙]{0,30}",
            fy_be in proptest::option::of(2400..=2700_i32),
        ) {
            let _ = Period::parse_in(&s, fy_be.map(fy));
        }
    }
}
