//! The measures module's store.

use std::collections::HashMap;

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{
    AccountId, ActionId, AgencyId, DivisionId, FileId, MeasureId, PlanId, ProgressId,
};
use prongsai_domain::measures::model::{decode_month, encode_month};
use prongsai_domain::measures::{
    Action, ActionFields, ActionStatus, CheckOverride, Evidence, Measure, MeasureFields,
    MeasuresStore, NewOverride, Plan, PlanContent, PlanStatus, PlanTexts, ProgressEntry, ReviewRow,
    StepRow,
};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use prongsai_thai::{FiscalYear, Period};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection};
use time::Date;

use crate::row::{RowExt, date, decode, flag};
use crate::{Db, audit, map_err};

const PLAN_COLS: &str = "id, agency_id, fiscal_year, status, introduction, review_intro, announcement_preamble, \
     announced_on, signer_name, signer_position, approved_by, approved_at, created_at, updated_at";

fn plan(r: &AnyRow) -> sqlx::Result<Plan> {
    let year = i32::try_from(r.int("fiscal_year")?)
        .ok()
        .and_then(|y| FiscalYear::new(y).ok());
    Ok(Plan {
        id: PlanId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        fiscal_year: decode("fiscal year", year)?,
        status: decode("plan status", PlanStatus::parse(&r.text("status")?))?,
        texts: PlanTexts {
            introduction: r.text("introduction")?,
            review_intro: r.text("review_intro")?,
            announcement_preamble: r.text("announcement_preamble")?,
            announced_on: r.opt_text("announced_on")?.map(|d| date(&d)).transpose()?,
            signer_name: r.opt_text("signer_name")?,
            signer_position: r.opt_text("signer_position")?,
        },
        approved_by: r.opt_text("approved_by")?,
        approved_at: r.opt_int("approved_at")?,
        created_at: r.int("created_at")?,
        updated_at: r.int("updated_at")?,
    })
}

const ACTION_COLS: &str = "a.id, a.agency_id, a.measure_id, a.number, a.text, a.all_divisions, a.period_start, a.period_end, \
     a.recommendation, a.monitoring, a.kpi, a.target, a.weight, a.status, a.percent";

fn action(r: &AnyRow, divisions: Vec<DivisionId>) -> sqlx::Result<Action> {
    let period = match (r.opt_int("period_start")?, r.opt_int("period_end")?) {
        (Some(s), Some(e)) => {
            let p = decode_month(s)
                .zip(decode_month(e))
                .and_then(|(s, e)| Period::new(s, e).ok());
            Some(decode("period", p)?)
        }
        _ => None,
    };
    Ok(Action {
        id: ActionId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        measure_id: MeasureId::from_raw(r.int("measure_id")?),
        number: i32::try_from(r.int("number")?).unwrap_or(0),
        fields: ActionFields {
            text: r.text("text")?,
            all_divisions: r.flag("all_divisions")?,
            divisions,
            period,
            recommendation: r.opt_text("recommendation")?,
            monitoring: r.opt_text("monitoring")?,
            kpi: r.opt_text("kpi")?,
            target: r.opt_text("target")?,
            weight: i32::try_from(r.int("weight")?).unwrap_or(1),
        },
        status: decode("action status", ActionStatus::parse(&r.text("status")?))?,
        percent: i32::try_from(r.int("percent")?).unwrap_or(0),
    })
}

/// The responsible divisions of some actions, in order.
async fn divisions_of(
    conn: &mut AnyConnection,
    agency: AgencyId,
    filter: &str,
    id: i64,
) -> StoreResult<HashMap<i64, Vec<DivisionId>>> {
    let sql = format!(
        "SELECT d.action_id, d.division_id FROM measure_action_divisions d
         JOIN measure_actions a ON a.agency_id = d.agency_id AND a.id = d.action_id
         JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
         WHERE d.agency_id = $1 AND {filter} = $2 ORDER BY d.action_id, d.position"
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
        .bind(agency.get())
        .bind(id)
        .fetch_all(conn)
        .await
        .map_err(map_err)?;
    let mut out: HashMap<i64, Vec<DivisionId>> = HashMap::new();
    for (a, d) in rows {
        out.entry(a).or_default().push(DivisionId::from_raw(d));
    }
    Ok(out)
}

async fn fetch_action(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: ActionId,
) -> StoreResult<Action> {
    let sql =
        format!("SELECT {ACTION_COLS} FROM measure_actions a WHERE a.agency_id = $1 AND a.id = $2");
    let r = sqlx::query::<Any>(&sql)
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    let mut divs = divisions_of(conn, agency, "a.id", id.get()).await?;
    action(&r, divs.remove(&id.get()).unwrap_or_default()).map_err(map_err)
}

async fn fetch_measure(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: MeasureId,
) -> StoreResult<Measure> {
    let r = sqlx::query("SELECT id, agency_id, plan_id, number, title, weight FROM measures WHERE agency_id = $1 AND id = $2")
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    let mut links = links_of(conn, agency, "l.measure_id", id.get()).await?;
    measure(&r, &links.remove(&id.get()).unwrap_or_default()).map_err(map_err)
}

fn measure(r: &AnyRow, links: &[(String, String)]) -> sqlx::Result<Measure> {
    let mut indicators: Vec<u8> = links
        .iter()
        .filter(|(k, _)| k == "indicator")
        .filter_map(|(_, c)| c.parse().ok())
        .collect();
    indicators.sort_unstable();
    let mut oit: Vec<(u8, String)> = links
        .iter()
        .filter(|(k, _)| k == "oit")
        .map(|(_, c)| (c.trim_start_matches('O').parse().unwrap_or(0), c.clone()))
        .collect();
    oit.sort();
    Ok(Measure {
        id: MeasureId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        plan_id: PlanId::from_raw(r.int("plan_id")?),
        number: i32::try_from(r.int("number")?).unwrap_or(0),
        fields: MeasureFields {
            title: r.text("title")?,
            indicators,
            oit_items: oit.into_iter().map(|(_, c)| c).collect(),
            weight: i32::try_from(r.int("weight")?).unwrap_or(1),
        },
    })
}

async fn links_of(
    conn: &mut AnyConnection,
    agency: AgencyId,
    filter: &str,
    id: i64,
) -> StoreResult<HashMap<i64, Vec<(String, String)>>> {
    let sql = format!(
        "SELECT l.measure_id, l.kind, l.code FROM measure_links l
         JOIN measures m ON m.agency_id = l.agency_id AND m.id = l.measure_id
         WHERE l.agency_id = $1 AND {filter} = $2"
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(agency.get())
        .bind(id)
        .fetch_all(conn)
        .await
        .map_err(map_err)?;
    let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (m, k, c) in rows {
        out.entry(m).or_default().push((k, c));
    }
    Ok(out)
}

async fn write_links(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: MeasureId,
    f: &MeasureFields,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM measure_links WHERE agency_id = $1 AND measure_id = $2")
        .bind(agency.get())
        .bind(id.get())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    let links = f
        .indicators
        .iter()
        .map(|i| ("indicator", i.to_string()))
        .chain(f.oit_items.iter().map(|o| ("oit", o.clone())));
    for (kind, code) in links {
        sqlx::query(
            "INSERT INTO measure_links (agency_id, measure_id, kind, code) VALUES ($1, $2, $3, $4)",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(kind)
        .bind(code)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

async fn insert_measure(
    conn: &mut AnyConnection,
    at: i64,
    agency: AgencyId,
    plan: PlanId,
    id: MeasureId,
    number: i64,
    f: &MeasureFields,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO measures (id, agency_id, plan_id, number, title, weight, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id.get())
    .bind(agency.get())
    .bind(plan.get())
    .bind(number)
    .bind(&f.title)
    .bind(i64::from(f.weight))
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    write_links(conn, agency, id, f).await
}

async fn write_divisions(
    conn: &mut AnyConnection,
    agency: AgencyId,
    id: ActionId,
    f: &ActionFields,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM measure_action_divisions WHERE agency_id = $1 AND action_id = $2")
        .bind(agency.get())
        .bind(id.get())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    for (i, d) in f.divisions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO measure_action_divisions (agency_id, action_id, division_id, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(d.get())
        .bind(i64::try_from(i).unwrap_or(0))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row of a table with many columns"
)]
async fn insert_action(
    conn: &mut AnyConnection,
    at: i64,
    agency: AgencyId,
    measure: MeasureId,
    id: ActionId,
    number: i64,
    f: &ActionFields,
    status: ActionStatus,
    percent: i32,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO measure_actions (id, agency_id, measure_id, number, text, all_divisions, period_start, period_end,
            recommendation, monitoring, kpi, target, weight, status, percent, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
    )
    .bind(id.get())
    .bind(agency.get())
    .bind(measure.get())
    .bind(number)
    .bind(&f.text)
    .bind(flag(f.all_divisions))
    .bind(f.period.map(|p| encode_month(p.start())))
    .bind(f.period.map(|p| encode_month(p.end())))
    .bind(f.recommendation.clone())
    .bind(f.monitoring.clone())
    .bind(f.kpi.clone())
    .bind(f.target.clone())
    .bind(i64::from(f.weight))
    .bind(status.as_str())
    .bind(i64::from(percent))
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    write_divisions(conn, agency, id, f).await
}

async fn plan_row(conn: &mut AnyConnection, agency: AgencyId, id: PlanId) -> StoreResult<Plan> {
    let sql = format!("SELECT {PLAN_COLS} FROM measure_plans WHERE agency_id = $1 AND id = $2");
    let r = sqlx::query::<Any>(&sql)
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(conn)
        .await
        .map_err(map_err)?;
    plan(&r).map_err(map_err)
}

async fn append(
    conn: &mut AnyConnection,
    w: Write<'_>,
    agency: AgencyId,
    event: AuditEvent,
) -> StoreResult<()> {
    audit::append(conn, w, Some(agency), &event)
        .await
        .map_err(map_err)
}

async fn touch_plan(
    conn: &mut AnyConnection,
    agency: AgencyId,
    plan: PlanId,
    at: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE measure_plans SET updated_at = $3 WHERE agency_id = $1 AND id = $2")
        .bind(agency.get())
        .bind(plan.get())
        .bind(at)
        .execute(conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// The plan a measure belongs to.
async fn plan_of_measure(
    conn: &mut AnyConnection,
    agency: AgencyId,
    measure: MeasureId,
) -> StoreResult<PlanId> {
    let id: i64 =
        sqlx::query_scalar("SELECT plan_id FROM measures WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(measure.get())
            .fetch_one(conn)
            .await
            .map_err(map_err)?;
    Ok(PlanId::from_raw(id))
}

fn rows4(rows: &[[&str; 4]]) -> Vec<Change> {
    vec![Change {
        field: "rows".into(),
        old: None,
        new: Some(rows.len().to_string()),
    }]
}

#[async_trait]
impl MeasuresStore for Db {
    async fn plan_years(&self, agency: AgencyId) -> StoreResult<Vec<(FiscalYear, PlanStatus)>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT fiscal_year, status FROM measure_plans WHERE agency_id = $1 ORDER BY fiscal_year DESC")
                .bind(agency.get())
                .fetch_all(self.pool())
                .await
                .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(y, s)| {
                let y = FiscalYear::new(i32::try_from(y).ok()?).ok()?;
                Some((y, PlanStatus::parse(&s)?))
            })
            .collect())
    }

    async fn plan(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Option<Plan>> {
        let sql = format!(
            "SELECT {PLAN_COLS} FROM measure_plans WHERE agency_id = $1 AND fiscal_year = $2"
        );
        let r = sqlx::query::<Any>(&sql)
            .bind(agency.get())
            .bind(i64::from(year.be()))
            .fetch_optional(self.pool())
            .await
            .map_err(map_err)?;
        r.as_ref().map(plan).transpose().map_err(map_err)
    }

    async fn create_plan(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PlanId,
        year: FiscalYear,
        t: &PlanTexts,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO measure_plans (id, agency_id, fiscal_year, status, introduction, review_intro, announcement_preamble,
                announced_on, signer_name, signer_position, created_at, updated_at)
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(id.get())
        .bind(agency.get())
        .bind(i64::from(year.be()))
        .bind(&t.introduction)
        .bind(&t.review_intro)
        .bind(&t.announcement_preamble)
        .bind(t.announced_on.map(|d| d.to_string()))
        .bind(t.signer_name.clone())
        .bind(t.signer_position.clone())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut changes = vec![Change {
            field: "fiscal_year".into(),
            old: None,
            new: Some(year.be().to_string()),
        }];
        changes.extend(a::created(t));
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", id, "create", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_plan_texts(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PlanId,
        t: &PlanTexts,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = plan_row(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE measure_plans SET introduction = $3, review_intro = $4, announcement_preamble = $5, announced_on = $6,
                signer_name = $7, signer_position = $8, updated_at = $9
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(&t.introduction)
        .bind(&t.review_intro)
        .bind(&t.announcement_preamble)
        .bind(t.announced_on.map(|d| d.to_string()))
        .bind(t.signer_name.clone())
        .bind(t.signer_position.clone())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", id, "update", a::diff(&old.texts, t)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_plan_status(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PlanId,
        status: PlanStatus,
        approved_by: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = plan_row(&mut tx, agency, id).await?;
        let approved_at = approved_by.map(|_| w.at);
        sqlx::query(
            "UPDATE measure_plans SET status = $3, approved_by = $4, approved_at = $5, updated_at = $6
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(status.as_str())
        .bind(approved_by.map(str::to_owned))
        .bind(approved_at)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let change = Change {
            field: "status".into(),
            old: Some(old.status.as_str().into()),
            new: Some(status.as_str().into()),
        };
        let action = match status {
            PlanStatus::Draft => "return-to-draft",
            PlanStatus::Submitted => "submit",
            PlanStatus::Approved => "approve",
        };
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", id, action, vec![change]),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_plan(&self, w: Write<'_>, agency: AgencyId, id: PlanId) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = plan_row(&mut tx, agency, id).await?;
        sqlx::query("DELETE FROM measure_plans WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let change = Change {
            field: "fiscal_year".into(),
            old: Some(old.fiscal_year.be().to_string()),
            new: None,
        };
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", id, "delete", vec![change]),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn measures(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<Measure>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT id, agency_id, plan_id, number, title, weight FROM measures
             WHERE agency_id = $1 AND plan_id = $2 ORDER BY number",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let mut links = links_of(&mut conn, agency, "m.plan_id", plan.get()).await?;
        rows.iter()
            .map(|r| {
                let id = r.int("id")?;
                measure(r, &links.remove(&id).unwrap_or_default())
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn create_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        id: MeasureId,
        f: &MeasureFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        plan_row(&mut tx, agency, plan).await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM measures WHERE agency_id = $1 AND plan_id = $2")
            .bind(agency.get())
            .bind(plan.get())
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        insert_measure(&mut tx, w.at, agency, plan, id, next, f).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        let mut changes = vec![Change {
            field: "number".into(),
            old: None,
            new: Some(next.to_string()),
        }];
        changes.extend(a::created(f));
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("measure", id, "create", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: MeasureId,
        f: &MeasureFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_measure(&mut tx, agency, id).await?;
        sqlx::query("UPDATE measures SET title = $3, weight = $4, updated_at = $5 WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .bind(&f.title)
            .bind(i64::from(f.weight))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        write_links(&mut tx, agency, id, f).await?;
        touch_plan(&mut tx, agency, old.plan_id, w.at).await?;
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("measure", id, "update", a::diff(&old.fields, f)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: MeasureId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_measure(&mut tx, agency, id).await?;
        sqlx::query("DELETE FROM measures WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("UPDATE measures SET number = number - 1 WHERE agency_id = $1 AND plan_id = $2 AND number > $3")
            .bind(agency.get())
            .bind(old.plan_id.get())
            .bind(i64::from(old.number))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        touch_plan(&mut tx, agency, old.plan_id, w.at).await?;
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("measure", id, "delete", a::deleted(&old.fields)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn actions(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<Action>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let sql = format!(
            "SELECT {ACTION_COLS} FROM measure_actions a
             JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
             WHERE a.agency_id = $1 AND m.plan_id = $2 ORDER BY m.number, a.number"
        );
        let rows = sqlx::query::<Any>(&sql)
            .bind(agency.get())
            .bind(plan.get())
            .fetch_all(&mut *conn)
            .await
            .map_err(map_err)?;
        let mut divs = divisions_of(&mut conn, agency, "m.plan_id", plan.get()).await?;
        rows.iter()
            .map(|r| {
                let id = r.int("id")?;
                action(r, divs.remove(&id).unwrap_or_default())
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn action(&self, agency: AgencyId, id: ActionId) -> StoreResult<Action> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        fetch_action(&mut conn, agency, id).await
    }

    async fn plan_of_action(&self, agency: AgencyId, id: ActionId) -> StoreResult<Plan> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let plan_id: i64 = sqlx::query_scalar(
            "SELECT m.plan_id FROM measure_actions a JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
             WHERE a.agency_id = $1 AND a.id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
        plan_row(&mut conn, agency, PlanId::from_raw(plan_id)).await
    }

    async fn create_action(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        measure: MeasureId,
        id: ActionId,
        f: &ActionFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let plan = plan_of_measure(&mut tx, agency, measure).await?;
        let next: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM measure_actions WHERE agency_id = $1 AND measure_id = $2")
                .bind(agency.get())
                .bind(measure.get())
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
        insert_action(
            &mut tx,
            w.at,
            agency,
            measure,
            id,
            next,
            f,
            ActionStatus::NotStarted,
            0,
        )
        .await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        let mut changes = vec![Change {
            field: "number".into(),
            old: None,
            new: Some(next.to_string()),
        }];
        changes.extend(a::created(f));
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("action", id, "create", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_action(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ActionId,
        f: &ActionFields,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_action(&mut tx, agency, id).await?;
        sqlx::query(
            "UPDATE measure_actions SET text = $3, all_divisions = $4, period_start = $5, period_end = $6, recommendation = $7,
                monitoring = $8, kpi = $9, target = $10, weight = $11, updated_at = $12
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(&f.text)
        .bind(flag(f.all_divisions))
        .bind(f.period.map(|p| encode_month(p.start())))
        .bind(f.period.map(|p| encode_month(p.end())))
        .bind(f.recommendation.clone())
        .bind(f.monitoring.clone())
        .bind(f.kpi.clone())
        .bind(f.target.clone())
        .bind(i64::from(f.weight))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        write_divisions(&mut tx, agency, id, f).await?;
        let plan = plan_of_measure(&mut tx, agency, old.measure_id).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("action", id, "update", a::diff(&old.fields, f)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_action(&self, w: Write<'_>, agency: AgencyId, id: ActionId) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_action(&mut tx, agency, id).await?;
        sqlx::query("DELETE FROM measure_actions WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("UPDATE measure_actions SET number = number - 1 WHERE agency_id = $1 AND measure_id = $2 AND number > $3")
            .bind(agency.get())
            .bind(old.measure_id.get())
            .bind(i64::from(old.number))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let plan = plan_of_measure(&mut tx, agency, old.measure_id).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("action", id, "delete", a::deleted(&old.fields)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn add_progress(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        e: &ProgressEntry,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = fetch_action(&mut tx, agency, e.action_id).await?;
        sqlx::query(
            "INSERT INTO measure_progress (id, agency_id, action_id, reported_on, status, percent, narrative, author_account_id,
                author_label, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(e.id.get())
        .bind(agency.get())
        .bind(e.action_id.get())
        .bind(e.reported_on.to_string())
        .bind(e.status.as_str())
        .bind(i64::from(e.percent))
        .bind(&e.narrative)
        .bind(e.author_account_id.map(AccountId::get))
        .bind(&e.author_label)
        .bind(e.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        for (i, ev) in e.evidence.iter().enumerate() {
            let (file, url, label) = match ev {
                Evidence::File { file_id, name } => (Some(file_id.get()), None, name.clone()),
                Evidence::Link { url, label } => (None, Some(url.clone()), label.clone()),
            };
            sqlx::query(
                "INSERT INTO measure_evidence (agency_id, progress_id, position, file_id, url, label) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(agency.get())
            .bind(e.id.get())
            .bind(i64::try_from(i).unwrap_or(0))
            .bind(file)
            .bind(url)
            .bind(label)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        sqlx::query("UPDATE measure_actions SET status = $3, percent = $4, updated_at = $5 WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(e.action_id.get())
            .bind(e.status.as_str())
            .bind(i64::from(e.percent))
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let changes = vec![
            Change {
                field: "action".into(),
                old: None,
                new: Some(e.action_id.to_string()),
            },
            Change {
                field: "status".into(),
                old: Some(old.status.as_str().into()),
                new: Some(e.status.as_str().into()),
            },
            Change {
                field: "percent".into(),
                old: Some(old.percent.to_string()),
                new: Some(e.percent.to_string()),
            },
            Change {
                field: "narrative".into(),
                old: None,
                new: Some(e.narrative.clone()),
            },
            Change {
                field: "evidence".into(),
                old: None,
                new: Some(e.evidence.len().to_string()),
            },
        ];
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("progress", e.id, "create", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn progress(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<ProgressEntry>> {
        let mut conn = self.pool().acquire().await.map_err(map_err)?;
        let rows = sqlx::query(
            "SELECT p.id, p.action_id, p.reported_on, p.status, p.percent, p.narrative, p.author_account_id, p.author_label, p.created_at
             FROM measure_progress p
             JOIN measure_actions a ON a.agency_id = p.agency_id AND a.id = p.action_id
             JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
             WHERE p.agency_id = $1 AND m.plan_id = $2
             ORDER BY p.created_at DESC, p.id DESC",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let ev_rows = sqlx::query(
            "SELECT e.progress_id, e.file_id, e.url, e.label FROM measure_evidence e
             JOIN measure_progress p ON p.agency_id = e.agency_id AND p.id = e.progress_id
             JOIN measure_actions a ON a.agency_id = p.agency_id AND a.id = p.action_id
             JOIN measures m ON m.agency_id = a.agency_id AND m.id = a.measure_id
             WHERE e.agency_id = $1 AND m.plan_id = $2 ORDER BY e.progress_id, e.position",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
        let mut evidence: HashMap<i64, Vec<Evidence>> = HashMap::new();
        for r in &ev_rows {
            let ev = match (
                r.opt_int("file_id").map_err(map_err)?,
                r.opt_text("url").map_err(map_err)?,
            ) {
                (Some(f), _) => Evidence::File {
                    file_id: FileId::from_raw(f),
                    name: r.text("label").map_err(map_err)?,
                },
                (None, Some(url)) => Evidence::Link {
                    url,
                    label: r.text("label").map_err(map_err)?,
                },
                (None, None) => continue,
            };
            evidence
                .entry(r.int("progress_id").map_err(map_err)?)
                .or_default()
                .push(ev);
        }
        rows.iter()
            .map(|r| {
                let id = r.int("id")?;
                Ok(ProgressEntry {
                    id: ProgressId::from_raw(id),
                    agency_id: agency,
                    action_id: ActionId::from_raw(r.int("action_id")?),
                    reported_on: date(&r.text("reported_on")?)?,
                    status: decode("progress status", ActionStatus::parse(&r.text("status")?))?,
                    percent: i32::try_from(r.int("percent")?).unwrap_or(0),
                    narrative: r.text("narrative")?,
                    author_account_id: r.opt_int("author_account_id")?.map(AccountId::from_raw),
                    author_label: r.text("author_label")?,
                    evidence: evidence.remove(&id).unwrap_or_default(),
                    created_at: r.int("created_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn reviews(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<ReviewRow>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT indicator, issues, methods, actions_taken FROM measure_reviews WHERE agency_id = $1 AND plan_id = $2 ORDER BY position",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(indicator, issues, methods, actions_taken)| ReviewRow {
                indicator,
                issues,
                methods,
                actions_taken,
            })
            .collect())
    }

    async fn set_reviews(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        rows: &[ReviewRow],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        plan_row(&mut tx, agency, plan).await?;
        write_reviews(&mut tx, agency, plan, rows).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        let cells: Vec<[&str; 4]> = rows
            .iter()
            .map(|r| [r.indicator.as_str(), "", "", ""])
            .collect();
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", plan, "update-reviews", rows4(&cells)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn steps(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<StepRow>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT measure, steps, responsible, monitoring FROM measure_steps WHERE agency_id = $1 AND plan_id = $2 ORDER BY position",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(measure, steps, responsible, monitoring)| StepRow {
                measure,
                steps,
                responsible,
                monitoring,
            })
            .collect())
    }

    async fn set_steps(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        rows: &[StepRow],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        plan_row(&mut tx, agency, plan).await?;
        write_steps(&mut tx, agency, plan, rows).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        let cells: Vec<[&str; 4]> = rows
            .iter()
            .map(|r| [r.measure.as_str(), "", "", ""])
            .collect();
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", plan, "update-steps", rows4(&cells)),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn replace_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        content: &PlanContent,
        new_id: &(dyn Fn() -> i64 + Send + Sync),
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        plan_row(&mut tx, agency, plan).await?;
        sqlx::query("DELETE FROM measures WHERE agency_id = $1 AND plan_id = $2")
            .bind(agency.get())
            .bind(plan.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let mut actions = 0usize;
        for (i, (mf, acts)) in content.measures.iter().enumerate() {
            let mid = MeasureId::from_raw(new_id());
            insert_measure(
                &mut tx,
                w.at,
                agency,
                plan,
                mid,
                i64::try_from(i + 1).unwrap_or(0),
                mf,
            )
            .await?;
            for (j, (af, status, percent)) in acts.iter().enumerate() {
                let aid = ActionId::from_raw(new_id());
                insert_action(
                    &mut tx,
                    w.at,
                    agency,
                    mid,
                    aid,
                    i64::try_from(j + 1).unwrap_or(0),
                    af,
                    *status,
                    *percent,
                )
                .await?;
                actions += 1;
            }
        }
        write_reviews(&mut tx, agency, plan, &content.reviews).await?;
        write_steps(&mut tx, agency, plan, &content.steps).await?;
        touch_plan(&mut tx, agency, plan, w.at).await?;
        let changes = vec![
            Change {
                field: "measures".into(),
                old: None,
                new: Some(content.measures.len().to_string()),
            },
            Change {
                field: "actions".into(),
                old: None,
                new: Some(actions.to_string()),
            },
            Change {
                field: "reviews".into(),
                old: None,
                new: Some(content.reviews.len().to_string()),
            },
            Change {
                field: "steps".into(),
                old: None,
                new: Some(content.steps.len().to_string()),
            },
        ];
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", plan, "replace-content", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn overrides(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<CheckOverride>> {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT code, subject, reason, by_label, at FROM measure_check_overrides WHERE agency_id = $1 AND plan_id = $2 ORDER BY at",
        )
        .bind(agency.get())
        .bind(plan.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(code, subject, reason, by, at)| CheckOverride {
                code,
                subject,
                reason,
                by,
                at,
            })
            .collect())
    }

    async fn add_override(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        o: &NewOverride<'_>,
    ) -> StoreResult<()> {
        let NewOverride {
            code,
            subject,
            reason,
            by,
        } = *o;
        let mut tx = self.begin().await.map_err(map_err)?;
        plan_row(&mut tx, agency, plan).await?;
        sqlx::query(
            "INSERT INTO measure_check_overrides (agency_id, plan_id, code, subject, reason, by_label, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (agency_id, plan_id, code, subject) DO UPDATE SET reason = excluded.reason, by_label = excluded.by_label, at = excluded.at",
        )
        .bind(agency.get())
        .bind(plan.get())
        .bind(code)
        .bind(subject)
        .bind(reason)
        .bind(by)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let changes = vec![
            Change {
                field: "code".into(),
                old: None,
                new: Some(code.into()),
            },
            Change {
                field: "subject".into(),
                old: None,
                new: Some(subject.into()),
            },
            Change {
                field: "reason".into(),
                old: None,
                new: Some(reason.into()),
            },
        ];
        append(
            &mut tx,
            w,
            agency,
            AuditEvent::new("plan", plan, "accept-warning", changes),
        )
        .await?;
        tx.commit().await.map_err(map_err)
    }

    async fn mark_reminder(
        &self,
        agency: AgencyId,
        action: ActionId,
        kind: &str,
        day: Date,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "INSERT INTO measure_reminders (agency_id, action_id, kind, day) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(agency.get())
        .bind(action.get())
        .bind(kind)
        .bind(day.to_string())
        .execute(self.pool())
        .await
        .map_err(map_err)?
        .rows_affected();
        Ok(n == 1)
    }

    async fn agencies_with_approved_plan(&self, year: FiscalYear) -> StoreResult<Vec<AgencyId>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT agency_id FROM measure_plans WHERE fiscal_year = $1 AND status = 'approved' ORDER BY agency_id")
                .bind(i64::from(year.be()))
                .fetch_all(self.pool())
                .await
                .map_err(map_err)?;
        Ok(ids.into_iter().map(AgencyId::from_raw).collect())
    }
}

async fn write_reviews(
    conn: &mut AnyConnection,
    agency: AgencyId,
    plan: PlanId,
    rows: &[ReviewRow],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM measure_reviews WHERE agency_id = $1 AND plan_id = $2")
        .bind(agency.get())
        .bind(plan.get())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    for (i, r) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO measure_reviews (agency_id, plan_id, position, indicator, issues, methods, actions_taken)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(agency.get())
        .bind(plan.get())
        .bind(i64::try_from(i).unwrap_or(0))
        .bind(&r.indicator)
        .bind(&r.issues)
        .bind(&r.methods)
        .bind(&r.actions_taken)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

async fn write_steps(
    conn: &mut AnyConnection,
    agency: AgencyId,
    plan: PlanId,
    rows: &[StepRow],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM measure_steps WHERE agency_id = $1 AND plan_id = $2")
        .bind(agency.get())
        .bind(plan.get())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    for (i, r) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO measure_steps (agency_id, plan_id, position, measure, steps, responsible, monitoring)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(agency.get())
        .bind(plan.get())
        .bind(i64::try_from(i).unwrap_or(0))
        .bind(&r.measure)
        .bind(&r.steps)
        .bind(&r.responsible)
        .bind(&r.monitoring)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}
