//! Public participation: the Q&A board (OIT item O8) and the suggestions form (O30).
//!
//! Anyone may ask a question or send a suggestion without an account. What they type is kept;
//! who they are is not: no address, agent or referrer is stored, and the optional contact they
//! give is for staff only — it is never shown on a public page, indexed or exported. A question
//! is public only once staff answer and publish it; a suggestion only when staff publish it with
//! the agency's response.

pub mod service;

use async_trait::async_trait;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{AgencyId, QuestionId, SuggestionId};
use crate::platform::audit::Audited;
use crate::validate::{ErrorCode, FieldErrors, field};

/// The longest question.
pub const MAX_QUESTION: usize = 2000;
/// The longest answer or response.
pub const MAX_ANSWER: usize = 5000;
/// The longest suggestion.
pub const MAX_SUGGESTION: usize = 4000;
/// The longest display name.
pub const MAX_NAME: usize = 100;

/// Where a question is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionStatus {
    /// Waiting for staff; never public.
    Pending,
    /// Answered and public at its address.
    Published,
    /// Was public, taken down by staff; its address answers 404 until it is published again.
    Hidden,
    /// Spam or abuse: never public.
    Rejected,
}

impl QuestionStatus {
    pub const ALL: [Self; 4] = [Self::Pending, Self::Published, Self::Hidden, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Hidden => "hidden",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A question of the Q&A board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    pub agency_id: AgencyId,
    pub question: String,
    /// The name the asker chose to show, if any.
    pub asker_name: Option<String>,
    /// An e-mail address or phone number for staff only.
    pub contact: Option<String>,
    pub status: QuestionStatus,
    pub answer: Option<String>,
    /// The display name of the staff member who last wrote the answer.
    pub answered_by: Option<String>,
    pub asked_at: i64,
    /// When it was first published (its date on the board).
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

/// The fields of a question that moderation changes, as audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderation {
    pub status: QuestionStatus,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
}

impl Audited for Moderation {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("status", Some(self.status.as_str().to_owned())),
            ("answer", self.answer.clone()),
            ("answered_by", self.answered_by.clone()),
        ]
    }
}

impl Question {
    pub fn moderation(&self) -> Moderation {
        Moderation {
            status: self.status,
            answer: self.answer.clone(),
            answered_by: self.answered_by.clone(),
        }
    }

    /// The public path under `/a/{slug}/`.
    pub fn public_path(&self) -> String {
        format!("qa/{}", self.id)
    }
}

/// A topic of a suggestion: a small fixed list, and "other".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    Service,
    Infrastructure,
    Environment,
    Welfare,
    Transparency,
    Other,
}

impl Topic {
    pub const ALL: [Self; 6] = [
        Self::Service,
        Self::Infrastructure,
        Self::Environment,
        Self::Welfare,
        Self::Transparency,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Infrastructure => "infrastructure",
            Self::Environment => "environment",
            Self::Welfare => "welfare",
            Self::Transparency => "transparency",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Thai name, for the search index (the pages take it from the catalogs).
    pub fn name_th(self) -> &'static str {
        match self {
            Self::Service => "การให้บริการ",
            Self::Infrastructure => "ถนน ไฟฟ้า ประปา และโครงสร้างพื้นฐาน",
            Self::Environment => "สิ่งแวดล้อมและความสะอาด",
            Self::Welfare => "สาธารณสุขและสวัสดิการสังคม",
            Self::Transparency => "ความโปร่งใสและการป้องกันการทุจริต",
            Self::Other => "เรื่องอื่น ๆ",
        }
    }
}

/// Where a suggestion is: received → under consideration → acted on / not acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SuggestionStatus {
    Received,
    Considering,
    ActedOn,
    NotActedOn,
}

impl SuggestionStatus {
    pub const ALL: [Self; 4] = [
        Self::Received,
        Self::Considering,
        Self::ActedOn,
        Self::NotActedOn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Considering => "considering",
            Self::ActedOn => "acted-on",
            Self::NotActedOn => "not-acted-on",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the agency has decided.
    pub fn is_final(self) -> bool {
        matches!(self, Self::ActedOn | Self::NotActedOn)
    }
}

/// A suggestion from the public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: SuggestionId,
    pub agency_id: AgencyId,
    /// The fiscal year (BE) it was received in, and its number within that year.
    pub fiscal_year: i32,
    pub number: i64,
    pub topic: Topic,
    pub text: String,
    /// For staff only, both.
    pub sender_name: Option<String>,
    pub contact: Option<String>,
    pub review: Review,
    pub received_at: i64,
    pub updated_at: i64,
}

impl Suggestion {
    /// The reference the sender is given: "2569-0007".
    pub fn reference(&self) -> String {
        reference(self.fiscal_year, self.number)
    }

    pub fn is_public(&self) -> bool {
        self.review.published
    }

    /// The public path under `/a/{slug}/`.
    pub fn public_path(&self) -> String {
        format!("suggestions/{}", self.id)
    }
}

/// "2569-0007".
pub fn reference(fiscal_year: i32, number: i64) -> String {
    format!("{fiscal_year}-{number:04}")
}

/// Whether a text looks like a reference ("2569-0007"), for the confirmation page.
pub fn is_reference(s: &str) -> bool {
    let Some((y, n)) = s.split_once('-') else {
        return false;
    };
    y.len() == 4
        && (4..=9).contains(&n.len())
        && y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
}

/// What staff decide about a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub status: SuggestionStatus,
    pub response: Option<String>,
    /// Shown on the public page with the response.
    pub published: bool,
    pub responded_by: Option<String>,
}

impl Audited for Review {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("status", Some(self.status.as_str().to_owned())),
            ("response", self.response.clone()),
            ("published", Some(self.published.to_string())),
            ("responded_by", self.responded_by.clone()),
        ]
    }
}

/// How many suggestions of a fiscal year are in each status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(SuggestionStatus, i64)>);

impl Counts {
    pub fn of(&self, s: SuggestionStatus) -> i64 {
        self.0.iter().filter(|(k, _)| *k == s).map(|(_, n)| n).sum()
    }

    pub fn total(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// A question or suggestion as typed on the public form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicInput {
    pub text: String,
    pub name: String,
    pub contact: String,
    /// Suggestions only.
    pub topic: String,
}

/// A public submission, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub text: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub topic: Topic,
}

impl PublicInput {
    /// Checks a question (`topic` is ignored) or a suggestion; every error at once. The text's
    /// field is `question` or `suggestion`.
    pub fn parse(&self, text_field: &'static str, max: usize) -> Result<Submitted, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = e.take(
            text_field,
            field::optional_multiline(&self.text, max).and_then(|t| t.ok_or(ErrorCode::Required)),
        );
        let topic = if text_field == "suggestion" {
            e.take(
                "topic",
                match self.topic.trim() {
                    "" => Err(ErrorCode::Required),
                    t => Topic::parse(t).ok_or(ErrorCode::InvalidChoice),
                },
            )
        } else {
            Some(Topic::Other)
        };
        let name = e.take("asker_name", field::optional(&self.name, MAX_NAME));
        let contact = e.take("contact", parse_contact(&self.contact));
        e.into_result(|| Submitted {
            text: text.unwrap_or_default(),
            name: name.flatten(),
            contact: contact.flatten(),
            topic: topic.unwrap_or(Topic::Other),
        })
    }
}

/// An optional contact: an e-mail address (with `@`) or a phone number.
pub fn parse_contact(raw: &str) -> Result<Option<String>, ErrorCode> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > 254 {
        return Err(ErrorCode::TooLong { max: 254 });
    }
    let parsed = if v.contains('@') {
        field::email(v).map(Some)
    } else {
        field::optional_phone(v)
    };
    parsed.map_err(|_| ErrorCode::ContactInvalid)
}

/// A page of public items: the items and the number of all of them.
pub type Paged<T> = (Vec<T>, i64);

/// The storage of questions and suggestions. Every method takes the agency first; another
/// agency's row is not found.
#[async_trait]
pub trait ParticipationStore: Send + Sync {
    /// Stores a new question (pending), with its audit entry.
    async fn create_question(&self, w: Write<'_>, q: &Question) -> StoreResult<()>;
    async fn question(&self, agency: AgencyId, id: QuestionId) -> StoreResult<Question>;
    /// The questions in `status` (all when `None`), newest first.
    async fn list_questions(
        &self,
        agency: AgencyId,
        status: Option<QuestionStatus>,
    ) -> StoreResult<Vec<Question>>;
    /// How many questions are in each status.
    async fn question_counts(&self, agency: AgencyId) -> StoreResult<Vec<(QuestionStatus, i64)>>;
    /// Published questions, newest first (by first publication).
    async fn public_questions(
        &self,
        agency: AgencyId,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Paged<Question>>;
    /// Changes the moderation of a question that is still in status `from`. Conflict: it is
    /// not (someone else, or a form sent twice, changed it first).
    async fn moderate_question(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: QuestionId,
        from: QuestionStatus,
        to: &Moderation,
        action: &'static str,
    ) -> StoreResult<()>;
    /// Stores a new suggestion numbered next in its fiscal year; returns the number. Conflict:
    /// another took the number at the same moment (try again).
    async fn create_suggestion(&self, w: Write<'_>, s: &Suggestion) -> StoreResult<i64>;
    async fn suggestion(&self, agency: AgencyId, id: SuggestionId) -> StoreResult<Suggestion>;
    /// The suggestions of a fiscal year (all when `None`), newest first.
    async fn list_suggestions(
        &self,
        agency: AgencyId,
        fiscal_year: Option<i32>,
    ) -> StoreResult<Vec<Suggestion>>;
    /// Published suggestions, newest first.
    async fn public_suggestions(
        &self,
        agency: AgencyId,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Paged<Suggestion>>;
    /// How many suggestions of a fiscal year are in each status.
    async fn suggestion_counts(&self, agency: AgencyId, fiscal_year: i32) -> StoreResult<Counts>;
    /// Saves the review of a suggestion that still has `from`. Conflict: it changed meanwhile.
    async fn review_suggestion(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: SuggestionId,
        from: &Review,
        to: &Review,
    ) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_an_email_or_a_phone() {
        let cases = [
            ("", Ok(None)),
            ("  ", Ok(None)),
            (
                "Somchai@Example.COM",
                Ok(Some("somchai@example.com".into())),
            ),
            ("081-234-5678", Ok(Some("081-234-5678".into()))),
            ("๐๘๑ ๒๓๔ ๕๖๗๘", Ok(Some("๐๘๑ ๒๓๔ ๕๖๗๘".into()))),
            ("line: somchai", Err(ErrorCode::ContactInvalid)),
            ("a@b", Err(ErrorCode::ContactInvalid)),
            ("บ้านเลขที่ 5", Err(ErrorCode::ContactInvalid)),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_contact(raw), expected, "{raw:?}");
        }
        assert_eq!(
            parse_contact(&"1".repeat(300)),
            Err(ErrorCode::TooLong { max: 254 })
        );
    }

    #[test]
    fn a_submission_reports_every_problem_at_once() {
        let bad = PublicInput {
            text: " \n ".into(),
            name: "ก".repeat(MAX_NAME + 1),
            contact: "somewhere".into(),
            topic: "roads".into(),
        };
        let e = bad.parse("suggestion", MAX_SUGGESTION).unwrap_err();
        assert_eq!(e.get("suggestion"), Some(&ErrorCode::Required));
        assert_eq!(e.get("topic"), Some(&ErrorCode::InvalidChoice));
        assert_eq!(
            e.get("asker_name"),
            Some(&ErrorCode::TooLong { max: MAX_NAME })
        );
        assert_eq!(e.get("contact"), Some(&ErrorCode::ContactInvalid));
        let long = PublicInput {
            text: "ก".repeat(MAX_QUESTION + 1),
            ..PublicInput::default()
        };
        assert_eq!(
            long.parse("question", MAX_QUESTION)
                .unwrap_err()
                .get("question"),
            Some(&ErrorCode::TooLong { max: MAX_QUESTION })
        );
        let ok = PublicInput {
            text: " ขอสอบถาม\r\nเรื่องภาษี \u{0}".into(),
            ..PublicInput::default()
        }
        .parse("question", MAX_QUESTION)
        .unwrap();
        assert_eq!(ok.text, "ขอสอบถาม\nเรื่องภาษี");
        assert_eq!((ok.name, ok.contact), (None, None));
    }

    #[test]
    fn references_are_year_and_number() {
        assert_eq!(reference(2569, 7), "2569-0007");
        assert!(is_reference("2569-0007"));
        assert!(is_reference("2569-12345"));
        for bad in ["", "2569", "2569-7", "x569-0007", "2569-0007<", "2569--007"] {
            assert!(!is_reference(bad), "{bad:?}");
        }
    }
}
