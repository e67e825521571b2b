//! The sources of the index: what each public page of an agency shows, as documents. A service
//! that changes a source calls [`refresh`] after its write; `prongsai search reindex` calls
//! [`reindex`].
//!
//! Only what the public pages show goes in: the agency's profile and people, approved plans,
//! OIT items that have left the draft state. A plan returned to draft leaves the index at its
//! next refresh, because a refresh replaces every document of its source.

use prongsai_thai::FiscalYear;

use super::{DocKind, SearchDoc};
use crate::ctx::Ctx;
use crate::error::{StoreError, StoreResult};
use crate::ids::AgencyId;
use crate::measures::PlanStatus;
use crate::measures::service as ms;

/// One source of documents of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The home page: profile, executives, divisions.
    Agency,
    /// The published plan of a year and its measures.
    Measures(FiscalYear),
    /// The OIT table of a year.
    Oit(FiscalYear),
    /// The public pages and news written in the CMS.
    Content,
    /// The published questions of the Q&A board and the published suggestions.
    Participation,
}

/// Rebuilds the documents of one source from what it holds now.
pub async fn refresh(cx: &Ctx, agency: AgencyId, source: Source) -> StoreResult<()> {
    let a = cx.store.agency(agency).await?;
    let slug = a.slug.as_str();
    let now = cx.clock.unix();
    match source {
        Source::Agency => {
            let doc = agency_doc(cx, &a, now).await?;
            cx.store
                .search_replace(agency, DocKind::Agency, "", &[doc])
                .await
        }
        Source::Measures(year) => {
            let scope = format!("{}/", year.be());
            let docs = match ms::plan_view(cx, agency, year).await {
                Ok(view) if view.plan.status == PlanStatus::Approved => {
                    measure_docs(&view, slug, year)
                }
                Ok(_) | Err(ms::MeasuresError::NotFound) => (Vec::new(), Vec::new()),
                Err(e) => return Err(StoreError::other(e)),
            };
            cx.store
                .search_replace(agency, DocKind::Plan, &scope, &docs.0)
                .await?;
            cx.store
                .search_replace(agency, DocKind::Measure, &scope, &docs.1)
                .await
        }
        Source::Content => {
            let entries = crate::portal::service::index_entries(cx, agency, now)
                .await
                .map_err(StoreError::other)?;
            let (pages, news): (Vec<SearchDoc>, Vec<SearchDoc>) = entries
                .into_iter()
                .map(|e| {
                    let kind = if e.path.starts_with("p/") {
                        DocKind::Page
                    } else {
                        DocKind::News
                    };
                    SearchDoc {
                        agency_id: agency,
                        kind,
                        url: format!("/a/{slug}/{}", e.path),
                        ref_id: e.path,
                        title: e.title,
                        body: e.text,
                        dated_on: Some(
                            crate::clock::from_unix(e.published_at)
                                .to_offset(prongsai_thai::BANGKOK)
                                .date(),
                        ),
                        updated_at: now,
                    }
                })
                .partition(|d| d.kind == DocKind::Page);
            cx.store
                .search_replace(agency, DocKind::Page, "", &pages)
                .await?;
            cx.store
                .search_replace(agency, DocKind::News, "", &news)
                .await
        }
        Source::Participation => {
            let entries = crate::portal::participation::service::index_entries(cx, agency)
                .await
                .map_err(StoreError::other)?;
            let (questions, suggestions): (Vec<SearchDoc>, Vec<SearchDoc>) = entries
                .into_iter()
                .map(|e| SearchDoc {
                    agency_id: agency,
                    kind: if e.path.starts_with("qa/") {
                        DocKind::Question
                    } else {
                        DocKind::Suggestion
                    },
                    url: format!("/a/{slug}/{}", e.path),
                    ref_id: e.path,
                    title: e.title,
                    body: e.text,
                    dated_on: Some(prongsai_thai::local_date(crate::clock::from_unix(
                        e.published_at,
                    ))),
                    updated_at: now,
                })
                .partition(|d| d.kind == DocKind::Question);
            cx.store
                .search_replace(agency, DocKind::Question, "", &questions)
                .await?;
            cx.store
                .search_replace(agency, DocKind::Suggestion, "", &suggestions)
                .await
        }
        Source::Oit(year) => {
            let scope = format!("{}/", year.be());
            let docs = match crate::ita::oit::oit_year(cx, agency, year).await {
                Ok(y) => oit_docs(&y, agency, slug, now),
                Err(crate::ita::oit::OitError::NotFound) => Vec::new(),
                Err(e) => return Err(StoreError::other(e)),
            };
            cx.store
                .search_replace(agency, DocKind::Oit, &scope, &docs)
                .await
        }
    }
}

/// [`refresh`] after a write that has already committed: a failure is logged, not returned, so
/// that the user's change stands; `prongsai search reindex` repairs the index.
pub async fn refresh_after_write(cx: &Ctx, agency: AgencyId, source: Source) {
    if let Err(e) = refresh(cx, agency, source).await {
        tracing::warn!(error = %e, agency = agency.get(), ?source, "search index not refreshed");
    }
}

/// Rebuilds every document of an agency; returns how many it holds afterwards.
pub async fn reindex(cx: &Ctx, agency: AgencyId) -> StoreResult<u64> {
    refresh(cx, agency, Source::Agency).await?;
    refresh(cx, agency, Source::Content).await?;
    refresh(cx, agency, Source::Participation).await?;
    let mut years: Vec<FiscalYear> = cx
        .store
        .plan_years(agency)
        .await?
        .into_iter()
        .map(|(y, _)| y)
        .collect();
    // Years whose plans are gone still have documents to drop.
    years.sort();
    for y in &years {
        refresh(cx, agency, Source::Measures(*y)).await?;
    }
    for be in crate::ita::service::framework_years(cx).await? {
        if let Ok(y) = FiscalYear::new(be) {
            refresh(cx, agency, Source::Oit(y)).await?;
        }
    }
    cx.store.search_count(agency).await
}

fn push_line(body: &mut String, line: &str) {
    let line = line.trim();
    if !line.is_empty() {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
    }
}

async fn agency_doc(cx: &Ctx, a: &crate::platform::Agency, now: i64) -> StoreResult<SearchDoc> {
    let p = &a.profile;
    let mut body = String::new();
    for v in [&p.about, &p.address, &p.subdistrict].into_iter().flatten() {
        push_line(&mut body, v);
    }
    push_line(&mut body, &format!("{} {}", p.district, p.province));
    for v in [&p.office_hours, &p.phone, &p.email].into_iter().flatten() {
        push_line(&mut body, v);
    }
    for person in cx.store.list_people(a.id).await? {
        push_line(
            &mut body,
            &format!("{} {}", person.fields.name, person.fields.position),
        );
    }
    for d in cx.store.list_divisions(a.id).await? {
        push_line(&mut body, &d.fields.name);
        if let Some(duties) = &d.fields.duties {
            push_line(&mut body, duties);
        }
    }
    Ok(SearchDoc {
        agency_id: a.id,
        kind: DocKind::Agency,
        ref_id: "home".to_owned(),
        url: format!("/a/{}/", a.slug.as_str()),
        title: p.name.clone(),
        body,
        dated_on: None,
        updated_at: a.updated_at.max(now),
    })
}

/// The plan of an approved year as one document, and each of its measures as one.
fn measure_docs(
    view: &ms::PlanView,
    slug: &str,
    year: FiscalYear,
) -> (Vec<SearchDoc>, Vec<SearchDoc>) {
    let be = year.be();
    let agency_id = view.plan.agency_id;
    let updated_at = view.plan.updated_at;
    let dated_on = view.plan.texts.announced_on;
    let mut plan_body = String::new();
    for t in [
        &view.plan.texts.introduction,
        &view.plan.texts.review_intro,
        &view.plan.texts.announcement_preamble,
    ] {
        push_line(&mut plan_body, t);
    }
    let mut measures = Vec::new();
    for m in &view.measures {
        push_line(&mut plan_body, &format!("{}. {}", m.number, m.fields.title));
        let mut body = String::new();
        for a in view.actions_of(m.id) {
            push_line(&mut body, &a.fields.text);
            for v in [
                &a.fields.kpi,
                &a.fields.target,
                &a.fields.recommendation,
                &a.fields.monitoring,
            ]
            .into_iter()
            .flatten()
            {
                push_line(&mut body, v);
            }
            if let Some(p) = view.latest_progress(a.id) {
                push_line(&mut body, &p.narrative);
            }
        }
        measures.push(SearchDoc {
            agency_id,
            kind: DocKind::Measure,
            ref_id: format!("{be}/{}", m.id),
            url: format!("/a/{slug}/measures/{be}#m-{}", m.number),
            title: m.fields.title.clone(),
            body,
            dated_on,
            updated_at,
        });
    }
    let plan = SearchDoc {
        agency_id,
        kind: DocKind::Plan,
        ref_id: format!("{be}/plan"),
        url: format!("/a/{slug}/measures/{be}"),
        title: format!(
            "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {be}"
        ),
        body: plan_body,
        dated_on,
        updated_at,
    };
    (vec![plan], measures)
}

/// The OIT items of a year that have left the draft state, with their evidence.
fn oit_docs(
    y: &crate::ita::oit::OitYear,
    agency_id: AgencyId,
    slug: &str,
    now: i64,
) -> Vec<SearchDoc> {
    let be = y.year.be();
    y.framework
        .oit_items
        .iter()
        .filter(|i| y.status(&i.code).is_published())
        .map(|i| {
            let evidence = y.evidence_of(&i.code);
            let mut body = String::new();
            for e in &evidence {
                push_line(&mut body, &e.label);
                push_line(&mut body, &e.nav_path);
            }
            SearchDoc {
                agency_id,
                kind: DocKind::Oit,
                ref_id: format!("{be}/{}", i.code),
                url: format!("/a/{slug}/ita/{be}#{}", i.code),
                title: format!("{} {}", i.code, i.name_th),
                body,
                dated_on: evidence.iter().filter_map(|e| e.dated_on).max(),
                updated_at: y.states.get(&i.code).map_or(now, |s| s.updated_at),
            }
        })
        .collect()
}
