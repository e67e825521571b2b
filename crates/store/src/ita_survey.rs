//! The ITA surveys' store: settings, access codes and responses.
//!
//! A response is stored with a random id and the date only, and the code it came with is
//! deleted in the same transaction; nothing else is written, not even an audit entry (see
//! `prongsai_domain::ita::survey`).

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{AgencyId, DivisionId};
use prongsai_domain::ita::framework::InstrumentCode;
use prongsai_domain::ita::survey::{Response, SubmitRefused, Survey, SurveyStore, SurveyTally};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use sqlx::any::AnyRow;

use crate::row::{RowExt, date, decode, flag};
use crate::{Db, audit, map_err};

const SURVEY_COLS: &str =
    "agency_id, id, fiscal_year, instrument, population, opens_on, closes_on, codes_required";

fn survey(r: &AnyRow) -> sqlx::Result<Survey> {
    Ok(Survey {
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        id: r.int("id")?,
        fiscal_year: decode("fiscal year", i32::try_from(r.int("fiscal_year")?).ok())?,
        instrument: match r.text("instrument")?.as_str() {
            "IIT" => InstrumentCode::IIT,
            "EIT" => InstrumentCode::EIT,
            _ => return Err(sqlx::Error::Decode("invalid stored instrument".into())),
        },
        population: decode("population", u32::try_from(r.int("population")?).ok())?,
        opens_on: date(&r.text("opens_on")?)?,
        closes_on: date(&r.text("closes_on")?)?,
        codes_required: r.flag("codes_required")?,
    })
}

/// The levels as stored: one digit per answer field.
fn encode_levels(levels: &[u8]) -> String {
    levels.iter().map(|l| char::from(b'0' + l % 10)).collect()
}

fn decode_levels(s: &str) -> Option<Vec<u8>> {
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

#[async_trait]
impl SurveyStore for Db {
    async fn surveys(&self, agency: AgencyId, fiscal_year: i32) -> StoreResult<Vec<Survey>> {
        let rows = sqlx::query(&format!(
            "SELECT {SURVEY_COLS} FROM ita_surveys WHERE agency_id = $1 AND fiscal_year = $2 ORDER BY instrument DESC"
        ))
        .bind(agency.get())
        .bind(i64::from(fiscal_year))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(survey)
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn put_survey(&self, w: Write<'_>, s: &Survey) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let old = sqlx::query(&format!(
            "SELECT {SURVEY_COLS} FROM ita_surveys WHERE agency_id = $1 AND id = $2"
        ))
        .bind(s.agency_id.get())
        .bind(s.id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .map(|r| survey(&r))
        .transpose()
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO ita_surveys (agency_id, id, fiscal_year, instrument, population, opens_on, closes_on, codes_required, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (agency_id, id) DO UPDATE SET population = excluded.population, opens_on = excluded.opens_on,
                closes_on = excluded.closes_on, codes_required = excluded.codes_required, updated_at = excluded.updated_at",
        )
        .bind(s.agency_id.get())
        .bind(s.id)
        .bind(i64::from(s.fiscal_year))
        .bind(s.instrument.as_str())
        .bind(i64::from(s.population))
        .bind(s.opens_on.to_string())
        .bind(s.closes_on.to_string())
        .bind(flag(s.codes_required))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let (action, changes) = match &old {
            Some(o) => ("update", a::diff(o, s)),
            None => ("create", a::created(s)),
        };
        audit::append(
            &mut tx,
            w,
            Some(s.agency_id),
            &AuditEvent::new("ita-survey", s.id, action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn add_codes(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        survey_id: i64,
        codes: &[String],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let made: i64 = sqlx::query_scalar(
            "SELECT made FROM ita_survey_code_counts WHERE agency_id = $1 AND survey_id = $2",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .unwrap_or(0);
        // Several rows per statement: a printing of 2,000 codes is 20 statements, not 2,000.
        for (chunk_no, chunk) in codes.chunks(100).enumerate() {
            let mut sql = String::from(
                "INSERT INTO ita_survey_codes (code, agency_id, survey_id, seq) VALUES ",
            );
            for k in 0..chunk.len() {
                let b = k * 4;
                if k > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            }
            let mut q = sqlx::query(&sql);
            for (k, code) in chunk.iter().enumerate() {
                let seq = made + i64::try_from(chunk_no * 100 + k + 1).unwrap_or(0);
                q = q.bind(code).bind(agency.get()).bind(survey_id).bind(seq);
            }
            q.execute(&mut *tx).await.map_err(map_err)?;
        }
        let total = made + i64::try_from(codes.len()).unwrap_or(0);
        sqlx::query(
            "INSERT INTO ita_survey_code_counts (agency_id, survey_id, made) VALUES ($1, $2, $3)
             ON CONFLICT (agency_id, survey_id) DO UPDATE SET made = excluded.made",
        )
        .bind(agency.get())
        .bind(survey_id)
        .bind(total)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new(
                "ita-survey",
                survey_id,
                "codes-made",
                vec![Change {
                    field: "codes".into(),
                    old: Some(made.to_string()),
                    new: Some(total.to_string()),
                }],
            ),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn unused_codes(&self, agency: AgencyId, survey_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT code FROM ita_survey_codes WHERE agency_id = $1 AND survey_id = $2 ORDER BY seq",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)
    }

    async fn unused_code_count(&self, agency: AgencyId, survey_id: i64) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ita_survey_codes WHERE agency_id = $1 AND survey_id = $2",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_one(self.pool())
        .await
        .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn codes_made(&self, agency: AgencyId, survey_id: i64) -> StoreResult<u64> {
        let made: Option<i64> = sqlx::query_scalar(
            "SELECT made FROM ita_survey_code_counts WHERE agency_id = $1 AND survey_id = $2",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        Ok(made.and_then(|m| u64::try_from(m).ok()).unwrap_or(0))
    }

    async fn survey_of_code(&self, code: &str) -> StoreResult<Option<Survey>> {
        let cols = SURVEY_COLS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "SELECT {cols} FROM ita_survey_codes c JOIN ita_surveys s ON s.agency_id = c.agency_id AND s.id = c.survey_id WHERE c.code = $1"
        ))
        .bind(code)
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?
        .map(|r| survey(&r))
        .transpose()
        .map_err(map_err)
    }

    async fn submit(
        &self,
        code: Option<&str>,
        r: &Response,
    ) -> StoreResult<Result<(), SubmitRefused>> {
        if self.backend() == crate::Backend::Postgres {
            // PostgreSQL commits concurrent transactions together by itself.
            return submit_one(self, code, r).await;
        }
        let queue = self
            .answers
            .get_or_init(|| AnswerQueue::start(self.clone()));
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = AnswerJob {
            code: code.map(str::to_owned),
            response: r.clone(),
            reply,
        };
        if queue.0.send(job).await.is_err() {
            return submit_one(self, code, r).await;
        }
        match answer.await {
            Ok(result) => result,
            Err(_) => submit_one(self, code, r).await,
        }
    }

    async fn response_counts(
        &self,
        agency: AgencyId,
        survey_id: i64,
    ) -> StoreResult<Vec<(Option<DivisionId>, u64)>> {
        let rows: Vec<(Option<i64>, i64)> = sqlx::query_as(
            "SELECT division_id, COUNT(*) FROM ita_responses WHERE agency_id = $1 AND survey_id = $2 GROUP BY division_id ORDER BY division_id",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(d, n)| (d.map(DivisionId::from_raw), u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    async fn responses(&self, agency: AgencyId, survey_id: i64) -> StoreResult<Vec<Response>> {
        let rows = sqlx::query(
            "SELECT id, answered_on, division_id, levels FROM ita_responses WHERE agency_id = $1 AND survey_id = $2 ORDER BY id",
        )
        .bind(agency.get())
        .bind(survey_id)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Response {
                    id: r.int("id")?,
                    agency_id: agency,
                    survey_id,
                    answered_on: date(&r.text("answered_on")?)?,
                    division_id: r.opt_int("division_id")?.map(DivisionId::from_raw),
                    levels: decode("levels", decode_levels(&r.text("levels")?))?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn year_tallies(&self, fiscal_year: i32) -> StoreResult<Vec<SurveyTally>> {
        use std::collections::HashMap;
        // One row per survey, its answers joined by commas: the database does the grouping,
        // and the driver hands over 17,000 rows for a whole country instead of 1.3 million.
        let joined = match self.backend() {
            crate::Backend::Sqlite => "group_concat(r.levels, ',')",
            crate::Backend::Postgres => "string_agg(r.levels, ',')",
        };
        let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
            "SELECT s.agency_id, s.instrument, {joined} FROM ita_surveys s
             JOIN ita_responses r ON r.agency_id = s.agency_id AND r.survey_id = s.id
             WHERE s.fiscal_year = $1 GROUP BY s.agency_id, s.id, s.instrument"
        ))
        .bind(i64::from(fiscal_year))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut by: HashMap<(i64, bool, usize), (u64, Vec<[u64; 9]>)> = HashMap::new();
        for (agency, instrument, all) in &rows {
            for levels in all.split(',') {
                let bytes = levels.as_bytes();
                let e = by
                    .entry((*agency, instrument == "IIT", bytes.len()))
                    .or_insert_with(|| (0, vec![[0; 9]; bytes.len()]));
                e.0 += 1;
                for (field, b) in e.1.iter_mut().zip(bytes) {
                    if let Some(level) = b.checked_sub(b'1').filter(|l| *l < 9) {
                        field[usize::from(level)] += 1;
                    }
                }
            }
        }
        Ok(by
            .into_iter()
            .map(
                |((agency, iit, width), (respondents, counts))| SurveyTally {
                    agency_id: AgencyId::from_raw(agency),
                    instrument: if iit {
                        InstrumentCode::IIT
                    } else {
                        InstrumentCode::EIT
                    },
                    width,
                    respondents,
                    counts,
                },
            )
            .collect())
    }
}

/// One answer waiting for the writer, and where to say how it went.
pub(crate) struct AnswerJob {
    code: Option<String>,
    response: Response,
    reply: tokio::sync::oneshot::Sender<StoreResult<Result<(), SubmitRefused>>>,
}

/// Group commit for survey answers on SQLite. A SQLite file has one writer at a time and every
/// commit waits for the disk (`synchronous = FULL`), so answers arriving together are written
/// by one task in one transaction, and each sender is answered only after that commit: as
/// durable as one transaction each, with one disk flush per batch instead of per answer.
#[derive(Debug)]
pub(crate) struct AnswerQueue(tokio::sync::mpsc::Sender<AnswerJob>);

/// The most answers in one transaction.
const BATCH: usize = 256;

impl AnswerQueue {
    fn start(db: Db) -> Self {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<AnswerJob>(4 * BATCH);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                match write_batch(&db, &batch).await {
                    Ok(results) => {
                        for (job, result) in batch.into_iter().zip(results) {
                            let _ = job.reply.send(Ok(result));
                        }
                    }
                    // The batch is rolled back whole: write each answer on its own, so that
                    // one bad answer fails alone.
                    Err(_) => {
                        for job in batch {
                            let result = submit_one(&db, job.code.as_deref(), &job.response).await;
                            let _ = job.reply.send(result);
                        }
                    }
                }
            }
        });
        Self(tx)
    }
}

/// Uses the code (if any) and stores the answer, for each job, in one transaction.
async fn write_batch(db: &Db, jobs: &[AnswerJob]) -> StoreResult<Vec<Result<(), SubmitRefused>>> {
    let mut tx = db.begin().await.map_err(map_err)?;
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(use_code_and_store(&mut tx, job.code.as_deref(), &job.response).await?);
    }
    tx.commit().await.map_err(map_err)?;
    Ok(out)
}

/// One answer in its own transaction.
async fn submit_one(
    db: &Db,
    code: Option<&str>,
    r: &Response,
) -> StoreResult<Result<(), SubmitRefused>> {
    let mut tx = db.begin().await.map_err(map_err)?;
    let result = use_code_and_store(&mut tx, code, r).await?;
    if result.is_ok() {
        tx.commit().await.map_err(map_err)?;
    }
    Ok(result)
}

/// Deletes the code (refusing if it is gone) and inserts the answer, inside `tx`.
async fn use_code_and_store(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: Option<&str>,
    r: &Response,
) -> StoreResult<Result<(), SubmitRefused>> {
    if let Some(code) = code {
        let used = sqlx::query(
            "DELETE FROM ita_survey_codes WHERE code = $1 AND agency_id = $2 AND survey_id = $3",
        )
        .bind(code)
        .bind(r.agency_id.get())
        .bind(r.survey_id)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        if used.rows_affected() != 1 {
            return Ok(Err(SubmitRefused::CodeGone));
        }
    }
    sqlx::query(
        "INSERT INTO ita_responses (agency_id, survey_id, id, answered_on, division_id, levels) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.agency_id.get())
    .bind(r.survey_id)
    .bind(r.id)
    .bind(r.answered_on.to_string())
    .bind(r.division_id.map(DivisionId::get))
    .bind(encode_levels(&r.levels))
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(Ok(()))
}
