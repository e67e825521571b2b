//! Thai digits (เลขไทย ๐–๙) and Arabic digits (0–9).
//!
//! Official documents print numbers in Thai digits; forms and spreadsheets
//! mostly hold Arabic digits. Only the ten digits are mapped: every other
//! character, including other scripts' digits, is left untouched.

/// The digit set to write numbers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Digits {
    /// Thai digits ๐๑๒๓๔๕๖๗๘๙, as in official documents.
    Thai,
    /// Arabic digits 0123456789, as in forms and spreadsheets.
    #[default]
    Arabic,
}

impl Digits {
    /// Writes the digits of `s` in this digit set.
    ///
    /// [`Digits::Thai`] turns Arabic digits into Thai ones; [`Digits::Arabic`]
    /// turns Thai digits into Arabic ones. Digits already in the set, and all
    /// other characters, are kept as they are.
    #[must_use]
    pub fn apply(&self, s: &str) -> String {
        match self {
            Self::Thai => to_thai_digits(s),
            Self::Arabic => to_arabic_digits(s),
        }
    }
}

/// The first Thai digit, THAI DIGIT ZERO (U+0E50). The ten digits are contiguous.
const THAI_ZERO: u32 = 0x0E50;

/// Replaces the Arabic digits 0–9 in `s` with the Thai digits ๐–๙.
///
/// ```
/// assert_eq!(prongsai_thai::to_thai_digits("พ.ศ. 2566"), "พ.ศ. ๒๕๖๖");
/// ```
#[must_use]
pub fn to_thai_digits(s: &str) -> String {
    s.chars().map(thai_digit).collect()
}

/// Replaces the Thai digits ๐–๙ in `s` with the Arabic digits 0–9.
///
/// ```
/// assert_eq!(prongsai_thai::to_arabic_digits("ม.ค. ๖๖"), "ม.ค. 66");
/// ```
#[must_use]
pub fn to_arabic_digits(s: &str) -> String {
    s.chars().map(arabic_digit).collect()
}

/// The Thai digit for an Arabic digit; any other character unchanged.
fn thai_digit(c: char) -> char {
    match c.to_digit(10) {
        Some(d) => char::from_u32(THAI_ZERO + d).unwrap_or(c),
        None => c,
    }
}

/// The Arabic digit for a Thai digit; any other character unchanged.
fn arabic_digit(c: char) -> char {
    match u32::from(c).checked_sub(THAI_ZERO) {
        Some(d) if d <= 9 => char::from_digit(d, 10).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is one of the Thai digits ๐–๙.
#[must_use]
pub fn is_thai_digit(c: char) -> bool {
    ('๐'..='๙').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, thai: &str, arabic: &str) {
        assert_eq!(to_thai_digits(input), thai, "to_thai_digits({input:?})");
        assert_eq!(
            to_arabic_digits(input),
            arabic,
            "to_arabic_digits({input:?})"
        );
        assert_eq!(
            Digits::Thai.apply(input),
            thai,
            "Digits::Thai.apply({input:?})"
        );
        assert_eq!(
            Digits::Arabic.apply(input),
            arabic,
            "Digits::Arabic.apply({input:?})"
        );
    }

    #[test]
    fn every_digit_maps_to_its_counterpart() {
        check("0123456789", "๐๑๒๓๔๕๖๗๘๙", "0123456789");
        check("๐๑๒๓๔๕๖๗๘๙", "๐๑๒๓๔๕๖๗๘๙", "0123456789");
    }

    #[test]
    fn everything_but_digits_is_left_untouched() {
        check("", "", "");
        check(
            "ม.ค. ๖๖ - เม.ย. 66",
            "ม.ค. ๖๖ - เม.ย. ๖๖",
            "ม.ค. 66 - เม.ย. 66",
        );
        check("1,234.50 บาท", "๑,๒๓๔.๕๐ บาท", "1,234.50 บาท");
        check("abc ก ข ค", "abc ก ข ค", "abc ก ข ค");
        // Other scripts' digits are not Thai or Arabic digits in this sense.
        check("١٢٣ ١ ໑໒", "١٢٣ ١ ໑໒", "١٢٣ ١ ໑໒");
        // Neighbours of the Thai digit block stay as they are.
        check("\u{0E4F}\u{0E5A}", "\u{0E4F}\u{0E5A}", "\u{0E4F}\u{0E5A}");
    }

    #[test]
    fn thai_digit_detection_covers_exactly_ten_characters() {
        let all: Vec<char> = ('\u{0E00}'..='\u{0E7F}')
            .filter(|&c| is_thai_digit(c))
            .collect();
        assert_eq!(all.len(), 10);
        assert!(!is_thai_digit('1'));
    }

    #[test]
    fn arabic_is_the_default_digit_set() {
        assert_eq!(Digits::default(), Digits::Arabic);
    }

    proptest! {
        #[test]
        fn digits_round_trip_through_thai(s in "\\PC*") {
            let arabic = to_arabic_digits(&s);
            prop_assert_eq!(arabic.chars().count(), s.chars().count());
            prop_assert_eq!(to_thai_digits(&to_arabic_digits(&to_thai_digits(&s))), to_thai_digits(&s));
            prop_assert_eq!(to_arabic_digits(&to_thai_digits(&arabic)), arabic);
        }

        #[test]
        fn numbers_round_trip(n in any::<u64>()) {
            let thai = to_thai_digits(&n.to_string());
            prop_assert!(thai.chars().all(is_thai_digit));
            prop_assert_eq!(to_arabic_digits(&thai).parse::<u64>().ok(), Some(n));
        }
    }
}
