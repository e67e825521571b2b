//! Thai dictionary order.
//!
//! Code-point order puts words with a leading vowel (เ แ โ ใ ไ) after every word starting
//! with a consonant, because those vowels sit at the end of the Thai block. Dictionaries sort
//! "เชียงใหม่" under ช. [`sort_key`] swaps each leading vowel with the consonant after it, so
//! that comparing keys by code point gives dictionary order at the first level. Tone marks and
//! other diacritics are moved to the end, so they only break ties.

/// Whether `c` is a Thai vowel written before the consonant it follows in speech.
pub fn is_leading_vowel(c: char) -> bool {
    matches!(c, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ')
}

fn is_mark(c: char) -> bool {
    // Tone marks, thanthakhat and the nikhahit / yamakkan family.
    matches!(c, '\u{0E47}'..='\u{0E4E}')
}

/// A key whose code-point order is Thai dictionary order (first level, then marks).
pub fn sort_key(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut base = String::with_capacity(s.len());
    let mut marks = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match chars.get(i + 1) {
            Some(&next) if is_leading_vowel(c) && ('ก'..='ฮ').contains(&next) => {
                base.push(next);
                base.push(c);
                i += 2;
            }
            _ => {
                if is_mark(c) {
                    marks.push(c);
                } else {
                    base.push(c);
                }
                i += 1;
            }
        }
    }
    base.push('\u{0}');
    base.push_str(&marks);
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        v.sort_by_key(|w| sort_key(w));
        v
    }

    #[test]
    fn provinces_sort_as_in_a_dictionary() {
        assert_eq!(
            sorted(&[
                "เชียงใหม่",
                "ขอนแก่น",
                "แพร่",
                "กรุงเทพมหานคร",
                "ชลบุรี",
                "ลำปาง",
                "ยโสธร"
            ]),
            [
                "กรุงเทพมหานคร",
                "ขอนแก่น",
                "ชลบุรี",
                "เชียงใหม่",
                "แพร่",
                "ยโสธร",
                "ลำปาง"
            ]
        );
    }

    #[test]
    fn tone_marks_only_break_ties() {
        assert_eq!(sorted(&["ป่า", "ปา", "ปาก"]), ["ปา", "ป่า", "ปาก"]);
    }

    #[test]
    fn latin_text_keeps_its_order() {
        assert_eq!(sorted(&["b", "a", "c"]), ["a", "b", "c"]);
    }
}
