//! In-app notifications.

use async_trait::async_trait;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{AccountId, AgencyId, NotificationId};
use prongsai_domain::platform::notification::{args_json, parse_args};
use prongsai_domain::platform::{NewNotification, Notification, NotificationStore};

use crate::row::RowExt;
use crate::{Db, map_err};

#[async_trait]
impl NotificationStore for Db {
    async fn notify(
        &self,
        agency: AgencyId,
        rows: &[NewNotification],
        ids: &[NotificationId],
        at: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        for (n, id) in rows.iter().zip(ids) {
            sqlx::query(
                "INSERT INTO notifications (id, agency_id, account_id, kind, message_key, args, link, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id.get())
            .bind(agency.get())
            .bind(n.account_id.get())
            .bind(&n.kind)
            .bind(&n.message_key)
            .bind(args_json(&n.args))
            .bind(&n.link)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn notifications(
        &self,
        agency: AgencyId,
        account: AccountId,
        limit: i64,
    ) -> StoreResult<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, kind, message_key, args, link, created_at, read_at FROM notifications
             WHERE agency_id = $1 AND account_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(agency.get())
        .bind(account.get())
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: NotificationId::from_raw(r.int("id")?),
                    agency_id: agency,
                    account_id: account,
                    kind: r.text("kind")?,
                    message_key: r.text("message_key")?,
                    args: parse_args(&r.text("args")?),
                    link: r.text("link")?,
                    created_at: r.int("created_at")?,
                    read_at: r.opt_int("read_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn unread_count(&self, agency: AgencyId, account: AccountId) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE agency_id = $1 AND account_id = $2 AND read_at IS NULL",
        )
        .bind(agency.get())
        .bind(account.get())
        .fetch_one(self.pool())
        .await
        .map_err(map_err)
    }

    async fn mark_read(&self, agency: AgencyId, account: AccountId, at: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE agency_id = $1 AND account_id = $2 AND read_at IS NULL",
        )
        .bind(agency.get())
        .bind(account.get())
        .bind(at)
        .execute(self.pool())
        .await
        .map_err(map_err)?;
        Ok(())
    }
}
