//! ITA scores: numbers with two decimals, kept as whole hundredths so that no score passes
//! through floating point on its way to the page.

use std::fmt;
use std::str::FromStr;

use prongsai_thai::{Digits, to_arabic_digits};
use serde::{Serialize, Serializer};

/// A score from 0.00 to 100.00, in hundredths: `Score::from_hundredths(8550)` is 85.50.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u32);

/// Why a score could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("a score is a number with at most two decimals")]
    Malformed,
    #[error("a score lies between 0 and 100")]
    OutOfRange,
}

impl Score {
    /// The ITA pass mark: 85.00.
    pub const PASS_MARK: Score = Score(8500);
    /// The highest score: 100.00.
    pub const MAX: Score = Score(10_000);

    /// A score from whole hundredths, capped at 100.00.
    #[must_use]
    pub fn from_hundredths(h: u32) -> Self {
        Self(h.min(Self::MAX.0))
    }

    /// The score in whole hundredths.
    #[must_use]
    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// Whether the score reaches the pass mark.
    #[must_use]
    pub fn passes(self) -> bool {
        self >= Self::PASS_MARK
    }

    /// "85.50", in the given digits.
    #[must_use]
    pub fn format(self, digits: Digits) -> String {
        digits.apply(&self.to_string())
    }

    /// The change from `earlier` to `self` with its sign: "+1.25", "-0.50", "0.00".
    #[must_use]
    pub fn change_from(self, earlier: Score, digits: Digits) -> String {
        let diff = i64::from(self.0) - i64::from(earlier.0);
        let sign = match diff {
            d if d > 0 => "+",
            d if d < 0 => "-",
            _ => "",
        };
        let abs = diff.unsigned_abs();
        digits.apply(&format!("{sign}{}.{:02}", abs / 100, abs % 100))
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Score {
    type Err = ScoreError;

    /// Reads "85", "85.5", "85.50" or "๘๕.๕๐".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = to_arabic_digits(s.trim());
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 3
            || frac.len() > 2
            || !all_digits(whole)
            || !all_digits(frac)
        {
            return Err(ScoreError::Malformed);
        }
        let whole: u32 = whole.parse().map_err(|_| ScoreError::Malformed)?;
        let frac: u32 = match frac.len() {
            0 => 0,
            1 => frac.parse::<u32>().map_err(|_| ScoreError::Malformed)? * 10,
            _ => frac.parse().map_err(|_| ScoreError::Malformed)?,
        };
        let h = whole * 100 + frac;
        if h > Self::MAX.0 {
            return Err(ScoreError::OutOfRange);
        }
        Ok(Self(h))
    }
}

impl Serialize for Score {
    /// As the decimal string "85.50", so that no reader takes it for a float.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<u32, ScoreError>) {
        assert_eq!(
            input.parse::<Score>().map(Score::hundredths),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn scores_are_read_from_decimal_text() {
        check("85", Ok(8500));
        check("85.5", Ok(8550));
        check("85.50", Ok(8550));
        check(" ๘๗.๒๕ ", Ok(8725));
        check("0.01", Ok(1));
        check("100", Ok(10_000));
        check("100.01", Err(ScoreError::OutOfRange));
        check("85.505", Err(ScoreError::Malformed));
        check(".5", Err(ScoreError::Malformed));
        check("-1", Err(ScoreError::Malformed));
        check("8e1", Err(ScoreError::Malformed));
        check("", Err(ScoreError::Malformed));
        check("1000", Err(ScoreError::Malformed));
    }

    #[test]
    fn scores_print_with_two_decimals_in_either_digit_set() {
        let s = Score::from_hundredths(8705);
        assert_eq!(s.format(Digits::Arabic), "87.05");
        assert_eq!(s.format(Digits::Thai), "๘๗.๐๕");
        assert_eq!(Score::from_hundredths(20_000), Score::MAX);
    }

    #[test]
    fn changes_carry_their_sign() {
        let a = Score::from_hundredths(8550);
        let b = Score::from_hundredths(8425);
        assert_eq!(a.change_from(b, Digits::Arabic), "+1.25");
        assert_eq!(b.change_from(a, Digits::Thai), "-๑.๒๕");
        assert_eq!(a.change_from(a, Digits::Arabic), "0.00");
    }

    #[test]
    fn the_pass_mark_is_eighty_five() {
        assert!(Score::from_hundredths(8500).passes());
        assert!(!Score::from_hundredths(8499).passes());
    }
}
