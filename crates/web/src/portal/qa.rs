//! The Q&A board (OIT item O8): the public list `/a/{slug}/qa` and each published question at
//! `/a/{slug}/qa/{id}` (cached; the address never changes), the form to ask `/a/{slug}/qa/ask`
//! (no account; a hidden honeypot field and a per-client throttle in memory), and the
//! moderation queue `/a/{slug}/admin/qa`. Nothing here stores or logs the sender's address,
//! agent or referrer.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::{AgencyId, QuestionId};
use prongsai_domain::platform::Agency;
use prongsai_domain::portal::participation::service::{self as ps, ParticipationError};
use prongsai_domain::portal::participation::{PublicInput, Question, QuestionStatus};
use serde::Deserialize;

use super::home::serve_cached;
use super::public::{public_date, public_layout};
use crate::auth::{AgencyCtx, MemberCtx};
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::Client;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, no_store, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

/// Submissions of one kind taken from one client address per hour. Generous, because a
/// village's shared connection is one address.
pub const PER_CLIENT_PER_HOUR: u32 = 10;
/// The hidden field people never fill in and form-filling programs do.
pub const HONEYPOT: &str = "homepage";
/// How much of an answer the board's list shows; the question's page has all of it.
const LIST_ANSWER_CHARS: usize = 200;
/// Items per page of a public list.
pub const PAGE_SIZE: i64 = 10;

/// Why a public submission was refused before it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The honeypot was filled in.
    Bot,
    /// Too many from this client; minutes to wait.
    Throttled(i64),
}

fn throttle_key(kind: &str, agency: AgencyId, client: &str) -> String {
    format!("{kind}:{agency}:{client}")
}

/// The checks before a public form is read: the client's throttle, then the honeypot (which
/// counts against the throttle, so a program is slowed down too).
pub fn guard(
    state: &AppState,
    form: &FormFields,
    kind: &str,
    agency: AgencyId,
    client: &str,
) -> Result<(), Refusal> {
    let key = throttle_key(kind, agency, client);
    let now = state.cx.clock.unix();
    if let Err(wait) = state.throttle.check(&key, PER_CLIENT_PER_HOUR, 3600, now) {
        return Err(Refusal::Throttled((wait.0 + 59) / 60));
    }
    if !form.get(HONEYPOT).trim().is_empty() {
        state.throttle.hit(&key, 3600, now);
        return Err(Refusal::Bot);
    }
    Ok(())
}

/// Counts an accepted submission against the client.
pub fn count(state: &AppState, kind: &str, agency: AgencyId, client: &str) {
    let now = state.cx.clock.unix();
    state
        .throttle
        .hit(&throttle_key(kind, agency, client), 3600, now);
}

/// A short message page of the public site: a confirmation or a refusal.
#[derive(Template)]
#[template(path = "portal/pt_message.html")]
pub struct MessagePage {
    pub l: Layout,
    pub text: String,
    /// The reference number to note, when there is one.
    pub reference: Option<String>,
    /// (link, label) back.
    pub back: (String, String),
}

/// Renders a public form again with what was typed.
pub type FormRenderer = fn(&AppState, &Page, &Csrf, &Agency, Typed) -> WebResult<Response>;

/// The answer to a refused submission: the bot's page, or the form again with the throttle's
/// message (429) and the text kept.
#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
pub fn refused(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    r: Refusal,
    back: (String, String),
    mut typed: Typed,
    render_form: FormRenderer,
) -> WebResult<Response> {
    match r {
        Refusal::Bot => bot_page(page, state, agency, back),
        Refusal::Throttled(minutes) => {
            typed.notice = Some(page.tr.arg("pt-throttled", "minutes", minutes));
            let mut res = render_form(state, page, csrf, agency, typed)?;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            Ok(res)
        }
    }
}

/// The page that refuses a bot's submission (422): nothing was stored.
fn bot_page(
    page: &Page,
    state: &AppState,
    agency: &Agency,
    back: (String, String),
) -> WebResult<Response> {
    let l = super::layout(page, agency, page.tr.get("pt-bot-title"), state, "", "");
    let mut res = render(&MessagePage {
        l,
        text: page.tr.get("pt-bot-text"),
        reference: None,
        back,
    })?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(no_store(res))
}

/// Maps the errors that are not a form's own to web errors.
pub fn web_error(e: ParticipationError) -> WebError {
    match e {
        ParticipationError::Forbidden => WebError::Forbidden,
        ParticipationError::NotFound => WebError::NotFound,
        ParticipationError::Invalid(_) => WebError::BadRequest,
        ParticipationError::Store(s) => s.into(),
    }
}

fn id_of(raw: &str) -> WebResult<QuestionId> {
    raw.trim().parse().map_err(|_| WebError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub page: String,
    pub status: String,
}

/// The page number of a public list at `section` (1 when absent or odd), and its path under
/// `/a/{slug}/` (the cache key and the canonical address).
pub fn list_page(q: &PageQuery, section: &str) -> (i64, String) {
    let n: i64 = q.page.trim().parse().unwrap_or(1).clamp(1, 10_000);
    let path = if n > 1 {
        format!("{section}?page={n}")
    } else {
        section.to_owned()
    };
    (n, path)
}

/// A question as the public sees it.
pub struct PublicQuestion {
    pub href: String,
    pub question: String,
    pub asker: String,
    pub answer: String,
    pub date: String,
}

/// A question for the public; the answer cut to `answer_chars` in a list.
fn public_question(
    page: &Page,
    slug: &str,
    q: &Question,
    answer_chars: Option<usize>,
) -> PublicQuestion {
    PublicQuestion {
        href: format!("/a/{slug}/{}", q.public_path()),
        question: q.question.clone(),
        asker: q
            .asker_name
            .clone()
            .unwrap_or_else(|| page.tr.get("qa-anonymous")),
        answer: match answer_chars {
            Some(max) => prongsai_thai::Segmenter::new()
                .shorten(q.answer.as_deref().unwrap_or_default(), max),
            None => q.answer.clone().unwrap_or_default(),
        },
        date: public_date(page, q.published_at.unwrap_or(q.updated_at)),
    }
}

/// Links to the newer and older pages of a list at `base`.
pub struct Pager {
    pub page_no: i64,
    pub pages: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Pager {
    pub fn new(base: &str, page_no: i64, total: i64) -> Self {
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let href = |n: i64| {
            if n > 1 {
                format!("{base}?page={n}")
            } else {
                base.to_owned()
            }
        };
        Self {
            page_no,
            pages,
            newer: (page_no > 1).then(|| href(page_no - 1)),
            older: (page_no < pages).then(|| href(page_no + 1)),
        }
    }
}

#[derive(Template)]
#[template(path = "portal/qa_list.html")]
struct ListPage {
    l: Layout,
    slug: String,
    rows: Vec<PublicQuestion>,
    pager: Pager,
}

/// `GET /a/{slug}/qa`: the published questions, newest first.
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let (n, path) = list_page(&q, "qa");
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let (items, total) = state
            .cx
            .store
            .public_questions(agency.id, (n - 1) * PAGE_SIZE, PAGE_SIZE)
            .await?;
        let pager = Pager::new(&format!("/a/{slug}/qa"), n, total);
        if n > pager.pages {
            return Err(WebError::NotFound);
        }
        let title = page.tr.get("qa-title");
        Ok(ListPage {
            l: public_layout(&state, &page, &agency, title, &path, "qa"),
            rows: items
                .iter()
                .map(|q| public_question(&page, &slug, q, Some(LIST_ANSWER_CHARS)))
                .collect(),
            slug: slug.clone(),
            pager,
        }
        .render()?)
    };
    serve_cached(&state, &slug, &path, &page, &headers, render).await
}

pub async fn agency_of(state: &AppState, slug: &str) -> WebResult<Agency> {
    state
        .cx
        .store
        .agency_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)
}

#[derive(Template)]
#[template(path = "portal/qa_item.html")]
struct ItemPage {
    l: Layout,
    slug: String,
    q: PublicQuestion,
}

/// `GET /a/{slug}/qa/{id}`: one published question and its answer.
pub async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    let path = format!("qa/{id}");
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let q = state.cx.store.question(agency.id, id).await?;
        if q.status != QuestionStatus::Published {
            return Err(WebError::NotFound);
        }
        let title = prongsai_thai::Segmenter::new().shorten(&q.question, 90);
        let mut l = public_layout(&state, &page, &agency, title, &path, "qa");
        if let Some(og) = l.og.as_mut() {
            og.description = q
                .answer
                .as_deref()
                .map(|a| prongsai_thai::Segmenter::new().shorten(a, 200));
        }
        Ok(ItemPage {
            l,
            q: public_question(&page, &slug, &q, None),
            slug: slug.clone(),
        }
        .render()?)
    };
    serve_cached(&state, &slug, &path, &page, &headers, render).await
}

/// What the form shows again after a refusal.
#[derive(Default)]
pub struct Typed {
    pub input: PublicInput,
    pub e: FieldErrors,
    /// The throttle's message, when it refused.
    pub notice: Option<String>,
}

impl Typed {
    pub fn of(form: &FormFields, text_field: &str) -> Self {
        Self {
            input: PublicInput {
                text: form.get(text_field),
                name: form.get("asker_name"),
                contact: form.get("contact"),
                topic: form.get("topic"),
            },
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "portal/qa_ask.html")]
struct AskPage {
    l: Layout,
    slug: String,
    typed: Typed,
}

fn ask_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    t: Typed,
) -> WebResult<Response> {
    let l = super::layout(
        page,
        agency,
        page.tr.get("qa-ask-title"),
        state,
        "qa/ask",
        "qa",
    )
    .csrf(csrf);
    let p = AskPage {
        l,
        slug: agency.slug.to_string(),
        typed: t,
    };
    public_form(&p, &p.typed)
}

/// A public form page: never stored by a cache (it carries a token); 422 when it comes back
/// refused.
pub fn public_form(p: &impl Template, typed: &Typed) -> WebResult<Response> {
    Ok(no_store(if typed.e.is_empty() && typed.notice.is_none() {
        render(p)?
    } else {
        render_invalid(p)?
    }))
}

/// `GET /a/{slug}/qa/ask`.
pub async fn ask_form(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
) -> WebResult<Response> {
    ask_page(&state, &page, &csrf, &agency, Typed::default())
}

/// `POST /a/{slug}/qa/ask`: takes the question, or shows the form again with what was typed.
pub async fn ask(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let mut typed = Typed::of(&form, "question");
    if let Err(r) = guard(&state, &form, "qa", agency.id, &client) {
        let back = (format!("/a/{}/qa", agency.slug), page.tr.get("qa-back"));
        return refused(&state, &page, &csrf, &agency, r, back, typed, ask_page);
    }
    match ps::ask(&state.cx, agency.id, &typed.input).await {
        Ok(_) => {
            count(&state, "qa", agency.id, &client);
            Ok(Redirect::to(&format!("/a/{}/qa/sent", agency.slug)).into_response())
        }
        Err(ParticipationError::Invalid(e)) => {
            typed.e = e;
            ask_page(&state, &page, &csrf, &agency, typed)
        }
        Err(e) => Err(web_error(e)),
    }
}

/// `GET /a/{slug}/qa/sent`: the question awaits moderation.
pub async fn sent(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
) -> WebResult<Response> {
    let l = super::layout(
        &page,
        &agency,
        page.tr.get("qa-sent-title"),
        &state,
        "",
        "qa",
    );
    Ok(no_store(render(&MessagePage {
        l,
        text: page.tr.get("qa-sent-text"),
        reference: None,
        back: (format!("/a/{}/qa", agency.slug), page.tr.get("qa-back")),
    })?))
}

/// A question in the moderation queue.
pub struct QueueRow {
    pub id: QuestionId,
    pub question: String,
    pub asker: String,
    pub asked_at: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "portal/qa_admin_list.html")]
struct QueuePage {
    l: Layout,
    slug: String,
    /// (status code, label with count, current)
    tabs: Vec<(String, String, bool)>,
    rows: Vec<QueueRow>,
}

fn state_label(page: &Page, s: QuestionStatus) -> String {
    page.tr.get(&format!("qa-state-{}", s.as_str()))
}

/// `GET /a/{slug}/admin/qa?status=…`: the queue (pending first by default).
pub async fn admin_list(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    if !ps::can_moderate(&m.member) {
        return Err(WebError::Forbidden);
    }
    let status = match q.status.trim() {
        "all" => None,
        s => Some(QuestionStatus::parse(s).unwrap_or(QuestionStatus::Pending)),
    };
    let store = &state.cx.store;
    let counts = store.question_counts(m.agency.id).await?;
    let count_of = |s: QuestionStatus| {
        counts
            .iter()
            .filter(|(k, _)| *k == s)
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    let mut tabs: Vec<(String, String, bool)> = QuestionStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                format!("{} ({})", state_label(&page, *s), count_of(*s)),
                status == Some(*s),
            )
        })
        .collect();
    tabs.push(("all".into(), page.tr.get("pt-all"), status.is_none()));
    let rows = store
        .list_questions(m.agency.id, status)
        .await?
        .iter()
        .map(|q| QueueRow {
            id: q.id,
            question: prongsai_thai::Segmenter::new().shorten(&q.question, 120),
            asker: q.asker_name.clone().unwrap_or_default(),
            asked_at: page.tr.datetime(q.asked_at),
            state: state_label(&page, q.status),
        })
        .collect();
    render(&QueuePage {
        l: office_layout(&page, &csrf, &m, page.tr.get("qa-admin-title"), "qa"),
        slug: m.agency.slug.to_string(),
        tabs,
        rows,
    })
}

#[derive(Template)]
#[template(path = "portal/qa_admin_item.html")]
struct ModeratePage {
    l: Layout,
    slug: String,
    q: Question,
    state: String,
    asked_at: String,
    public_url: Option<String>,
    /// The answer in the form: as typed, else as saved.
    answer: String,
    e: FieldErrors,
}

impl ModeratePage {
    fn is(&self, s: &str) -> bool {
        self.q.status.as_str() == s
    }
}

fn moderate_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    q: Question,
    answer: Option<String>,
    e: FieldErrors,
) -> WebResult<ModeratePage> {
    let slug = m.agency.slug.to_string();
    Ok(ModeratePage {
        l: office_layout(page, csrf, m, page.tr.get("qa-admin-title"), "qa"),
        state: state_label(page, q.status),
        asked_at: page.tr.datetime(q.asked_at),
        public_url: (q.status == QuestionStatus::Published)
            .then(|| public_url(state, &slug, &q.public_path())),
        answer: answer.unwrap_or_else(|| q.answer.clone().unwrap_or_default()),
        slug,
        q,
        e,
    })
}

/// The whole public address of a page, to paste into ITAS, when the installation knows its own.
pub fn public_url(state: &AppState, slug: &str, path: &str) -> String {
    let origin = state.config.public_url.as_deref().unwrap_or("");
    format!("{}/a/{slug}/{path}", origin.trim_end_matches('/'))
}

/// `GET /a/{slug}/admin/qa/{id}`.
pub async fn admin_show(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let q = ps::question_for_staff(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    render(&moderate_page(
        &state,
        &page,
        &csrf,
        &m,
        q,
        None,
        FieldErrors::new(),
    )?)
}

/// `POST /a/{slug}/admin/qa/{id}`: publish, answer, hide or reject.
pub async fn admin_moderate(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    let answer = form.get("answer");
    match ps::moderate(&state.cx, &m.member, id, &form.get("change"), &answer).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/qa/{id}", m.agency.slug),
            Flash::Saved,
        )),
        Err(ParticipationError::Invalid(e)) => {
            let q = ps::question_for_staff(&state.cx, &m.member, id)
                .await
                .map_err(web_error)?;
            render_invalid(&moderate_page(
                &state,
                &page,
                &csrf,
                &m,
                q,
                Some(answer),
                e,
            )?)
        }
        Err(e) => Err(web_error(e)),
    }
}
