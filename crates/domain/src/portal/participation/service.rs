//! The services of public participation: asking and suggesting (anyone), moderating and
//! reviewing (staff with `EditPortal` for the agency's own content: the admins), and what the
//! search index sees.

use prongsai_thai::FiscalYear;

use super::{
    MAX_ANSWER, MAX_QUESTION, MAX_SUGGESTION, Moderation, PublicInput, Question, QuestionStatus,
    Review, Suggestion, SuggestionStatus,
};
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{AgencyId, QuestionId, SuggestionId};
use crate::platform::service::Member;
use crate::platform::{Actor, Permission};
use crate::validate::{ErrorCode, FieldErrors, field};

/// What a participation service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ParticipationError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ParticipationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for ParticipationError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

type Result<T, E = ParticipationError> = std::result::Result<T, E>;

/// Who the audit log names for a public submission: nobody in particular.
pub fn public_actor() -> Actor {
    Actor::system("public")
}

/// Whether the member moderates the Q&A board and reviews suggestions: the board speaks for
/// the whole agency, so only those who write its own content (not one division's) do.
pub fn can_moderate(m: &Member) -> bool {
    m.membership.can(Permission::EditPortal) && m.membership.can_edit_content_of(None)
}

fn require(m: &Member) -> Result<()> {
    if can_moderate(m) {
        Ok(())
    } else {
        Err(ParticipationError::Forbidden)
    }
}

fn state_error(code: ErrorCode) -> ParticipationError {
    FieldErrors::single("change", code).into()
}

fn changed_meanwhile(e: StoreError) -> ParticipationError {
    match e {
        StoreError::Conflict => state_error(ErrorCode::AlreadyDone),
        other => other.into(),
    }
}

/// Takes a question from the public. It waits for moderation.
pub async fn ask(cx: &Ctx, agency: AgencyId, input: &PublicInput) -> Result<QuestionId> {
    let s = input.parse("question", MAX_QUESTION)?;
    let now = cx.clock.unix();
    let q = Question {
        id: QuestionId::from_raw(cx.new_id()),
        agency_id: agency,
        question: s.text,
        asker_name: s.name,
        contact: s.contact,
        status: QuestionStatus::Pending,
        answer: None,
        answered_by: None,
        asked_at: now,
        published_at: None,
        updated_at: now,
    };
    let actor = public_actor();
    cx.store.create_question(cx.write(&actor), &q).await?;
    Ok(q.id)
}

/// The fiscal year of today, in Thailand.
pub fn this_fiscal_year(cx: &Ctx) -> FiscalYear {
    FiscalYear::of(cx.clock.today())
}

/// Takes a suggestion from the public; returns it with its reference number.
pub async fn suggest(cx: &Ctx, agency: AgencyId, input: &PublicInput) -> Result<Suggestion> {
    let sub = input.parse("suggestion", MAX_SUGGESTION)?;
    let now = cx.clock.unix();
    let mut s = Suggestion {
        id: SuggestionId::from_raw(cx.new_id()),
        agency_id: agency,
        fiscal_year: this_fiscal_year(cx).be(),
        number: 0,
        topic: sub.topic,
        text: sub.text,
        sender_name: sub.name,
        contact: sub.contact,
        review: Review {
            status: SuggestionStatus::Received,
            response: None,
            published: false,
            responded_by: None,
        },
        received_at: now,
        updated_at: now,
    };
    let actor = public_actor();
    // Two suggestions at the same moment may reach for the same number (PostgreSQL); the
    // second tries again.
    let mut tries = 0;
    loop {
        match cx.store.create_suggestion(cx.write(&actor), &s).await {
            Ok(n) => {
                s.number = n;
                return Ok(s);
            }
            Err(StoreError::Conflict) if tries < 5 => {
                tries += 1;
                s.id = SuggestionId::from_raw(cx.new_id());
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// A moderation action on a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionAction {
    /// Answer (with the text given) and publish.
    Publish,
    /// Save a new text of the answer, public or not.
    Answer,
    /// Take a published question off the board.
    Hide,
    /// Spam or abuse: never public.
    Reject,
}

impl QuestionAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "publish" => Some(Self::Publish),
            "answer" => Some(Self::Answer),
            "hide" => Some(Self::Hide),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Answer => "answer",
            Self::Hide => "hide",
            Self::Reject => "reject",
        }
    }
}

/// A question the member may moderate.
pub async fn question_for_staff(cx: &Ctx, m: &Member, id: QuestionId) -> Result<Question> {
    require(m)?;
    Ok(cx.store.question(m.agency_id(), id).await?)
}

/// Publishes, answers, hides or rejects a question. An action already done (a form sent twice)
/// or one that does not fit the question's state changes nothing and says so.
pub async fn moderate(
    cx: &Ctx,
    m: &Member,
    id: QuestionId,
    action: &str,
    answer: &str,
) -> Result<()> {
    use QuestionStatus as S;
    let q = question_for_staff(cx, m, id).await?;
    let action =
        QuestionAction::parse(action).ok_or_else(|| state_error(ErrorCode::InvalidChoice))?;
    let typed_answer = || -> Result<String> {
        field::optional_multiline(answer, MAX_ANSWER)
            .and_then(|a| a.ok_or(ErrorCode::Required))
            .map_err(|c| FieldErrors::single("answer", c).into())
    };
    let old = q.moderation();
    let by = |text: &str| {
        if old.answer.as_deref() == Some(text) {
            old.answered_by.clone()
        } else {
            Some(m.display_name().to_owned())
        }
    };
    let new = match (action, q.status) {
        (QuestionAction::Publish, S::Pending | S::Hidden) => {
            let text = typed_answer()?;
            Moderation {
                status: S::Published,
                answered_by: by(&text),
                answer: Some(text),
            }
        }
        (QuestionAction::Answer, S::Pending | S::Published | S::Hidden) => {
            let text = typed_answer()?;
            if old.answer.as_deref() == Some(text.as_str()) {
                return Err(state_error(ErrorCode::AlreadyDone));
            }
            Moderation {
                status: q.status,
                answered_by: by(&text),
                answer: Some(text),
            }
        }
        (QuestionAction::Hide, S::Published) => Moderation {
            status: S::Hidden,
            ..old.clone()
        },
        (QuestionAction::Reject, S::Pending | S::Hidden) => Moderation {
            status: S::Rejected,
            ..old.clone()
        },
        (QuestionAction::Publish, S::Published)
        | (QuestionAction::Hide, S::Hidden)
        | (QuestionAction::Reject, S::Rejected) => {
            return Err(state_error(ErrorCode::AlreadyDone));
        }
        _ => return Err(state_error(ErrorCode::WrongState)),
    };
    cx.store
        .moderate_question(
            cx.write(&m.actor),
            m.agency_id(),
            id,
            q.status,
            &new,
            action.as_str(),
        )
        .await
        .map_err(changed_meanwhile)?;
    if q.status == S::Published || new.status == S::Published {
        refresh_index(cx, m.agency_id()).await;
    }
    Ok(())
}

/// A suggestion the member may review.
pub async fn suggestion_for_staff(cx: &Ctx, m: &Member, id: SuggestionId) -> Result<Suggestion> {
    require(m)?;
    Ok(cx.store.suggestion(m.agency_id(), id).await?)
}

/// The review of a suggestion as typed by staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewInput {
    pub status: String,
    pub response: String,
    pub publish: bool,
}

/// Sets a suggestion's status and the agency's response, and whether both are public. A
/// decision (acted on or not) and publishing need a response; a suggestion does not go back to
/// "received".
pub async fn review(cx: &Ctx, m: &Member, id: SuggestionId, input: &ReviewInput) -> Result<()> {
    let s = suggestion_for_staff(cx, m, id).await?;
    let mut e = FieldErrors::new();
    let status = e.take(
        "status",
        SuggestionStatus::parse(input.status.trim()).ok_or(ErrorCode::InvalidChoice),
    );
    let response = e
        .take(
            "response",
            field::optional_multiline(&input.response, MAX_ANSWER),
        )
        .flatten();
    if let Some(st) = status {
        if st == SuggestionStatus::Received && s.review.status != SuggestionStatus::Received {
            e.add("status", ErrorCode::WrongState);
        }
        if response.is_none() && (st.is_final() || input.publish) && e.get("response").is_none() {
            e.add("response", ErrorCode::Required);
        }
    }
    let status = e.into_result(|| status)?.unwrap_or(s.review.status);
    let old = &s.review;
    let responded_by = if response == old.response {
        old.responded_by.clone()
    } else {
        response.as_ref().map(|_| m.display_name().to_owned())
    };
    let new = Review {
        status,
        response,
        published: input.publish,
        responded_by,
    };
    if new == *old {
        return Err(FieldErrors::single("status", ErrorCode::AlreadyDone).into());
    }
    cx.store
        .review_suggestion(cx.write(&m.actor), m.agency_id(), id, old, &new)
        .await
        .map_err(|e| match e {
            StoreError::Conflict => {
                ParticipationError::from(FieldErrors::single("status", ErrorCode::AlreadyDone))
            }
            other => other.into(),
        })?;
    if old.published || new.published {
        refresh_index(cx, m.agency_id()).await;
    }
    Ok(())
}

async fn refresh_index(cx: &Ctx, agency: AgencyId) {
    crate::search::feed::refresh_after_write(cx, agency, crate::search::Source::Participation)
        .await;
}

/// Every published question and suggestion of an agency, for the search index: title, plain
/// text (the question or suggestion, then the agency's answer), public path, and date. Names and
/// contacts are never part of it.
pub async fn index_entries(cx: &Ctx, agency: AgencyId) -> Result<Vec<crate::portal::IndexEntry>> {
    let seg = prongsai_thai::Segmenter::new();
    let mut out = Vec::new();
    for q in cx
        .store
        .list_questions(agency, Some(QuestionStatus::Published))
        .await?
    {
        out.push(crate::portal::IndexEntry {
            title: seg.shorten(&field::clean_line(&q.question), 120),
            text: format!("{}\n{}", q.question, q.answer.clone().unwrap_or_default()),
            path: q.public_path(),
            published_at: q.published_at.unwrap_or(q.updated_at),
        });
    }
    let (suggestions, _) = cx.store.public_suggestions(agency, 0, i64::MAX).await?;
    for s in suggestions {
        out.push(crate::portal::IndexEntry {
            title: format!(
                "{} {}",
                s.topic.name_th(),
                seg.shorten(&field::clean_line(&s.text), 100)
            ),
            text: format!(
                "{}\n{}",
                s.text,
                s.review.response.clone().unwrap_or_default()
            ),
            path: s.public_path(),
            published_at: s.updated_at,
        });
    }
    Ok(out)
}
