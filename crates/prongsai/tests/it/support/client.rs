//! A browser without a network: requests go straight into the router with `oneshot`, and a
//! cookie jar carries the session, the CSRF seed and the language between them.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tower::ServiceExt;

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    /// The body as text (lossy).
    pub body: String,
}

impl Resp {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The text of every element matching a CSS selector, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<Vec<_>>().join(" "))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The value of attribute `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    pub fn has(&self, css: &str) -> bool {
        !self.texts(css).is_empty()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    pub fn location(&self) -> Option<String> {
        self.header("location")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// The `csrf` hidden input of the page, if it has a form.
    pub fn csrf(&self) -> Option<String> {
        self.attrs("input[name=csrf]", "value").into_iter().next()
    }

    /// A short description for assertion messages.
    pub fn describe(&self) -> String {
        let title = self.texts("title").into_iter().next().unwrap_or_default();
        format!(
            "{} {title:?} location={:?}",
            self.status,
            self.location().unwrap_or_default()
        )
    }
}

/// One browser.
#[derive(Clone)]
pub struct Client {
    router: Router,
    jar: Arc<Mutex<BTreeMap<String, String>>>,
    /// The last token read from a page, with the cookies it was read under: a token depends on
    /// nothing else, so it is read again only when they change.
    token: Arc<Mutex<Option<(String, String)>>>,
    /// The peer address the server sees; `None` leaves it unknown, as behind no proxy.
    pub addr: Option<SocketAddr>,
    /// Headers sent with every request (a user agent, a proxy's `X-Forwarded-For`).
    headers: Vec<(&'static str, String)>,
}

impl Client {
    pub fn new(router: Router) -> Self {
        Self {
            router,
            jar: Arc::default(),
            token: Arc::default(),
            addr: None,
            headers: Vec::new(),
        }
    }

    /// The same browser, sending this header with every request.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The same browser seen from another address.
    pub fn at_addr(mut self, addr: &str) -> Self {
        self.addr = Some(addr.parse().expect("a socket address"));
        self
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(name)
            .cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn forget_cookie(&self, name: &str) {
        self.jar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(name);
    }

    /// Sends a request with the jar's cookies and keeps the cookies of the answer.
    pub async fn send(&self, mut req: Request<Body>) -> Resp {
        let cookies = {
            let jar = self
                .jar
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            jar.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !cookies.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, cookies.parse().expect("cookie header"));
        }
        if let Some(addr) = self.addr {
            req.extensions_mut().insert(ConnectInfo(addr));
        }
        for (name, value) in &self.headers {
            req.headers_mut()
                .insert(*name, value.parse().expect("a header value"));
        }
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("the router is infallible");
        let (parts, body) = res.into_parts();
        let bytes = body
            .collect()
            .await
            .expect("read the body")
            .to_bytes()
            .to_vec();
        let resp = Resp {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        };
        let mut jar = self
            .jar
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for c in resp.set_cookies() {
            let pair = c.split(';').next().unwrap_or("");
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let removed = c
                .split(';')
                .any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
            if removed {
                jar.remove(k.trim());
            } else {
                jar.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
        drop(jar);
        resp
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(
            Request::builder()
                .method(Method::GET)
                .uri(path)
                .body(Body::empty())
                .expect("a request"),
        )
        .await
    }

    /// A CSRF token valid for this browser now: from the account page when signed in, else from
    /// the sign-in page.
    pub async fn csrf(&self) -> String {
        let key = || {
            format!(
                "{:?}|{:?}",
                self.cookie("prongsai_csrf"),
                self.cookie("prongsai_session")
            )
        };
        if let Some((k, t)) = self.lock_token().clone()
            && k == key()
        {
            return t;
        }
        for page in ["/account", "/signin", "/signin/totp"] {
            let r = self.get(page).await;
            if r.status == StatusCode::OK
                && let Some(t) = r.csrf()
            {
                *self.lock_token() = Some((key(), t.clone()));
                return t;
            }
        }
        panic!("no page offers a CSRF token to this browser");
    }

    fn lock_token(&self) -> std::sync::MutexGuard<'_, Option<(String, String)>> {
        self.token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// POSTs a URL-encoded body exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, body: impl Into<Body>) -> Resp {
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body.into())
                .expect("a request"),
        )
        .await
    }

    /// POSTs a form with the given fields and no token.
    pub async fn post_without_token(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.post_raw(path, encode(fields)).await
    }

    /// POSTs a form with a valid CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        self.post_with_token(path, &token, fields).await
    }

    /// POSTs a form with the given token.
    pub async fn post_with_token(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![("csrf", token)];
        all.extend_from_slice(fields);
        self.post_raw(path, encode(&all)).await
    }

    /// What a person does: opens the page with the form, and submits it with the page's token.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
        let p = self.get(page).await;
        assert_eq!(p.status, StatusCode::OK, "open {page}: {}", p.describe());
        let css = format!("form[action=\"{action}\"] input[name=csrf]");
        let token = p
            .attrs(&css, "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{page} has no form posting to {action}"));
        self.post_with_token(action, &token, fields).await
    }

    /// POSTs a multipart form: text fields, then files `(field, file name, content)`. A token is
    /// added as a form field unless `token` is `None`.
    pub async fn post_multipart_with(
        &self,
        path: &str,
        token: Option<&str>,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let boundary = "----prongsai-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        let text = |name: &str, value: &str, body: &mut Vec<u8>| {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        if let Some(t) = token {
            text("csrf", t, &mut body);
        }
        for (k, v) in fields {
            text(k, v, &mut body);
        }
        for (field, name, content) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .expect("a request"),
        )
        .await
    }

    /// POSTs a multipart form with a valid token.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let token = self.csrf().await;
        self.post_multipart_with(path, Some(&token), fields, files)
            .await
    }

    /// Signs in with e-mail and password through the sign-in form.
    pub async fn sign_in(&self, email: &str, password: &str) -> Resp {
        self.submit(
            "/signin",
            "/signin",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Whether this browser is signed in (every step done).
    pub async fn is_signed_in(&self) -> bool {
        self.get("/account").await.status == StatusCode::OK
    }

    pub async fn sign_out(&self) -> Resp {
        self.post("/signout", &[]).await
    }
}

/// URL-encodes form fields.
pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes every byte but unreserved ones.
pub fn pct(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}
