//! The search index (`search_docs`): candidates found by substring through character trigrams,
//! FTS5 `trigram` on SQLite and a `pg_trgm` GIN index on PostgreSQL. Ranking is the domain's.
//!
//! User text never becomes query syntax: on SQLite each term is an FTS5 string (in double quotes,
//! its own quotes doubled), bound as a parameter; on PostgreSQL each term is a bound `ILIKE`
//! pattern with `\`, `%` and `_` escaped. Terms shorter than three characters, which trigrams
//! cannot find, are matched with `instr` (SQLite) or the same `ILIKE` (PostgreSQL) within the
//! agency's documents.

use async_trait::async_trait;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::AgencyId;
use prongsai_domain::search::{DocKind, Match, SearchDoc, SearchStore};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::row::RowExt;
use crate::{Backend, Db, has_nul, map_err};

/// The row id of a document: a hash (FNV-1a, 63 bits) of its name, so that the application
/// makes it and the same document always gets the same one.
fn doc_id(agency: AgencyId, kind: DocKind, ref_id: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let name = format!("{}\u{1f}{}\u{1f}{}", agency.get(), kind.code(), ref_id);
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    i64::try_from(h >> 1).unwrap_or(i64::MAX)
}

/// Removes NUL, which PostgreSQL text cannot hold.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if has_nul(s) {
        s.replace('\0', "").into()
    } else {
        s.into()
    }
}

async fn insert(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    d: &SearchDoc,
) -> StoreResult<()> {
    // On SQLite a document's id is one more than the highest: the newest written is last in
    // the order of the full-text index, which the candidate query walks backwards and stops
    // early (writes are serialised there, so the next id is never taken twice). PostgreSQL finds
    // candidates through its trigram index and orders them by date, so a stable hash serves.
    let id = match backend {
        Backend::Sqlite => "(SELECT COALESCE(MAX(id), 0) + 1 FROM search_docs)",
        Backend::Postgres => "$1",
    };
    sqlx::query(&format!(
        "INSERT INTO search_docs (id, agency_id, kind, ref_id, url, title, body, dated_on, updated_at)
         VALUES ({id}, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(doc_id(d.agency_id, d.kind, &d.ref_id))
    .bind(d.agency_id.get())
    .bind(d.kind.code())
    .bind(clean(&d.ref_id).into_owned())
    .bind(clean(&d.url).into_owned())
    .bind(clean(&d.title).into_owned())
    .bind(clean(&d.body).into_owned())
    .bind(d.dated_on.map(|x| x.to_string()))
    .bind(d.updated_at)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

fn doc(agency: AgencyId, r: &AnyRow) -> sqlx::Result<Option<SearchDoc>> {
    let Some(kind) = DocKind::from_code(&r.text("kind")?) else {
        // A kind this version does not know (written by a newer one): not shown.
        return Ok(None);
    };
    Ok(Some(SearchDoc {
        agency_id: agency,
        kind,
        ref_id: r.text("ref_id")?,
        url: r.text("url")?,
        title: r.text("title")?,
        body: r.text("body")?,
        dated_on: r
            .opt_text("dated_on")?
            .and_then(|d| prongsai_thai::parse_date(&d).ok()),
        updated_at: r.int("updated_at")?,
    }))
}

/// An FTS5 string that matches `term` literally.
fn fts_string(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Whether a term has letters with an upper and a lower case (Thai has none).
fn has_case(term: &str) -> bool {
    term.chars().any(|c| c.is_lowercase() || c.is_uppercase())
}

/// A `LIKE` pattern that matches `term` anywhere, with `\` as the escape character.
fn like_pattern(term: &str) -> String {
    let mut p = String::with_capacity(term.len() + 2);
    p.push('%');
    for c in term.chars() {
        if matches!(c, '\\' | '%' | '_') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

const COLS: &str = "d.kind, d.ref_id, d.url, d.title, d.body, d.dated_on, d.updated_at";

#[async_trait]
impl SearchStore for Db {
    async fn search_upsert(&self, d: &SearchDoc) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query("DELETE FROM search_docs WHERE agency_id = $1 AND kind = $2 AND ref_id = $3")
            .bind(d.agency_id.get())
            .bind(d.kind.code())
            .bind(clean(&d.ref_id).into_owned())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        insert(&mut tx, self.backend(), d).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn search_remove(
        &self,
        agency: AgencyId,
        kind: DocKind,
        ref_id: &str,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM search_docs WHERE agency_id = $1 AND kind = $2 AND ref_id = $3")
            .bind(agency.get())
            .bind(kind.code())
            .bind(clean(ref_id).into_owned())
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn search_replace(
        &self,
        agency: AgencyId,
        kind: DocKind,
        scope: &str,
        docs: &[SearchDoc],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        // A prefix compared with substr, not LIKE: the scope is text, never a pattern.
        let scope = clean(scope).into_owned();
        sqlx::query(
            "DELETE FROM search_docs WHERE agency_id = $1 AND kind = $2
             AND substr(ref_id, 1, CAST($3 AS INTEGER)) = $4",
        )
        .bind(agency.get())
        .bind(kind.code())
        .bind(i64::try_from(scope.chars().count()).unwrap_or(i64::MAX))
        .bind(&scope)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        for d in docs
            .iter()
            .filter(|d| d.agency_id == agency && d.kind == kind)
        {
            insert(&mut tx, self.backend(), d).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn search_candidates(
        &self,
        agency: AgencyId,
        terms: &[String],
        mode: Match,
        limit: u32,
    ) -> StoreResult<Vec<SearchDoc>> {
        let terms: Vec<String> = terms
            .iter()
            .map(|t| clean(t).into_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let joiner = match mode {
            Match::All => " AND ",
            Match::Any => " OR ",
        };
        let mut binds: Vec<String> = Vec::new();
        let sql = match self.backend() {
            Backend::Sqlite => {
                let (long, short): (Vec<&String>, Vec<&String>) =
                    terms.iter().partition(|t| t.chars().count() >= 3);
                // $1 is the agency, $2 the limit; the terms follow.
                let mut next = 3;
                // The FTS expression is one bound string: the terms quoted, joined by the
                // operator this code chooses.
                let fts = (!long.is_empty()).then(|| {
                    binds.push(
                        long.iter()
                            .map(|t| fts_string(t))
                            .collect::<Vec<_>>()
                            .join(joiner),
                    );
                    next += 1;
                    next - 1
                });
                // Among words apart, short ones are left to the ranking (see below).
                let short: Vec<&String> = if fts.is_some() && matches!(mode, Match::Any) {
                    Vec::new()
                } else {
                    short
                };
                // Alone, they are looked for in titles.
                let haystack = if fts.is_some() {
                    "d.title || ' ' || d.body"
                } else {
                    "d.title"
                };
                let short: Vec<String> = short
                    .iter()
                    .map(|t| {
                        binds.push((*t).clone());
                        next += 1;
                        if t.chars().any(|c| c.is_ascii_alphabetic()) {
                            format!("instr(lower({haystack}), lower(${})) > 0", next - 1)
                        } else {
                            format!("instr({haystack}, ${}) > 0", next - 1)
                        }
                    })
                    .collect();
                // The newest documents first, by walking the full-text index backwards from
                // the highest id, so a term half the documents hold stops after `limit`
                // matches instead of sorting them all. Terms under three characters have no
                // trigram: all of them (`All`) narrow the full-text matches; alone they look at
                // titles only, newest first (a scan of every body is too slow at 100,000
                // documents); among words apart (`Any`) they are left to the ranking.
                match (fts, mode) {
                    (Some(p), Match::All) => {
                        let extra: String = short.iter().map(|c| format!(" AND {c}")).collect();
                        format!(
                            "SELECT {COLS} FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
                             WHERE search_fts MATCH ${p} AND d.agency_id = $1{extra}
                             ORDER BY search_fts.rowid DESC LIMIT $2"
                        )
                    }
                    (Some(p), Match::Any) => format!(
                        "SELECT {COLS} FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
                         WHERE search_fts MATCH ${p} AND d.agency_id = $1
                         ORDER BY search_fts.rowid DESC LIMIT $2"
                    ),
                    (None, _) => format!(
                        "SELECT {COLS} FROM search_docs d WHERE d.id IN (
                             SELECT d.id FROM search_docs d INDEXED BY search_docs_titles
                             WHERE d.agency_id = $1 AND ({}) ORDER BY d.id DESC LIMIT $2)
                         ORDER BY d.id DESC",
                        short.join(joiner)
                    ),
                }
            }
            Backend::Postgres => {
                let conds: Vec<String> = terms
                    .iter()
                    .map(|t| {
                        binds.push(like_pattern(t));
                        // ILIKE folds case at every row it checks, which is three times slower
                        // on Thai text; a term without letters that have case needs none.
                        let op = if has_case(t) { "ILIKE" } else { "LIKE" };
                        format!(
                            "(d.title || ' ' || d.body) {op} ${} ESCAPE '\\'",
                            binds.len() + 2
                        )
                    })
                    .collect();
                format!(
                    "SELECT {COLS} FROM search_docs d WHERE d.agency_id = $1 AND ({})
                     ORDER BY d.updated_at DESC, d.id LIMIT $2",
                    conds.join(joiner)
                )
            }
        };
        // Not a prepared statement kept for reuse: PostgreSQL would come to run it with a
        // generic plan, which cannot see that a long pattern is rare and reads every row
        // instead of the trigram index.
        let mut q = sqlx::query(&sql)
            .persistent(false)
            .bind(agency.get())
            .bind(i64::from(limit));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.pool()).await.map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(d) = doc(agency, r).map_err(map_err)? {
                out.push(d);
            }
        }
        Ok(out)
    }

    async fn search_count(&self, agency: AgencyId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_docs WHERE agency_id = $1")
            .bind(agency.get())
            .fetch_one(self.pool())
            .await
            .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_quoted_never_operators() {
        assert_eq!(fts_string("abc"), "\"abc\"");
        assert_eq!(fts_string("a\"b OR c*"), "\"a\"\"b OR c*\"");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert!(has_case("ITA") && has_case("Émile") && !has_case("เทศบาล ๒๕๖๖ 1=1 %"));
    }

    #[test]
    fn ids_are_stable_and_positive() {
        let a = AgencyId::from_raw(7);
        assert_eq!(
            doc_id(a, DocKind::Oit, "2566/O1"),
            doc_id(a, DocKind::Oit, "2566/O1")
        );
        assert_ne!(
            doc_id(a, DocKind::Oit, "2566/O1"),
            doc_id(a, DocKind::Oit, "2566/O2")
        );
        assert!(doc_id(a, DocKind::Plan, "x") >= 0);
    }
}
