//! Suggestions from the public (OIT item O30): the public page `/a/{slug}/suggestions` (how
//! many were received this fiscal year, by status, and the published ones with the agency's
//! response; cached), each published one at `/a/{slug}/suggestions/{id}`, the form
//! `/a/{slug}/suggestions/new` (a reference number on the confirmation), and the staff's list
//! and review under `/a/{slug}/admin/suggestions`. The sender's name and contact are shown to
//! staff only.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::SuggestionId;
use prongsai_domain::platform::Agency;
use prongsai_domain::portal::participation::service::{
    self as ps, ParticipationError, ReviewInput,
};
use prongsai_domain::portal::participation::{Suggestion, SuggestionStatus, Topic, is_reference};
use serde::Deserialize;

use super::home::serve_cached;
use super::public::{public_date, public_layout};
use super::qa::{
    MessagePage, PAGE_SIZE, PageQuery, Pager, Typed, agency_of, count, guard, list_page,
    public_form, public_url, refused, web_error,
};
use crate::auth::{AgencyCtx, MemberCtx};
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::Client;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, no_store, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

fn id_of(raw: &str) -> WebResult<SuggestionId> {
    raw.trim().parse().map_err(|_| WebError::NotFound)
}

fn topic_label(page: &Page, t: Topic) -> String {
    page.tr.get(&format!("sg-topic-{}", t.as_str()))
}

fn status_label(page: &Page, s: SuggestionStatus) -> String {
    page.tr.get(&format!("sg-status-{}", s.as_str()))
}

/// A published suggestion as the public sees it: never the sender's name or contact.
pub struct PublicSuggestion {
    pub href: String,
    pub reference: String,
    pub topic: String,
    pub text: String,
    pub status: String,
    pub response: String,
    pub date: String,
}

fn public_suggestion(page: &Page, slug: &str, s: &Suggestion) -> PublicSuggestion {
    PublicSuggestion {
        href: format!("/a/{slug}/{}", s.public_path()),
        reference: s.reference(),
        topic: topic_label(page, s.topic),
        text: s.text.clone(),
        status: status_label(page, s.review.status),
        response: s.review.response.clone().unwrap_or_default(),
        date: public_date(page, s.received_at),
    }
}

#[derive(Template)]
#[template(path = "portal/suggestions.html")]
struct PublicPage {
    l: Layout,
    slug: String,
    year: i32,
    /// (status, count)
    counts: Vec<(String, i64)>,
    total: i64,
    rows: Vec<PublicSuggestion>,
    pager: Pager,
}

/// `GET /a/{slug}/suggestions`.
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let (n, path) = list_page(&q, "suggestions");
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let store = &state.cx.store;
        let year = ps::this_fiscal_year(&state.cx).be();
        let counts = store.suggestion_counts(agency.id, year).await?;
        let (items, total) = store
            .public_suggestions(agency.id, (n - 1) * PAGE_SIZE, PAGE_SIZE)
            .await?;
        let pager = Pager::new(&format!("/a/{slug}/suggestions"), n, total);
        if n > pager.pages {
            return Err(WebError::NotFound);
        }
        let title = page.tr.get("sg-title");
        Ok(PublicPage {
            l: public_layout(&state, &page, &agency, title, &path, "suggestions"),
            year,
            counts: SuggestionStatus::ALL
                .iter()
                .map(|s| (status_label(&page, *s), counts.of(*s)))
                .collect(),
            total: counts.total(),
            rows: items
                .iter()
                .map(|s| public_suggestion(&page, &slug, s))
                .collect(),
            slug: slug.clone(),
            pager,
        }
        .render()?)
    };
    serve_cached(&state, &slug, &path, &page, &headers, render).await
}

#[derive(Template)]
#[template(path = "portal/suggestion_item.html")]
struct ItemPage {
    l: Layout,
    slug: String,
    s: PublicSuggestion,
}

/// `GET /a/{slug}/suggestions/{id}`: one published suggestion and the agency's response.
pub async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    let path = format!("suggestions/{id}");
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let s = state.cx.store.suggestion(agency.id, id).await?;
        if !s.is_public() {
            return Err(WebError::NotFound);
        }
        let title = format!("{} {}", page.tr.get("sg-reference"), s.reference());
        Ok(ItemPage {
            l: public_layout(&state, &page, &agency, title, &path, "suggestions"),
            s: public_suggestion(&page, &slug, &s),
            slug: slug.clone(),
        }
        .render()?)
    };
    serve_cached(&state, &slug, &path, &page, &headers, render).await
}

#[derive(Template)]
#[template(path = "portal/suggestion_form.html")]
struct FormPage {
    l: Layout,
    slug: String,
    topics: Vec<(String, String)>,
    typed: Typed,
}

fn topics(page: &Page) -> Vec<(String, String)> {
    Topic::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), topic_label(page, *t)))
        .collect()
}

fn form_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    t: Typed,
) -> WebResult<Response> {
    let l = super::layout(
        page,
        agency,
        page.tr.get("sg-form-title"),
        state,
        "suggestions/new",
        "suggestions",
    )
    .csrf(csrf);
    let p = FormPage {
        l,
        slug: agency.slug.to_string(),
        topics: topics(page),
        typed: t,
    };
    public_form(&p, &p.typed)
}

/// `GET /a/{slug}/suggestions/new`.
pub async fn new_form(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
) -> WebResult<Response> {
    form_page(&state, &page, &csrf, &agency, Typed::default())
}

/// `POST /a/{slug}/suggestions/new`.
pub async fn submit(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let mut typed = Typed::of(&form, "suggestion");
    if let Err(r) = guard(&state, &form, "suggestion", agency.id, &client) {
        let back = (
            format!("/a/{}/suggestions", agency.slug),
            page.tr.get("sg-back"),
        );
        return refused(&state, &page, &csrf, &agency, r, back, typed, form_page);
    }
    match ps::suggest(&state.cx, agency.id, &typed.input).await {
        Ok(s) => {
            count(&state, "suggestion", agency.id, &client);
            Ok(Redirect::to(&format!(
                "/a/{}/suggestions/sent?ref={}",
                agency.slug,
                s.reference()
            ))
            .into_response())
        }
        Err(ParticipationError::Invalid(e)) => {
            typed.e = e;
            form_page(&state, &page, &csrf, &agency, typed)
        }
        Err(e) => Err(web_error(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SentQuery {
    #[serde(rename = "ref")]
    reference: String,
}

/// `GET /a/{slug}/suggestions/sent?ref=2569-0007`: the confirmation with the reference.
pub async fn sent(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Query(q): Query<SentQuery>,
    page: Page,
) -> WebResult<Response> {
    let l = super::layout(
        &page,
        &agency,
        page.tr.get("sg-sent-title"),
        &state,
        "",
        "suggestions",
    );
    Ok(no_store(render(&MessagePage {
        l,
        text: page.tr.get("sg-sent-text"),
        reference: is_reference(&q.reference).then_some(q.reference),
        back: (
            format!("/a/{}/suggestions", agency.slug),
            page.tr.get("sg-back"),
        ),
    })?))
}

/// A suggestion in the staff's list.
pub struct AdminRow {
    pub id: SuggestionId,
    pub reference: String,
    pub topic: String,
    pub text: String,
    pub status: String,
    pub published: bool,
    pub received_at: String,
}

#[derive(Template)]
#[template(path = "portal/suggestions_admin_list.html")]
struct AdminListPage {
    l: Layout,
    slug: String,
    year: i32,
    counts: Vec<(String, i64)>,
    rows: Vec<AdminRow>,
}

/// `GET /a/{slug}/admin/suggestions`: every suggestion, newest first, with this year's counts.
pub async fn admin_list(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    if !ps::can_moderate(&m.member) {
        return Err(WebError::Forbidden);
    }
    let store = &state.cx.store;
    let year = ps::this_fiscal_year(&state.cx).be();
    let counts = store.suggestion_counts(m.agency.id, year).await?;
    let seg = prongsai_thai::Segmenter::new();
    let rows = store
        .list_suggestions(m.agency.id, None)
        .await?
        .iter()
        .map(|s| AdminRow {
            id: s.id,
            reference: s.reference(),
            topic: topic_label(&page, s.topic),
            text: seg.shorten(&s.text, 120),
            status: status_label(&page, s.review.status),
            published: s.review.published,
            received_at: page.tr.datetime(s.received_at),
        })
        .collect();
    render(&AdminListPage {
        l: office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("sg-admin-title"),
            "suggestions",
        ),
        slug: m.agency.slug.to_string(),
        year,
        counts: SuggestionStatus::ALL
            .iter()
            .map(|s| (status_label(&page, *s), counts.of(*s)))
            .collect(),
        rows,
    })
}

#[derive(Template)]
#[template(path = "portal/suggestion_admin_item.html")]
struct ReviewPage {
    l: Layout,
    slug: String,
    s: Suggestion,
    topic: String,
    received_at: String,
    /// (code, label)
    statuses: Vec<(String, String)>,
    f: ReviewInput,
    e: FieldErrors,
    public_url: Option<String>,
}

fn review_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    s: Suggestion,
    f: Option<ReviewInput>,
    e: FieldErrors,
) -> ReviewPage {
    let slug = m.agency.slug.to_string();
    let f = f.unwrap_or_else(|| ReviewInput {
        status: s.review.status.as_str().to_owned(),
        response: s.review.response.clone().unwrap_or_default(),
        publish: s.review.published,
    });
    ReviewPage {
        l: office_layout(
            page,
            csrf,
            m,
            format!("{} {}", page.tr.get("sg-reference"), s.reference()),
            "suggestions",
        ),
        topic: topic_label(page, s.topic),
        received_at: page.tr.datetime(s.received_at),
        statuses: SuggestionStatus::ALL
            .iter()
            .map(|st| (st.as_str().to_owned(), status_label(page, *st)))
            .collect(),
        public_url: s
            .is_public()
            .then(|| public_url(state, &slug, &s.public_path())),
        slug,
        s,
        f,
        e,
    }
}

/// `GET /a/{slug}/admin/suggestions/{id}`.
pub async fn admin_show(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let s = ps::suggestion_for_staff(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    render(&review_page(
        &state,
        &page,
        &csrf,
        &m,
        s,
        None,
        FieldErrors::new(),
    ))
}

/// `POST /a/{slug}/admin/suggestions/{id}`: the status, the response and whether to publish.
pub async fn admin_review(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    let input = ReviewInput {
        status: form.get("status"),
        response: form.get("response"),
        publish: form.checked("publish"),
    };
    match ps::review(&state.cx, &m.member, id, &input).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/suggestions/{id}", m.agency.slug),
            Flash::Saved,
        )),
        Err(ParticipationError::Invalid(e)) => {
            let s = ps::suggestion_for_staff(&state.cx, &m.member, id)
                .await
                .map_err(web_error)?;
            render_invalid(&review_page(&state, &page, &csrf, &m, s, Some(input), e))
        }
        Err(e) => Err(web_error(e)),
    }
}
