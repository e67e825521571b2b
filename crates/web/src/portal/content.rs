//! The back office of portal content: the lists of pages and of news, the edit form with its
//! preview, publishing, pinning, versions and restoring, and attachments.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::ContentId;
use prongsai_domain::platform::service::Upload;
use prongsai_domain::portal::service::{self as ps, PortalError};
use prongsai_domain::portal::{Content, ContentInput, ContentKind};

use super::SafeHtml;
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormFields, read_multipart};
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

/// Maps the errors that are not a form's own to web errors.
pub fn web_error(e: PortalError) -> WebError {
    match e {
        PortalError::Forbidden => WebError::Forbidden,
        PortalError::NotFound => WebError::NotFound,
        PortalError::Invalid(_) => WebError::BadRequest,
        PortalError::Store(s) => s.into(),
    }
}

fn id_of(raw: &str) -> WebResult<ContentId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn section(kind: ContentKind) -> &'static str {
    if kind.is_page() { "pages" } else { "news" }
}

/// The largest attachment.
fn max_bytes(state: &AppState) -> u64 {
    state.config.max_image_bytes.max(10 * 1024 * 1024)
}

/// One row of a list.
pub struct Row {
    pub id: ContentId,
    pub title: String,
    pub kind: String,
    pub category: String,
    pub division: String,
    pub state: String,
    pub date: String,
    pub pinned: bool,
    pub editable: bool,
    pub public_url: Option<String>,
}

fn state_label(page: &Page, c: &Content, now: i64) -> String {
    page.tr.get(if c.is_scheduled(now) {
        "cms-state-scheduled"
    } else if c.published {
        "cms-state-published"
    } else {
        "cms-state-draft"
    })
}

#[derive(Template)]
#[template(path = "portal/admin_list.html")]
struct ListPage {
    l: Layout,
    slug: String,
    pages: bool,
    can_write: bool,
    rows: Vec<Row>,
}

async fn list(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    kind: ContentKind,
) -> WebResult<Response> {
    if !ps::can_write(&m.member) {
        return Err(WebError::Forbidden);
    }
    let kinds: &[ContentKind] = if kind.is_page() {
        &[ContentKind::Page]
    } else {
        &ContentKind::NEWS_KINDS
    };
    let items = state.cx.store.list_content(m.agency.id, kinds).await?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let now = state.cx.clock.unix();
    let slug = m.agency.slug.to_string();
    let rows = items
        .iter()
        .map(|c| Row {
            id: c.id,
            title: c.fields.title.clone(),
            kind: page.tr.get(&format!("cms-kind-{}", c.fields.kind.as_str())),
            category: c.fields.category.clone().unwrap_or_default(),
            division: c
                .fields
                .division_id
                .and_then(|d| divisions.iter().find(|x| x.id == d))
                .map(|d| d.fields.name.clone())
                .unwrap_or_default(),
            state: state_label(page, c, now),
            date: page.tr.datetime(c.fields.publish_at),
            pinned: c.fields.pinned,
            editable: ps::can_edit(&m.member, c),
            public_url: c
                .is_public(now)
                .then(|| format!("/a/{slug}/{}", c.public_path())),
        })
        .collect();
    let title = page.tr.get(if kind.is_page() {
        "nav-pages"
    } else {
        "nav-news"
    });
    render(&ListPage {
        l: office_layout(page, csrf, m, title, section(kind)),
        slug,
        pages: kind.is_page(),
        can_write: true,
        rows,
    })
}

pub async fn list_pages(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    list(&state, &page, &csrf, &m, ContentKind::Page).await
}

pub async fn list_news(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    list(&state, &page, &csrf, &m, ContentKind::News).await
}

/// An attachment as the form lists it.
pub struct AttachmentRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub href: String,
}

/// A file size for people: "120 KB", "2.4 MB".
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// The state of a saved item, for its form.
pub struct Saved {
    pub id: ContentId,
    pub state: String,
    pub published: bool,
    pub pinned: bool,
    pub version: i64,
    pub public_url: Option<String>,
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Template)]
#[template(path = "portal/admin_form.html")]
struct FormPage {
    l: Layout,
    slug: String,
    action: String,
    back: String,
    is_page: bool,
    is_new: bool,
    slug_locked: bool,
    saved: Option<Saved>,
    f: ContentInput,
    e: FieldErrors,
    kinds: Vec<(String, String)>,
    divisions: Vec<(String, String)>,
    /// Officers choose one of their divisions; admins may leave it empty (the agency's own).
    division_required: bool,
    preview: Option<SafeHtml>,
    max_mb: u64,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
async fn form_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    kind: ContentKind,
    existing: Option<&Content>,
    f: ContentInput,
    e: FieldErrors,
    preview: bool,
) -> WebResult<FormPage> {
    let slug = m.agency.slug.to_string();
    let officer = ps::limited_to_divisions(&m.member);
    let mine = m.member.membership.officer_divisions();
    let divisions = state
        .cx
        .store
        .list_divisions(m.agency.id)
        .await?
        .into_iter()
        .filter(|d| !officer || mine.contains(&d.id))
        .map(|d| (d.id.to_string(), d.fields.name))
        .collect();
    let now = state.cx.clock.unix();
    let saved = match existing {
        Some(c) => {
            let attachments = state
                .cx
                .store
                .attachments(m.agency.id, c.id)
                .await?
                .into_iter()
                .map(|a| AttachmentRow {
                    id: a.id.to_string(),
                    name: a.file.original_name.clone(),
                    kind: a.file.kind.extension().to_uppercase(),
                    size: size_label(a.file.size),
                    href: format!("/a/{slug}/admin/files/{}", a.file.id),
                })
                .collect();
            Some(Saved {
                id: c.id,
                state: state_label(page, c, now),
                published: c.published,
                pinned: c.fields.pinned,
                version: c.version,
                // The whole address when the installation knows its own, to paste into ITAS.
                public_url: c.published.then(|| {
                    let origin = state.config.public_url.as_deref().unwrap_or("");
                    format!(
                        "{}/a/{slug}/{}",
                        origin.trim_end_matches('/'),
                        c.public_path()
                    )
                }),
                attachments,
            })
        }
        None => None,
    };
    let title = match (existing, kind.is_page()) {
        (Some(c), _) => c.fields.title.clone(),
        (None, true) => page.tr.get("cms-new-page"),
        (None, false) => page.tr.get("cms-new-news"),
    };
    let action = match existing {
        Some(c) => format!("/a/{slug}/admin/content/{}", c.id),
        None => format!("/a/{slug}/admin/{}/new", section(kind)),
    };
    Ok(FormPage {
        l: office_layout(page, csrf, m, title, section(kind)),
        back: format!("/a/{slug}/admin/{}", section(kind)),
        slug,
        action,
        is_page: kind.is_page(),
        is_new: existing.is_none(),
        slug_locked: existing.is_some_and(|c| c.first_published_at.is_some()),
        saved,
        preview: preview.then(|| SafeHtml::from_markdown(&f.body)),
        f,
        e,
        kinds: ContentKind::NEWS_KINDS
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    page.tr.get(&format!("cms-kind-{}", k.as_str())),
                )
            })
            .collect(),
        divisions,
        division_required: officer,
        max_mb: max_bytes(state) / (1024 * 1024),
    })
}

fn input_of(form: &FormFields, kind: &str) -> ContentInput {
    ContentInput {
        kind: kind.to_owned(),
        slug: form.get("page_slug"),
        title: form.get("content_title"),
        body: form.get("body"),
        category: form.get("category"),
        division_id: form.get("division_id"),
        publish_at: form.get("publish_at"),
        pinned: form.get("pinned") == "on",
    }
}

async fn new_form(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    kind: ContentKind,
    standard: Option<&str>,
) -> WebResult<Response> {
    if !ps::can_write(&m.member) {
        return Err(WebError::Forbidden);
    }
    let mine = m.member.membership.officer_divisions();
    // A missing standard page is written at its standard address, under its standard name.
    let std = standard
        .and_then(|key| prongsai_domain::portal::menu::standard().page(key))
        .filter(|_| kind.is_page());
    let f = ContentInput {
        kind: kind.as_str().to_owned(),
        division_id: if ps::limited_to_divisions(&m.member) {
            mine.first().map(ToString::to_string).unwrap_or_default()
        } else {
            String::new()
        },
        slug: std.and_then(|p| p.address.clone()).unwrap_or_default(),
        title: std.map(|p| p.name_th.clone()).unwrap_or_default(),
        ..ContentInput::default()
    };
    render(
        &form_page(
            state,
            page,
            csrf,
            m,
            kind,
            None,
            f,
            FieldErrors::new(),
            false,
        )
        .await?,
    )
}

async fn create(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    out: &CookieOut,
    kind: ContentKind,
    form: &FormFields,
) -> WebResult<Response> {
    let typed = if kind.is_page() {
        "page".to_owned()
    } else {
        form.get("content_kind")
    };
    let input = input_of(form, &typed);
    if !ps::can_write(&m.member) {
        return Err(WebError::Forbidden);
    }
    if form.get("preview") == "1" {
        let p = form_page(
            state,
            page,
            csrf,
            m,
            kind,
            None,
            input,
            FieldErrors::new(),
            true,
        );
        return render(&p.await?);
    }
    match ps::create(&state.cx, &m.member, &input).await {
        Ok(id) => Ok(redirect_flash(
            out,
            &format!("/a/{}/admin/content/{id}", m.agency.slug),
            Flash::Created,
        )),
        Err(PortalError::Invalid(e)) => {
            render_invalid(&form_page(state, page, csrf, m, kind, None, input, e, false).await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

/// `GET …/admin/pages/new[?standard={key}]`: a new page, or the missing standard page `key`.
pub async fn new_page(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Query(q): Query<NewPageQuery>,
) -> WebResult<Response> {
    new_form(
        &state,
        &page,
        &csrf,
        &m,
        ContentKind::Page,
        q.standard.as_deref(),
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct NewPageQuery {
    standard: Option<String>,
}

pub async fn new_news(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    new_form(&state, &page, &csrf, &m, ContentKind::News, None).await
}

pub async fn create_page(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    create(&state, &page, &csrf, &m, &out, ContentKind::Page, &form).await
}

pub async fn create_news(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    create(&state, &page, &csrf, &m, &out, ContentKind::News, &form).await
}

pub async fn edit_content(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let c = ps::editable(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    let f = ContentInput::from_content(&c);
    let p = form_page(
        &state,
        &page,
        &csrf,
        &m,
        c.fields.kind,
        Some(&c),
        f,
        FieldErrors::new(),
        false,
    );
    render(&p.await?)
}

pub async fn update_content(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let c = ps::editable(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    let kind = c.fields.kind;
    let mut input = input_of(&form, kind.as_str());
    if c.first_published_at.is_some() && input.slug.is_empty() {
        // A fixed address is shown, not sent.
        input.slug = c.fields.slug.clone().unwrap_or_default();
    }
    if form.get("preview") == "1" {
        let p = form_page(
            &state,
            &page,
            &csrf,
            &m,
            kind,
            Some(&c),
            input,
            FieldErrors::new(),
            true,
        );
        return render(&p.await?);
    }
    match ps::update(&state.cx, &m.member, c.id, &input).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/content/{}", m.agency.slug, c.id),
            Flash::Saved,
        )),
        Err(PortalError::Invalid(e)) => {
            let p = form_page(&state, &page, &csrf, &m, kind, Some(&c), input, e, false);
            render_invalid(&p.await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

/// `POST …/content/{id}/status`: publish, withdraw, pin, unpin, or delete a draft never
/// public (back to the list); a refusal is shown on the item's form.
pub async fn change_status(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let c = ps::editable(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    let change = form.get("change");
    match ps::change_status(&state.cx, &m.member, c.id, &change).await {
        Ok(()) if change == "delete" => Ok(redirect_flash(
            &out,
            &format!(
                "/a/{}/admin/{}",
                m.agency.slug,
                if c.fields.kind.is_page() {
                    "pages"
                } else {
                    "news"
                }
            ),
            Flash::Deleted,
        )),
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/content/{}", m.agency.slug, c.id),
            Flash::Saved,
        )),
        Err(PortalError::Invalid(e)) => {
            let f = ContentInput::from_content(&c);
            let p = form_page(
                &state,
                &page,
                &csrf,
                &m,
                c.fields.kind,
                Some(&c),
                f,
                e,
                false,
            );
            render_invalid(&p.await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

/// One version as the history shows it.
pub struct VersionRow {
    pub id: String,
    pub number: i64,
    pub by: String,
    pub at: String,
    pub action: String,
    pub title: String,
    pub body: String,
    /// The lines changed from the version before: (mark, line), mark `+`, `-` or ` `.
    pub diff: Vec<(char, String)>,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/admin_versions.html")]
struct VersionsPage {
    l: Layout,
    slug: String,
    id: ContentId,
    rows: Vec<VersionRow>,
    /// Why a restore was refused.
    fe: FieldErrors,
}

pub async fn show_versions(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    render(&versions_page(&state, &page, &csrf, &m, id_of(&id)?, FieldErrors::new()).await?)
}

async fn versions_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    id: ContentId,
    fe: FieldErrors,
) -> WebResult<VersionsPage> {
    let (c, versions) = ps::versions(&state.cx, &m.member, id)
        .await
        .map_err(web_error)?;
    let mut rows = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let before = versions.get(i + 1);
        let old_text = before.map(|b| format!("{}\n\n{}", b.title, b.body));
        let new_text = format!("{}\n\n{}", v.title, v.body);
        rows.push(VersionRow {
            id: v.id.to_string(),
            number: v.number,
            by: v.by.clone(),
            at: page.tr.datetime(v.at),
            action: page.tr.get(&format!("cms-version-{}", v.action)),
            title: v.title.clone(),
            body: v.body.clone(),
            diff: old_text
                .map(|o| super::diff::lines(&o, &new_text))
                .unwrap_or_default(),
            current: v.number == c.version,
        });
    }
    let title = page.tr.arg("cms-versions-of", "title", &c.fields.title);
    Ok(VersionsPage {
        l: office_layout(page, csrf, m, title, section(c.fields.kind)),
        slug: m.agency.slug.to_string(),
        id: c.id,
        rows,
        fe,
    })
}

/// `POST …/content/{id}/restore`: a version becomes the current text again; a refusal (the old
/// address of a page never published is now another page's) is shown on the versions page.
pub async fn restore_version(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    match ps::restore(&state.cx, &m.member, id, &form.get("version")).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/content/{id}", m.agency.slug),
            Flash::Saved,
        )),
        Err(PortalError::Invalid(e)) => {
            render_invalid(&versions_page(&state, &page, &csrf, &m, id, e).await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn add_attachments(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    let c = ps::editable(&state.cx, &m.member, id_of(&id)?)
        .await
        .map_err(web_error)?;
    let (_, files) = read_multipart(mp, "attachments", ps::MAX_FILES).await?;
    let max = max_bytes(&state);
    let uploads: Vec<Upload<'_>> = files
        .iter()
        .map(|f| Upload {
            file_name: &f.file_name,
            bytes: &f.bytes,
            max_bytes: max,
        })
        .collect();
    match ps::attach(&state.cx, state.blobs.as_ref(), &m.member, c.id, &uploads).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/content/{}", m.agency.slug, c.id),
            Flash::Saved,
        )),
        Err(PortalError::Invalid(e)) => {
            let f = ContentInput::from_content(&c);
            let kind = c.fields.kind;
            let p = form_page(&state, &page, &csrf, &m, kind, Some(&c), f, e, false);
            render_invalid(&p.await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let id = id_of(&id)?;
    ps::detach(&state.cx, &m.member, id, &form.get("attachment"))
        .await
        .map_err(web_error)?;
    Ok(redirect_flash(
        &out,
        &format!("/a/{}/admin/content/{id}", m.agency.slug),
        Flash::Deleted,
    ))
}
