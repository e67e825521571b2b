//! Questions of the Q&A board and suggestions from the public.
//!
//! A public submission's audit entry records that something was received and its state, never
//! its text, name or contact: the audit log cannot be pruned, and a question may be spam or
//! carry personal data that staff reject.

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{AgencyId, QuestionId, SuggestionId};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use prongsai_domain::portal::participation::{
    Counts, Moderation, Paged, ParticipationStore, Question, QuestionStatus, Review, Suggestion,
    SuggestionStatus, Topic,
};
use sqlx::any::AnyRow;

use crate::row::{RowExt, decode, flag};
use crate::{Db, audit, map_err};

const QUESTION: &str = "id, agency_id, question, asker_name, contact, status, answer, answered_by, asked_at, published_at, updated_at";
const SUGGESTION: &str = "id, agency_id, fiscal_year, number, topic, body, sender_name, contact, status, response, published, responded_by, received_at, updated_at";

fn question_of(r: &AnyRow) -> sqlx::Result<Question> {
    Ok(Question {
        id: QuestionId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        question: r.text("question")?,
        asker_name: r.opt_text("asker_name")?,
        contact: r.opt_text("contact")?,
        status: decode("question status", QuestionStatus::parse(&r.text("status")?))?,
        answer: r.opt_text("answer")?,
        answered_by: r.opt_text("answered_by")?,
        asked_at: r.int("asked_at")?,
        published_at: r.opt_int("published_at")?,
        updated_at: r.int("updated_at")?,
    })
}

fn suggestion_of(r: &AnyRow) -> sqlx::Result<Suggestion> {
    Ok(Suggestion {
        id: SuggestionId::from_raw(r.int("id")?),
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        fiscal_year: i32::try_from(r.int("fiscal_year")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        number: r.int("number")?,
        topic: decode("suggestion topic", Topic::parse(&r.text("topic")?))?,
        text: r.text("body")?,
        sender_name: r.opt_text("sender_name")?,
        contact: r.opt_text("contact")?,
        review: Review {
            status: decode(
                "suggestion status",
                SuggestionStatus::parse(&r.text("status")?),
            )?,
            response: r.opt_text("response")?,
            published: r.flag("published")?,
            responded_by: r.opt_text("responded_by")?,
        },
        received_at: r.int("received_at")?,
        updated_at: r.int("updated_at")?,
    })
}

/// One row of `table` of the agency by id, read with `f`: through the pool or a transaction.
async fn one<'e, T>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    select: &str,
    agency: AgencyId,
    id: i64,
    f: fn(&AnyRow) -> sqlx::Result<T>,
) -> StoreResult<T> {
    let r = sqlx::query(&format!("{select} WHERE agency_id = $1 AND id = $2"))
        .bind(agency.get())
        .bind(id)
        .fetch_one(ex)
        .await
        .map_err(map_err)?;
    f(&r).map_err(map_err)
}

/// A page of the rows of `from` (a table and its condition on `$1`, the agency) in `order`, with
/// the number of all of them.
#[expect(clippy::too_many_arguments, reason = "a query and its paging")]
async fn paged<T>(
    db: &Db,
    cols: &str,
    from: &str,
    order: &str,
    agency: AgencyId,
    offset: i64,
    limit: i64,
    f: fn(&AnyRow) -> sqlx::Result<T>,
) -> StoreResult<Paged<T>> {
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {from}"))
        .bind(agency.get())
        .fetch_one(db.pool())
        .await
        .map_err(map_err)?;
    let rows = sqlx::query(&format!(
        "SELECT {cols} FROM {from} ORDER BY {order} LIMIT $2 OFFSET $3"
    ))
    .bind(agency.get())
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await
    .map_err(map_err)?;
    Ok((all(&rows, f)?, total))
}

/// `status, COUNT(*) AS n` rows as counts by status.
fn by_status<S>(
    rows: &[AnyRow],
    what: &str,
    parse: fn(&str) -> Option<S>,
) -> StoreResult<Vec<(S, i64)>> {
    rows.iter()
        .map(|r| Ok((decode(what, parse(&r.text("status")?))?, r.int("n")?)))
        .collect::<sqlx::Result<_>>()
        .map_err(map_err)
}

fn all<T>(rows: &[AnyRow], f: fn(&AnyRow) -> sqlx::Result<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(map_err)).collect()
}

/// The one change of a public submission: it arrived, in this state.
fn received(status: &str) -> Vec<Change> {
    vec![Change {
        field: "status".into(),
        old: None,
        new: Some(status.to_owned()),
    }]
}

#[async_trait]
impl ParticipationStore for Db {
    async fn create_question(&self, w: Write<'_>, q: &Question) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(&format!(
            "INSERT INTO qa_questions ({QUESTION}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(q.id.get())
        .bind(q.agency_id.get())
        .bind(&q.question)
        .bind(q.asker_name.as_deref())
        .bind(q.contact.as_deref())
        .bind(q.status.as_str())
        .bind(q.answer.as_deref())
        .bind(q.answered_by.as_deref())
        .bind(q.asked_at)
        .bind(q.published_at)
        .bind(q.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(q.agency_id),
            &AuditEvent::new("qa-question", q.id, "ask", received(q.status.as_str())),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn question(&self, agency: AgencyId, id: QuestionId) -> StoreResult<Question> {
        let select = format!("SELECT {QUESTION} FROM qa_questions");
        one(self.pool(), &select, agency, id.get(), question_of).await
    }

    async fn list_questions(
        &self,
        agency: AgencyId,
        status: Option<QuestionStatus>,
    ) -> StoreResult<Vec<Question>> {
        let rows = sqlx::query(&format!(
            "SELECT {QUESTION} FROM qa_questions WHERE agency_id = $1 AND ($2 = '' OR status = $2)
             ORDER BY asked_at DESC, id DESC"
        ))
        .bind(agency.get())
        .bind(status.map_or("", QuestionStatus::as_str))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        all(&rows, question_of)
    }

    async fn question_counts(&self, agency: AgencyId) -> StoreResult<Vec<(QuestionStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM qa_questions WHERE agency_id = $1 GROUP BY status",
        )
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        by_status(&rows, "question status", QuestionStatus::parse)
    }

    async fn public_questions(
        &self,
        agency: AgencyId,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Paged<Question>> {
        let from = "qa_questions WHERE agency_id = $1 AND status = 'published'";
        let order = "published_at DESC, id DESC";
        paged(
            self,
            QUESTION,
            from,
            order,
            agency,
            offset,
            limit,
            question_of,
        )
        .await
    }

    async fn moderate_question(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: QuestionId,
        from: QuestionStatus,
        to: &Moderation,
        action: &'static str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let select = format!("SELECT {QUESTION} FROM qa_questions");
        let old = one(&mut *tx, &select, agency, id.get(), question_of).await?;
        if old.status != from {
            return Err(StoreError::Conflict);
        }
        let first_published = (to.status == QuestionStatus::Published).then_some(w.at);
        sqlx::query(
            "UPDATE qa_questions SET status = $3, answer = $4, answered_by = $5,
                 published_at = COALESCE(published_at, $6), updated_at = $7
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(to.status.as_str())
        .bind(to.answer.as_deref())
        .bind(to.answered_by.as_deref())
        .bind(first_published)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("qa-question", id, action, a::diff(&old.moderation(), to)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_suggestion(&self, w: Write<'_>, s: &Suggestion) -> StoreResult<i64> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(number) FROM suggestions WHERE agency_id = $1 AND fiscal_year = $2",
        )
        .bind(s.agency_id.get())
        .bind(i64::from(s.fiscal_year))
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let number = last.unwrap_or(0) + 1;
        let r = &s.review;
        sqlx::query(&format!(
            "INSERT INTO suggestions ({SUGGESTION}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(s.id.get())
        .bind(s.agency_id.get())
        .bind(i64::from(s.fiscal_year))
        .bind(number)
        .bind(s.topic.as_str())
        .bind(&s.text)
        .bind(s.sender_name.as_deref())
        .bind(s.contact.as_deref())
        .bind(r.status.as_str())
        .bind(r.response.as_deref())
        .bind(flag(r.published))
        .bind(r.responded_by.as_deref())
        .bind(s.received_at)
        .bind(s.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut changes = received(r.status.as_str());
        changes.push(Change {
            field: "reference".into(),
            old: None,
            new: Some(prongsai_domain::portal::participation::reference(
                s.fiscal_year,
                number,
            )),
        });
        changes.push(Change {
            field: "topic".into(),
            old: None,
            new: Some(s.topic.as_str().to_owned()),
        });
        audit::append(
            &mut tx,
            w,
            Some(s.agency_id),
            &AuditEvent::new("suggestion", s.id, "receive", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(number)
    }

    async fn suggestion(&self, agency: AgencyId, id: SuggestionId) -> StoreResult<Suggestion> {
        let select = format!("SELECT {SUGGESTION} FROM suggestions");
        one(self.pool(), &select, agency, id.get(), suggestion_of).await
    }

    async fn list_suggestions(
        &self,
        agency: AgencyId,
        fiscal_year: Option<i32>,
    ) -> StoreResult<Vec<Suggestion>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUGGESTION} FROM suggestions WHERE agency_id = $1 AND ($2 = 0 OR fiscal_year = $2)
             ORDER BY received_at DESC, id DESC"
        ))
        .bind(agency.get())
        .bind(fiscal_year.map_or(0, i64::from))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        all(&rows, suggestion_of)
    }

    async fn public_suggestions(
        &self,
        agency: AgencyId,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Paged<Suggestion>> {
        let from = "suggestions WHERE agency_id = $1 AND published = 1";
        let order = "received_at DESC, id DESC";
        paged(
            self,
            SUGGESTION,
            from,
            order,
            agency,
            offset,
            limit,
            suggestion_of,
        )
        .await
    }

    async fn suggestion_counts(&self, agency: AgencyId, fiscal_year: i32) -> StoreResult<Counts> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM suggestions WHERE agency_id = $1 AND fiscal_year = $2
             GROUP BY status",
        )
        .bind(agency.get())
        .bind(i64::from(fiscal_year))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let counts = by_status(&rows, "suggestion status", SuggestionStatus::parse)?;
        Ok(Counts(counts))
    }

    async fn review_suggestion(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: SuggestionId,
        from: &Review,
        to: &Review,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let select = format!("SELECT {SUGGESTION} FROM suggestions");
        let old = one(&mut *tx, &select, agency, id.get(), suggestion_of).await?;
        if old.review != *from {
            return Err(StoreError::Conflict);
        }
        sqlx::query(
            "UPDATE suggestions SET status = $3, response = $4, published = $5, responded_by = $6,
                 updated_at = $7
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(id.get())
        .bind(to.status.as_str())
        .bind(to.response.as_deref())
        .bind(flag(to.published))
        .bind(to.responded_by.as_deref())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("suggestion", id, "review", a::diff(&old.review, to)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }
}
