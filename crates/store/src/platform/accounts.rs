//! Accounts, memberships and role grants.

use std::collections::BTreeMap;

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{AccountId, AgencyId, DivisionId, PersonId};
use prongsai_domain::platform::audit::{AuditEvent, Change};
use prongsai_domain::platform::{
    Account, AccountStore, AccountSummary, AgencyKind, AgencySummary, MemberRow, Membership,
    NewAccount, Role, RoleGrant, Slug,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection};

use crate::row::{RowExt, flag};
use crate::{Db, audit, map_err};

const COLS: &str = "id, email, display_name, password_hash, is_platform_operator, totp_secret, totp_enabled, \
     totp_last_step, must_change_password, disabled, created_at";

fn account(r: &AnyRow) -> sqlx::Result<Account> {
    Ok(Account {
        id: AccountId::from_raw(r.int("id")?),
        email: r.text("email")?,
        display_name: r.text("display_name")?,
        password_hash: r.text("password_hash")?,
        is_platform_operator: r.flag("is_platform_operator")?,
        totp_secret: r.opt_text("totp_secret")?,
        totp_enabled: r.flag("totp_enabled")?,
        totp_last_step: r.int("totp_last_step")?,
        must_change_password: r.flag("must_change_password")?,
        disabled: r.flag("disabled")?,
        created_at: r.int("created_at")?,
    })
}

fn grant(r: &AnyRow) -> sqlx::Result<RoleGrant> {
    let role = r.text("role")?;
    Ok(RoleGrant {
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role:?}").into()))?,
        division_id: r.opt_int("division_id")?.map(DivisionId::from_raw),
    })
}

/// Grants of some memberships, by (agency, account).
async fn grants_where(
    conn: &mut AnyConnection,
    filter: &str,
    id: i64,
) -> StoreResult<BTreeMap<(i64, i64), Vec<RoleGrant>>> {
    let sql = format!(
        "SELECT agency_id, account_id, role, division_id FROM role_grants WHERE {filter} = $1"
    );
    let rows = sqlx::query::<Any>(&sql)
        .bind(id)
        .fetch_all(conn)
        .await
        .map_err(map_err)?;
    let mut out: BTreeMap<(i64, i64), Vec<RoleGrant>> = BTreeMap::new();
    for r in &rows {
        let key = (
            r.int("agency_id").map_err(map_err)?,
            r.int("account_id").map_err(map_err)?,
        );
        out.entry(key).or_default().push(grant(r).map_err(map_err)?);
    }
    for g in out.values_mut() {
        g.sort();
    }
    Ok(out)
}

async fn fetch_membership(
    conn: &mut AnyConnection,
    agency: AgencyId,
    account: AccountId,
) -> StoreResult<Option<Membership>> {
    let person: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT person_id FROM memberships WHERE agency_id = $1 AND account_id = $2",
    )
    .bind(agency.get())
    .bind(account.get())
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_err)?;
    let Some(person) = person else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT role, division_id FROM role_grants WHERE agency_id = $1 AND account_id = $2",
    )
    .bind(agency.get())
    .bind(account.get())
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    let mut grants = rows
        .iter()
        .map(grant)
        .collect::<sqlx::Result<Vec<_>>>()
        .map_err(map_err)?;
    grants.sort();
    Ok(Some(Membership {
        agency_id: agency,
        account_id: account,
        person_id: person.map(PersonId::from_raw),
        grants,
    }))
}

fn describe(m: Option<&Membership>) -> (Option<String>, Option<String>) {
    let roles = m.map(|m| {
        m.grants
            .iter()
            .map(|g| match g.division_id {
                Some(d) => format!("{}@{d}", g.role.as_str()),
                None => g.role.as_str().to_owned(),
            })
            .collect::<Vec<_>>()
            .join(",")
    });
    let person = m.and_then(|m| m.person_id).map(|p| p.to_string());
    (roles, person)
}

async fn update_flag(
    db: &Db,
    w: Write<'_>,
    agency: Option<AgencyId>,
    account: AccountId,
    sql: &str,
    value: i64,
    event: AuditEvent,
) -> StoreResult<()> {
    let mut tx = db.begin().await.map_err(map_err)?;
    let rows = sqlx::query(sql)
        .bind(account.get())
        .bind(value)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
    if rows != 1 {
        return Err(prongsai_domain::StoreError::NotFound);
    }
    audit::append(&mut tx, w, agency, &event)
        .await
        .map_err(map_err)?;
    tx.commit().await.map_err(map_err)
}

#[async_trait]
impl AccountStore for Db {
    async fn account(&self, id: AccountId) -> StoreResult<Account> {
        let sql = format!("SELECT {COLS} FROM accounts WHERE id = $1");
        let r = sqlx::query::<Any>(&sql)
            .bind(id.get())
            .fetch_one(self.pool())
            .await
            .map_err(map_err)?;
        account(&r).map_err(map_err)
    }

    async fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>> {
        if crate::has_nul(email) {
            return Ok(None);
        }
        let sql = format!("SELECT {COLS} FROM accounts WHERE email = $1");
        let r = sqlx::query::<Any>(&sql)
            .bind(email)
            .fetch_optional(self.pool())
            .await
            .map_err(map_err)?;
        r.as_ref().map(account).transpose().map_err(map_err)
    }

    async fn create_account(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        new: &NewAccount,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO accounts (id, email, display_name, password_hash, is_platform_operator, must_change_password, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(new.id.get())
        .bind(&new.email)
        .bind(&new.display_name)
        .bind(&new.password_hash)
        .bind(flag(new.is_platform_operator))
        .bind(flag(new.must_change_password))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let changes = vec![
            Change {
                field: "email".into(),
                old: None,
                new: Some(new.email.clone()),
            },
            Change {
                field: "display_name".into(),
                old: None,
                new: Some(new.display_name.clone()),
            },
            Change {
                field: "is_platform_operator".into(),
                old: None,
                new: Some(new.is_platform_operator.to_string()),
            },
            Change {
                field: "password".into(),
                old: None,
                new: None,
            },
        ];
        audit::append(
            &mut tx,
            w,
            agency,
            &AuditEvent::new("account", new.id, "create", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_password(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        account: AccountId,
        hash: &str,
        must_change: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let rows = sqlx::query(
            "UPDATE accounts SET password_hash = $2, must_change_password = $3, updated_at = $4 WHERE id = $1",
        )
        .bind(account.get())
        .bind(hash)
        .bind(flag(must_change))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if rows != 1 {
            return Err(prongsai_domain::StoreError::NotFound);
        }
        let action = if must_change {
            "password-reset"
        } else {
            "password-change"
        };
        let change = Change {
            field: "password".into(),
            old: None,
            new: None,
        };
        audit::append(
            &mut tx,
            w,
            agency,
            &AuditEvent::new("account", account, action, vec![change]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_totp(
        &self,
        w: Write<'_>,
        account: AccountId,
        secret: Option<&str>,
        enabled: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let rows = sqlx::query("UPDATE accounts SET totp_secret = $2, totp_enabled = $3, updated_at = $4 WHERE id = $1")
            .bind(account.get())
            .bind(secret.map(str::to_owned))
            .bind(flag(enabled))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
        if rows != 1 {
            return Err(prongsai_domain::StoreError::NotFound);
        }
        let action = match (secret.is_some(), enabled) {
            (true, true) => "totp-enable",
            (true, false) => "totp-enrol",
            (false, _) => "totp-disable",
        };
        audit::append(
            &mut tx,
            w,
            None,
            &AuditEvent::new("account", account, action, vec![]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn advance_totp_step(&self, account: AccountId, step: i64) -> StoreResult<bool> {
        let rows = sqlx::query(
            "UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
        )
        .bind(account.get())
        .bind(step)
        .execute(self.pool())
        .await
        .map_err(map_err)?
        .rows_affected();
        Ok(rows == 1)
    }

    async fn delete_account(&self, w: Write<'_>, account: AccountId) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let memberships: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE account_id = $1")
                .bind(account.get())
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
        if memberships > 0 {
            return Err(prongsai_domain::StoreError::Conflict);
        }
        let email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
            .bind(account.get())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(account.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let change = Change {
            field: "email".into(),
            old: Some(email),
            new: None,
        };
        audit::append(
            &mut tx,
            w,
            None,
            &AuditEvent::new("account", account, "delete", vec![change]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_account_disabled(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        account: AccountId,
        disabled: bool,
    ) -> StoreResult<()> {
        let action = if disabled { "disable" } else { "enable" };
        let change = Change {
            field: "disabled".into(),
            old: Some((!disabled).to_string()),
            new: Some(disabled.to_string()),
        };
        update_flag(
            self,
            w,
            agency,
            account,
            "UPDATE accounts SET disabled = $2, updated_at = $3 WHERE id = $1",
            flag(disabled),
            AuditEvent::new("account", account, action, vec![change]),
        )
        .await
    }

    async fn memberships_of(
        &self,
        account: AccountId,
    ) -> StoreResult<Vec<(AgencySummary, Membership)>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT a.id, a.slug, a.name, a.kind, a.province, a.district, a.logo_file_id, m.person_id
             FROM memberships m JOIN agencies a ON a.id = m.agency_id
             WHERE m.account_id = $1 ORDER BY a.name",
        )
        .bind(account.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let mut grants = grants_where(&mut conn, "account_id", account.get()).await?;
        rows.iter()
            .map(|r| {
                let agency_id = r.int("id")?;
                let kind = r.text("kind")?;
                let summary = AgencySummary {
                    id: AgencyId::from_raw(agency_id),
                    slug: Slug::from_stored(r.text("slug")?),
                    name: r.text("name")?,
                    kind: AgencyKind::parse(&kind).unwrap_or(AgencyKind::Other),
                    province: r.text("province")?,
                    district: r.text("district")?,
                    logo: r
                        .opt_int("logo_file_id")?
                        .map(prongsai_domain::ids::FileId::from_raw),
                };
                let m = Membership {
                    agency_id: summary.id,
                    account_id: account,
                    person_id: r.opt_int("person_id")?.map(PersonId::from_raw),
                    grants: grants
                        .remove(&(agency_id, account.get()))
                        .unwrap_or_default(),
                };
                Ok((summary, m))
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn membership(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Option<Membership>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        fetch_membership(&mut conn, agency, account).await
    }

    async fn list_members(&self, agency: AgencyId) -> StoreResult<Vec<MemberRow>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT a.id, a.email, a.display_name, a.totp_enabled, a.disabled, m.person_id, p.name AS person_name
             FROM memberships m
             JOIN accounts a ON a.id = m.account_id
             LEFT JOIN people p ON p.agency_id = m.agency_id AND p.id = m.person_id
             WHERE m.agency_id = $1
             ORDER BY a.display_name, a.email",
        )
        .bind(agency.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let mut grants = grants_where(&mut conn, "agency_id", agency.get()).await?;
        rows.iter()
            .map(|r| {
                let id = r.int("id")?;
                Ok(MemberRow {
                    account: AccountSummary {
                        id: AccountId::from_raw(id),
                        email: r.text("email")?,
                        display_name: r.text("display_name")?,
                        totp_enabled: r.flag("totp_enabled")?,
                        disabled: r.flag("disabled")?,
                    },
                    membership: Membership {
                        agency_id: agency,
                        account_id: AccountId::from_raw(id),
                        person_id: r.opt_int("person_id")?.map(PersonId::from_raw),
                        grants: grants.remove(&(agency.get(), id)).unwrap_or_default(),
                    },
                    person_name: r.opt_text("person_name")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn put_membership(&self, w: Write<'_>, m: &Membership) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_membership(&mut tx, m.agency_id, m.account_id).await?;
        sqlx::query(
            "INSERT INTO memberships (agency_id, account_id, person_id, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (agency_id, account_id) DO UPDATE SET person_id = excluded.person_id",
        )
        .bind(m.agency_id.get())
        .bind(m.account_id.get())
        .bind(m.person_id.map(PersonId::get))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("DELETE FROM role_grants WHERE agency_id = $1 AND account_id = $2")
            .bind(m.agency_id.get())
            .bind(m.account_id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for g in &m.grants {
            sqlx::query("INSERT INTO role_grants (agency_id, account_id, role, division_id) VALUES ($1, $2, $3, $4)")
                .bind(m.agency_id.get())
                .bind(m.account_id.get())
                .bind(g.role.as_str())
                .bind(g.division_id.map(DivisionId::get))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let (old_roles, old_person) = describe(old.as_ref());
        let (new_roles, new_person) = describe(Some(m));
        let mut changes = Vec::new();
        if old_roles != new_roles {
            changes.push(Change {
                field: "roles".into(),
                old: old_roles,
                new: new_roles,
            });
        }
        if old_person != new_person {
            changes.push(Change {
                field: "person_id".into(),
                old: old_person,
                new: new_person,
            });
        }
        let action = if old.is_some() { "update" } else { "create" };
        audit::append(
            &mut tx,
            w,
            Some(m.agency_id),
            &AuditEvent::new("membership", m.account_id, action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn remove_membership(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_membership(&mut tx, agency, account)
            .await?
            .ok_or(prongsai_domain::StoreError::NotFound)?;
        sqlx::query("DELETE FROM memberships WHERE agency_id = $1 AND account_id = $2")
            .bind(agency.get())
            .bind(account.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let (roles, person) = describe(Some(&old));
        let changes = vec![
            Change {
                field: "roles".into(),
                old: roles,
                new: None,
            },
            Change {
                field: "person_id".into(),
                old: person,
                new: None,
            },
        ];
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("membership", account, "delete", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }
}
