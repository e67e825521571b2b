//! Stored files' records. Contents live in a [`BlobStore`](prongsai_domain::platform::file::BlobStore).

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{AgencyId, FileId};
use prongsai_domain::platform::audit::{AuditEvent, Change};
use prongsai_domain::platform::{FileKind, FileStore, StoredFile};

use crate::row::RowExt;
use crate::{Db, audit, map_err};

#[async_trait]
impl FileStore for Db {
    async fn insert_file(&self, w: Write<'_>, f: &StoredFile) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO files (id, agency_id, kind, size, sha256, original_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(f.id.get())
        .bind(f.agency_id.get())
        .bind(f.kind.as_str())
        .bind(f.size)
        .bind(&f.sha256)
        .bind(&f.original_name)
        .bind(f.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let changes = vec![
            Change {
                field: "kind".into(),
                old: None,
                new: Some(f.kind.as_str().into()),
            },
            Change {
                field: "size".into(),
                old: None,
                new: Some(f.size.to_string()),
            },
            Change {
                field: "sha256".into(),
                old: None,
                new: Some(f.sha256.clone()),
            },
            Change {
                field: "name".into(),
                old: None,
                new: Some(f.original_name.clone()),
            },
        ];
        audit::append(
            &mut tx,
            w,
            Some(f.agency_id),
            &AuditEvent::new("file", f.id, "create", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn file(&self, agency: AgencyId, id: FileId) -> StoreResult<StoredFile> {
        let r = sqlx::query(
            "SELECT id, agency_id, kind, size, sha256, original_name, created_at FROM files WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(self.pool())
        .await
        .map_err(map_err)?;
        let kind = r.text("kind").map_err(map_err)?;
        Ok(StoredFile {
            id: FileId::from_raw(r.int("id").map_err(map_err)?),
            agency_id: AgencyId::from_raw(r.int("agency_id").map_err(map_err)?),
            kind: FileKind::parse(&kind).ok_or_else(|| {
                map_err(sqlx::Error::Decode(
                    format!("unknown file kind {kind:?}").into(),
                ))
            })?,
            size: r.int("size").map_err(map_err)?,
            sha256: r.text("sha256").map_err(map_err)?,
            original_name: r.text("original_name").map_err(map_err)?,
            created_at: r.int("created_at").map_err(map_err)?,
        })
    }

    async fn file_is_public(&self, agency: AgencyId, id: FileId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM agencies WHERE id = $1 AND logo_file_id = $2
             UNION ALL
             SELECT 1 FROM people WHERE agency_id = $1 AND photo_file_id = $2
             UNION ALL
             SELECT 1 FROM measure_evidence e
               JOIN measure_progress p ON p.agency_id = e.agency_id AND p.id = e.progress_id
               JOIN measure_actions a ON a.agency_id = p.agency_id AND a.id = p.action_id
               JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
               JOIN measure_plans pl ON pl.agency_id = m.agency_id AND pl.id = m.plan_id
             WHERE e.agency_id = $1 AND e.file_id = $2 AND pl.status = 'approved'
             UNION ALL
             SELECT 1 FROM oit_evidence o
               JOIN oit_items i ON i.agency_id = o.agency_id AND i.fiscal_year = o.fiscal_year AND i.code = o.code
             WHERE o.agency_id = $1 AND o.file_id = $2 AND i.status <> 'draft'
             LIMIT 1",
        )
        .bind(agency.get())
        .bind(id.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        Ok(found.is_some())
    }
}
