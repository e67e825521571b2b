//! Money in baht, held as whole satang, and its Thai reading (baht text).
//!
//! Amounts are never floating point: they are read from decimal text
//! ("1,234.50") straight into satang (1 baht = 100 satang).
//!
//! # Baht text
//!
//! [`baht_text`] writes an amount the way cheques, receipts and official
//! documents do: "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์",
//! "หนึ่งร้อยบาทถ้วน".
//!
//! - Tens: 10 is "สิบ" (not "หนึ่งสิบ"), 20 is "ยี่สิบ".
//! - Ones: a final 1 is "เอ็ด" when the number has more than one digit (11
//!   "สิบเอ็ด", 101 "หนึ่งร้อยเอ็ด", 1,001 "หนึ่งพันเอ็ด"), and "หนึ่ง" alone.
//!   Other 1s are "หนึ่ง" (1,100 "หนึ่งพันหนึ่งร้อย").
//! - Millions: "ล้าน" repeats for each group of six digits
//!   (1,000,000,000,000 "หนึ่งล้านล้าน"), and the number in front of each
//!   "ล้าน" is read by the same rules (11,000,000 "สิบเอ็ดล้าน",
//!   101,000,000 "หนึ่งร้อยเอ็ดล้าน", 1,000,000 "หนึ่งล้าน").
//! - **1,000,001 is "หนึ่งล้านเอ็ดบาทถ้วน".** The final 1 ends a seven-digit
//!   number, so it is "เอ็ด". This follows the Royal Institute's rule (the
//!   Royal Institute Dictionary: "เอ็ด … ใช้เรียกจำนวนเลขที่มี ๑ อยู่ท้าย";
//!   its explanation of the rule says that a final ๑ in a number of two or
//!   more digits is read "เอ็ด" only, and gives ๕๐๑,๗๔๑,๒๒๑ as
//!   "ห้าร้อยเอ็ดล้าน…ยี่สิบเอ็ด"). Excel's `BAHTTEXT`, which offices use to
//!   write amounts on documents, gives the same reading. Some software writes
//!   "หนึ่งล้านหนึ่งบาทถ้วน", resetting the rule in each six-digit group; no
//!   published Comptroller General rule that asks for that form was found.
//! - Satang follow the same rules on their own: "หนึ่งสตางค์", "สิบเอ็ดสตางค์",
//!   "ยี่สิบเอ็ดสตางค์". An amount under one baht has no "บาท":
//!   "ห้าสิบสตางค์". Whole amounts end in "ถ้วน"; zero is "ศูนย์บาทถ้วน".
//! - Negative amounts start with "ลบ".

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::digits::{Digits, to_arabic_digits};

/// An amount of money in satang (1/100 baht). It may be negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyParseError {
    /// Nothing but blanks.
    #[error("no amount given")]
    Empty,
    /// A character that has no place in an amount.
    #[error("{found:?} has no place in an amount")]
    InvalidCharacter {
        /// The first such character.
        found: char,
    },
    /// A sign, decimal point or separator without the digits around it,
    /// such as "-", ".50" or "12.".
    #[error("digits are missing")]
    MissingDigits,
    /// Commas that do not separate groups of three digits, such as "1,23"
    /// (which may be a decimal comma) or a comma after the decimal point.
    #[error("thousands separators must separate groups of three digits")]
    MisplacedThousandsSeparator,
    /// More than two digits after the decimal point.
    #[error("{places} decimal places; satang have two")]
    TooManyDecimalPlaces {
        /// How many were written.
        places: usize,
    },
    /// The amount is beyond ±92,233,720,368,547,758.07 baht.
    #[error("the amount is too large")]
    Overflow,
}

impl Money {
    /// No money.
    pub const ZERO: Self = Self(0);

    /// The amount of `satang` satang.
    #[must_use]
    pub const fn from_satang(satang: i64) -> Self {
        Self(satang)
    }

    /// The amount of `baht` whole baht, if it fits.
    #[must_use]
    pub const fn from_baht(baht: i64) -> Option<Self> {
        match baht.checked_mul(100) {
            Some(satang) => Some(Self(satang)),
            None => None,
        }
    }

    /// The amount in satang.
    #[must_use]
    pub const fn satang(self) -> i64 {
        self.0
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The sum, if it fits.
    #[must_use]
    pub const fn checked_add(self, other: Self) -> Option<Self> {
        match self.0.checked_add(other.0) {
            Some(satang) => Some(Self(satang)),
            None => None,
        }
    }

    /// The difference, if it fits.
    #[must_use]
    pub const fn checked_sub(self, other: Self) -> Option<Self> {
        match self.0.checked_sub(other.0) {
            Some(satang) => Some(Self(satang)),
            None => None,
        }
    }

    /// Reads a decimal amount in baht: "1,234.50", "1234.5", "๑,๒๓๔.๕๐",
    /// "-12.00", "+7".
    ///
    /// Thai or Arabic digits; an optional sign (`-`, `+` or `−`); commas only
    /// between groups of three digits before the point; at most two digits
    /// after it. Blanks around the amount are ignored, blanks inside are not
    /// allowed. Nothing goes through floating point.
    ///
    /// # Errors
    ///
    /// A [`MoneyParseError`] saying what is wrong with the text.
    ///
    /// ```
    /// use prongsai_thai::Money;
    /// assert_eq!(Money::parse("1,234.50").map(Money::satang), Ok(123_450));
    /// assert_eq!(Money::parse("๑,๒๓๔.๕").map(Money::satang), Ok(123_450));
    /// ```
    pub fn parse(input: &str) -> Result<Self, MoneyParseError> {
        let text = to_arabic_digits(input);
        let text = text.trim();
        if text.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (negative, body) = if let Some(rest) = text.strip_prefix(['-', '\u{2212}']) {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix('+') {
            (false, rest)
        } else {
            (false, text)
        };
        if let Some(found) = body
            .chars()
            .find(|&c| !(c.is_ascii_digit() || c == ',' || c == '.'))
        {
            return Err(MoneyParseError::InvalidCharacter { found });
        }
        let (whole, fraction) = match body.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (body, None),
        };
        let baht = parse_whole(whole)?;
        let satang = match fraction {
            None => 0,
            Some(fraction) => parse_fraction(fraction)?,
        };
        let magnitude = baht
            .checked_mul(100)
            .and_then(|m| m.checked_add(satang))
            .ok_or(MoneyParseError::Overflow)?;
        let signed = if negative {
            0_i128.checked_sub_unsigned(magnitude)
        } else {
            i128::try_from(magnitude).ok()
        };
        signed
            .and_then(|s| i64::try_from(s).ok())
            .map(Self)
            .ok_or(MoneyParseError::Overflow)
    }

    /// The amount with thousands separators and two decimals, in the given
    /// digits: "1,234.50" or "๑,๒๓๔.๕๐".
    #[must_use]
    pub fn format(self, digits: Digits) -> String {
        digits.apply(&self.to_string())
    }

    /// The amount in Thai words; see [`baht_text`].
    #[must_use]
    pub fn baht_text(self) -> String {
        baht_text(self)
    }
}

/// Reads the digits before the decimal point, with optional thousands
/// separators.
fn parse_whole(whole: &str) -> Result<u128, MoneyParseError> {
    if whole.is_empty() {
        return Err(MoneyParseError::MissingDigits);
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return Err(MoneyParseError::MisplacedThousandsSeparator);
        }
    }
    whole
        .bytes()
        .filter(u8::is_ascii_digit)
        .try_fold(0_u128, |acc, b| {
            acc.checked_mul(10)?.checked_add(u128::from(b - b'0'))
        })
        .ok_or(MoneyParseError::Overflow)
}

/// Reads the one or two digits after the decimal point as satang.
fn parse_fraction(fraction: &str) -> Result<u128, MoneyParseError> {
    if fraction.contains(',') {
        return Err(MoneyParseError::MisplacedThousandsSeparator);
    }
    if fraction.contains('.') {
        return Err(MoneyParseError::InvalidCharacter { found: '.' });
    }
    match fraction.as_bytes() {
        [] => Err(MoneyParseError::MissingDigits),
        [tens] => Ok(u128::from(tens - b'0') * 10),
        [tens, ones] => Ok(u128::from(tens - b'0') * 10 + u128::from(ones - b'0')),
        _ => Err(MoneyParseError::TooManyDecimalPlaces {
            places: fraction.len(),
        }),
    }
}

impl FromStr for Money {
    type Err = MoneyParseError;

    /// [`Money::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Money {
    /// "1,234.50", "-12.00", "0.05".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let magnitude = self.0.unsigned_abs();
        let digits = (magnitude / 100).to_string();
        let mut text = String::with_capacity(digits.len() * 4 / 3 + 4);
        if self.0 < 0 {
            text.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                text.push(',');
            }
            text.push(c);
        }
        write!(f, "{text}.{:02}", magnitude % 100)
    }
}

/// The Thai word for a digit 0–9.
fn digit_word(digit: u64) -> &'static str {
    match digit {
        1 => "หนึ่ง",
        2 => "สอง",
        3 => "สาม",
        4 => "สี่",
        5 => "ห้า",
        6 => "หก",
        7 => "เจ็ด",
        8 => "แปด",
        9 => "เก้า",
        _ => "ศูนย์",
    }
}

/// Appends the reading of `group` (below 1,000,000). `et` says whether a
/// final 1 is read "เอ็ด", which it is when the whole number has more than
/// one digit.
fn push_group(out: &mut String, group: u64, et: bool) {
    const PLACES: [(u64, &str); 4] = [
        (100_000, "แสน"),
        (10_000, "หมื่น"),
        (1_000, "พัน"),
        (100, "ร้อย"),
    ];
    for (place, name) in PLACES {
        let digit = group / place % 10;
        if digit != 0 {
            out.push_str(digit_word(digit));
            out.push_str(name);
        }
    }
    match group / 10 % 10 {
        0 => {}
        1 => out.push_str("สิบ"),
        2 => out.push_str("ยี่สิบ"),
        tens => {
            out.push_str(digit_word(tens));
            out.push_str("สิบ");
        }
    }
    match group % 10 {
        0 => {}
        1 if et => out.push_str("เอ็ด"),
        ones => out.push_str(digit_word(ones)),
    }
}

/// Appends the reading of `n` (at least 1).
fn push_number(out: &mut String, n: u64) {
    let (millions, group) = (n / 1_000_000, n % 1_000_000);
    if millions > 0 {
        push_number(out, millions);
        out.push_str("ล้าน");
    }
    push_group(out, group, n >= 10);
}

/// The Thai reading of a whole number, by the rules in the [module
/// documentation](self): 0 "ศูนย์", 21 "ยี่สิบเอ็ด", 1,000,001
/// "หนึ่งล้านเอ็ด", 2 × 10¹⁸ "สองล้านล้านล้าน".
#[must_use]
pub fn number_text(n: u64) -> String {
    if n == 0 {
        return digit_word(0).to_owned();
    }
    let mut out = String::new();
    push_number(&mut out, n);
    out
}

/// The amount in Thai words, as written on cheques and official documents:
/// "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์", "หนึ่งร้อยบาทถ้วน",
/// "ห้าสิบสตางค์", "ลบหนึ่งบาทถ้วน". See the [module documentation](self)
/// for the rules, including why 1,000,001 baht is "หนึ่งล้านเอ็ดบาทถ้วน".
#[must_use]
pub fn baht_text(money: Money) -> String {
    let magnitude = money.0.unsigned_abs();
    let (baht, satang) = (magnitude / 100, magnitude % 100);
    if magnitude == 0 {
        return "ศูนย์บาทถ้วน".to_owned();
    }
    let mut out = String::new();
    if money.is_negative() {
        out.push_str("ลบ");
    }
    if baht > 0 {
        push_number(&mut out, baht);
        out.push_str("บาท");
    }
    if satang == 0 {
        out.push_str("ถ้วน");
    } else {
        push_number(&mut out, satang);
        out.push_str("สตางค์");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(amount: &str, expected: &str) {
        let money = Money::parse(amount).unwrap_or_else(|e| panic!("{amount:?}: {e}"));
        assert_eq!(baht_text(money), expected, "baht_text({amount})");
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "test tables read better with owned expectations"
    )]
    fn check_parse(input: &str, expected: Result<i64, MoneyParseError>) {
        assert_eq!(
            Money::parse(input).map(Money::satang),
            expected,
            "Money::parse({input:?})"
        );
    }

    #[test]
    fn baht_text_reads_well_known_amounts() {
        let cases = [
            ("0", "ศูนย์บาทถ้วน"),
            ("1", "หนึ่งบาทถ้วน"),
            ("2", "สองบาทถ้วน"),
            ("10", "สิบบาทถ้วน"),
            ("11", "สิบเอ็ดบาทถ้วน"),
            ("12", "สิบสองบาทถ้วน"),
            ("20", "ยี่สิบบาทถ้วน"),
            ("21", "ยี่สิบเอ็ดบาทถ้วน"),
            ("25", "ยี่สิบห้าบาทถ้วน"),
            ("31", "สามสิบเอ็ดบาทถ้วน"),
            ("99", "เก้าสิบเก้าบาทถ้วน"),
            ("100", "หนึ่งร้อยบาทถ้วน"),
            ("101", "หนึ่งร้อยเอ็ดบาทถ้วน"),
            ("110", "หนึ่งร้อยสิบบาทถ้วน"),
            ("111", "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
            ("120", "หนึ่งร้อยยี่สิบบาทถ้วน"),
            ("201", "สองร้อยเอ็ดบาทถ้วน"),
            ("1,000", "หนึ่งพันบาทถ้วน"),
            ("1,001", "หนึ่งพันเอ็ดบาทถ้วน"),
            ("1,100", "หนึ่งพันหนึ่งร้อยบาทถ้วน"),
            ("1,234.50", "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
            ("10,000", "หนึ่งหมื่นบาทถ้วน"),
            ("11,111", "หนึ่งหมื่นหนึ่งพันหนึ่งร้อยสิบเอ็ดบาทถ้วน"),
            ("100,000", "หนึ่งแสนบาทถ้วน"),
            ("250,000", "สองแสนห้าหมื่นบาทถ้วน"),
            ("1,000,000", "หนึ่งล้านบาทถ้วน"),
            ("1,000,001", "หนึ่งล้านเอ็ดบาทถ้วน"),
            ("1,000,010", "หนึ่งล้านสิบบาทถ้วน"),
            ("1,000,011", "หนึ่งล้านสิบเอ็ดบาทถ้วน"),
            ("11,000,000", "สิบเอ็ดล้านบาทถ้วน"),
            ("21,000,000", "ยี่สิบเอ็ดล้านบาทถ้วน"),
            ("101,000,000", "หนึ่งร้อยเอ็ดล้านบาทถ้วน"),
            ("12,345,678", "สิบสองล้านสามแสนสี่หมื่นห้าพันหกร้อยเจ็ดสิบแปดบาทถ้วน"),
            ("1,000,000,000", "หนึ่งพันล้านบาทถ้วน"),
            ("5,001,000,000", "ห้าพันเอ็ดล้านบาทถ้วน"),
            ("1,000,000,000,000", "หนึ่งล้านล้านบาทถ้วน"),
            ("2,525,000,000,000", "สองล้านห้าแสนสองหมื่นห้าพันล้านบาทถ้วน"),
            ("25,000,000,000,111", "ยี่สิบห้าล้านล้านหนึ่งร้อยสิบเอ็ดบาทถ้วน"),
            ("0.01", "หนึ่งสตางค์"),
            ("0.11", "สิบเอ็ดสตางค์"),
            ("0.21", "ยี่สิบเอ็ดสตางค์"),
            ("0.50", "ห้าสิบสตางค์"),
            ("0.5", "ห้าสิบสตางค์"),
            ("1.01", "หนึ่งบาทหนึ่งสตางค์"),
            ("11.90", "สิบเอ็ดบาทเก้าสิบสตางค์"),
            ("121.50", "หนึ่งร้อยยี่สิบเอ็ดบาทห้าสิบสตางค์"),
            ("560.83", "ห้าร้อยหกสิบบาทแปดสิบสามสตางค์"),
            ("-1", "ลบหนึ่งบาทถ้วน"),
            ("-550.25", "ลบห้าร้อยห้าสิบบาทยี่สิบห้าสตางค์"),
            ("-0.50", "ลบห้าสิบสตางค์"),
            ("-0.00", "ศูนย์บาทถ้วน"),
        ];
        for (amount, expected) in cases {
            check(amount, expected);
        }
    }

    #[test]
    fn one_million_and_one_baht_ends_in_et() {
        // The Royal Institute's rule: a final 1 of a number with more than one
        // digit is "เอ็ด", even when the six-digit group holds only the 1.
        check("1,000,001", "หนึ่งล้านเอ็ดบาทถ้วน");
        check("1,000,001.01", "หนึ่งล้านเอ็ดบาทหนึ่งสตางค์");
        check("1,000,001,000,000", "หนึ่งล้านเอ็ดล้านบาทถ้วน");
        assert_eq!(number_text(1_000_001), "หนึ่งล้านเอ็ด");
    }

    #[test]
    fn baht_text_reaches_the_ends_of_i64() {
        assert_eq!(
            baht_text(Money::from_satang(i64::MAX)),
            "เก้าหมื่นสองพันสองร้อยสามสิบสามล้านเจ็ดแสนสองหมื่นสามร้อยหกสิบแปดล้าน\
             ห้าแสนสี่หมื่นเจ็ดพันเจ็ดร้อยห้าสิบแปดบาทเจ็ดสตางค์"
        );
        assert_eq!(
            baht_text(Money::from_satang(i64::MIN)),
            "ลบเก้าหมื่นสองพันสองร้อยสามสิบสามล้านเจ็ดแสนสองหมื่นสามร้อยหกสิบแปดล้าน\
             ห้าแสนสี่หมื่นเจ็ดพันเจ็ดร้อยห้าสิบแปดบาทแปดสตางค์"
        );
    }

    #[test]
    fn millions_repeat_beyond_what_money_holds() {
        assert_eq!(number_text(0), "ศูนย์");
        assert_eq!(number_text(1), "หนึ่ง");
        assert_eq!(number_text(1_000_000_000_000), "หนึ่งล้านล้าน");
        assert_eq!(number_text(2_000_000_000_000_000_000), "สองล้านล้านล้าน");
        assert_eq!(number_text(1_000_000_000_001), "หนึ่งล้านล้านเอ็ด");
        assert_eq!(
            number_text(u64::MAX),
            "สิบแปดล้านสี่แสนสี่หมื่นหกพันเจ็ดร้อยสี่สิบสี่ล้าน\
             เจ็ดหมื่นสามพันเจ็ดร้อยเก้าล้านห้าแสนห้าหมื่นหนึ่งพันหกร้อยสิบห้า"
        );
    }

    #[test]
    fn money_is_read_from_decimal_text() {
        check_parse("1,234.50", Ok(123_450));
        check_parse("1234.5", Ok(123_450));
        check_parse("๑,๒๓๔.๕๐", Ok(123_450));
        check_parse("-12.00", Ok(-1200));
        check_parse("−12", Ok(-1200));
        check_parse("+7", Ok(700));
        check_parse("  0.05 ", Ok(5));
        check_parse("0", Ok(0));
        check_parse("-0", Ok(0));
        check_parse("007", Ok(700));
        check_parse("1,000,000", Ok(100_000_000));
        check_parse("92,233,720,368,547,758.07", Ok(i64::MAX));
        check_parse("-92233720368547758.08", Ok(i64::MIN));
    }

    #[test]
    fn money_rejects_what_is_not_an_amount() {
        check_parse("", Err(MoneyParseError::Empty));
        check_parse(" ", Err(MoneyParseError::Empty));
        check_parse(
            "1.234",
            Err(MoneyParseError::TooManyDecimalPlaces { places: 3 }),
        );
        check_parse(
            "1.500",
            Err(MoneyParseError::TooManyDecimalPlaces { places: 3 }),
        );
        check_parse("abc", Err(MoneyParseError::InvalidCharacter { found: 'a' }));
        check_parse(
            "1 234",
            Err(MoneyParseError::InvalidCharacter { found: ' ' }),
        );
        check_parse(
            "12บาท",
            Err(MoneyParseError::InvalidCharacter { found: 'บ' }),
        );
        check_parse("1e5", Err(MoneyParseError::InvalidCharacter { found: 'e' }));
        check_parse("--1", Err(MoneyParseError::InvalidCharacter { found: '-' }));
        check_parse(
            "1.2.3",
            Err(MoneyParseError::InvalidCharacter { found: '.' }),
        );
        check_parse("-", Err(MoneyParseError::MissingDigits));
        check_parse(".50", Err(MoneyParseError::MissingDigits));
        check_parse("12.", Err(MoneyParseError::MissingDigits));
        check_parse("1,23", Err(MoneyParseError::MisplacedThousandsSeparator));
        check_parse(
            "1234,567",
            Err(MoneyParseError::MisplacedThousandsSeparator),
        );
        check_parse(",123", Err(MoneyParseError::MisplacedThousandsSeparator));
        check_parse("1,234,", Err(MoneyParseError::MisplacedThousandsSeparator));
        check_parse("1.2,3", Err(MoneyParseError::MisplacedThousandsSeparator));
        check_parse("92,233,720,368,547,758.08", Err(MoneyParseError::Overflow));
        check_parse("-92,233,720,368,547,758.09", Err(MoneyParseError::Overflow));
        check_parse(&"9".repeat(100), Err(MoneyParseError::Overflow));
    }

    #[test]
    fn money_displays_with_separators_and_two_decimals() {
        let cases = [
            (0, "0.00"),
            (5, "0.05"),
            (-5, "-0.05"),
            (123_450, "1,234.50"),
            (-1200, "-12.00"),
            (99_999, "999.99"),
            (100_000, "1,000.00"),
            (12_345_678_900, "123,456,789.00"),
            (i64::MAX, "92,233,720,368,547,758.07"),
            (i64::MIN, "-92,233,720,368,547,758.08"),
        ];
        for (satang, text) in cases {
            assert_eq!(Money::from_satang(satang).to_string(), text);
        }
        assert_eq!(Money::from_satang(123_450).format(Digits::Thai), "๑,๒๓๔.๕๐");
    }

    #[test]
    fn money_arithmetic_is_checked() {
        assert_eq!(Money::from_baht(12), Some(Money::from_satang(1200)));
        assert_eq!(Money::from_baht(i64::MAX), None);
        let one = Money::from_satang(1);
        assert_eq!(Money::ZERO.checked_add(one), Some(one));
        assert_eq!(Money::from_satang(i64::MAX).checked_add(one), None);
        assert_eq!(Money::from_satang(i64::MIN).checked_sub(one), None);
        assert!(Money::from_satang(-1).is_negative());
        assert!(!Money::ZERO.is_negative());
    }

    proptest! {
        #[test]
        fn money_display_round_trips(satang in any::<i64>()) {
            let money = Money::from_satang(satang);
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
            prop_assert_eq!(money.to_string().replace(',', "").parse::<Money>(), Ok(money));
            prop_assert_eq!(Money::parse(&money.format(Digits::Thai)), Ok(money));
        }

        #[test]
        fn money_display_round_trips_at_the_ends(offset in 0..1000_i64) {
            for satang in [i64::MIN + offset, i64::MAX - offset, offset - 500] {
                let money = Money::from_satang(satang);
                prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
            }
        }

        #[test]
        fn baht_text_always_ends_in_thuan_or_satang(satang in any::<i64>()) {
            let text = baht_text(Money::from_satang(satang));
            prop_assert!(text.ends_with("ถ้วน") || text.ends_with("สตางค์"));
            prop_assert_eq!(text.ends_with("ถ้วน"), satang % 100 == 0);
            prop_assert_eq!(text.starts_with("ลบ"), satang < 0);
            prop_assert_eq!(text.contains("บาท"), satang.unsigned_abs() >= 100 || satang == 0);
        }

        #[test]
        fn money_parsing_never_panics(s in "\\PC*") {
            let _ = Money::parse(&s);
        }

        #[test]
        fn money_parsing_of_number_like_text_never_panics(s in "[-+−]?[0-9๐-๙,.]{0,30}") {
            let _ = Money::parse(&s);
        }
    }
}
