//! Prometheus metrics by route. Labels are the method, the route *pattern* (e.g.
//! `/a/{slug}/admin/people/{id}`) and the status class: never a raw path, query, address or
//! anything else a person typed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The registry.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, &'static str), Series>>,
}

fn class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        let mut map = self
            .series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = map
            .entry((method.to_owned(), route.to_owned(), class(status)))
            .or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let map = self
            .series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let mut out = String::new();
        out.push_str("# HELP prongsai_http_requests_total HTTP requests by route pattern and status class.\n");
        out.push_str("# TYPE prongsai_http_requests_total counter\n");
        for ((m, r, c), s) in &map {
            let _ = writeln!(
                out,
                "prongsai_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{c}\"}} {}",
                s.count
            );
        }
        out.push_str(
            "# HELP prongsai_http_request_duration_seconds Time to answer, by route pattern.\n",
        );
        out.push_str("# TYPE prongsai_http_request_duration_seconds histogram\n");
        for ((m, r, c), s) in &map {
            let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{c}\"");
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "prongsai_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "prongsai_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "prongsai_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "prongsai_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out
    }
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    state.metrics.observe(
        &method,
        &route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_counters_and_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/a/{slug}/", 200, 0.002);
        m.observe("GET", "/a/{slug}/", 200, 0.3);
        let text = m.render();
        assert!(text.contains(
            "prongsai_http_requests_total{method=\"GET\",route=\"/a/{slug}/\",status=\"2xx\"} 2"
        ));
        assert!(text.contains("le=\"0.0025\"} 1"));
        assert!(text.contains("le=\"+Inf\"} 2"));
    }
}
