//! The platform home: every agency, grouped by province.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use prongsai_domain::platform::AgencySummary;

use crate::error::WebResult;
use crate::pages::{Layout, Page, render};
use crate::state::AppState;

/// One province and its agencies.
pub struct Province {
    pub name: String,
    pub agencies: Vec<AgencySummary>,
}

#[derive(Template)]
#[template(path = "platform/home.html")]
struct HomePage {
    l: Layout,
    provinces: Vec<Province>,
    total: usize,
}

/// Groups agencies by province, both in Thai dictionary order.
pub fn by_province(mut agencies: Vec<AgencySummary>) -> Vec<Province> {
    agencies.sort_by(|a, b| {
        prongsai_thai::sort_key(&a.province)
            .cmp(&prongsai_thai::sort_key(&b.province))
            .then_with(|| prongsai_thai::sort_key(&a.name).cmp(&prongsai_thai::sort_key(&b.name)))
    });
    let mut out: Vec<Province> = Vec::new();
    for a in agencies {
        match out.last_mut() {
            Some(p) if p.name == a.province => p.agencies.push(a),
            _ => out.push(Province {
                name: a.province.clone(),
                agencies: vec![a],
            }),
        }
    }
    out
}

pub async fn list_agencies(State(state): State<AppState>, page: Page) -> WebResult<Response> {
    let agencies = state.cx.store.list_agencies().await?;
    let total = agencies.len();
    let l = Layout::new(&page, page.tr.get("home-title"));
    render(&HomePage {
        l,
        provinces: by_province(agencies),
        total,
    })
}
