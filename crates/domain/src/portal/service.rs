//! Portal content services: writing pages and news (agency admins: all; division officers: their
//! division's), publishing, scheduling, pinning, versions and restoring, attachments; and what
//! the public and the search index see.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{AgencyId, AttachmentId, ContentId, ContentVersionId};
use crate::platform::file::{BlobStore, FileKind};
use crate::platform::service::{Member, PlatformError, Upload, store_upload};
use crate::platform::{Permission, Role};
use crate::validate::{ErrorCode, FieldErrors};

use super::markdown;
use super::model::{Content, ContentFields, ContentInput, ContentKind, ContentVersion, IndexEntry};
use super::store::NewVersion;

/// What a portal service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PortalError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for PortalError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

type Result<T, E = PortalError> = std::result::Result<T, E>;

/// The file types an item may carry: documents and images.
pub const ATTACHMENT_KINDS: &[FileKind] = &[
    FileKind::Pdf,
    FileKind::Docx,
    FileKind::Xlsx,
    FileKind::Png,
    FileKind::Jpeg,
    FileKind::Gif,
    FileKind::Webp,
];

/// The most files one upload may carry.
pub const MAX_FILES: usize = 10;

/// Whether the member may write portal content at all.
pub fn can_write(m: &Member) -> bool {
    m.membership.can(Permission::EditPortal)
}

/// Whether the member may edit this item.
pub fn can_edit(m: &Member, c: &Content) -> bool {
    can_write(m) && m.membership.can_edit_content_of(c.fields.division_id)
}

/// The item, if the member may edit it: 403 for an item of another division.
pub async fn editable(cx: &Ctx, m: &Member, id: ContentId) -> Result<Content> {
    let c = cx.store.content(m.agency_id(), id).await?;
    if can_edit(m, &c) {
        Ok(c)
    } else {
        Err(PortalError::Forbidden)
    }
}

async fn parse(cx: &Ctx, m: &Member, input: &ContentInput) -> Result<ContentFields> {
    let divisions: Vec<_> = cx
        .store
        .list_divisions(m.agency_id())
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let f = input.parse(&divisions, cx.clock.unix())?;
    if !m.membership.can_edit_content_of(f.division_id) {
        return Err(FieldErrors::single("division_id", ErrorCode::NotYourDivision).into());
    }
    Ok(f)
}

fn slug_taken(e: StoreError) -> PortalError {
    match e {
        StoreError::Conflict => FieldErrors::single("page_slug", ErrorCode::PageSlugTaken).into(),
        other => other.into(),
    }
}

/// Creates a draft page or news item and its first version.
pub async fn create(cx: &Ctx, m: &Member, input: &ContentInput) -> Result<ContentId> {
    if !can_write(m) {
        return Err(PortalError::Forbidden);
    }
    let fields = parse(cx, m, input).await?;
    let now = cx.clock.unix();
    let c = Content {
        id: ContentId::from_raw(cx.new_id()),
        agency_id: m.agency_id(),
        fields,
        published: false,
        first_published_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let v = NewVersion {
        id: ContentVersionId::from_raw(cx.new_id()),
        by: m.display_name(),
        action: "create",
    };
    cx.store
        .create_content(cx.write(&m.actor), &c, v)
        .await
        .map_err(slug_taken)?;
    Ok(c.id)
}

/// Saves an edit as a new version. The kind stays; a page that has been public keeps its
/// address. A save that changes nothing makes no version.
pub async fn update(cx: &Ctx, m: &Member, id: ContentId, input: &ContentInput) -> Result<()> {
    let old = editable(cx, m, id).await?;
    let input = ContentInput {
        kind: old.fields.kind.as_str().to_owned(),
        ..input.clone()
    };
    let fields = parse(cx, m, &input).await?;
    save(cx, m, &old, fields, "update").await
}

async fn save(
    cx: &Ctx,
    m: &Member,
    old: &Content,
    fields: ContentFields,
    action: &'static str,
) -> Result<()> {
    if old.first_published_at.is_some() && fields.slug != old.fields.slug {
        return Err(FieldErrors::single("page_slug", ErrorCode::PageSlugLocked).into());
    }
    if fields == old.fields {
        return Ok(());
    }
    let v = NewVersion {
        id: ContentVersionId::from_raw(cx.new_id()),
        by: m.display_name(),
        action,
    };
    cx.store
        .update_content(cx.write(&m.actor), m.agency_id(), old.id, &fields, v)
        .await
        .map_err(slug_taken)?;
    if old.published {
        refresh_index(cx, m.agency_id()).await;
    }
    Ok(())
}

/// Brings the search index up to date with the public pages and news after a write.
async fn refresh_index(cx: &Ctx, agency: AgencyId) {
    crate::search::feed::refresh_after_write(cx, agency, crate::search::Source::Content).await;
}

/// A change of state from the item's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Publish,
    Unpublish,
    Pin,
    Unpin,
    /// Only an item that was never public: a published address stays (it may have been
    /// pasted anywhere), so a published item is withdrawn instead.
    Delete,
}

impl StatusChange {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "publish" => Some(Self::Publish),
            "unpublish" => Some(Self::Unpublish),
            "pin" => Some(Self::Pin),
            "unpin" => Some(Self::Unpin),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Publishes (at its publication time), withdraws, pins, unpins or deletes an item. Pages are
/// not pinned; only an item never public is deleted.
pub async fn change_status(cx: &Ctx, m: &Member, id: ContentId, change: &str) -> Result<()> {
    let c = editable(cx, m, id).await?;
    let change = StatusChange::parse(change)
        .ok_or_else(|| FieldErrors::single("change", ErrorCode::InvalidChoice))?;
    let w = cx.write(&m.actor);
    let agency = m.agency_id();
    match change {
        StatusChange::Publish if !c.published => {
            // A draft's time that has passed becomes the moment it first goes public, so news
            // written on Monday and published on Wednesday is dated Wednesday; a future time is
            // the schedule and stays.
            let now = cx.clock.unix();
            let at = (c.first_published_at.is_none() && c.fields.publish_at < now).then_some(now);
            cx.store.set_published(w, agency, id, true, at).await?;
        }
        StatusChange::Unpublish if c.published => {
            cx.store.set_published(w, agency, id, false, None).await?;
        }
        StatusChange::Pin | StatusChange::Unpin if c.fields.kind.is_page() => {
            return Err(FieldErrors::single("change", ErrorCode::InvalidChoice).into());
        }
        StatusChange::Pin if !c.fields.pinned => cx.store.set_pinned(w, agency, id, true).await?,
        StatusChange::Unpin if c.fields.pinned => {
            cx.store.set_pinned(w, agency, id, false).await?;
        }
        StatusChange::Delete if c.published || c.first_published_at.is_some() => {
            return Err(FieldErrors::single("change", ErrorCode::ContentWasPublished).into());
        }
        StatusChange::Delete => cx.store.delete_content(w, agency, id).await?,
        // Already so.
        _ => {}
    }
    if matches!(change, StatusChange::Publish | StatusChange::Unpublish) {
        refresh_index(cx, agency).await;
    }
    Ok(())
}

/// The versions of an item the member may edit, newest first.
pub async fn versions(
    cx: &Ctx,
    m: &Member,
    id: ContentId,
) -> Result<(Content, Vec<ContentVersion>)> {
    let c = editable(cx, m, id).await?;
    let v = cx.store.versions(m.agency_id(), id).await?;
    Ok((c, v))
}

/// Makes an old version's text the current one, as a new version. A page that has been public
/// keeps its address.
pub async fn restore(cx: &Ctx, m: &Member, id: ContentId, version: &str) -> Result<()> {
    let c = editable(cx, m, id).await?;
    let wanted: Option<ContentVersionId> = version.trim().parse().ok();
    let v = cx
        .store
        .versions(m.agency_id(), id)
        .await?
        .into_iter()
        .find(|v| Some(v.id) == wanted)
        .ok_or_else(|| FieldErrors::single("version", ErrorCode::InvalidChoice))?;
    let slug = if c.first_published_at.is_some() {
        c.fields.slug.clone()
    } else {
        v.slug.clone()
    };
    let fields = ContentFields {
        title: v.title,
        body: v.body,
        slug,
        category: v.category,
        ..c.fields.clone()
    };
    save(cx, m, &c, fields, "restore").await
}

/// Refuses a file name that tries to leave its folder. Browsers send the bare name; a path
/// here is a crafted request, and it is refused, not silently cut.
fn check_name(name: &str) -> Result<(), ErrorCode> {
    let bad = name.contains(['/', '\\'])
        || matches!(name.trim(), "." | "..")
        || name.chars().any(char::is_control);
    if bad {
        Err(ErrorCode::FileNameNotAllowed)
    } else {
        Ok(())
    }
}

/// Attaches files: every file's name, size and type (from its content) is checked before any
/// is stored, so a refused upload stores nothing.
pub async fn attach(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    id: ContentId,
    files: &[Upload<'_>],
) -> Result<()> {
    editable(cx, m, id).await?;
    if files.is_empty() {
        return Err(FieldErrors::single("attachments", ErrorCode::Required).into());
    }
    if files.len() > MAX_FILES {
        return Err(
            FieldErrors::single("attachments", ErrorCode::TooLong { max: MAX_FILES }).into(),
        );
    }
    for f in files {
        check_name(f.file_name).map_err(|c| FieldErrors::single("attachments", c))?;
        if f.bytes.len() as u64 > f.max_bytes {
            let code = ErrorCode::FileTooLarge {
                max_bytes: f.max_bytes,
            };
            return Err(FieldErrors::single("attachments", code).into());
        }
        if !FileKind::sniff(f.bytes).is_some_and(|k| ATTACHMENT_KINDS.contains(&k)) {
            return Err(FieldErrors::single("attachments", ErrorCode::FileTypeNotAllowed).into());
        }
    }
    for f in files {
        let stored = store_upload(cx, blobs, m, f, ATTACHMENT_KINDS, "attachments")
            .await
            .map_err(|e| match e {
                PlatformError::Invalid(fe) => PortalError::Invalid(fe),
                PlatformError::Store(s) => PortalError::Store(s),
                _ => PortalError::Forbidden,
            })?;
        cx.store
            .add_attachment(
                cx.write(&m.actor),
                m.agency_id(),
                id,
                AttachmentId::from_raw(cx.new_id()),
                stored.id,
            )
            .await?;
    }
    Ok(())
}

/// Removes an attachment from an item (the stored file stays, for the audit trail).
pub async fn detach(cx: &Ctx, m: &Member, id: ContentId, attachment: &str) -> Result<()> {
    editable(cx, m, id).await?;
    let a: AttachmentId = attachment
        .trim()
        .parse()
        .map_err(|_| FieldErrors::single("attachment", ErrorCode::InvalidChoice))?;
    cx.store
        .remove_attachment(cx.write(&m.actor), m.agency_id(), id, a)
        .await?;
    Ok(())
}

/// Whether the member is an officer limited to their division's content.
pub fn limited_to_divisions(m: &Member) -> bool {
    !m.membership.has_role(Role::AgencyAdmin)
}

/// Points the standard page `key` at one of the agency's pages (`page`: its id), or back at the
/// page at its standard address (`page` empty). Only those who write for the whole agency may;
/// a standard page that is only ever generated cannot be pointed anywhere.
pub async fn set_standard_page(cx: &Ctx, m: &Member, key: &str, page: &str) -> Result<()> {
    if !can_write(m) || limited_to_divisions(m) {
        return Err(PortalError::Forbidden);
    }
    let Some(std) = super::menu::standard().page(key) else {
        return Err(PortalError::NotFound);
    };
    if std.address.is_none() {
        return Err(PortalError::NotFound);
    }
    let content = match page.trim() {
        "" => None,
        raw => {
            let id = raw
                .parse::<i64>()
                .ok()
                .map(ContentId::from_raw)
                .ok_or_else(|| FieldErrors::single("page", ErrorCode::InvalidChoice))?;
            let c = cx.store.content(m.agency_id(), id).await?;
            if !c.fields.kind.is_page() {
                return Err(FieldErrors::single("page", ErrorCode::InvalidChoice).into());
            }
            Some(id)
        }
    };
    cx.store
        .set_standard_link(cx.write(&m.actor), m.agency_id(), key, content)
        .await?;
    Ok(())
}

/// The published pages and news of an agency at `now`, for the search index: title, text
/// without markup, address and publication date.
pub async fn index_entries(cx: &Ctx, agency: AgencyId, now: i64) -> Result<Vec<IndexEntry>> {
    let all = cx
        .store
        .list_content(
            agency,
            &[
                ContentKind::Page,
                ContentKind::News,
                ContentKind::Announcement,
            ],
        )
        .await?;
    Ok(all
        .iter()
        .filter(|c| c.is_public(now))
        .map(index_entry)
        .collect())
}

/// One public item as the search index takes it.
pub fn index_entry(c: &Content) -> IndexEntry {
    IndexEntry {
        title: c.fields.title.clone(),
        text: markdown::to_plain_text(&c.fields.body),
        path: c.public_path(),
        published_at: c.fields.publish_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_that_climb_out_are_refused() {
        for bad in [
            "../a.pdf",
            "..\\a.pdf",
            "a/b.pdf",
            "/etc/passwd",
            "a\0.pdf",
            "..",
        ] {
            assert_eq!(
                check_name(bad),
                Err(ErrorCode::FileNameNotAllowed),
                "{bad:?}"
            );
        }
        for ok in ["ประกาศ.pdf", "a.b.c.pdf", "report 2567.xlsx"] {
            assert_eq!(check_name(ok), Ok(()), "{ok:?}");
        }
    }
}
