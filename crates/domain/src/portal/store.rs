//! The storage interface of the portal's content. Every method takes the agency first; an item
//! of another agency is not found.

use async_trait::async_trait;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{AgencyId, AttachmentId, ContentId, ContentVersionId, FileId};

use super::model::{Attachment, Content, ContentFields, ContentKind, ContentVersion};

/// A page of public news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewsQuery<'a> {
    pub now: i64,
    pub category: Option<&'a str>,
    pub offset: i64,
    pub limit: i64,
}

/// The version a save makes: its id, the saver's name as shown, and the audit action
/// (`create`, `update` or `restore`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewVersion<'a> {
    pub id: ContentVersionId,
    pub by: &'a str,
    pub action: &'static str,
}

#[async_trait]
pub trait PortalStore: Send + Sync {
    /// Every item of the given kinds, for the back office: pinned first, then newest.
    async fn list_content(
        &self,
        agency: AgencyId,
        kinds: &[ContentKind],
    ) -> StoreResult<Vec<Content>>;
    async fn content(&self, agency: AgencyId, id: ContentId) -> StoreResult<Content>;
    /// The page with this address, published or not.
    async fn page_by_slug(&self, agency: AgencyId, slug: &str) -> StoreResult<Option<Content>>;
    /// The news and announcements the public sees at `q.now`: pinned first, then newest; with
    /// the number of all of them.
    async fn public_news(
        &self,
        agency: AgencyId,
        q: NewsQuery<'_>,
    ) -> StoreResult<(Vec<Content>, i64)>;
    /// The categories of public news at `now`, in order.
    async fn news_categories(&self, agency: AgencyId, now: i64) -> StoreResult<Vec<String>>;
    /// The earliest publication time after `now` of a published item: when public pages must
    /// be made again.
    async fn next_scheduled(&self, agency: AgencyId, now: i64) -> StoreResult<Option<i64>>;
    /// Creates an item and its first version. Conflict: the page address is taken.
    async fn create_content(&self, w: Write<'_>, c: &Content, v: NewVersion<'_>)
    -> StoreResult<()>;
    /// Saves new fields as the next version. Conflict: the page address is taken.
    async fn update_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        fields: &ContentFields,
        v: NewVersion<'_>,
    ) -> StoreResult<()>;
    /// Deletes an item with its versions and attachments (the files stay, as other items may
    /// use them).
    async fn delete_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
    ) -> StoreResult<()>;
    /// Publishes or withdraws an item; `publish_at`, when given, is its new publication time.
    async fn set_published(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        published: bool,
        publish_at: Option<i64>,
    ) -> StoreResult<()>;
    async fn set_pinned(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        pinned: bool,
    ) -> StoreResult<()>;
    /// The versions of an item, newest first.
    async fn versions(&self, agency: AgencyId, id: ContentId) -> StoreResult<Vec<ContentVersion>>;
    async fn attachments(&self, agency: AgencyId, id: ContentId) -> StoreResult<Vec<Attachment>>;
    async fn add_attachment(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        attachment: AttachmentId,
        file: FileId,
    ) -> StoreResult<()>;
    async fn remove_attachment(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        attachment: AttachmentId,
    ) -> StoreResult<()>;
    /// The agency's pages that stand for pages of the standard site map: (page key, item).
    async fn standard_links(&self, agency: AgencyId) -> StoreResult<Vec<(String, ContentId)>>;
    /// Points the standard page `key` at one of the agency's pages, or (`None`) back at the page
    /// at its standard address.
    async fn set_standard_link(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        key: &str,
        content: Option<ContentId>,
    ) -> StoreResult<()>;
    /// Whether a file is attached to an item the public sees at `now`.
    async fn portal_file_is_public(
        &self,
        agency: AgencyId,
        file: FileId,
        now: i64,
    ) -> StoreResult<bool>;
}
