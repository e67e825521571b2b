//! Buddhist-Era (พ.ศ.) dates: formatting, parsing and Thailand's time zone.
//!
//! The Buddhist-Era year is the Christian-Era year plus 543, starting on
//! 1 January as in the Gregorian calendar. Thailand moved New Year to
//! 1 January in พ.ศ. ๒๔๘๔ (1941); this module applies CE + 543 to earlier dates
//! too, although January to March before 1941 were then counted in the
//! previous BE year. Dates are [`time::Date`] values; only their text is
//! Buddhist Era.
//!
//! Forms written and read here:
//!
//! | form | example | function |
//! |---|---|---|
//! | full | ๑ มกราคม ๒๕๖๖ | [`format_full`] |
//! | short | ๑ ม.ค. ๖๖ | [`format_short`] |
//! | numeric | 01/01/2566 | [`format_numeric`] |
//! | ISO (Christian Era) | 2023-01-01 | read only |

use thiserror::Error;
use time::{Date, Month, OffsetDateTime, UtcOffset, macros::offset};

use crate::digits::Digits;
use crate::scan::{self, Era, Num, Token, YearIssue};

/// Thailand's offset from UTC: +07:00 all year (no daylight saving time).
pub const BANGKOK: UtcOffset = offset!(+7);

/// Years between the Christian Era and the Buddhist Era: BE = CE + 543.
pub const BE_OFFSET: i32 = 543;

/// The Buddhist-Era year of `date` (its Christian-Era year plus 543).
///
/// ```
/// use time::macros::date;
/// assert_eq!(prongsai_thai::be_year(date!(2023-01-01)), 2566);
/// ```
#[must_use]
pub fn be_year(date: Date) -> i32 {
    date.year() + BE_OFFSET
}

/// The date in Thailand at the instant `at`, whatever offset `at` carries.
///
/// At the very edges of [`time::Date`]'s range, where the Bangkok date cannot
/// be represented, this returns [`Date::MIN`] or [`Date::MAX`].
#[must_use]
pub fn local_date(at: OffsetDateTime) -> Date {
    match at.checked_to_offset(BANGKOK) {
        Some(local) => local.date(),
        None if at.offset() > BANGKOK => Date::MIN,
        None => Date::MAX,
    }
}

/// The full Thai name of `month`: "มกราคม" … "ธันวาคม".
#[must_use]
pub fn month_full(month: Month) -> &'static str {
    match month {
        Month::January => "มกราคม",
        Month::February => "กุมภาพันธ์",
        Month::March => "มีนาคม",
        Month::April => "เมษายน",
        Month::May => "พฤษภาคม",
        Month::June => "มิถุนายน",
        Month::July => "กรกฎาคม",
        Month::August => "สิงหาคม",
        Month::September => "กันยายน",
        Month::October => "ตุลาคม",
        Month::November => "พฤศจิกายน",
        Month::December => "ธันวาคม",
    }
}

/// The abbreviated Thai name of `month`: "ม.ค." … "ธ.ค.".
#[must_use]
pub fn month_short(month: Month) -> &'static str {
    match month {
        Month::January => "ม.ค.",
        Month::February => "ก.พ.",
        Month::March => "มี.ค.",
        Month::April => "เม.ย.",
        Month::May => "พ.ค.",
        Month::June => "มิ.ย.",
        Month::July => "ก.ค.",
        Month::August => "ส.ค.",
        Month::September => "ก.ย.",
        Month::October => "ต.ค.",
        Month::November => "พ.ย.",
        Month::December => "ธ.ค.",
    }
}

/// The date `day` `month` `ce_year` if `time` can represent it; otherwise the
/// end of [`Date`]'s range nearest to it. Callers pass days that exist in
/// their month, so only years beyond the range fall back.
pub(crate) fn date_or_edge(ce_year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(ce_year, month, day).unwrap_or(if ce_year < Date::MIN.year() {
        Date::MIN
    } else {
        Date::MAX
    })
}

/// A Buddhist-Era year as written in short forms: the last two digits when
/// the year is in 2500–2599 (read back as 25xx), else the whole year, so the
/// text is never ambiguous.
pub(crate) fn short_year(be_year: i32) -> String {
    if (2500..=2599).contains(&be_year) {
        format!("{:02}", be_year - 2500)
    } else {
        be_year.to_string()
    }
}

/// Writes `date` in full: "๑ มกราคม ๒๕๖๖" ([`Digits::Thai`]) or
/// "1 มกราคม 2566" ([`Digits::Arabic`]).
///
/// ```
/// use prongsai_thai::{Digits, format_full};
/// use time::macros::date;
/// assert_eq!(format_full(date!(2023-01-01), Digits::Thai), "๑ มกราคม ๒๕๖๖");
/// ```
#[must_use]
pub fn format_full(date: Date, digits: Digits) -> String {
    digits.apply(&format!(
        "{} {} {}",
        date.day(),
        month_full(date.month()),
        be_year(date)
    ))
}

/// Writes `date` short: "๑ ม.ค. ๖๖", with a two-digit year.
///
/// Years outside พ.ศ. 2500–2599 are written in full ("๑ ม.ค. ๒๖๐๐"), because
/// two digits are always read back as 25xx.
#[must_use]
pub fn format_short(date: Date, digits: Digits) -> String {
    digits.apply(&format!(
        "{} {} {}",
        date.day(),
        month_short(date.month()),
        short_year(be_year(date))
    ))
}

/// Writes `date` as day/month/Buddhist-Era year with two-digit day and month:
/// "01/01/2566".
#[must_use]
pub fn format_numeric(date: Date, digits: Digits) -> String {
    digits.apply(&format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        be_year(date)
    ))
}

/// Why a text is not a date. The web layer shows a translated message per
/// variant; the fields say what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateParseError {
    /// Nothing but blanks.
    #[error("no date given")]
    Empty,
    /// The text is in none of the accepted forms.
    #[error("not a date in a known form")]
    Unrecognized,
    /// A word stands where a month name should be, but is not one.
    #[error("unknown month name {name:?}")]
    UnknownMonth {
        /// The word as written.
        name: String,
    },
    /// A numeric month outside 1–12.
    #[error("month {month} is not between 1 and 12")]
    InvalidMonth {
        /// The month number as written.
        month: i32,
    },
    /// A Christian-Era year in a Thai form: four digits below 2400, or marked
    /// "ค.ศ.". Users paste CE dates into spreadsheets; the year must be BE.
    #[error("{year} looks like a Christian-Era year; write the Buddhist-Era year (add 543)")]
    LooksLikeChristianEra {
        /// The year as written.
        year: i32,
    },
    /// A year of 2400 or more in an ISO date, which is Christian Era.
    #[error(
        "{year} looks like a Buddhist-Era year in an ISO date, which takes Christian-Era years"
    )]
    LooksLikeBuddhistEra {
        /// The year as written.
        year: i32,
    },
    /// A year that is neither two digits nor four (in a Thai form), or an ISO
    /// year that is not four digits.
    #[error("year {year} must be written with two or four digits")]
    InvalidYear {
        /// The year as written (saturated for absurdly long numbers).
        year: i32,
    },
    /// The day does not exist in that month, such as 31 ก.พ. or day 0.
    #[error("{month} {be_year} has no day {day}")]
    InvalidDay {
        /// The day as written.
        day: i32,
        /// The month.
        month: Month,
        /// The Buddhist-Era year.
        be_year: i32,
    },
}

impl From<YearIssue> for DateParseError {
    fn from(issue: YearIssue) -> Self {
        match issue {
            YearIssue::ChristianEra(year) => Self::LooksLikeChristianEra { year },
            YearIssue::Invalid(year) => Self::InvalidYear { year },
        }
    }
}

/// Reads a date written in one of these forms:
///
/// - full or short Thai: "๑ มกราคม ๒๕๖๖", "1 ม.ค. 66", "1 ม.ค. พ.ศ. 2566",
///   "วันที่ ๑ มกราคม พ.ศ.๒๕๖๖", "1ม.ค.66";
/// - numeric, day first, Buddhist Era: "1/1/2566", "01-01-66", "1.1.2566";
/// - ISO, Christian Era: "2023-01-01".
///
/// Thai or Arabic digits, any blanks between parts, dots in month
/// abbreviations optional. Two-digit years mean พ.ศ. 25xx. In the Thai and
/// numeric forms a four-digit year below 2400 (or one marked ค.ศ.) is
/// rejected as [`DateParseError::LooksLikeChristianEra`]; in the ISO form a
/// year of 2400 or more is rejected as
/// [`DateParseError::LooksLikeBuddhistEra`].
///
/// # Errors
///
/// A [`DateParseError`] saying what is wrong with the text.
///
/// ```
/// use prongsai_thai::parse_date;
/// use time::macros::date;
/// assert_eq!(parse_date("๑ ม.ค. ๖๖"), Ok(date!(2023-01-01)));
/// assert_eq!(parse_date("31/12/2566"), Ok(date!(2023-12-31)));
/// assert_eq!(parse_date("2023-12-31"), Ok(date!(2023-12-31)));
/// ```
pub fn parse_date(input: &str) -> Result<Date, DateParseError> {
    let tokens = scan::tokenize(input);
    let tokens = match tokens.split_first() {
        Some((Token::DayWord, rest)) => rest,
        _ => tokens.as_slice(),
    };
    match tokens {
        [] => Err(DateParseError::Empty),
        [Token::Number(day), Token::Month(month), rest @ ..] => {
            let (era, rest) = scan::take_era(rest);
            match rest {
                [Token::Number(year)] => {
                    let be = scan::be_year(*year, era)?;
                    build(be, *month, *day)
                }
                _ => Err(DateParseError::Unrecognized),
            }
        }
        [Token::Number(_), Token::Unknown(name), ..] => {
            Err(DateParseError::UnknownMonth { name: name.clone() })
        }
        [
            Token::Number(a),
            Token::Punct(s1),
            Token::Number(b),
            Token::Punct(s2),
            Token::Number(c),
        ] if s1 == s2 && matches!(s1, '/' | '-' | '.') => {
            if a.digits == 4 {
                if *s1 == '-' {
                    iso(*a, *b, *c)
                } else {
                    Err(DateParseError::Unrecognized)
                }
            } else {
                let be = scan::be_year(*c, Era::Unmarked)?;
                build(be, month_number(*b)?, *a)
            }
        }
        _ => Err(DateParseError::Unrecognized),
    }
}

/// Reads an ISO date's parts (Christian Era).
fn iso(year: Num, month: Num, day: Num) -> Result<Date, DateParseError> {
    let ce = year.value_i32();
    if ce >= 2400 {
        return Err(DateParseError::LooksLikeBuddhistEra { year: ce });
    }
    build(ce + BE_OFFSET, month_number(month)?, day)
}

/// The month numbered `num` (1–12).
fn month_number(num: Num) -> Result<Month, DateParseError> {
    u8::try_from(num.value)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(DateParseError::InvalidMonth {
            month: num.value_i32(),
        })
}

/// The date `day` `month` `be_year`, if it exists.
fn build(be_year: i32, month: Month, day: Num) -> Result<Date, DateParseError> {
    let invalid_day = || DateParseError::InvalidDay {
        day: day.value_i32(),
        month,
        be_year,
    };
    if day.digits > 2 {
        return Err(invalid_day());
    }
    let d = u8::try_from(day.value).map_err(|_| invalid_day())?;
    Date::from_calendar_date(be_year - BE_OFFSET, month, d).map_err(|_| invalid_day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[expect(
        clippy::needless_pass_by_value,
        reason = "test tables read better with owned expectations"
    )]
    fn check(input: &str, expected: Result<Date, DateParseError>) {
        assert_eq!(parse_date(input), expected, "parse_date({input:?})");
    }

    fn check_formats(date: Date, full: &str, short: &str, numeric: &str) {
        assert_eq!(format_full(date, Digits::Thai), full, "format_full({date})");
        assert_eq!(
            format_short(date, Digits::Thai),
            short,
            "format_short({date})"
        );
        assert_eq!(
            format_numeric(date, Digits::Arabic),
            numeric,
            "format_numeric({date})"
        );
    }

    #[test]
    fn buddhist_era_is_christian_era_plus_543() {
        assert_eq!(be_year(date!(2023 - 01 - 01)), 2566);
        assert_eq!(be_year(date!(2022 - 12 - 31)), 2565);
        assert_eq!(be_year(date!(1941 - 01 - 01)), 2484);
    }

    #[test]
    fn month_names_follow_the_royal_institute_spelling() {
        let full: Vec<&str> = (1..=12_u8)
            .filter_map(|m| Month::try_from(m).ok())
            .map(month_full)
            .collect();
        assert_eq!(
            full.join(" "),
            "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"
        );
        let short: Vec<&str> = (1..=12_u8)
            .filter_map(|m| Month::try_from(m).ok())
            .map(month_short)
            .collect();
        assert_eq!(
            short.join(" "),
            "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค."
        );
    }

    #[test]
    fn dates_format_in_the_three_forms() {
        check_formats(
            date!(2023 - 01 - 01),
            "๑ มกราคม ๒๕๖๖",
            "๑ ม.ค. ๖๖",
            "01/01/2566",
        );
        check_formats(
            date!(2022 - 10 - 31),
            "๓๑ ตุลาคม ๒๕๖๕",
            "๓๑ ต.ค. ๖๕",
            "31/10/2565",
        );
        check_formats(
            date!(2024 - 02 - 29),
            "๒๙ กุมภาพันธ์ ๒๕๖๗",
            "๒๙ ก.พ. ๖๗",
            "29/02/2567",
        );
        check_formats(
            date!(1957 - 05 - 05),
            "๕ พฤษภาคม ๒๕๐๐",
            "๕ พ.ค. ๐๐",
            "05/05/2500",
        );
    }

    #[test]
    fn short_form_writes_the_whole_year_outside_the_2500s() {
        assert_eq!(
            format_short(date!(2057 - 01 - 01), Digits::Arabic),
            "1 ม.ค. 2600"
        );
        assert_eq!(
            format_short(date!(1950 - 01 - 01), Digits::Arabic),
            "1 ม.ค. 2493"
        );
    }

    #[test]
    fn arabic_digits_are_kept_when_asked() {
        assert_eq!(
            format_full(date!(2023 - 01 - 01), Digits::Arabic),
            "1 มกราคม 2566"
        );
        assert_eq!(
            format_short(date!(2023 - 04 - 30), Digits::Arabic),
            "30 เม.ย. 66"
        );
        assert_eq!(
            format_numeric(date!(2023 - 04 - 30), Digits::Thai),
            "๓๐/๐๔/๒๕๖๖"
        );
    }

    #[test]
    fn thai_forms_are_read() {
        let d = Ok(date!(2023 - 01 - 01));
        check("๑ มกราคม ๒๕๖๖", d.clone());
        check("1 มกราคม 2566", d.clone());
        check("๑ ม.ค. ๖๖", d.clone());
        check("1 ม.ค. 66", d.clone());
        check("1ม.ค.66", d.clone());
        check("1 มค 66", d.clone());
        check("01 ม.ค 2566", d.clone());
        check("1 มกราคม พ.ศ. 2566", d.clone());
        check("๑ มกราคม พ.ศ.๒๕๖๖", d.clone());
        check("วันที่ ๑ มกราคม พ.ศ. ๒๕๖๖", d.clone());
        check("  1   มกราคม\t2566  ", d.clone());
        check("1\u{200B}มกราคม\u{200B}2566", d);
        check("30 ก.ย. 66", Ok(date!(2023 - 09 - 30)));
        check("29 ก.พ. 67", Ok(date!(2024 - 02 - 29)));
    }

    #[test]
    fn numeric_forms_are_read_day_first_in_buddhist_era() {
        let d = Ok(date!(2023 - 04 - 05));
        check("5/4/2566", d.clone());
        check("05/04/2566", d.clone());
        check("5-4-2566", d.clone());
        check("5.4.2566", d.clone());
        check("๕/๔/๒๕๖๖", d.clone());
        check("5/4/66", d.clone());
        check(" 05 / 04 / 2566 ", d);
    }

    #[test]
    fn iso_dates_are_read_in_christian_era() {
        check("2023-04-05", Ok(date!(2023 - 04 - 05)));
        check("2023-4-5", Ok(date!(2023 - 04 - 05)));
        check(
            "2566-04-05",
            Err(DateParseError::LooksLikeBuddhistEra { year: 2566 }),
        );
    }

    #[test]
    fn christian_era_years_in_thai_forms_are_rejected() {
        let ce = |year| Err(DateParseError::LooksLikeChristianEra { year });
        check("1 มกราคม 2023", ce(2023));
        check("01/01/2023", ce(2023));
        check("1 ม.ค. ค.ศ. 2023", ce(2023));
        check("1 ม.ค. 2399", ce(2399));
        check("1 ม.ค. 2400", Ok(date!(1857 - 01 - 01)));
    }

    #[test]
    fn impossible_days_are_rejected() {
        check(
            "31 ก.พ. 66",
            Err(DateParseError::InvalidDay {
                day: 31,
                month: Month::February,
                be_year: 2566,
            }),
        );
        check(
            "29 ก.พ. 66",
            Err(DateParseError::InvalidDay {
                day: 29,
                month: Month::February,
                be_year: 2566,
            }),
        );
        check(
            "0 ม.ค. 66",
            Err(DateParseError::InvalidDay {
                day: 0,
                month: Month::January,
                be_year: 2566,
            }),
        );
        check(
            "31/04/2566",
            Err(DateParseError::InvalidDay {
                day: 31,
                month: Month::April,
                be_year: 2566,
            }),
        );
        check(
            "300 ม.ค. 66",
            Err(DateParseError::InvalidDay {
                day: 300,
                month: Month::January,
                be_year: 2566,
            }),
        );
    }

    #[test]
    fn other_mistakes_have_their_own_errors() {
        check("", Err(DateParseError::Empty));
        check("   ", Err(DateParseError::Empty));
        check(
            "1 มกรา 2566",
            Err(DateParseError::UnknownMonth {
                name: "มกรา".into(),
            }),
        );
        check(
            "1 jan 2566",
            Err(DateParseError::UnknownMonth { name: "jan".into() }),
        );
        check("1/13/2566", Err(DateParseError::InvalidMonth { month: 13 }));
        check("1/0/2566", Err(DateParseError::InvalidMonth { month: 0 }));
        check("1 ม.ค. 566", Err(DateParseError::InvalidYear { year: 566 }));
        check(
            "1 ม.ค. 25660",
            Err(DateParseError::InvalidYear { year: 25660 }),
        );
        check("1 ม.ค.", Err(DateParseError::Unrecognized));
        check("1/1-2566", Err(DateParseError::Unrecognized));
        check("2566/01/01", Err(DateParseError::Unrecognized));
        check("ม.ค. 66", Err(DateParseError::Unrecognized));
        check("1 ม.ค. 66 extra", Err(DateParseError::Unrecognized));
    }

    #[test]
    fn local_date_is_the_date_in_bangkok() {
        assert_eq!(
            local_date(datetime!(2023-09-30 16:59:59 UTC)),
            date!(2023 - 09 - 30)
        );
        assert_eq!(
            local_date(datetime!(2023-09-30 17:00:00 UTC)),
            date!(2023 - 10 - 01)
        );
        assert_eq!(
            local_date(datetime!(2023-10-01 00:30:00 +07:00)),
            date!(2023 - 10 - 01)
        );
        assert_eq!(
            local_date(datetime!(2023-09-30 12:00:00 -10:00)),
            date!(2023 - 10 - 01)
        );
        assert_eq!(BANGKOK.whole_hours(), 7);
    }

    #[test]
    fn local_date_saturates_at_the_ends_of_time() {
        let last = Date::MAX.with_hms(23, 0, 0).map(|t| t.assume_utc());
        assert_eq!(last.map(local_date), Ok(Date::MAX));
        let first = Date::MIN
            .with_hms(0, 0, 0)
            .map(|t| t.assume_offset(offset!(+23)));
        assert_eq!(first.map(local_date), Ok(Date::MIN));
    }

    /// Dates whose Buddhist-Era year has four digits and is at least 2400.
    fn thai_date() -> impl Strategy<Value = Date> {
        (1857..=9456_i32, 1..=366_u16)
            .prop_filter_map("day of year", |(y, d)| Date::from_ordinal_date(y, d).ok())
    }

    proptest! {
        #[test]
        fn full_form_round_trips(date in thai_date(), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_date(&format_full(date, digits)), Ok(date));
        }

        #[test]
        fn short_form_round_trips(date in thai_date(), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_date(&format_short(date, digits)), Ok(date));
        }

        #[test]
        fn short_form_in_the_2500s_has_a_two_digit_year(
            date in (1957..=2056_i32, 1..=366_u16)
                .prop_filter_map("day of year", |(y, d)| Date::from_ordinal_date(y, d).ok())
        ) {
            let text = format_short(date, Digits::Arabic);
            prop_assert_eq!(text.rsplit(' ').next().map(str::len), Some(2));
            prop_assert_eq!(parse_date(&text), Ok(date));
        }

        #[test]
        fn numeric_form_round_trips(date in thai_date(), thai in any::<bool>()) {
            let digits = if thai { Digits::Thai } else { Digits::Arabic };
            prop_assert_eq!(parse_date(&format_numeric(date, digits)), Ok(date));
        }

        #[test]
        fn iso_form_round_trips(
            date in (1000..=2399_i32, 1..=366_u16)
                .prop_filter_map("day of year", |(y, d)| Date::from_ordinal_date(y, d).ok())
        ) {
            prop_assert_eq!(parse_date(&date.to_string()), Ok(date));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC*") {
            let _ = parse_date(&s);
        }

        #[test]
        fn parsing_date_like_text_never_panics(s in "[0-9๐-๙ ./\\-]{0,12}[ก-ฮ.ะ-ู]{0,8}[0-9๐-๙ ./\\-]{0,12}") {
            let _ = parse_date(&s);
        }
    }
}
