//! Agencies and their fiscal years.

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{AgencyId, FileId};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use prongsai_domain::platform::{
    Agency, AgencyKind, AgencyProfile, AgencyStore, AgencySummary, NewAgency, Slug,
};
use sqlx::any::AnyRow;

use crate::row::{RowExt, flag};
use crate::{Db, audit, map_err};

const COLS: &str = "id, slug, name, name_en, kind, province, district, subdistrict, address, postcode, phone, fax, email, \
     website, facebook, line_id, office_hours, about, require_totp, logo_file_id, is_demo, created_at, updated_at";

fn kind(r: &AnyRow) -> sqlx::Result<AgencyKind> {
    let k = r.text("kind")?;
    AgencyKind::parse(&k)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown agency kind {k:?}").into()))
}

fn agency(r: &AnyRow) -> sqlx::Result<Agency> {
    Ok(Agency {
        id: AgencyId::from_raw(r.int("id")?),
        slug: Slug::from_stored(r.text("slug")?),
        profile: AgencyProfile {
            name: r.text("name")?,
            name_en: r.opt_text("name_en")?,
            kind: kind(r)?,
            province: r.text("province")?,
            district: r.text("district")?,
            subdistrict: r.opt_text("subdistrict")?,
            address: r.opt_text("address")?,
            postcode: r.opt_text("postcode")?,
            phone: r.opt_text("phone")?,
            fax: r.opt_text("fax")?,
            email: r.opt_text("email")?,
            website: r.opt_text("website")?,
            facebook: r.opt_text("facebook")?,
            line_id: r.opt_text("line_id")?,
            office_hours: r.opt_text("office_hours")?,
            about: r.opt_text("about")?,
            require_totp: r.flag("require_totp")?,
        },
        logo: r.opt_int("logo_file_id")?.map(FileId::from_raw),
        is_demo: r.flag("is_demo")?,
        created_at: r.int("created_at")?,
        updated_at: r.int("updated_at")?,
    })
}

/// Binds the profile columns in `COLS` order, from `name` to `require_totp`.
macro_rules! bind_profile {
    ($q:expr, $p:expr) => {
        $q.bind($p.name.clone())
            .bind($p.name_en.clone())
            .bind($p.kind.as_str())
            .bind($p.province.clone())
            .bind($p.district.clone())
            .bind($p.subdistrict.clone())
            .bind($p.address.clone())
            .bind($p.postcode.clone())
            .bind($p.phone.clone())
            .bind($p.fax.clone())
            .bind($p.email.clone())
            .bind($p.website.clone())
            .bind($p.facebook.clone())
            .bind($p.line_id.clone())
            .bind($p.office_hours.clone())
            .bind($p.about.clone())
            .bind(flag($p.require_totp))
    };
}

impl Db {
    async fn agency_row(&self, agency: AgencyId) -> StoreResult<Agency> {
        let sql = format!("SELECT {COLS} FROM agencies WHERE id = $1");
        let r = sqlx::query(&sql)
            .bind(agency.get())
            .fetch_one(self.pool())
            .await
            .map_err(map_err)?;
        agency_from(&r)
    }
}

fn agency_from(r: &AnyRow) -> StoreResult<Agency> {
    agency(r).map_err(map_err)
}

#[async_trait]
impl AgencyStore for Db {
    async fn list_agencies(&self) -> StoreResult<Vec<AgencySummary>> {
        let rows = sqlx::query("SELECT id, slug, name, kind, province, district, logo_file_id FROM agencies ORDER BY province, name")
            .fetch_all(self.pool())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(AgencySummary {
                    id: AgencyId::from_raw(r.int("id")?),
                    slug: Slug::from_stored(r.text("slug")?),
                    name: r.text("name")?,
                    kind: kind(r)?,
                    province: r.text("province")?,
                    district: r.text("district")?,
                    logo: r.opt_int("logo_file_id")?.map(FileId::from_raw),
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>> {
        if crate::has_nul(slug) {
            return Ok(None);
        }
        let sql = format!("SELECT {COLS} FROM agencies WHERE slug = $1");
        let r = sqlx::query(&sql)
            .bind(slug)
            .fetch_optional(self.pool())
            .await
            .map_err(map_err)?;
        r.as_ref().map(agency_from).transpose()
    }

    async fn agency(&self, id: AgencyId) -> StoreResult<Agency> {
        self.agency_row(id).await
    }

    async fn create_agency(&self, w: Write<'_>, new: &NewAgency) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let q = sqlx::query(
            "INSERT INTO agencies (id, slug, name, name_en, kind, province, district, subdistrict, address, postcode, phone, fax, email,
                website, facebook, line_id, office_hours, about, require_totp, is_demo, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)",
        )
        .bind(new.id.get())
        .bind(new.slug.as_str().to_owned());
        bind_profile!(q, new.profile)
            .bind(flag(new.is_demo))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let mut changes = vec![Change {
            field: "slug".into(),
            old: None,
            new: Some(new.slug.to_string()),
        }];
        changes.extend(a::created(&new.profile));
        audit::append(
            &mut tx,
            w,
            None,
            &AuditEvent::new("agency", new.id, "create", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_agency_profile(
        &self,
        w: Write<'_>,
        id: AgencyId,
        profile: &AgencyProfile,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let sql = format!("SELECT {COLS} FROM agencies WHERE id = $1");
        let old = agency_from(
            &sqlx::query(&sql)
                .bind(id.get())
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?,
        )?;
        let q = sqlx::query(
            "UPDATE agencies SET name = $2, name_en = $3, kind = $4, province = $5, district = $6, subdistrict = $7, address = $8,
                postcode = $9, phone = $10, fax = $11, email = $12, website = $13, facebook = $14, line_id = $15,
                office_hours = $16, about = $17, require_totp = $18, updated_at = $19
             WHERE id = $1",
        )
        .bind(id.get());
        bind_profile!(q, profile)
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let changes = a::diff(&old.profile, profile);
        audit::append(
            &mut tx,
            w,
            Some(id),
            &AuditEvent::new("agency", id, "update", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_agency_logo(
        &self,
        w: Write<'_>,
        id: AgencyId,
        logo: Option<FileId>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old: Option<i64> =
            sqlx::query_scalar("SELECT logo_file_id FROM agencies WHERE id = $1")
                .bind(id.get())
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
        sqlx::query("UPDATE agencies SET logo_file_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id.get())
            .bind(logo.map(FileId::get))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let change = Change {
            field: "logo_file_id".into(),
            old: old.map(|v| v.to_string()),
            new: logo.map(|v| v.to_string()),
        };
        audit::append(
            &mut tx,
            w,
            Some(id),
            &AuditEvent::new("agency", id, "update", vec![change]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_agency(&self, w: Write<'_>, id: AgencyId) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let slug: String = sqlx::query_scalar("SELECT slug FROM agencies WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        // Rows that point at other agency-owned rows go first; the rest cascade.
        for sql in [
            "UPDATE agencies SET logo_file_id = NULL WHERE id = $1",
            "DELETE FROM measure_plans WHERE agency_id = $1",
            "DELETE FROM notifications WHERE agency_id = $1",
            "DELETE FROM role_grants WHERE agency_id = $1",
            "DELETE FROM memberships WHERE agency_id = $1",
            "DELETE FROM people WHERE agency_id = $1",
            // Portal content may belong to a division; its versions and attachments cascade.
            "DELETE FROM portal_content WHERE agency_id = $1",
            "DELETE FROM divisions WHERE agency_id = $1",
            "DELETE FROM agencies WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.get())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let change = Change {
            field: "slug".into(),
            old: Some(slug),
            new: None,
        };
        audit::append(
            &mut tx,
            w,
            None,
            &AuditEvent::new("agency", id, "delete", vec![change]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn list_fiscal_years(&self, agency: AgencyId) -> StoreResult<Vec<i32>> {
        let years: Vec<i64> = sqlx::query_scalar(
            "SELECT year FROM fiscal_years WHERE agency_id = $1 ORDER BY year DESC",
        )
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        years
            .into_iter()
            .map(|y| i32::try_from(y).map_err(StoreError::other))
            .collect()
    }

    async fn open_fiscal_year(&self, w: Write<'_>, agency: AgencyId, year: i32) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let inserted = sqlx::query(
            "INSERT INTO fiscal_years (agency_id, year, created_at) VALUES ($1, $2, $3) ON CONFLICT (agency_id, year) DO NOTHING",
        )
        .bind(agency.get())
        .bind(i64::from(year))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if inserted > 0 {
            let change = Change {
                field: "year".into(),
                old: None,
                new: Some(year.to_string()),
            };
            audit::append(
                &mut tx,
                w,
                Some(agency),
                &AuditEvent::new("fiscal-year", year, "create", vec![change]),
            )
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }
}
