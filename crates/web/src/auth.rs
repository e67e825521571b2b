//! Who is asking: the session extractors. Each loads at most once per request and caches what
//! it found in the request's extensions.
//!
//! - [`MaybeUser`]: the signed-in user, if any.
//! - [`SignedIn`]: a signed-in user (second factor done), or a redirect to sign in.
//! - [`AgencyCtx`]: the agency named by `{slug}` in the path, or 404.
//! - [`MemberCtx`]: a member of that agency allowed into its back office, or 403.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::platform::service::{self, Member};
use prongsai_domain::platform::{Account, Agency, Permission, Session, SessionToken};

use crate::error::WebError;
use crate::http::cookies::{self, CookieOut, Cookies};
use crate::pages::{Flash, percent_encode};
use crate::state::AppState;

/// A signed-in user and their session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub token: SessionToken,
    pub session: Session,
    pub account: Account,
}

#[derive(Clone)]
struct LoadedUser(Option<CurrentUser>);

#[derive(Clone)]
struct LoadedAgency(Agency);

/// The signed-in user, if any (including one who still owes the second factor).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(LoadedUser(u)) = parts.extensions.get::<LoadedUser>() {
            return Ok(Self(u.clone()));
        }
        let token = parts
            .extensions
            .get::<Cookies>()
            .and_then(|c| c.get(cookies::SESSION))
            .and_then(SessionToken::from_cookie);
        let user = match token {
            None => None,
            Some(token) => {
                match service::load_session(&state.cx, &token, &state.config.session).await? {
                    Some((session, account)) => Some(CurrentUser {
                        token,
                        session,
                        account,
                    }),
                    None => {
                        // The cookie names a session that ended: forget it, here too, so that
                        // the CSRF tokens of this page are bound to no session, as the browser's
                        // next request will be.
                        if let Some(out) = parts.extensions.get::<CookieOut>() {
                            out.remove(cookies::SESSION);
                        }
                        if let Some(jar) = parts.extensions.get_mut::<Cookies>() {
                            jar.0.remove(cookies::SESSION);
                        }
                        None
                    }
                }
            }
        };
        parts.extensions.insert(LoadedUser(user.clone()));
        Ok(Self(user))
    }
}

/// A signed-in user who has passed every sign-in step.
#[derive(Debug, Clone)]
pub struct SignedIn(pub CurrentUser);

/// Where to send someone who must sign in to see `parts`.
fn to_signin(parts: &Parts) -> Response {
    let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!("/signin?next={}", percent_encode(here))).into_response()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match user {
            Some(u) if u.session.mfa_pending => Err(Redirect::to("/signin/totp").into_response()),
            Some(u) => Ok(Self(u)),
            None => Err(to_signin(parts)),
        }
    }
}

/// The agency named by the `{slug}` path parameter.
#[derive(Debug, Clone)]
pub struct AgencyCtx(pub Agency);

impl FromRequestParts<AppState> for AgencyCtx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(LoadedAgency(a)) = parts.extensions.get::<LoadedAgency>() {
            return Ok(Self(a.clone()));
        }
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::NotFound)?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "slug")
            .map(|(_, v)| v.to_owned())
            .ok_or(WebError::NotFound)?;
        if slug.len() > 40 {
            return Err(WebError::NotFound);
        }
        let agency = state
            .cx
            .store
            .agency_by_slug(&slug)
            .await?
            .ok_or(WebError::NotFound)?;
        parts.extensions.insert(LoadedAgency(agency.clone()));
        Ok(Self(agency))
    }
}

/// A member of the path's agency, allowed into its back office.
#[derive(Debug, Clone)]
pub struct MemberCtx {
    pub member: Member,
    pub agency: Agency,
    pub user: CurrentUser,
    /// Unread notifications, for the menu.
    pub unread: i64,
}

impl FromRequestParts<AppState> for MemberCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        let AgencyCtx(agency) = AgencyCtx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let membership = state
            .cx
            .store
            .membership(agency.id, user.account.id)
            .await
            .map_err(|e| WebError::from(e).into_response())?
            .filter(|m| m.can(Permission::ViewBackOffice))
            .ok_or_else(|| WebError::Forbidden.into_response())?;
        let out = parts
            .extensions
            .get::<CookieOut>()
            .cloned()
            .unwrap_or_default();
        if user.account.must_change_password {
            return Err(crate::pages::redirect_flash(
                &out,
                "/account",
                Flash::MustChangePassword,
            ));
        }
        if agency.profile.require_totp && !user.account.totp_enabled {
            return Err(crate::pages::redirect_flash(
                &out,
                "/account",
                Flash::TotpRequired,
            ));
        }
        let unread = state
            .cx
            .store
            .unread_count(agency.id, user.account.id)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        Ok(Self {
            member: Member::new(user.account.clone(), membership),
            agency,
            user,
            unread,
        })
    }
}
