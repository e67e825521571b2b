//! Signing in (password, then the second factor when enabled) and out.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::platform::Account;
use prongsai_domain::platform::service::{self, SignInError};
use prongsai_domain::{ErrorCode, FieldErrors};
use serde::Deserialize;

use crate::auth::MaybeUser;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::{self, CookieOut};
use crate::pages::{
    Csrf, Flash, Layout, Page, no_store, redirect_flash, render, render_invalid, safe_next,
};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "platform/signin.html")]
struct SignInPage {
    l: Layout,
    email: String,
    next: String,
    e: FieldErrors,
    /// A message for the whole form (wrong credentials, throttled).
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "platform/signin_totp.html")]
struct TotpPage {
    l: Layout,
    next: String,
    e: FieldErrors,
    problem: Option<String>,
}

/// Where an account goes after signing in when no page was asked for.
async fn landing(state: &AppState, account: &Account) -> WebResult<String> {
    let memberships = state.cx.store.memberships_of(account.id).await?;
    Ok(match memberships.as_slice() {
        [(agency, _)] => format!("/a/{}/admin/", agency.slug),
        _ if account.is_platform_operator => "/platform/agencies".to_owned(),
        _ => "/account".to_owned(),
    })
}

pub async fn show_signin(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> WebResult<Response> {
    if let Some(u) = user.filter(|u| !u.session.mfa_pending) {
        let to = match safe_next(&q.next) {
            Some(n) => n.to_owned(),
            None => landing(&state, &u.account).await?,
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let l = Layout::new(&page, page.tr.get("signin-title")).csrf(&csrf);
    render(&SignInPage {
        l,
        email: String::new(),
        next: q.next,
        e: FieldErrors::new(),
        problem: None,
    })
}

fn client_key(state: &AppState, parts: &Parts) -> String {
    format!("signin-client:{}", crate::http::client_addr(state, parts))
}

/// The request parts needed for throttling, without holding the body.
pub struct ClientKey(String);

impl axum::extract::FromRequestParts<AppState> for ClientKey {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        Ok(Self(client_key(state, parts)))
    }
}

pub async fn signin(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    ClientKey(client): ClientKey,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let email = form.get("email").trim().to_lowercase();
    let next = form.get("next");
    let cfg = &state.config;
    let now = state.cx.clock.unix();
    let account_key = format!("signin-account:{email}");
    let retry = state
        .throttle
        .check(
            &client,
            cfg.signin_per_client,
            cfg.throttle_window_secs,
            now,
        )
        .and_then(|()| {
            state.throttle.check(
                &account_key,
                cfg.signin_per_account,
                cfg.throttle_window_secs,
                now,
            )
        });
    let again = |problem: String, e: FieldErrors| {
        let l = Layout::new(&page, page.tr.get("signin-title")).csrf(&csrf);
        render_invalid(&SignInPage {
            l,
            email: email.clone(),
            next: next.clone(),
            e,
            problem: Some(problem),
        })
    };
    if let Err(wait) = retry {
        tracing::warn!("sign-in throttled");
        let minutes = (wait.0 + 59) / 60;
        let mut res = again(
            page.tr.arg("signin-throttled", "minutes", minutes),
            FieldErrors::new(),
        )?;
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    state.throttle.hit(&client, cfg.throttle_window_secs, now);
    let mut e = FieldErrors::new();
    if email.is_empty() {
        e.add("email", ErrorCode::Required);
    }
    if form.get("password").is_empty() {
        e.add("password", ErrorCode::Required);
    }
    if !e.is_empty() {
        return again(page.tr.get("form-has-errors"), e);
    }
    match service::sign_in(&state.cx, &email, &form.get("password")).await {
        Ok(signed) => {
            state.throttle.clear(&account_key);
            out.set(cookies::SESSION, signed.token.as_str(), None);
            if signed.mfa_pending {
                let to = format!("/signin/totp?next={}", crate::pages::percent_encode(&next));
                return Ok(no_store(Redirect::to(&to).into_response()));
            }
            let to = match safe_next(&next) {
                Some(n) => n.to_owned(),
                None => landing(&state, &signed.account).await?,
            };
            Ok(no_store(Redirect::to(&to).into_response()))
        }
        Err(SignInError::BadCredentials) => {
            state
                .throttle
                .hit(&account_key, cfg.throttle_window_secs, now);
            again(page.tr.get("signin-bad-credentials"), FieldErrors::new())
        }
        Err(SignInError::Disabled) => again(page.tr.get("signin-disabled"), FieldErrors::new()),
        Err(SignInError::Store(s)) => Err(s.into()),
    }
}

pub async fn show_totp(
    page: Page,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> WebResult<Response> {
    match user {
        Some(u) if u.session.mfa_pending => {
            let l = Layout::new(&page, page.tr.get("totp-signin-title")).csrf(&csrf);
            render(&TotpPage {
                l,
                next: q.next,
                e: FieldErrors::new(),
                problem: None,
            })
        }
        Some(_) => Ok(Redirect::to("/account").into_response()),
        None => Ok(Redirect::to("/signin").into_response()),
    }
}

pub async fn totp(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    form: FormFields,
) -> WebResult<Response> {
    let Some(u) = user.filter(|u| u.session.mfa_pending) else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let next = form.get("next");
    let key = format!("totp:{}", u.account.id);
    let now = state.cx.clock.unix();
    let again = |e: FieldErrors, problem: Option<String>| {
        let l = Layout::new(&page, page.tr.get("totp-signin-title")).csrf(&csrf);
        render_invalid(&TotpPage {
            l,
            next: next.clone(),
            e,
            problem,
        })
    };
    if let Err(wait) = state.throttle.check(&key, 5, 300, now) {
        let minutes = (wait.0 + 59) / 60;
        return again(
            FieldErrors::new(),
            Some(page.tr.arg("signin-throttled", "minutes", minutes)),
        );
    }
    state.throttle.hit(&key, 300, now);
    match service::complete_totp(&state.cx, &u.session, &u.account, &form.get("code")).await {
        Ok(()) => {
            state.throttle.clear(&key);
            let to = match safe_next(&next) {
                Some(n) => n.to_owned(),
                None => landing(&state, &u.account).await?,
            };
            Ok(no_store(Redirect::to(&to).into_response()))
        }
        Err(service::PlatformError::Invalid(e)) => again(e, None),
        Err(other) => Err(other.into()),
    }
}

pub async fn signout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    if let Some(u) = user {
        service::sign_out(&state.cx, &u.token).await?;
    }
    out.remove(cookies::SESSION);
    Ok(redirect_flash(&out, "/", Flash::SignedOut))
}
