//! Thai word segmentation, and character n-grams for search.
//!
//! Thai is written without spaces between words. [`words`] finds word
//! boundaries with ICU4X's word segmenter, which for Thai uses an LSTM model
//! (compiled into the binary). The model depends on context and sometimes
//! keeps a compound whole ("เทศบาลเมืองชุมแพ" may be one segment), so search
//! should also index [`char_ngrams`] for recall.

use std::str::CharIndices;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

/// A Thai-capable word segmenter. Make one and reuse it.
///
/// With the compiled data that this crate uses, making one only borrows
/// static tables, so it is cheap; the struct exists so that callers do not
/// depend on that.
#[derive(Debug, Clone, Copy)]
pub struct Segmenter {
    inner: icu_segmenter::WordSegmenterBorrowed<'static>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// A segmenter with the LSTM model for Thai (and the other South-East
    /// Asian scripts) and the dictionary for Chinese and Japanese.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: WordSegmenter::new_auto(WordBreakInvariantOptions::default()),
        }
    }

    /// The word-like segments of `text`, in order: words and numbers, without
    /// the white space and punctuation between them.
    #[must_use]
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut words = Vec::new();
        let mut breaks = self.inner.segment_str(text);
        let mut start = 0;
        while let Some(end) = breaks.next() {
            let word_like = breaks.is_word_like();
            if let Some(segment) = text.get(start..end).filter(|s| !s.is_empty())
                && (word_like || segment.chars().any(char::is_alphanumeric))
            {
                words.push(segment);
            }
            start = end;
        }
        words
    }

    /// `text` on one line, cut at the last word boundary that keeps it within `max_chars`
    /// characters (an ellipsis marks the cut): for descriptions and previews, where cutting a
    /// Thai word in the middle reads as a different word.
    #[must_use]
    pub fn shorten(&self, text: &str, max_chars: usize) -> String {
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() <= max_chars {
            return one_line;
        }
        // The end of the first `max_chars` characters.
        let limit = one_line
            .char_indices()
            .nth(max_chars)
            .map_or(one_line.len(), |(i, _)| i);
        // A space is a word boundary in Thai too: cut at the last one when it keeps most of the
        // text, and spare the segmenter, whose Thai model costs time per character.
        let space = if one_line[limit..].starts_with(' ') {
            Some(limit)
        } else {
            one_line[..limit].rfind(' ')
        };
        if let Some(space) = space
            && space >= limit / 2
        {
            return format!("{}…", one_line[..space].trim_end());
        }
        // Else only the text around the cut is segmented: a few words past it are context
        // enough to place the last boundary.
        let window_end = one_line
            .char_indices()
            .nth(max_chars + 24)
            .map_or(one_line.len(), |(i, _)| i);
        let cut = self
            .inner
            .segment_str(&one_line[..window_end])
            .take_while(|b| *b <= limit)
            .last()
            .filter(|b| *b > 0)
            .unwrap_or(limit);
        format!("{}…", one_line[..cut].trim_end())
    }

    /// The byte offsets where a word may begin or end in `text`, in order: every break the
    /// segmenter finds, with 0 and `text.len()` (for a non-empty text). Snippets are cut there.
    #[must_use]
    pub fn breaks(&self, text: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.inner.segment_str(text).collect();
        if !text.is_empty() && out.first() != Some(&0) {
            out.insert(0, 0);
        }
        out
    }
}

/// The word-like segments of `text`; see [`Segmenter::words`].
///
/// ```
/// assert_eq!(prongsai_thai::words("ทุกสองสัปดาห์"), ["ทุก", "สอง", "สัปดาห์"]);
/// ```
#[must_use]
pub fn words(text: &str) -> Vec<&str> {
    Segmenter::new().words(text)
}

/// The runs of `n` consecutive characters in `text`, overlapping, in order:
/// `char_ngrams("กขคง", 3)` gives "กขค" and "ขคง".
///
/// Windows are cut at `char` boundaries, not grapheme clusters, so a Thai
/// vowel or tone mark may open a window or be cut from its consonant
/// ("สัป" and "ัปด" are both trigrams of "สัปดาห์"). That suits search recall,
/// as long as the indexed text and the query are cut the same way.
///
/// Text shorter than `n` characters, and `n == 0`, give no n-grams: look up
/// short queries another way.
pub fn char_ngrams(text: &str, n: usize) -> CharNgrams<'_> {
    let mut ends = text.char_indices();
    // The window end starts `n` characters in: skip n - 1 and let `next`
    // take the n-th boundary.
    let exhausted = n == 0 || ends.nth(n - 1).is_none();
    CharNgrams {
        text,
        starts: text.char_indices(),
        ends,
        exhausted,
    }
}

/// The iterator returned by [`char_ngrams`].
#[derive(Debug, Clone)]
pub struct CharNgrams<'a> {
    text: &'a str,
    /// Boundaries where windows start.
    starts: CharIndices<'a>,
    /// Boundaries where windows end, `n` characters ahead of `starts`.
    ends: CharIndices<'a>,
    /// Whether the last window has been given.
    exhausted: bool,
}

impl<'a> Iterator for CharNgrams<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.exhausted {
            return None;
        }
        let end = match self.ends.next() {
            Some((i, _)) => i,
            None => {
                self.exhausted = true;
                self.text.len()
            }
        };
        let (start, _) = self.starts.next()?;
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word_boundary_and_marks_the_cut() {
        let s = Segmenter::new();
        let text = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน";
        assert_eq!(s.shorten(text, 100), text);
        let short = s.shorten(text, 20);
        assert!(short.ends_with('…'));
        let kept = short.trim_end_matches('…');
        assert!(
            kept.chars().count() <= 20 && text.starts_with(kept),
            "{short}"
        );
        assert!(
            ["มาตรการ", "มาตรการส่งเสริม", "มาตรการส่งเสริมคุณธรรม"].contains(&kept),
            "cut inside a word: {short}"
        );
        assert_eq!(s.shorten("  สอง\n  บรรทัด  ", 50), "สอง บรรทัด");
        // At a space when there is one late enough.
        assert_eq!(
            s.shorten("เทศบาลตำบลโนนหัน อำเภอชุมแพ จังหวัดขอนแก่น", 30),
            "เทศบาลตำบลโนนหัน อำเภอชุมแพ…"
        );
    }
    use proptest::prelude::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(words(text), expected, "words({text:?})");
    }

    fn check_ngrams(text: &str, n: usize, expected: &[&str]) {
        let got: Vec<&str> = char_ngrams(text, n).collect();
        assert_eq!(got, expected, "char_ngrams({text:?}, {n})");
    }

    #[test]
    fn thai_words_are_found_without_spaces() {
        check("ทุกสองสัปดาห์", &["ทุก", "สอง", "สัปดาห์"]);
    }

    #[test]
    fn spaces_and_punctuation_are_skipped() {
        check("", &[]);
        check("   ", &[]);
        check("Hello, world!", &["Hello", "world"]);
        check("(ทุกสองสัปดาห์) - ", &["ทุก", "สอง", "สัปดาห์"]);
    }

    #[test]
    fn abbreviations_come_apart_at_their_dots() {
        // ICU breaks at the dots of Thai abbreviations; search must not rely on
        // "ม.ค." staying whole.
        check("ม.ค.", &["ม", "ค"]);
    }

    #[test]
    fn numbers_are_words() {
        let found = words("ปีงบประมาณ ๒๕๖๖ งบ 1,234.50 บาท");
        assert!(found.contains(&"๒๕๖๖"), "{found:?}");
        assert!(found.contains(&"1,234.50"), "{found:?}");
        assert!(found.iter().all(|w| !w.trim().is_empty()));
    }

    #[test]
    fn seed_report_words_are_found() {
        let found = words("รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส");
        assert!(found.len() > 3, "{found:?}");
        assert_eq!(
            found.concat(),
            "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        );
        assert!(found.contains(&"รายงาน"), "{found:?}");
    }

    #[test]
    fn breaks_fall_between_words() {
        let s = Segmenter::new();
        let text = "ทุกสองสัปดาห์";
        let b = s.breaks(text);
        assert_eq!(b.first(), Some(&0));
        assert_eq!(b.last(), Some(&text.len()));
        assert!(b.contains(&"ทุก".len()), "{b:?}");
        assert!(b.iter().all(|i| text.is_char_boundary(*i)));
        assert!(s.breaks("").len() <= 1);
    }

    #[test]
    fn a_segmenter_can_be_reused() {
        let segmenter = Segmenter::default();
        assert_eq!(segmenter.words("ทุกสองสัปดาห์"), ["ทุก", "สอง", "สัปดาห์"]);
        assert_eq!(segmenter.words("สองสัปดาห์"), ["สอง", "สัปดาห์"]);
    }

    #[test]
    fn ngrams_are_overlapping_character_windows() {
        check_ngrams("กขคง", 3, &["กขค", "ขคง"]);
        check_ngrams("กขคง", 4, &["กขคง"]);
        check_ngrams("กขคง", 1, &["ก", "ข", "ค", "ง"]);
        check_ngrams("abc", 2, &["ab", "bc"]);
        check_ngrams("สัปดาห์", 3, &["สัป", "ัปด", "ปดา", "ดาห", "าห์"]);
    }

    #[test]
    fn short_text_and_zero_width_windows_give_no_ngrams() {
        check_ngrams("กข", 3, &[]);
        check_ngrams("", 1, &[]);
        check_ngrams("กขค", 0, &[]);
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_segmenter_can_be_shared_between_threads() {
        assert_send_sync::<Segmenter>();
    }

    proptest! {
        #[test]
        fn words_are_pieces_of_the_text_in_order(text in "\\PC{0,40}") {
            let found = words(&text);
            let mut rest = text.as_str();
            for word in found {
                prop_assert!(!word.is_empty());
                let at = rest.find(word);
                prop_assert!(at.is_some(), "{:?} not in {:?}", word, rest);
                rest = rest.get(at.unwrap_or(0) + word.len()..).unwrap_or_default();
            }
        }

        #[test]
        fn thai_text_segments_into_pieces_that_rebuild_its_letters(text in "[ก-๛ a-z0-9.,]{0,40}") {
            let found = words(&text);
            let letters: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
            let found_letters: String =
                found.concat().chars().filter(|c| c.is_alphanumeric()).collect();
            prop_assert_eq!(found_letters, letters);
        }

        #[test]
        fn ngrams_have_n_characters_and_cover_the_text(text in "\\PC{0,30}", n in 0..6_usize) {
            let grams: Vec<&str> = char_ngrams(&text, n).collect();
            let len = text.chars().count();
            let expected = if n == 0 { 0 } else { (len + 1).saturating_sub(n) };
            prop_assert_eq!(grams.len(), expected);
            for gram in &grams {
                prop_assert_eq!(gram.chars().count(), n);
            }
            if let (Some(first), Some(last)) = (grams.first(), grams.last()) {
                prop_assert!(text.starts_with(first));
                prop_assert!(text.ends_with(last));
            }
        }
    }
}
