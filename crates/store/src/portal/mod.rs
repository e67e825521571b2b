//! The portal module's store: pages and news, their versions and attachments.

mod participation;

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{
    AgencyId, AttachmentId, ContentId, ContentVersionId, DivisionId, FileId,
};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use prongsai_domain::platform::{FileKind, StoredFile};
use prongsai_domain::portal::model::ContentFields;
use prongsai_domain::portal::{
    Attachment, Content, ContentKind, ContentVersion, NewVersion, NewsQuery, PortalStore,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::row::{RowExt, flag};
use crate::{Db, audit, map_err};

const COLUMNS: &str = "id, agency_id, kind, slug, title, body, category, division_id, published, publish_at, pinned, first_published_at, version, created_at, updated_at";

fn content_of(r: &AnyRow) -> sqlx::Result<Content> {
    let kind = r.text("kind")?;
    Ok(Content {
        id: ContentId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        fields: ContentFields {
            kind: crate::row::decode("content kind", ContentKind::parse(&kind))?,
            slug: r.opt_text("slug")?,
            title: r.text("title")?,
            body: r.text("body")?,
            category: r.opt_text("category")?,
            division_id: r.opt_int("division_id")?.map(DivisionId::from_raw),
            publish_at: r.int("publish_at")?,
            pinned: r.flag("pinned")?,
        },
        published: r.flag("published")?,
        first_published_at: r.opt_int("first_published_at")?,
        version: r.int("version")?,
        created_at: r.int("created_at")?,
        updated_at: r.int("updated_at")?,
    })
}

/// `'news', 'announcement'` for an `IN (…)`: kinds are fixed words, never input.
fn kinds_list(kinds: &[ContentKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn load(
    tx: &mut Transaction<'static, Any>,
    agency: AgencyId,
    id: ContentId,
) -> StoreResult<Content> {
    let r = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM portal_content WHERE agency_id = $1 AND id = $2"
    ))
    .bind(agency.get())
    .bind(id.get())
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    content_of(&r).map_err(map_err)
}

async fn insert_version(
    tx: &mut Transaction<'static, Any>,
    v: NewVersion<'_>,
    agency: AgencyId,
    content: ContentId,
    number: i64,
    f: &ContentFields,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO portal_versions (id, agency_id, content_id, number, title, body, slug, category, saved_by, saved_at, action)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(v.id.get())
    .bind(agency.get())
    .bind(content.get())
    .bind(number)
    .bind(&f.title)
    .bind(&f.body)
    .bind(f.slug.as_deref())
    .bind(f.category.as_deref())
    .bind(v.by)
    .bind(at)
    .bind(v.action)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

#[async_trait]
impl PortalStore for Db {
    async fn list_content(
        &self,
        agency: AgencyId,
        kinds: &[ContentKind],
    ) -> StoreResult<Vec<Content>> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM portal_content WHERE agency_id = $1 AND kind IN ({})
             ORDER BY pinned DESC, publish_at DESC, id DESC",
            kinds_list(kinds)
        ))
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| content_of(r).map_err(map_err))
            .collect()
    }

    async fn content(&self, agency: AgencyId, id: ContentId) -> StoreResult<Content> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM portal_content WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(self.pool())
        .await
        .map_err(map_err)?;
        content_of(&r).map_err(map_err)
    }

    async fn page_by_slug(&self, agency: AgencyId, slug: &str) -> StoreResult<Option<Content>> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM portal_content WHERE agency_id = $1 AND kind = 'page' AND slug = $2"
        ))
        .bind(agency.get())
        .bind(slug)
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        r.as_ref().map(content_of).transpose().map_err(map_err)
    }

    async fn public_news(
        &self,
        agency: AgencyId,
        q: NewsQuery<'_>,
    ) -> StoreResult<(Vec<Content>, i64)> {
        let kinds = kinds_list(&ContentKind::NEWS_KINDS);
        let filter = format!(
            "agency_id = $1 AND kind IN ({kinds}) AND published = 1 AND publish_at <= $2 AND ($3 = '' OR category = $3)"
        );
        let category = q.category.unwrap_or("");
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM portal_content WHERE {filter}"
        ))
        .bind(agency.get())
        .bind(q.now)
        .bind(category)
        .fetch_one(self.pool())
        .await
        .map_err(map_err)?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM portal_content WHERE {filter}
             ORDER BY pinned DESC, publish_at DESC, id DESC LIMIT $4 OFFSET $5"
        ))
        .bind(agency.get())
        .bind(q.now)
        .bind(category)
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let items = rows
            .iter()
            .map(|r| content_of(r).map_err(map_err))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((items, total))
    }

    async fn news_categories(&self, agency: AgencyId, now: i64) -> StoreResult<Vec<String>> {
        let kinds = kinds_list(&ContentKind::NEWS_KINDS);
        let mut v: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT category FROM portal_content
             WHERE agency_id = $1 AND kind IN ({kinds}) AND published = 1 AND publish_at <= $2 AND category IS NOT NULL"
        ))
        .bind(agency.get())
        .bind(now)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        v.sort_by_key(|c| prongsai_thai::sort_key(c));
        Ok(v)
    }

    async fn next_scheduled(&self, agency: AgencyId, now: i64) -> StoreResult<Option<i64>> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(publish_at) FROM portal_content WHERE agency_id = $1 AND published = 1 AND publish_at > $2",
        )
        .bind(agency.get())
        .bind(now)
        .fetch_one(self.pool())
        .await
        .map_err(map_err)?;
        Ok(next)
    }

    async fn create_content(
        &self,
        w: Write<'_>,
        c: &Content,
        v: NewVersion<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let f = &c.fields;
        sqlx::query(&format!(
            "INSERT INTO portal_content ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ))
        .bind(c.id.get())
        .bind(c.agency_id.get())
        .bind(f.kind.as_str())
        .bind(f.slug.as_deref())
        .bind(&f.title)
        .bind(&f.body)
        .bind(f.category.as_deref())
        .bind(f.division_id.map(DivisionId::get))
        .bind(flag(c.published))
        .bind(f.publish_at)
        .bind(flag(f.pinned))
        .bind(c.first_published_at)
        .bind(c.version)
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        insert_version(&mut tx, v, c.agency_id, c.id, c.version, f, w.at).await?;
        audit::append(
            &mut tx,
            w,
            Some(c.agency_id),
            &AuditEvent::new("portal-content", c.id, "create", a::created(f)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        fields: &ContentFields,
        v: NewVersion<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = load(&mut tx, agency, id).await?;
        let number = old.version + 1;
        sqlx::query(
            "UPDATE portal_content SET slug = $3, title = $4, body = $5, category = $6, division_id = $7,
                 publish_at = $8, pinned = $9, version = $10, updated_at = $11
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(fields.slug.as_deref())
        .bind(&fields.title)
        .bind(&fields.body)
        .bind(fields.category.as_deref())
        .bind(fields.division_id.map(DivisionId::get))
        .bind(fields.publish_at)
        .bind(flag(fields.pinned))
        .bind(number)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        insert_version(&mut tx, v, agency, id, number, fields, w.at).await?;
        let mut changes = a::diff(&old.fields, fields);
        changes.push(Change {
            field: "version".into(),
            old: Some(old.version.to_string()),
            new: Some(number.to_string()),
        });
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-content", id, v.action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_published(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        published: bool,
        publish_at: Option<i64>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = load(&mut tx, agency, id).await?;
        let new_at = publish_at.unwrap_or(old.fields.publish_at);
        sqlx::query(
            "UPDATE portal_content SET published = $3, first_published_at = COALESCE(first_published_at, $4),
                 publish_at = $5, updated_at = $6
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(flag(published))
        .bind(published.then_some(w.at))
        .bind(new_at)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut changes = vec![Change {
            field: "published".into(),
            old: Some(old.published.to_string()),
            new: Some(published.to_string()),
        }];
        if new_at != old.fields.publish_at {
            changes.push(Change {
                field: "publish_at".into(),
                old: Some(old.fields.publish_at.to_string()),
                new: Some(new_at.to_string()),
            });
        }
        let action = if published { "publish" } else { "unpublish" };
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-content", id, action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = load(&mut tx, agency, id).await?;
        // Versions, attachments and a standard page's link go with it (ON DELETE CASCADE).
        sqlx::query("DELETE FROM portal_content WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let changes = vec![Change {
            field: "title".into(),
            old: Some(old.fields.title),
            new: None,
        }];
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-content", id, "delete", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_pinned(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        pinned: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = load(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE portal_content SET pinned = $3, updated_at = $4 WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(flag(pinned))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let changes = vec![Change {
            field: "pinned".into(),
            old: Some(old.fields.pinned.to_string()),
            new: Some(pinned.to_string()),
        }];
        let action = if pinned { "pin" } else { "unpin" };
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-content", id, action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn versions(&self, agency: AgencyId, id: ContentId) -> StoreResult<Vec<ContentVersion>> {
        let rows = sqlx::query(
            "SELECT id, content_id, number, title, body, slug, category, saved_by, saved_at, action
             FROM portal_versions WHERE agency_id = $1 AND content_id = $2 ORDER BY number DESC",
        )
        .bind(agency.get())
        .bind(id.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ContentVersion {
                    id: ContentVersionId::from_raw(r.int("id")?),
                    content_id: ContentId::from_raw(r.int("content_id")?),
                    number: r.int("number")?,
                    title: r.text("title")?,
                    body: r.text("body")?,
                    slug: r.opt_text("slug")?,
                    category: r.opt_text("category")?,
                    by: r.text("saved_by")?,
                    at: r.int("saved_at")?,
                    action: r.text("action")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()
            .map_err(map_err)
    }

    async fn attachments(&self, agency: AgencyId, id: ContentId) -> StoreResult<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT t.id AS attachment_id, f.id, f.kind, f.size, f.sha256, f.original_name, f.created_at
             FROM portal_attachments t JOIN files f ON f.agency_id = t.agency_id AND f.id = t.file_id
             WHERE t.agency_id = $1 AND t.content_id = $2 ORDER BY t.created_at, t.id",
        )
        .bind(agency.get())
        .bind(id.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let kind = r.text("kind")?;
                Ok(Attachment {
                    id: AttachmentId::from_raw(r.int("attachment_id")?),
                    content_id: id,
                    file: StoredFile {
                        id: FileId::from_raw(r.int("id")?),
                        agency_id: agency,
                        kind: crate::row::decode("file kind", FileKind::parse(&kind))?,
                        size: r.int("size")?,
                        sha256: r.text("sha256")?,
                        original_name: r.text("original_name")?,
                        created_at: r.int("created_at")?,
                    },
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()
            .map_err(map_err)
    }

    async fn add_attachment(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        attachment: AttachmentId,
        file: FileId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        load(&mut tx, agency, id).await?;
        sqlx::query(
            "INSERT INTO portal_attachments (id, agency_id, content_id, file_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(attachment.get())
        .bind(agency.get())
        .bind(id.get())
        .bind(file.get())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let changes = vec![Change {
            field: "file_id".into(),
            old: None,
            new: Some(file.to_string()),
        }];
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-attachment", attachment, "create", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn remove_attachment(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ContentId,
        attachment: AttachmentId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let file: Option<i64> = sqlx::query_scalar(
            "SELECT file_id FROM portal_attachments WHERE agency_id = $1 AND content_id = $2 AND id = $3",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(attachment.get())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let file = file.ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM portal_attachments WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(attachment.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let changes = vec![Change {
            field: "file_id".into(),
            old: Some(file.to_string()),
            new: None,
        }];
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-attachment", attachment, "delete", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn standard_links(&self, agency: AgencyId) -> StoreResult<Vec<(String, ContentId)>> {
        let rows = sqlx::query(
            "SELECT page_key, content_id FROM portal_standard_links WHERE agency_id = $1
             ORDER BY page_key",
        )
        .bind(agency.get())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.text("page_key")?,
                    ContentId::from_raw(r.int("content_id")?),
                ))
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn set_standard_link(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        key: &str,
        content: Option<ContentId>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = sqlx::query(
            "SELECT content_id FROM portal_standard_links WHERE agency_id = $1 AND page_key = $2",
        )
        .bind(agency.get())
        .bind(key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .map(|r| r.int("content_id"))
        .transpose()
        .map_err(map_err)?;
        if let Some(id) = content {
            // The item must be the agency's own page.
            let c = load(&mut tx, agency, id).await?;
            if !c.fields.kind.is_page() {
                return Err(StoreError::NotFound);
            }
        }
        sqlx::query("DELETE FROM portal_standard_links WHERE agency_id = $1 AND page_key = $2")
            .bind(agency.get())
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if let Some(id) = content {
            sqlx::query(
                "INSERT INTO portal_standard_links (agency_id, page_key, content_id, linked_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(agency.get())
            .bind(key)
            .bind(id.get())
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let changes = vec![Change {
            field: key.to_owned(),
            old: old.map(|o| o.to_string()),
            new: content.map(|c| c.to_string()),
        }];
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("portal-standard", agency, "link", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn portal_file_is_public(
        &self,
        agency: AgencyId,
        file: FileId,
        now: i64,
    ) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM portal_attachments t
               JOIN portal_content c ON c.agency_id = t.agency_id AND c.id = t.content_id
             WHERE t.agency_id = $1 AND t.file_id = $2 AND c.published = 1 AND c.publish_at <= $3
             LIMIT 1",
        )
        .bind(agency.get())
        .bind(file.get())
        .bind(now)
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        Ok(found.is_some())
    }
}
