//! Full-text search over an agency's public content.
//!
//! Every module that publishes something feeds the index with [`SearchDoc`]s: one call to
//! [`index`] when a thing becomes public or changes, one to [`unindex`] when it stops being
//! public (see `feed.rs` for the sources that exist, and ARCHITECTURE.md for how to add one).
//! The index is derived data: it lives in the database next to what it describes, it is not
//! audited, and `prongsai search reindex` rebuilds it from the sources.
//!
//! Thai has no spaces between words and the word segmenter splits differently depending on
//! context, so the database finds candidates by substring (character trigrams: SQLite FTS5's
//! `trigram` tokenizer, PostgreSQL's `pg_trgm`), and Rust ranks them and cuts snippets with the
//! segmented words of the query ([`rank`]).

pub mod feed;
pub mod rank;

use async_trait::async_trait;
use time::Date;

use crate::ctx::Ctx;
use crate::error::{StoreError, StoreResult};
use crate::ids::AgencyId;

pub use feed::{Source, refresh, reindex};
pub use rank::{Part, Query};

/// What a document is, for its label on the results page. Adding a kind is a variant here and a
/// `search-kind-<code>` message in `portal.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// The agency's home page: profile, executives, divisions.
    Agency,
    /// The published measures plan of a year, as a whole.
    Plan,
    /// One measure of a published plan, with its actions.
    Measure,
    /// One published item of the OIT table of a year.
    Oit,
    /// A page of the agency's site (`/a/{slug}/p/{page}`).
    Page,
    /// A news item or an announcement (`/a/{slug}/news/{id}`).
    News,
    /// A published question and its answer (`/a/{slug}/qa/{id}`).
    Question,
    /// A published suggestion and the agency's response (`/a/{slug}/suggestions/{id}`).
    Suggestion,
}

impl DocKind {
    pub const ALL: [Self; 8] = [
        Self::Agency,
        Self::Plan,
        Self::Measure,
        Self::Oit,
        Self::Page,
        Self::News,
        Self::Question,
        Self::Suggestion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::Plan => "plan",
            Self::Measure => "measure",
            Self::Oit => "oit",
            Self::Page => "page",
            Self::News => "news",
            Self::Question => "qa",
            Self::Suggestion => "suggestion",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One public thing, as the index holds it. `(agency_id, kind, ref_id)` names it; indexing the
/// same name again replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub agency_id: AgencyId,
    pub kind: DocKind,
    /// The source's own reference, unique within the kind ("2566/123" for a measure).
    pub ref_id: String,
    /// The public path of the page that shows it ("/a/nonhan/measures/2566#m-1").
    pub url: String,
    pub title: String,
    /// Plain text: no markup. Line breaks separate the parts.
    pub body: String,
    /// The date the content bears, when it has one (shown, and newer first on equal scores).
    pub dated_on: Option<Date>,
    /// When it was indexed or last changed (Unix seconds).
    pub updated_at: i64,
}

/// How the terms of a query must appear in a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Every term, as a substring of the title or the body.
    All,
    /// At least one term.
    Any,
}

/// The storage of the index. Terms are plain text: the store quotes them for its matcher, so
/// `%`, `_`, `"`, `*` or `OR` in a term are only characters to find.
#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Adds a document, or replaces the one with the same agency, kind and reference.
    async fn search_upsert(&self, doc: &SearchDoc) -> StoreResult<()>;
    /// Removes a document; removing one that is not there is not an error.
    async fn search_remove(&self, agency: AgencyId, kind: DocKind, ref_id: &str)
    -> StoreResult<()>;
    /// Replaces, in one transaction, every document of `kind` whose reference starts with
    /// `scope` ("" for all of the kind) by `docs`.
    async fn search_replace(
        &self,
        agency: AgencyId,
        kind: DocKind,
        scope: &str,
        docs: &[SearchDoc],
    ) -> StoreResult<()>;
    /// Up to `limit` documents of the agency in which the terms appear (ASCII letters in any
    /// case), most recently updated first. Terms are not empty.
    async fn search_candidates(
        &self,
        agency: AgencyId,
        terms: &[String],
        mode: Match,
        limit: u32,
    ) -> StoreResult<Vec<SearchDoc>>;
    /// How many documents the agency has in the index.
    async fn search_count(&self, agency: AgencyId) -> StoreResult<u64>;
}

/// Indexes one document (the one call a module makes when something becomes public or
/// changes).
pub async fn index(cx: &Ctx, doc: &SearchDoc) -> StoreResult<()> {
    cx.store.search_upsert(doc).await
}

/// Takes one document out of the index (when it stops being public or is deleted).
pub async fn unindex(cx: &Ctx, agency: AgencyId, kind: DocKind, ref_id: &str) -> StoreResult<()> {
    cx.store.search_remove(agency, kind, ref_id).await
}

/// Results shown on one page.
pub const PAGE_SIZE: usize = 10;
/// The most candidates ranked for one query; a query that matches more says so and asks for
/// more words.
pub const MAX_CANDIDATES: u32 = 200;

/// One result, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: DocKind,
    pub url: String,
    pub title: Vec<Part>,
    pub snippet: Vec<Part>,
    pub dated_on: Option<Date>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    pub query: Query,
    /// Every match found (at most [`MAX_CANDIDATES`]).
    pub total: usize,
    /// Whether there were more matches than [`MAX_CANDIDATES`].
    pub capped: bool,
    /// Whether the words of the query were found only apart (no document holds them all).
    pub partial: bool,
    /// 1-based, within `1..=pages`.
    pub page: usize,
    pub pages: usize,
    pub hits: Vec<Hit>,
}

/// Searches an agency's index. `raw` is the query as typed (cleaned here, never an error);
/// `page` is 1-based and clamped to the pages there are.
pub async fn search(
    cx: &Ctx,
    agency: AgencyId,
    raw: &str,
    page: usize,
) -> Result<Results, StoreError> {
    let query = Query::parse(raw);
    let mut results = Results {
        query: query.clone(),
        total: 0,
        capped: false,
        partial: false,
        page: 1,
        pages: 0,
        hits: Vec::new(),
    };
    if query.terms.is_empty() {
        return Ok(results);
    }
    let segmenter = prongsai_thai::Segmenter::new();
    let words = query.words(&segmenter);
    let mut candidates = cx
        .store
        .search_candidates(agency, &query.terms, Match::All, MAX_CANDIDATES + 1)
        .await?;
    let mut needles = query.terms.clone();
    if candidates.is_empty() {
        // No document holds every term: look for the words of the query apart, ranked by how
        // many of them a document holds.
        let apart = rank::recall_words(&query, &words);
        if !apart.is_empty() {
            candidates = cx
                .store
                .search_candidates(agency, &apart, Match::Any, MAX_CANDIDATES + 1)
                .await?;
            candidates.retain(|d| rank::holds_enough(&apart, &d.title, &d.body));
            results.partial = !candidates.is_empty();
            needles = apart;
        }
    }
    results.capped = candidates.len() > MAX_CANDIDATES as usize;
    candidates.truncate(MAX_CANDIDATES as usize);
    let ranked = rank::rank(&query, &words, candidates);
    results.total = ranked.len();
    results.pages = ranked.len().div_ceil(PAGE_SIZE);
    results.page = page.clamp(1, results.pages.max(1));
    results.hits = ranked
        .into_iter()
        .skip((results.page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|d| Hit {
            kind: d.kind,
            title: rank::highlight(&d.title, &needles),
            snippet: rank::snippet(&segmenter, &d.body, &needles, rank::SNIPPET_CHARS),
            url: d.url,
            dated_on: d.dated_on,
        })
        .collect();
    Ok(results)
}
