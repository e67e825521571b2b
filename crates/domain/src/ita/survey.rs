//! The two ITA surveys an agency runs itself: IIT (its staff) and EIT (the people it serves).
//!
//! The agency sets the population (staff with at least a year of service, or the people served
//! in the year) and the window; the framework's sample rule gives the minimum number of answers.
//! Staff answer with one-time access codes printed on slips; the public answers at the agency's
//! EIT link, with codes only if the agency asks for them.
//!
//! **Unlinkable answers.** A stored response holds the chosen levels, the respondent's division
//! if they chose to give it, and the date — never the code, an account, an address, a user agent
//! or a time of day. Its id is random, not time-ordered. A code is deleted when it is used, in
//! the same transaction as the response is stored, so no row, column or order in the database
//! says which code was used when. Submissions write no audit entry: an entry would be a
//! timestamped trail beside the response.

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::Date;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{AgencyId, DivisionId};
use crate::ita::framework::{Framework, InstrumentCode, Question};
use crate::platform::audit::Audited;
use crate::validate::{ErrorCode, FieldErrors, field};

/// A survey of one instrument in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub agency_id: AgencyId,
    pub id: i64,
    pub fiscal_year: i32,
    pub instrument: InstrumentCode,
    /// IIT: staff with at least a year of service; EIT: people served in the year (an estimate).
    pub population: u32,
    pub opens_on: Date,
    pub closes_on: Date,
    /// EIT only: answers need a one-time code (IIT always needs one).
    pub codes_required: bool,
}

impl Survey {
    /// Whether answers are taken on `today` (both ends included).
    pub fn is_open(&self, today: Date) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }

    /// Whether answering needs a code.
    pub fn needs_code(&self) -> bool {
        self.instrument == InstrumentCode::IIT || self.codes_required
    }
}

impl Audited for Survey {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("fiscal_year", Some(self.fiscal_year.to_string())),
            ("instrument", Some(self.instrument.as_str().to_owned())),
            ("population", Some(self.population.to_string())),
            ("opens_on", Some(self.opens_on.to_string())),
            ("closes_on", Some(self.closes_on.to_string())),
            ("codes_required", Some(self.codes_required.to_string())),
        ]
    }
}

/// The settings form of a survey, as typed.
#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub population: String,
    pub opens_on: String,
    pub closes_on: String,
    pub codes_required: bool,
}

impl SurveyInput {
    pub fn from_survey(s: &Survey) -> Self {
        Self {
            population: s.population.to_string(),
            opens_on: s.opens_on.to_string(),
            closes_on: s.closes_on.to_string(),
            codes_required: s.codes_required,
        }
    }

    /// Parses the form; `id` is the survey's id (kept when it exists).
    pub fn parse(
        &self,
        agency_id: AgencyId,
        id: i64,
        fiscal_year: i32,
        instrument: InstrumentCode,
    ) -> Result<Survey, FieldErrors> {
        let mut e = FieldErrors::new();
        let population = e.take(
            "population",
            if self.population.trim().is_empty() {
                Err(ErrorCode::Required)
            } else {
                field::int_or(&self.population, 0, 1..=1_000_000)
            },
        );
        let date = |raw: &str| {
            if raw.trim().is_empty() {
                Err(ErrorCode::Required)
            } else {
                prongsai_thai::parse_date(raw).map_err(|_| ErrorCode::InvalidDate)
            }
        };
        let opens_on = e.take("opens_on", date(&self.opens_on));
        let closes_on = e.take("closes_on", date(&self.closes_on));
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            e.add("closes_on", ErrorCode::InvalidPeriod);
        }
        e.into_result(|| Survey {
            agency_id,
            id,
            fiscal_year,
            instrument,
            population: population.and_then(|p| u32::try_from(p).ok()).unwrap_or(0),
            opens_on: opens_on.unwrap_or(Date::MIN),
            closes_on: closes_on.unwrap_or(Date::MIN),
            codes_required: instrument == InstrumentCode::IIT || self.codes_required,
        })
    }
}

/// One respondent's answers: the level chosen in every field of every question of the survey
/// (1 = the scale's first label), in the framework's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Random, never time-ordered.
    pub id: i64,
    pub agency_id: AgencyId,
    pub survey_id: i64,
    /// The day only.
    pub answered_on: Date,
    pub division_id: Option<DivisionId>,
    pub levels: Vec<u8>,
}

/// The questions of one instrument, in order.
pub fn questions(fw: &Framework, instrument: InstrumentCode) -> Vec<&Question> {
    fw.questions
        .iter()
        .filter(|q| {
            fw.indicators
                .iter()
                .any(|i| i.number == q.indicator && i.instrument == instrument)
        })
        .collect()
}

/// The form name of field `k` (0-based) of a question: `I1` for a one-field question, `I1.2`
/// for the second field of a question with several.
pub fn field_name(q: &Question, k: usize) -> String {
    if q.fields <= 1 {
        q.code.clone()
    } else {
        format!("{}.{}", q.code, k + 1)
    }
}

/// A filled-in survey form that could not be taken: the levels that were valid, by field name
/// (so the form shows them again), and the fields still to answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unfinished {
    pub kept: BTreeMap<String, u8>,
    pub missing: Vec<String>,
}

/// Reads the answers of a form: every field of every question must hold a level of its scale.
/// `get` returns the submitted value of a field name.
pub fn read_answers(
    fw: &Framework,
    instrument: InstrumentCode,
    get: impl Fn(&str) -> String,
) -> Result<Vec<u8>, Unfinished> {
    let mut levels = Vec::new();
    let mut out = Unfinished::default();
    for q in questions(fw, instrument) {
        let options = fw.scales.get(&q.scale).map_or(0, |s| s.labels.len());
        for k in 0..usize::from(q.fields.max(1)) {
            let name = field_name(q, k);
            match get(&name)
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|l| (1..=options).contains(&usize::from(*l)))
            {
                Some(level) => {
                    levels.push(level);
                    out.kept.insert(name, level);
                }
                None => out.missing.push(name),
            }
        }
    }
    if out.missing.is_empty() {
        Ok(levels)
    } else {
        Err(out)
    }
}

/// The responses in the scoring engine's shape: per respondent, question code → levels.
/// Responses whose length does not fit the framework (it was edited since) are left out.
pub fn engine_responses(
    fw: &Framework,
    instrument: InstrumentCode,
    responses: &[Response],
) -> Vec<BTreeMap<String, Vec<u32>>> {
    let qs = questions(fw, instrument);
    let width: usize = qs.iter().map(|q| usize::from(q.fields.max(1))).sum();
    responses
        .iter()
        .filter(|r| r.levels.len() == width)
        .map(|r| {
            let mut at = 0;
            qs.iter()
                .map(|q| {
                    let n = usize::from(q.fields.max(1));
                    let levels = r.levels[at..at + n].iter().map(|l| u32::from(*l)).collect();
                    at += n;
                    (q.code.clone(), levels)
                })
                .collect()
        })
        .collect()
}

/// The smallest group whose count is shown: a breakdown of fewer answers could identify people.
pub const MIN_GROUP: u64 = 5;

/// Answers so far: the total, and by division where a group has at least [`MIN_GROUP`] answers;
/// the rest are counted together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: u64,
    /// (division, answers), each at least [`MIN_GROUP`].
    pub shown: Vec<(Option<DivisionId>, u64)>,
    /// Answers in groups too small to show, together.
    pub hidden: u64,
}

impl Tally {
    pub fn from_counts(counts: Vec<(Option<DivisionId>, u64)>) -> Self {
        let mut t = Self::default();
        for (d, n) in counts {
            t.total += n;
            if n >= MIN_GROUP {
                t.shown.push((d, n));
            } else {
                t.hidden += n;
            }
        }
        t
    }
}

/// The alphabet of access codes: Crockford's base 32 (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code: 12 × 5 = 60 bits.
pub const CODE_LEN: usize = 12;

/// A new access code from 8 random bytes, e.g. `K7QM-3XHP-2R9T`.
pub fn new_code(random: [u8; 8]) -> String {
    let mut n = u64::from_le_bytes(random);
    let mut out = String::with_capacity(CODE_LEN + 2);
    for k in 0..CODE_LEN {
        if k > 0 && k % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[(n & 31) as usize]));
        n >>= 5;
    }
    out
}

/// A typed or scanned code in its stored form, or `None` if it cannot be one: case, spaces and
/// dashes do not matter, and O, I and L are read as 0, 1 and 1.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut plain = String::with_capacity(CODE_LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        plain.push(c);
    }
    if plain.len() != CODE_LEN {
        return None;
    }
    Some(
        plain
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

/// The answers of one survey counted per answer field and level, as the store reads them in one
/// pass: `counts[field][level - 1]`. Answers are grouped by their number of fields (`width`), so
/// that answers given under an older version of the framework are never mixed with the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTally {
    pub agency_id: AgencyId,
    pub instrument: InstrumentCode,
    pub width: usize,
    pub respondents: u64,
    pub counts: Vec<[u64; 9]>,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitRefused {
    /// The code does not exist, or was used already.
    CodeGone,
}

#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// The surveys of a fiscal year (none, one or both instruments).
    async fn surveys(&self, agency: AgencyId, fiscal_year: i32) -> StoreResult<Vec<Survey>>;
    /// Creates or updates a survey's settings, audited.
    async fn put_survey(&self, w: Write<'_>, survey: &Survey) -> StoreResult<()>;
    /// Adds access codes to a survey; the audit entry records how many, never the codes.
    async fn add_codes(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        survey_id: i64,
        codes: &[String],
    ) -> StoreResult<()>;
    /// The codes not used yet, in the order they were made.
    async fn unused_codes(&self, agency: AgencyId, survey_id: i64) -> StoreResult<Vec<String>>;
    /// How many codes of a survey are not used yet.
    async fn unused_code_count(&self, agency: AgencyId, survey_id: i64) -> StoreResult<u64>;
    /// How many codes were ever made for a survey.
    async fn codes_made(&self, agency: AgencyId, survey_id: i64) -> StoreResult<u64>;
    /// The survey a code opens, if the code exists and is unused.
    async fn survey_of_code(&self, code: &str) -> StoreResult<Option<Survey>>;
    /// Stores a response; with `code`, uses the code up in the same transaction, or refuses
    /// with [`SubmitRefused::CodeGone`] and stores nothing.
    async fn submit(
        &self,
        code: Option<&str>,
        response: &Response,
    ) -> StoreResult<Result<(), SubmitRefused>>;
    /// Answers so far, by the division respondents gave (`None`: not given).
    async fn response_counts(
        &self,
        agency: AgencyId,
        survey_id: i64,
    ) -> StoreResult<Vec<(Option<DivisionId>, u64)>>;
    /// Every response of a survey, in id order (random).
    async fn responses(&self, agency: AgencyId, survey_id: i64) -> StoreResult<Vec<Response>>;
    /// The answers of every agency's surveys of a fiscal year, counted (see [`SurveyTally`]).
    async fn year_tallies(&self, fiscal_year: i32) -> StoreResult<Vec<SurveyTally>>;
}

/// The tallies of one agency's survey in the scoring engine's shape, for the framework's
/// questions of `instrument`; `None` when no tally has the framework's width.
pub fn engine_tallies(
    fw: &Framework,
    instrument: InstrumentCode,
    tallies: &[&SurveyTally],
) -> Option<crate::ita::score::Tallies> {
    let qs = questions(fw, instrument);
    let width: usize = qs.iter().map(|q| usize::from(q.fields.max(1))).sum();
    let t = tallies
        .iter()
        .find(|t| t.instrument == instrument && t.width == width)?;
    let mut at = 0;
    let mut counts = BTreeMap::new();
    for q in qs {
        let levels = fw.scales.get(&q.scale).map_or(0, |s| s.labels.len()).min(9);
        let n = usize::from(q.fields.max(1));
        counts.insert(
            q.code.clone(),
            t.counts[at..at + n]
                .iter()
                .map(|c| c[..levels].to_vec())
                .collect(),
        );
        at += n;
    }
    Some(crate::ita::score::Tallies {
        respondents: t.respondents,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ita::framework::built_in;

    fn fw() -> Framework {
        built_in(2567).unwrap().unwrap()
    }

    #[test]
    fn the_minimum_sample_follows_the_framework_rule() {
        let fw = fw();
        let iit = &fw.samples[&InstrumentCode::IIT];
        let eit = &fw.samples[&InstrumentCode::EIT];
        // (population, IIT minimum, EIT minimum)
        for (pop, i, e) in [
            (1, 1, 1),
            (12, 12, 12),
            (30, 30, 30),
            (31, 30, 30),
            (120, 30, 30),
            (301, 31, 31),
            (450, 45, 45),
            (4_000, 400, 400),
            (9_000, 900, 400),
        ] {
            assert_eq!(iit.minimum(pop), i, "IIT, population {pop}");
            assert_eq!(eit.minimum(pop), e, "EIT, population {pop}");
        }
    }

    #[test]
    fn every_survey_question_has_wording_and_a_field_name_per_field() {
        let fw = fw();
        for ins in [InstrumentCode::IIT, InstrumentCode::EIT] {
            let qs = questions(&fw, ins);
            assert!(!qs.is_empty());
            for q in qs {
                assert!(!q.text_th.is_empty(), "{} has no wording", q.code);
                if q.fields > 1 {
                    assert_eq!(q.fields_th.len(), usize::from(q.fields), "{}", q.code);
                }
            }
        }
        assert_eq!(questions(&fw, InstrumentCode::IIT).len(), 30);
        assert_eq!(questions(&fw, InstrumentCode::EIT).len(), 15);
    }

    #[test]
    fn a_form_is_read_whole_or_returns_what_was_kept_and_what_is_missing() {
        let fw = fw();
        let all = |v: &str| {
            let v = v.to_owned();
            move |_: &str| v.clone()
        };
        let levels = read_answers(&fw, InstrumentCode::IIT, all("2")).unwrap();
        assert_eq!(levels.len(), 51, "the 2564 form has 51 answer fields");
        let err = read_answers(&fw, InstrumentCode::IIT, |name: &str| {
            if name == "I1.2" || name == "I30.4" {
                String::new()
            } else if name == "I2" {
                "5".into()
            } else if name.starts_with("I4.") {
                "2".into()
            } else {
                "4".into()
            }
        })
        .unwrap_err();
        assert_eq!(err.missing, vec!["I1.2", "I2", "I30.4"]);
        assert_eq!(err.kept.get("I1.1"), Some(&4));
        assert!(
            !err.kept.contains_key("I2"),
            "a level off the scale is missing"
        );
        // A yes/no question takes 1 or 2 only.
        let err = read_answers(&fw, InstrumentCode::IIT, |name: &str| {
            if name.starts_with("I4.") {
                "3".into()
            } else {
                "1".into()
            }
        })
        .unwrap_err();
        assert_eq!(err.missing, vec!["I4.1", "I4.2", "I4.3"]);
    }

    #[test]
    fn responses_feed_the_engine_question_by_question() {
        let fw = fw();
        let levels = read_answers(&fw, InstrumentCode::EIT, |n: &str| {
            if n == "E1" { "1".into() } else { "4".into() }
        })
        .unwrap();
        let r = Response {
            id: 1,
            agency_id: AgencyId::from_raw(1),
            survey_id: 1,
            answered_on: time::macros::date!(2024 - 03 - 01),
            division_id: None,
            levels,
        };
        let short = Response {
            levels: vec![1, 2],
            ..r
        };
        let out = engine_responses(&fw, InstrumentCode::EIT, &[r, short]);
        assert_eq!(out.len(), 1, "a response that no longer fits is left out");
        assert_eq!(out[0]["E1"], vec![1]);
        assert_eq!(out[0]["E15"], vec![4]);
    }

    #[test]
    fn codes_have_sixty_bits_and_survey_typing_mistakes() {
        let c = new_code([0xff; 8]);
        assert_eq!(c.len(), CODE_LEN + 2);
        assert_eq!(normalize_code(&c), Some(c.clone()));
        let c = new_code([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(
            normalize_code(&c.to_lowercase().replace('-', " ")),
            Some(c.clone())
        );
        assert_eq!(
            normalize_code("o0ol-iI11-abcd"),
            Some("0001-1111-ABCD".into())
        );
        for bad in [
            "",
            "ABC",
            "ABCD-EFGH-JKM",
            "ABCD-EFGH-JKMNP",
            "ABCD-EFGH-JKU1",
            "กขคง-EFGH-JKMN",
        ] {
            assert_eq!(normalize_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn small_groups_are_counted_together() {
        let d = |n| Some(DivisionId::from_raw(n));
        let t = Tally::from_counts(vec![(d(1), 7), (d(2), 4), (None, 5), (d(3), 1)]);
        assert_eq!(t.total, 17);
        assert_eq!(t.shown, vec![(d(1), 7), (None, 5)]);
        assert_eq!(t.hidden, 5);
    }

    #[test]
    fn settings_refuse_a_window_that_ends_before_it_opens() {
        let input = SurveyInput {
            population: "๔๐".into(),
            opens_on: "2024-06-30".into(),
            closes_on: "2024-06-01".into(),
            codes_required: false,
        };
        let e = input
            .parse(AgencyId::from_raw(1), 1, 2567, InstrumentCode::IIT)
            .unwrap_err();
        assert_eq!(e.get("closes_on"), Some(&ErrorCode::InvalidPeriod));
        assert!(e.get("population").is_none(), "Thai digits are a number");
        let e = SurveyInput::default()
            .parse(AgencyId::from_raw(1), 1, 2567, InstrumentCode::EIT)
            .unwrap_err();
        assert_eq!(e.get("population"), Some(&ErrorCode::Required));
        assert_eq!(e.get("opens_on"), Some(&ErrorCode::Required));
        let zero = SurveyInput {
            population: "0".into(),
            ..input
        };
        let e = zero
            .parse(AgencyId::from_raw(1), 1, 2567, InstrumentCode::IIT)
            .unwrap_err();
        assert_eq!(e.get("population"), Some(&ErrorCode::InvalidNumber));
    }
}
