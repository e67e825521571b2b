//! A small lexer shared by the date, fiscal-year and period parsers.
//!
//! Thai writes words without spaces ("ปีงบประมาณพ.ศ.๒๕๖๖"), so the lexer does
//! not split on spaces alone: at each letter it looks for the longest known
//! word (a month name, "พ.ศ.", "ปีงบประมาณ" …). Dots inside and after known
//! words are optional, so "ม.ค.", "ม.ค" and "มค" are the same token. Text that
//! is not a known word becomes an [`Token::Unknown`] run, so that callers can
//! name it in their errors.

use time::Month;

use crate::digits::to_arabic_digits;

/// A run of ASCII digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Num {
    /// The value, saturating at `u32::MAX` for absurdly long runs.
    pub value: u32,
    /// How many digits were written, leading zeros included.
    pub digits: usize,
}

impl Num {
    /// The value as an `i32`, saturating, for error payloads.
    pub fn value_i32(self) -> i32 {
        i32::try_from(self.value).unwrap_or(i32::MAX)
    }
}

/// One token of a date, fiscal-year or period text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A number, in Arabic digits after conversion.
    Number(Num),
    /// A month name, full or abbreviated.
    Month(Month),
    /// "พ.ศ.": the year that follows is Buddhist Era.
    BuddhistEra,
    /// "ค.ศ.": the year that follows is Christian Era.
    ChristianEra,
    /// "ปีงบประมาณ", "ประจำปีงบประมาณ", "ปีงบ" or "งบประมาณ": a fiscal year
    /// follows.
    FiscalYear,
    /// "ตลอดปีงบประมาณ", "ตลอดปีงบ" or "ตลอดปี": the whole fiscal year.
    WholeFiscalYear,
    /// "วันที่", as in "วันที่ ๑ มกราคม ๒๕๖๖".
    DayWord,
    /// "ถึง" ("to"), a range separator.
    To,
    /// A punctuation character such as `/`, `-`, `.` or a dash.
    Punct(char),
    /// Text that is none of the above, as written (with Arabic digits).
    Unknown(String),
}

/// Known words. Keys are written without dots: dots in the input are skipped
/// while matching. The longest match wins, so full month names beat
/// abbreviations and "ตลอดปีงบประมาณ" beats "ตลอดปี".
const VOCABULARY: &[(&str, Token)] = &[
    ("มกราคม", Token::Month(Month::January)),
    ("กุมภาพันธ์", Token::Month(Month::February)),
    ("มีนาคม", Token::Month(Month::March)),
    ("เมษายน", Token::Month(Month::April)),
    ("พฤษภาคม", Token::Month(Month::May)),
    ("มิถุนายน", Token::Month(Month::June)),
    ("กรกฎาคม", Token::Month(Month::July)),
    ("สิงหาคม", Token::Month(Month::August)),
    ("กันยายน", Token::Month(Month::September)),
    ("ตุลาคม", Token::Month(Month::October)),
    ("พฤศจิกายน", Token::Month(Month::November)),
    ("ธันวาคม", Token::Month(Month::December)),
    ("มค", Token::Month(Month::January)),
    ("กพ", Token::Month(Month::February)),
    ("มีค", Token::Month(Month::March)),
    ("เมย", Token::Month(Month::April)),
    ("พค", Token::Month(Month::May)),
    ("มิย", Token::Month(Month::June)),
    ("กค", Token::Month(Month::July)),
    ("สค", Token::Month(Month::August)),
    ("กย", Token::Month(Month::September)),
    ("ตค", Token::Month(Month::October)),
    ("พย", Token::Month(Month::November)),
    ("ธค", Token::Month(Month::December)),
    ("พศ", Token::BuddhistEra),
    ("คศ", Token::ChristianEra),
    ("ปีงบประมาณ", Token::FiscalYear),
    ("ปีงบ", Token::FiscalYear),
    ("งบประมาณ", Token::FiscalYear),
    ("ประจำปีงบประมาณ", Token::FiscalYear),
    ("ตลอดปีงบประมาณ", Token::WholeFiscalYear),
    ("ตลอดปีงบ", Token::WholeFiscalYear),
    ("ตลอดปี", Token::WholeFiscalYear),
    ("วันที่", Token::DayWord),
    ("ถึง", Token::To),
];

/// Whether `c` separates tokens without meaning anything: white space and the
/// invisible characters that Thai text picks up from word processors.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Whether `c` is a punctuation token on its own.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Matches `key` (no dots) at the start of `input`, skipping dots in the input
/// between key characters and taking one dot after the key. Returns the number
/// of bytes consumed.
fn match_key(input: &str, key: &str) -> Option<usize> {
    let mut chars = input.char_indices().peekable();
    let mut end = 0;
    for (n, k) in key.chars().enumerate() {
        if n > 0 {
            while chars.next_if(|&(_, c)| c == '.').is_some() {}
        }
        match chars.next() {
            Some((i, c)) if c == k => end = i + c.len_utf8(),
            _ => return None,
        }
    }
    if let Some((i, '.')) = chars.peek().copied() {
        end = i + 1;
    }
    Some(end)
}

/// The longest known word at the start of `input`, with its length in bytes.
fn known_word(input: &str) -> Option<(usize, &'static Token)> {
    VOCABULARY
        .iter()
        .filter_map(|(key, token)| match_key(input, key).map(|len| (len, token)))
        .max_by_key(|&(len, _)| len)
}

/// Splits `input` into tokens. Thai digits are read as Arabic digits and
/// blanks are dropped.
pub(crate) fn tokenize(input: &str) -> Vec<Token> {
    let text = to_arabic_digits(input);
    let mut tokens = Vec::new();
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if is_blank(c) {
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        } else if c.is_ascii_digit() {
            let len = rest
                .find(|d: char| !d.is_ascii_digit())
                .unwrap_or(rest.len());
            let (digits, tail) = rest.split_at(len);
            let value = digits.bytes().fold(0_u32, |acc, b| {
                acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
            });
            tokens.push(Token::Number(Num { value, digits: len }));
            rest = tail;
        } else if is_punct(c) {
            tokens.push(Token::Punct(c));
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        } else if let Some((len, token)) = known_word(rest) {
            tokens.push(token.clone());
            rest = rest.get(len..).unwrap_or_default();
        } else {
            // An unknown word runs to the next blank, digit or punctuation
            // other than a dot ("ม.ค" typos keep their dots).
            let len = rest
                .find(|d: char| is_blank(d) || d.is_ascii_digit() || (is_punct(d) && d != '.'))
                .unwrap_or(rest.len());
            let (word, tail) = rest.split_at(len);
            tokens.push(Token::Unknown(word.to_owned()));
            rest = tail;
        }
    }
    tokens
}

/// Which era marker, if any, came before a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Era {
    /// No marker: Buddhist Era is assumed.
    Unmarked,
    /// "พ.ศ.".
    Buddhist,
    /// "ค.ศ.".
    Christian,
}

/// Why a written year cannot be a Buddhist-Era year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearIssue {
    /// Marked "ค.ศ.", or four digits below [`MIN_BE_YEAR`].
    ChristianEra(i32),
    /// Neither two digits nor a four-digit year.
    Invalid(i32),
}

/// Four-digit years below this are taken for Christian-Era years.
pub(crate) const MIN_BE_YEAR: u32 = 2400;

/// Reads a written year as a Buddhist-Era year: two digits mean 25xx, four
/// digits must be at least [`MIN_BE_YEAR`].
pub(crate) fn be_year(num: Num, era: Era) -> Result<i32, YearIssue> {
    let year = num.value_i32();
    if era == Era::Christian {
        return Err(YearIssue::ChristianEra(year));
    }
    match num.digits {
        2 => Ok(2500 + year),
        4 if num.value >= MIN_BE_YEAR => Ok(year),
        4 if num.value >= 1000 => Err(YearIssue::ChristianEra(year)),
        _ => Err(YearIssue::Invalid(year)),
    }
}

/// Takes an optional era marker from the front of `tokens`.
pub(crate) fn take_era(tokens: &[Token]) -> (Era, &[Token]) {
    match tokens.split_first() {
        Some((Token::BuddhistEra, rest)) => (Era::Buddhist, rest),
        Some((Token::ChristianEra, rest)) => (Era::Christian, rest),
        _ => (Era::Unmarked, tokens),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn num(value: u32, digits: usize) -> Token {
        Token::Number(Num { value, digits })
    }

    fn check(input: &str, expected: &[Token]) {
        assert_eq!(tokenize(input), expected, "tokenize({input:?})");
    }

    #[test]
    fn month_abbreviations_are_read_with_or_without_dots() {
        let jan = Token::Month(Month::January);
        for input in ["ม.ค.", "ม.ค", "มค", "มกราคม"] {
            check(input, std::slice::from_ref(&jan));
        }
        check("ม.ค.66", &[jan, num(66, 2)]);
    }

    #[test]
    fn words_written_together_are_split() {
        check(
            "ปีงบประมาณพ.ศ.๒๕๖๖",
            &[Token::FiscalYear, Token::BuddhistEra, num(2566, 4)],
        );
        check("ตลอดปีงบประมาณ", &[Token::WholeFiscalYear]);
        check(
            "1มกราคมพ.ศ.2566",
            &[
                num(1, 1),
                Token::Month(Month::January),
                Token::BuddhistEra,
                num(2566, 4),
            ],
        );
    }

    #[test]
    fn dots_between_numbers_are_punctuation() {
        check(
            "01.02.2566",
            &[
                num(1, 2),
                Token::Punct('.'),
                num(2, 2),
                Token::Punct('.'),
                num(2566, 4),
            ],
        );
    }

    #[test]
    fn unknown_words_are_kept_for_error_messages() {
        check(
            "1 มกรา 66",
            &[num(1, 1), Token::Unknown("มกรา".into()), num(66, 2)],
        );
        check(
            "jan-66",
            &[Token::Unknown("jan".into()), Token::Punct('-'), num(66, 2)],
        );
    }

    #[test]
    fn invisible_characters_are_blanks() {
        check(
            "ม.ค.\u{200B}๖๖",
            &[Token::Month(Month::January), num(66, 2)],
        );
    }

    #[test]
    fn long_digit_runs_saturate() {
        check("99999999999999999999", &[num(u32::MAX, 20)]);
    }

    #[test]
    fn years_are_read_as_buddhist_era() {
        let n = |value, digits| Num { value, digits };
        assert_eq!(be_year(n(66, 2), Era::Unmarked), Ok(2566));
        assert_eq!(be_year(n(5, 2), Era::Buddhist), Ok(2505));
        assert_eq!(be_year(n(2566, 4), Era::Unmarked), Ok(2566));
        assert_eq!(be_year(n(2400, 4), Era::Unmarked), Ok(2400));
        assert_eq!(
            be_year(n(2399, 4), Era::Unmarked),
            Err(YearIssue::ChristianEra(2399))
        );
        assert_eq!(
            be_year(n(2023, 4), Era::Buddhist),
            Err(YearIssue::ChristianEra(2023))
        );
        assert_eq!(
            be_year(n(2566, 4), Era::Christian),
            Err(YearIssue::ChristianEra(2566))
        );
        assert_eq!(
            be_year(n(566, 3), Era::Unmarked),
            Err(YearIssue::Invalid(566))
        );
        assert_eq!(
            be_year(n(999, 4), Era::Unmarked),
            Err(YearIssue::Invalid(999))
        );
        assert_eq!(
            be_year(n(25660, 5), Era::Unmarked),
            Err(YearIssue::Invalid(25660))
        );
    }

    proptest! {
        #[test]
        fn tokenizing_never_panics(s in "\\PC*") {
            let _ = tokenize(&s);
        }

        #[test]
        fn tokenizing_thai_like_text_never_panics(s in "[ก-๙ .\\-/0-9]{0,40}") {
            let _ = tokenize(&s);
        }
    }
}
