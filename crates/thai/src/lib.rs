//! Thai language toolkit for Prongsai.
//!
//! Thai public agencies write dates in the Buddhist Era, count fiscal years
//! from October, print numbers in Thai digits and spell amounts of money out
//! in words. This crate does those things, with no dependencies on the rest
//! of Prongsai:
//!
//! - [`digits`]: Thai digits ๐–๙ and Arabic digits 0–9, both ways.
//! - [`date`]: Buddhist-Era dates ("๑ มกราคม ๒๕๖๖", "๑ ม.ค. ๖๖",
//!   "01/01/2566"), reading them back, month names, and the Bangkok time zone.
//! - [`fiscal`]: fiscal years (ปีงบประมาณ), 1 October to 30 September, named by
//!   the Buddhist-Era year in which they end; quarters and halves.
//! - [`period`]: month ranges as written in measure plans ("ม.ค. ๖๖ - เม.ย. ๖๖").
//! - [`baht`]: money as whole satang, read from decimal text, and its Thai
//!   reading ("หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์").
//! - [`segment`]: Thai word segmentation (ICU4X) and character n-grams for
//!   search.
//! - [`sort`]: a key for Thai dictionary order.
//!
//! Parsers accept Thai or Arabic digits and the spacing people actually type,
//! never panic, and return error enums whose variants name what was wrong, so
//! that the web layer can show a translated message for each. Two-digit years
//! are read as พ.ศ. 25xx; four-digit years below 2400 are taken for
//! Christian-Era years and rejected, because users paste CE dates into
//! spreadsheets.
//!
//! The main items are re-exported at the crate root.

#![warn(missing_docs)]

pub mod baht;
pub mod date;
pub mod digits;
pub mod fiscal;
pub mod period;
mod scan;
pub mod segment;
pub mod sort;

pub use baht::{Money, MoneyParseError, baht_text, number_text};
pub use date::{
    BANGKOK, BE_OFFSET, DateParseError, be_year, format_full, format_numeric, format_short,
    local_date, month_full, month_short, parse_date,
};
pub use digits::{Digits, is_thai_digit, to_arabic_digits, to_thai_digits};
pub use fiscal::{FiscalYear, FiscalYearError};
pub use period::{Period, PeriodError, YearMonth};
pub use segment::{CharNgrams, Segmenter, char_ngrams, words};
pub use sort::sort_key;
