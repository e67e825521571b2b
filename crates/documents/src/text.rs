//! Text clean-up and number formatting shared by the PDF and DOCX renderers.

use prongsai_thai::{Digits, month_full};
use time::Date;

/// Drops what cannot be printed or stored in XML: control characters (tabs become spaces,
/// carriage returns go), non-characters (U+FFFE, U+FFFF…) and U+FFFD itself, which would
/// otherwise reach the page as a replacement glyph. Spaces are collapsed.
pub(crate) fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let c = if c == '\t' || c == '\u{a0}' { ' ' } else { c };
        if c.is_control() || is_noncharacter(c) || c == '\u{fffd}' {
            continue;
        }
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// The paragraphs of a text: one per non-blank line, cleaned.
pub(crate) fn paragraphs(s: &str) -> Vec<String> {
    s.lines()
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The cleaned, non-empty lines of a list.
pub(crate) fn lines<S: AsRef<str>>(items: &[S]) -> Vec<String> {
    items.iter().flat_map(|s| paragraphs(s.as_ref())).collect()
}

/// A whole number in the given digits.
pub(crate) fn num(n: impl std::fmt::Display, digits: Digits) -> String {
    digits.apply(&n.to_string())
}

/// A percentage: "๖๕%".
pub(crate) fn percent(p: u8, digits: Digits) -> String {
    format!("{}%", num(p.min(100), digits))
}

/// A date in full: "๑๕ มีนาคม ๒๕๖๖".
pub(crate) fn full_date(d: Date, digits: Digits) -> String {
    format!(
        "{} {} {}",
        num(d.day(), digits),
        month_full(d.month()),
        num(d.year() + prongsai_thai::BE_OFFSET, digits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_control_characters_and_keeps_markup_characters() {
        assert_eq!(clean_line("a\u{0}b\u{7}c\u{1b}[0m"), "abc[0m");
        assert_eq!(
            clean_line("  #set $x$ [a] \\ *b* _c_  "),
            "#set $x$ [a] \\ *b* _c_"
        );
        assert_eq!(clean_line("ก\tข\r"), "ก ข");
        assert_eq!(clean_line("\u{fffe}\u{ffff}\u{fdd0}\u{fffd}ok"), "ok");
    }

    #[test]
    fn paragraphs_are_the_non_blank_lines() {
        assert_eq!(paragraphs("หนึ่ง\r\n\r\n  สอง  \n"), ["หนึ่ง", "สอง"]);
        assert!(paragraphs("").is_empty());
    }

    #[test]
    fn dates_are_written_in_the_buddhist_era() {
        let d = Date::from_calendar_date(2023, time::Month::March, 15).unwrap();
        assert_eq!(full_date(d, Digits::Thai), "๑๕ มีนาคม ๒๕๖๖");
        assert_eq!(full_date(d, Digits::Arabic), "15 มีนาคม 2566");
        assert_eq!(percent(150, Digits::Thai), "๑๐๐%");
    }
}
