//! Queries as typed, turned into terms; candidates ranked; titles and snippets with their hits
//! marked. Pure functions: the database only finds candidates.
//!
//! Matching ignores the case of ASCII letters only (`to_ascii_lowercase` keeps byte offsets, so
//! a hit found in the folded text is at the same place in the original); Thai has no case.

use std::cmp::Reverse;

use prongsai_thai::Segmenter;

use super::SearchDoc;

/// The longest query kept, in characters; the rest is cut, and the page says so.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms (space-separated words) a query keeps.
pub const MAX_TERMS: usize = 8;
/// The length of a snippet, in characters, before it is cut at a word boundary.
pub const SNIPPET_CHARS: usize = 180;
/// How much text a snippet shows before its first hit, in characters.
const LEAD_CHARS: usize = 50;

/// A query, cleaned: control and invisible format characters removed, white space collapsed,
/// cut to [`MAX_QUERY_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The cleaned text, as it is shown back in the search box.
    pub text: String,
    /// Its space-separated terms, each found as a substring; at most [`MAX_TERMS`], no
    /// duplicates.
    pub terms: Vec<String>,
    /// Whether the typed text was longer than [`MAX_QUERY_CHARS`].
    pub truncated: bool,
    /// Whether terms beyond [`MAX_TERMS`] were dropped.
    pub dropped_terms: bool,
}

impl Query {
    /// Never fails: any text gives a query, perhaps with no terms.
    pub fn parse(raw: &str) -> Self {
        let mut text = String::with_capacity(raw.len().min(MAX_QUERY_CHARS * 4));
        let mut chars = 0;
        let mut truncated = false;
        let mut space = false;
        for c in raw.chars() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() || c.is_control() {
                space = !text.is_empty();
                continue;
            }
            let needed = if space { 2 } else { 1 };
            if chars + needed > MAX_QUERY_CHARS {
                truncated = true;
                break;
            }
            if space {
                text.push(' ');
                chars += 1;
                space = false;
            }
            text.push(c);
            chars += 1;
        }
        let mut terms: Vec<String> = Vec::new();
        let mut dropped_terms = false;
        for t in text.split(' ').filter(|t| !t.is_empty()) {
            if terms.iter().any(|k| k.eq_ignore_ascii_case(t)) {
                continue;
            }
            if terms.len() == MAX_TERMS {
                dropped_terms = true;
                break;
            }
            terms.push(t.to_owned());
        }
        Self {
            text,
            terms,
            truncated,
            dropped_terms,
        }
    }

    /// The words of the query as the segmenter cuts them, lower-cased (ASCII), without
    /// duplicates.
    pub fn words(&self, segmenter: &Segmenter) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in segmenter.words(&self.text) {
            let w = w.to_ascii_lowercase();
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }
}

/// Zero-width and other invisible format characters that a pasted Thai text often carries.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Thai words so common that finding one says nothing about a document.
const COMMON_WORDS: &[&str] = &[
    "การ",
    "ความ",
    "และ",
    "ของ",
    "ที่",
    "ใน",
    "ให้",
    "ได้",
    "เป็น",
    "มี",
    "ไม่",
    "จาก",
    "เพื่อ",
    "โดย",
    "กับ",
    "หรือ",
    "ตาม",
    "ซึ่ง",
    "อย่าง",
    "แล้ว",
    "ว่า",
    "จะ",
    "ยัง",
    "นี้",
    "นั้น",
    "แห่ง",
    "ด้วย",
    "ต่อ",
    "เมื่อ",
    "ถึง",
    "คือ",
    "the",
    "and",
    "of",
    "for",
];

/// The letters of a word that carry it: Thai vowel signs above and below and tone marks, which
/// sit on a consonant, are not counted ("ที่" has one).
fn letters(word: &str) -> usize {
    word.chars()
        .filter(|c| !matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'))
        .count()
}

/// The words to look for apart when no document holds every term: the segmented words of three
/// letters or more that are not [`COMMON_WORDS`] (those match nearly everything), at most
/// [`MAX_TERMS`]. Empty when that would only repeat the terms.
pub fn recall_words(query: &Query, words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .filter(|w| letters(w) >= 3 && !COMMON_WORDS.contains(&w.as_str()))
        .take(MAX_TERMS)
        .cloned()
        .collect();
    let same = out.len() == query.terms.len()
        && out
            .iter()
            .all(|w| query.terms.iter().any(|t| t.eq_ignore_ascii_case(w)));
    if same || out.len() < 2 && query.terms.len() < 2 {
        out.clear();
    }
    out
}

/// Whether a document holds enough of the words looked for apart: at least half of them.
pub fn holds_enough(words: &[String], title: &str, body: &str) -> bool {
    let title = title.to_ascii_lowercase();
    let body = body.to_ascii_lowercase();
    let found = words
        .iter()
        .filter(|w| title.contains(w.as_str()) || body.contains(w.as_str()))
        .count();
    found * 2 >= words.len()
}

/// How well a document answers a query: the whole query over its terms over its words, in the
/// title over in the body.
pub fn score(query: &Query, words: &[String], title: &str, body: &str) -> u32 {
    let title = title.to_ascii_lowercase();
    let body = body.to_ascii_lowercase();
    let phrase = query.text.to_ascii_lowercase();
    let mut s = 0;
    if !phrase.is_empty() {
        if title.trim() == phrase {
            s += 1000;
        } else if title.contains(&phrase) {
            s += 400;
        }
        if body.contains(&phrase) {
            s += 150;
        }
    }
    for t in &query.terms {
        let t = t.to_ascii_lowercase();
        if title.contains(&t) {
            s += 60;
        }
        let n = u32::try_from(body.matches(&t).take(5).count()).unwrap_or(5);
        if n > 0 {
            s += 20 + 2 * n;
        }
    }
    for w in words {
        if query.terms.iter().any(|t| t.eq_ignore_ascii_case(w)) {
            continue;
        }
        if title.contains(w.as_str()) {
            s += 10;
        }
        if body.contains(w.as_str()) {
            s += 3;
        }
    }
    s
}

/// Candidates best first: by score, then the newer date, then the more recent update, then the
/// title (so that the order never depends on the database's).
pub fn rank(query: &Query, words: &[String], docs: Vec<SearchDoc>) -> Vec<SearchDoc> {
    let mut scored: Vec<(u32, SearchDoc)> = docs
        .into_iter()
        .map(|d| (score(query, words, &d.title, &d.body), d))
        .collect();
    scored.sort_by(|(sa, a), (sb, b)| {
        (
            Reverse(*sa),
            Reverse(a.dated_on),
            Reverse(a.updated_at),
            &a.title,
            &a.ref_id,
        )
            .cmp(&(
                Reverse(*sb),
                Reverse(b.dated_on),
                Reverse(b.updated_at),
                &b.title,
                &b.ref_id,
            ))
    });
    scored.into_iter().map(|(_, d)| d).collect()
}

/// A piece of a title or snippet: a hit (shown in `<mark>`) or the text between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub hit: bool,
}

/// The byte ranges of `text` where a needle occurs, merged where they touch or overlap, in
/// order.
fn hits(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let folded = text.to_ascii_lowercase();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for n in needles {
        let n = n.to_ascii_lowercase();
        if n.is_empty() {
            continue;
        }
        ranges.extend(folded.match_indices(&n).map(|(i, m)| (i, i + m.len())));
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// `text` in parts, every occurrence of a needle a hit.
pub fn highlight(text: &str, needles: &[String]) -> Vec<Part> {
    parts(text, &hits(text, needles))
}

fn parts(text: &str, ranges: &[(usize, usize)]) -> Vec<Part> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(s, e) in ranges {
        if let (Some(before), Some(hit)) = (text.get(at..s), text.get(s..e)) {
            if !before.is_empty() {
                out.push(Part {
                    text: before.to_owned(),
                    hit: false,
                });
            }
            out.push(Part {
                text: hit.to_owned(),
                hit: true,
            });
            at = e;
        }
    }
    if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        out.push(Part {
            text: rest.to_owned(),
            hit: false,
        });
    }
    out
}

/// The byte offset `n` characters before (negative) or after `from`, within `text`.
fn chars_from(text: &str, from: usize, n: isize) -> usize {
    if n < 0 {
        let back = n.unsigned_abs();
        text.get(..from)
            .and_then(|t| t.char_indices().rev().nth(back.saturating_sub(1)))
            .map_or(0, |(i, _)| i)
    } else {
        text.get(from..)
            .and_then(|t| t.char_indices().nth(n.unsigned_abs()))
            .map_or(text.len(), |(i, _)| from + i)
    }
}

/// The word boundaries of `body[from..to]`, as offsets into `body`.
fn breaks_in(segmenter: &Segmenter, body: &str, from: usize, to: usize) -> Vec<usize> {
    body.get(from..to)
        .map(|w| segmenter.breaks(w).into_iter().map(|b| b + from).collect())
        .unwrap_or_default()
}

/// A window of `body` around its first hit, about `max_chars` long, cut at word boundaries
/// (found by the segmenter), with "…" where text was left out, white space collapsed and every
/// hit marked. With no hit, the opening of the body.
pub fn snippet(
    segmenter: &Segmenter,
    body: &str,
    needles: &[String],
    max_chars: usize,
) -> Vec<Part> {
    let body = collapse_spaces(body);
    let ranges = hits(&body, needles);
    let (first_start, first_end) = ranges.first().copied().unwrap_or((0, 0));
    let lead = if first_start == 0 { 0 } else { LEAD_CHARS };
    let want_start = chars_from(&body, first_start, -(lead as isize));
    let want_end = chars_from(&body, want_start, max_chars as isize).max(first_end);
    // Cut where a space is (a space ends a phrase in Thai), else at a word boundary found by
    // segmenting a few dozen characters around the cut only: the segmenter costs time per
    // character, and ten snippets per page made it most of a search's time.
    let start = if want_start == 0 {
        0
    } else {
        let lo = want_start;
        let hi = first_start.min(chars_from(&body, want_start, 30));
        match body.get(lo..hi).and_then(|t| t.find(' ')) {
            Some(i) => lo + i + 1,
            None => breaks_in(segmenter, &body, chars_from(&body, lo, -15), hi)
                .into_iter()
                .find(|b| *b >= lo && *b <= first_start)
                .unwrap_or(want_start),
        }
    };
    let end = if want_end >= body.len() {
        body.len()
    } else {
        let lo = first_end.max(chars_from(&body, want_end, -30)).max(start);
        match body.get(lo..want_end).and_then(|t| t.rfind(' ')) {
            Some(i) if lo + i > start => lo + i,
            _ => breaks_in(segmenter, &body, lo, chars_from(&body, want_end, 15))
                .into_iter()
                .rev()
                .find(|b| *b <= want_end && *b >= first_end && *b > start)
                .unwrap_or(want_end),
        }
    };
    let window = body.get(start..end).unwrap_or_default();
    let shifted: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start, e - start))
        .collect();
    let mut out = Vec::new();
    if start > 0 {
        out.push(Part {
            text: "…".to_owned(),
            hit: false,
        });
    }
    out.extend(parts(
        window.trim_end(),
        &trim_ranges(window.trim_end().len(), &shifted),
    ));
    if end < body.len() {
        out.push(Part {
            text: "…".to_owned(),
            hit: false,
        });
    }
    // Neighbouring plain parts (an ellipsis beside text) read as one.
    let mut merged: Vec<Part> = Vec::new();
    for p in out {
        match merged.last_mut() {
            Some(last) if !last.hit && !p.hit => last.text.push_str(&p.text),
            _ => merged.push(p),
        }
    }
    merged
}

fn trim_ranges(len: usize, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    ranges.iter().copied().filter(|(_, e)| *e <= len).collect()
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Parts as HTML: hits in `<mark>`, everything escaped. Templates render the parts themselves
/// (with autoescaping); this is the same output, for tests and plain uses.
pub fn to_html(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        let text = escape(&p.text);
        if p.hit {
            out.push_str("<mark>");
            out.push_str(&text);
            out.push_str("</mark>");
        } else {
            out.push_str(&text);
        }
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AgencyId;
    use crate::search::DocKind;

    fn q(raw: &str) -> Query {
        Query::parse(raw)
    }

    fn doc(title: &str, body: &str, updated_at: i64) -> SearchDoc {
        SearchDoc {
            agency_id: AgencyId::from_raw(1),
            kind: DocKind::Measure,
            ref_id: title.to_owned(),
            url: "/a/x/".to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
            dated_on: None,
            updated_at,
        }
    }

    #[test]
    fn queries_are_cleaned_never_refused() {
        let check = |raw: &str, text: &str, terms: &[&str]| {
            let got = q(raw);
            assert_eq!(got.text, text, "{raw:?}");
            assert_eq!(got.terms, terms, "{raw:?}");
        };
        check("", "", &[]);
        check("   \t\n ", "", &[]);
        check("  เทศบาล  ", "เทศบาล", &["เทศบาล"]);
        check("ความ\u{200B}โปร่งใส", "ความโปร่งใส", &["ความโปร่งใส"]);
        check("a\u{0}b\u{7}c", "a b c", &["a", "b", "c"]);
        check(
            "\"ก\" OR 1=1 --",
            "\"ก\" OR 1=1 --",
            &["\"ก\"", "OR", "1=1", "--"],
        );
        check("ITA ita Ita", "ITA ita Ita", &["ITA"]);
        check("% _ *", "% _ *", &["%", "_", "*"]);
    }

    #[test]
    fn long_queries_are_cut_and_say_so() {
        let long = "ก".repeat(5000);
        let got = q(&long);
        assert_eq!(got.text.chars().count(), MAX_QUERY_CHARS);
        assert!(got.truncated);
        assert!(!q("เทศบาล").truncated);
        let many = (0..20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let got = q(&many);
        assert_eq!(got.terms.len(), MAX_TERMS);
        assert!(got.dropped_terms);
    }

    #[test]
    fn the_whole_query_in_the_title_ranks_first_then_words_then_the_body() {
        let s = Segmenter::new();
        let query = q("ความโปร่งใส");
        let words = query.words(&s);
        let docs = vec![
            doc("แผนงานประจำปี", "ส่งเสริมความโปร่งใสในการจัดซื้อ", 5),
            doc("มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "รายละเอียด", 1),
            doc("ความโปร่งใส", "", 0),
        ];
        let ranked: Vec<String> = rank(&query, &words, docs)
            .into_iter()
            .map(|d| d.title)
            .collect();
        assert_eq!(
            ranked,
            [
                "ความโปร่งใส",
                "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
                "แผนงานประจำปี"
            ]
        );
    }

    #[test]
    fn equal_scores_put_the_newer_first() {
        let s = Segmenter::new();
        let query = q("เทศบาล");
        let words = query.words(&s);
        let ranked: Vec<i64> = rank(
            &query,
            &words,
            vec![doc("ก", "เทศบาลตำบล", 1), doc("ข", "เทศบาลตำบล", 3)],
        )
        .into_iter()
        .map(|d| d.updated_at)
        .collect();
        assert_eq!(ranked, [3, 1]);
    }

    #[test]
    fn a_phrase_scores_above_its_words_apart() {
        let query = q("ผลการดำเนินงาน ประจำปี");
        let words = query.words(&Segmenter::new());
        let together = score(&query, &words, "", "รายงานผลการดำเนินงาน ประจำปี ๒๕๖๖");
        let apart = score(&query, &words, "", "ประจำปี ๒๕๖๖ และผลการดำเนินงาน");
        assert!(together > apart, "{together} vs {apart}");
    }

    #[test]
    fn highlights_mark_every_hit_and_escape_the_rest() {
        let parts = highlight("<b>เทศบาล</b> & เทศบาลตำบล", &["เทศบาล".to_owned()]);
        assert_eq!(
            to_html(&parts),
            "&lt;b&gt;<mark>เทศบาล</mark>&lt;/b&gt; &amp; <mark>เทศบาล</mark>ตำบล"
        );
        assert_eq!(
            to_html(&highlight(
                "Open ITA data",
                &["ita".to_owned(), "da".to_owned()]
            )),
            "Open <mark>ITA</mark> <mark>da</mark>ta"
        );
        // Overlapping needles make one mark.
        assert_eq!(
            to_html(&highlight("abcdef", &["abc".to_owned(), "cde".to_owned()])),
            "<mark>abcde</mark>f"
        );
    }

    #[test]
    fn snippets_open_near_the_first_hit_and_cut_at_word_boundaries() {
        let s = Segmenter::new();
        let filler = "การประชุมสภาเทศบาลสมัยสามัญประจำปีได้พิจารณาร่างข้อบัญญัติงบประมาณรายจ่าย ".repeat(6);
        let body = format!("{filler}มาตรการส่งเสริมคุณธรรมและความโปร่งใส ของหน่วยงาน {filler}");
        let parts = snippet(&s, &body, &["ความโปร่งใส".to_owned()], SNIPPET_CHARS);
        let html = to_html(&parts);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>ความโปร่งใส</mark>"), "{html}");
        let plain: String = parts.iter().map(|p| p.text.as_str()).collect();
        let inner = plain.trim_matches('…');
        assert!(body.contains(inner), "{inner}");
        // Cut where the segmenter puts a break.
        let at = body.find(inner).unwrap_or_default();
        let breaks = s.breaks(&body);
        assert!(breaks.contains(&at), "starts inside a word: {inner}");
        assert!(
            breaks.contains(&(at + inner.len())),
            "ends inside a word: {inner}"
        );
        assert!(inner.chars().count() <= SNIPPET_CHARS + 1);
    }

    #[test]
    fn a_snippet_without_a_hit_is_the_opening_and_short_bodies_are_whole() {
        let s = Segmenter::new();
        let parts = snippet(&s, "สั้น ๆ\n\nสองบรรทัด", &["ไม่มี".to_owned()], SNIPPET_CHARS);
        assert_eq!(to_html(&parts), "สั้น ๆ สองบรรทัด");
        assert!(snippet(&s, "", &["ก".to_owned()], SNIPPET_CHARS).is_empty());
        let parts = snippet(&s, "x <y> เทศบาล", &["เทศบาล".to_owned()], SNIPPET_CHARS);
        assert_eq!(to_html(&parts), "x &lt;y&gt; <mark>เทศบาล</mark>");
    }

    #[test]
    fn words_are_looked_for_apart_only_when_that_adds_something() {
        let s = Segmenter::new();
        let query = q("ความโปร่งใสของเทศบาล");
        let words = query.words(&s);
        let apart = recall_words(&query, &words);
        assert!(apart.len() >= 2, "{apart:?}");
        assert!(apart.iter().any(|w| w.contains("เทศบาล")), "{apart:?}");
        let one = q("เทศบาล");
        assert!(recall_words(&one, &one.words(&s)).is_empty());
        // Common words are not looked for on their own.
        let query = q("การของที่และเทศบาลโนนหัน");
        let apart = recall_words(&query, &query.words(&s));
        assert!(
            apart.iter().all(|w| !COMMON_WORDS.contains(&w.as_str())),
            "{apart:?}"
        );
        assert_eq!(letters("ที่"), 1);
        assert_eq!(letters("เทศบาล"), 6);
    }

    #[test]
    fn words_apart_must_be_half_there() {
        let words = ["ฉบับ".to_owned(), "ร่าง".to_owned(), "เผยแพร่".to_owned()];
        assert!(holds_enough(&words, "ร่างฉบับ", ""));
        assert!(!holds_enough(&words, "", "การเผยแพร่ข้อมูล"));
    }
}
