//! Divisions and the staff directory.

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{AgencyId, DivisionId, FileId, PersonId};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use prongsai_domain::platform::division::DivisionFields;
use prongsai_domain::platform::person::PersonFields;
use prongsai_domain::platform::{Division, ExecutiveSide, PeopleStore, Person};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection};

use crate::row::{RowExt, flag};
use crate::{Db, audit, map_err};

const DIVISION_COLS: &str =
    "id, agency_id, name, short_name, name_en, duties, phone, email, sort_order";
const PERSON_COLS: &str = "id, agency_id, division_id, name, position, executive, is_division_head, phone, email, photo_file_id, sort_order";

fn division(r: &AnyRow) -> sqlx::Result<Division> {
    Ok(Division {
        id: DivisionId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        fields: DivisionFields {
            name: r.text("name")?,
            short_name: r.opt_text("short_name")?,
            name_en: r.opt_text("name_en")?,
            duties: r.opt_text("duties")?,
            phone: r.opt_text("phone")?,
            email: r.opt_text("email")?,
            sort_order: r.int("sort_order")?,
        },
    })
}

fn person(r: &AnyRow) -> sqlx::Result<Person> {
    let executive = match r.opt_text("executive")? {
        None => None,
        Some(s) => Some(
            ExecutiveSide::parse(&s)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown side {s:?}").into()))?,
        ),
    };
    Ok(Person {
        id: PersonId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        fields: PersonFields {
            name: r.text("name")?,
            position: r.text("position")?,
            division_id: r.opt_int("division_id")?.map(DivisionId::from_raw),
            executive,
            is_division_head: r.flag("is_division_head")?,
            phone: r.opt_text("phone")?,
            email: r.opt_text("email")?,
            sort_order: r.int("sort_order")?,
        },
        photo: r.opt_int("photo_file_id")?.map(FileId::from_raw),
    })
}

async fn fetch_division(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: DivisionId,
) -> StoreResult<Division> {
    let sql = format!("SELECT {DIVISION_COLS} FROM divisions WHERE agency_id = $1 AND id = $2");
    let r = sqlx::query::<Any>(&sql)
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(conn)
        .await
        .map_err(map_err)?;
    division(&r).map_err(map_err)
}

async fn fetch_person(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: PersonId,
) -> StoreResult<Person> {
    let sql = format!("SELECT {PERSON_COLS} FROM people WHERE agency_id = $1 AND id = $2");
    let r = sqlx::query::<Any>(&sql)
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(conn)
        .await
        .map_err(map_err)?;
    person(&r).map_err(map_err)
}

fn expect_one(rows: u64) -> StoreResult<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

#[async_trait]
impl PeopleStore for Db {
    async fn list_divisions(&self, agency: AgencyId) -> StoreResult<Vec<Division>> {
        let sql = format!(
            "SELECT {DIVISION_COLS} FROM divisions WHERE agency_id = $1 ORDER BY sort_order, name, id"
        );
        let rows = sqlx::query::<Any>(&sql)
            .bind(agency.get())
            .fetch_all(self.pool())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(division)
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn division(&self, agency: AgencyId, id: DivisionId) -> StoreResult<Division> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        fetch_division(&mut conn, agency, id).await
    }

    async fn create_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
        f: &DivisionFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO divisions (id, agency_id, name, name_en, duties, phone, email, sort_order, created_at, updated_at, short_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
        )
        .bind(id.get())
        .bind(agency.get())
        .bind(&f.name)
        .bind(f.name_en.clone())
        .bind(f.duties.clone())
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.sort_order)
        .bind(w.at)
        .bind(f.short_name.clone())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("division", id, "create", a::created(f)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
        f: &DivisionFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_division(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE divisions SET name = $3, name_en = $4, duties = $5, phone = $6, email = $7, sort_order = $8, updated_at = $9,
                short_name = $10
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(&f.name)
        .bind(f.name_en.clone())
        .bind(f.duties.clone())
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.sort_order)
        .bind(w.at)
        .bind(f.short_name.clone())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("division", id, "update", a::diff(&old.fields, f)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_division(&mut tx, agency, id).await?;
        let rows = sqlx::query("DELETE FROM divisions WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?
            .rows_affected();
        expect_one(rows)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("division", id, "delete", a::deleted(&old.fields)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn list_people(&self, agency: AgencyId) -> StoreResult<Vec<Person>> {
        let sql = format!(
            "SELECT {PERSON_COLS} FROM people WHERE agency_id = $1 ORDER BY sort_order, name, id"
        );
        let rows = sqlx::query::<Any>(&sql)
            .bind(agency.get())
            .fetch_all(self.pool())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(person)
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn person(&self, agency: AgencyId, id: PersonId) -> StoreResult<Person> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        fetch_person(&mut conn, agency, id).await
    }

    async fn create_person(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        f: &PersonFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO people (id, agency_id, division_id, name, position, executive, is_division_head, phone, email,
                sort_order, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id.get())
        .bind(agency.get())
        .bind(f.division_id.map(DivisionId::get))
        .bind(&f.name)
        .bind(&f.position)
        .bind(f.executive.map(ExecutiveSide::as_str))
        .bind(flag(f.is_division_head))
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.sort_order)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("person", id, "create", a::created(f)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_person(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        f: &PersonFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_person(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE people SET division_id = $3, name = $4, position = $5, executive = $6, is_division_head = $7, phone = $8,
                email = $9, sort_order = $10, updated_at = $11
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(f.division_id.map(DivisionId::get))
        .bind(&f.name)
        .bind(&f.position)
        .bind(f.executive.map(ExecutiveSide::as_str))
        .bind(flag(f.is_division_head))
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.sort_order)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("person", id, "update", a::diff(&old.fields, f)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_person_photo(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        photo: Option<FileId>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_person(&mut tx, agency, id).await?;
        sqlx::query("UPDATE people SET photo_file_id = $3, updated_at = $4 WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .bind(photo.map(FileId::get))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let change = Change {
            field: "photo_file_id".into(),
            old: old.photo.map(|f| f.to_string()),
            new: photo.map(|f| f.to_string()),
        };
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("person", id, "update", vec![change]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_person(&self, w: Write<'_>, agency: AgencyId, id: PersonId) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_person(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE memberships SET person_id = NULL WHERE agency_id = $1 AND person_id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("DELETE FROM people WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("person", id, "delete", a::deleted(&old.fields)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }
}
