//! The route table. Every route is declared here, once, through [`Routes`], which also records
//! its method and path so that tests can walk every route (tenant isolation, CSRF).

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;
use crate::{cases, ita, measures, ops, platform, portal};

/// One declared route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
}

/// A router that remembers what it was given.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    fn new() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    fn add(mut self, method: &'static str, path: &'static str, m: MethodRouter<AppState>) -> Self {
        self.list.push(RouteInfo { method, path });
        self.router = self.router.route(path, m);
        self
    }

    fn get<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, get(h))
    }

    fn post<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, post(h))
    }

    /// A path served with GET and POST (a form page and its submission).
    fn form<H1, T1, H2, T2>(mut self, path: &'static str, show: H1, submit: H2) -> Self
    where
        H1: Handler<T1, AppState>,
        T1: 'static,
        H2: Handler<T2, AppState>,
        T2: 'static,
    {
        self.list.push(RouteInfo {
            method: "GET",
            path,
        });
        self.list.push(RouteInfo {
            method: "POST",
            path,
        });
        self.router = self.router.route(path, get(show).post(submit));
        self
    }
}

/// Every route of the application.
pub fn table() -> (Router<AppState>, Vec<RouteInfo>) {
    use measures::{documents, edit, official, plans, progress, public};
    use platform::{
        account, audit, dashboard, divisions, home, members, notifications, operator, people,
        profile, signin,
    };
    let r = Routes::new()
        // Operations
        .get("/healthz", ops::healthz)
        .get("/readyz", ops::readyz)
        .get("/metrics", ops::metrics)
        .get("/static/{file}", ops::static_file)
        .get("/lang/{lang}", ops::switch_lang)
        // Platform: public
        .get("/", home::list_agencies)
        .get("/robots.txt", portal::discover::robots)
        .get("/sitemap.xml", portal::discover::sitemap_index)
        .form("/signin", signin::show_signin, signin::signin)
        .form("/signin/totp", signin::show_totp, signin::totp)
        .post("/signout", signin::signout)
        // Own account
        .get("/account", account::show_account)
        .post("/account/password", account::update_password)
        .post("/account/totp/begin", account::begin_totp)
        .post("/account/totp/confirm", account::confirm_totp)
        .post("/account/totp/disable", account::disable_totp)
        // Platform operator
        .form(
            "/platform/agencies",
            operator::list_agencies,
            operator::create_agency,
        )
        .form(
            "/platform/ita/frameworks",
            ita::edit::list_frameworks,
            ita::edit::clone_framework,
        )
        .form(
            "/platform/ita/frameworks/{year}/edit/{section}",
            ita::edit::show_edit,
            ita::edit::save_edit,
        )
        .post("/platform/ita/frameworks/{year}/items", ita::edit::add_item)
        .form(
            "/platform/ita/averages",
            ita::averages::show,
            ita::averages::import,
        )
        .get("/platform/ita", ita::overview::current_year)
        .get("/platform/ita/{year}", ita::overview::show)
        .get(
            "/platform/ita/frameworks/{year}/download",
            ita::edit::download_operator,
        )
        // Public agency site
        .get("/a/{slug}", portal::home::redirect_to_home)
        .get("/a/{slug}/", portal::home::show_home)
        .get("/a/{slug}/files/{id}", portal::files::show_file)
        .get("/a/{slug}/sitemap.xml", portal::discover::agency_sitemap)
        .get("/a/{slug}/social", portal::standard::social)
        .get("/a/{slug}/privacy", portal::standard::privacy)
        .get("/a/{slug}/s/{section}", portal::menu::show_section)
        .get("/a/{slug}/data", portal::opendata::catalog)
        .get("/a/{slug}/data/{file}", portal::opendata::file)
        .get("/api/3/action/package_list", portal::opendata::package_list)
        .get("/api/3/action/package_show", portal::opendata::package_show)
        .get("/a/{slug}/p/{page}", portal::public::show_page)
        .get("/a/{slug}/news", portal::public::list_news)
        .get("/a/{slug}/news/feed.xml", portal::public::feed)
        .get("/a/{slug}/news/{id}", portal::public::show_news)
        .get("/a/{slug}/search", portal::search::show)
        // Participation: the Q&A board (O8) and suggestions (O30)
        .get("/a/{slug}/qa", portal::qa::list)
        .form("/a/{slug}/qa/ask", portal::qa::ask_form, portal::qa::ask)
        .get("/a/{slug}/qa/sent", portal::qa::sent)
        .get("/a/{slug}/qa/{id}", portal::qa::show)
        .get("/a/{slug}/suggestions", portal::suggestions::list)
        .form(
            "/a/{slug}/suggestions/new",
            portal::suggestions::new_form,
            portal::suggestions::submit,
        )
        .get("/a/{slug}/suggestions/sent", portal::suggestions::sent)
        .get("/a/{slug}/suggestions/{id}", portal::suggestions::show)
        // Back office
        .get("/a/{slug}/admin/", dashboard::show_dashboard)
        .post("/a/{slug}/admin/fiscal-years", dashboard::open_fiscal_year)
        .form(
            "/a/{slug}/admin/profile",
            profile::edit_profile,
            profile::update_profile,
        )
        .post("/a/{slug}/admin/profile/logo", profile::update_logo)
        .get("/a/{slug}/admin/divisions", divisions::list_divisions)
        .form(
            "/a/{slug}/admin/divisions/new",
            divisions::new_division,
            divisions::create_division,
        )
        .form(
            "/a/{slug}/admin/divisions/{id}",
            divisions::edit_division,
            divisions::update_division,
        )
        .post(
            "/a/{slug}/admin/divisions/{id}/delete",
            divisions::delete_division,
        )
        .get("/a/{slug}/admin/people", people::list_people)
        .form(
            "/a/{slug}/admin/people/new",
            people::new_person,
            people::create_person,
        )
        .form(
            "/a/{slug}/admin/people/{id}",
            people::edit_person,
            people::update_person,
        )
        .post("/a/{slug}/admin/people/{id}/photo", people::update_photo)
        .post("/a/{slug}/admin/people/{id}/delete", people::delete_person)
        .get("/a/{slug}/admin/members", members::list_members)
        .form(
            "/a/{slug}/admin/members/new",
            members::new_member,
            members::create_member,
        )
        .form(
            "/a/{slug}/admin/members/{id}",
            members::edit_member,
            members::update_member,
        )
        .post(
            "/a/{slug}/admin/members/{id}/reset-password",
            members::reset_password,
        )
        .post(
            "/a/{slug}/admin/members/{id}/remove",
            members::remove_member,
        )
        .get("/a/{slug}/admin/audit", audit::list_audit)
        .get(
            "/a/{slug}/admin/files/{id}",
            portal::files::show_member_file,
        )
        .form(
            "/a/{slug}/admin/notifications",
            notifications::list_notifications,
            notifications::mark_read,
        )
        .form(
            "/a/{slug}/admin/ita/results",
            ita::results::list_results,
            ita::results::save_result,
        )
        .post(
            "/a/{slug}/admin/ita/results/import",
            ita::results::import_results,
        )
        .get("/a/{slug}/admin/ita/results.csv", ita::results::export_csv)
        .get(
            "/a/{slug}/admin/ita/results.xlsx",
            ita::results::export_xlsx,
        )
        .get(
            "/a/{slug}/admin/ita/framework/{year}",
            ita::framework::show_framework,
        )
        .get(
            "/a/{slug}/admin/ita/framework/{year}/download",
            ita::framework::download,
        )
        .get("/a/{slug}/admin/ita/simulate", ita::simulate::simulate)
        .get("/a/{slug}/admin/ita/surveys", ita::survey::current_year)
        .get(
            "/a/{slug}/admin/ita/surveys/{year}",
            ita::survey::show_surveys,
        )
        .post(
            "/a/{slug}/admin/ita/surveys/{year}/{instrument}",
            ita::survey::save_settings,
        )
        .post(
            "/a/{slug}/admin/ita/surveys/{year}/{instrument}/codes",
            ita::survey::make_codes,
        )
        .get(
            "/a/{slug}/admin/ita/surveys/{year}/{instrument}/slips.pdf",
            ita::survey::slips_pdf,
        )
        .get(
            "/a/{slug}/admin/ita/surveys/{year}/{instrument}/links",
            ita::survey::links,
        )
        // ITA: answering the surveys
        .get("/s", ita::answer::code_entry)
        .form(
            "/s/{code}",
            ita::answer::show_by_code,
            ita::answer::submit_by_code,
        )
        .form(
            "/a/{slug}/eit",
            ita::answer::show_eit,
            ita::answer::submit_eit,
        )
        .get("/a/{slug}/survey/thanks", ita::answer::thanks)
        // Cases: the public side (no account), then the handlers' back office
        .get("/a/{slug}/complaints", cases::intake::channel)
        .form(
            "/a/{slug}/complaints/new",
            cases::intake::show_new,
            cases::intake::submit,
        )
        .form(
            "/a/{slug}/complaints/status",
            cases::intake::show_status,
            cases::intake::status,
        )
        .post("/a/{slug}/complaints/status/reply", cases::intake::reply)
        .post(
            "/a/{slug}/complaints/status/disclose",
            cases::intake::disclose,
        )
        .get(
            "/a/{slug}/complaints/stats/{year}",
            cases::intake::show_stats,
        )
        .get("/a/{slug}/admin/cases", cases::office::list)
        .post("/a/{slug}/admin/cases/key", cases::office::create_key)
        .post("/a/{slug}/admin/cases/unlock", cases::office::unlock)
        .post("/a/{slug}/admin/cases/grant", cases::office::grant)
        .form(
            "/a/{slug}/admin/cases/record",
            cases::office::show_record,
            cases::office::record,
        )
        .get("/a/{slug}/admin/cases/{id}", cases::office::show)
        .post(
            "/a/{slug}/admin/cases/{id}/state",
            cases::office::change_state,
        )
        .post(
            "/a/{slug}/admin/cases/{id}/entry",
            cases::office::write_entry,
        )
        .post("/a/{slug}/admin/cases/{id}/referral", cases::office::refer)
        .post("/a/{slug}/admin/cases/{id}/recuse", cases::office::recuse)
        .post("/a/{slug}/admin/cases/{id}/merge", cases::office::merge)
        .get(
            "/a/{slug}/admin/cases/{id}/attachments/{record}",
            cases::office::attachment,
        )
        .form(
            "/a/{slug}/admin/case-settings",
            cases::office::show_settings,
            cases::office::save_settings,
        )
        .post(
            "/a/{slug}/admin/case-settings/recovery",
            cases::office::make_recovery,
        )
        .get("/a/{slug}/admin/ita/oit", ita::oit::current_year)
        .get("/a/{slug}/admin/ita/oit/{year}", ita::oit::list_items)
        .get(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}",
            ita::oit::show_item,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/evidence",
            ita::oit::add_evidence,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/evidence/remove",
            ita::oit::remove_evidence,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/submit",
            ita::oit::submit_item,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/review",
            ita::oit::review_item,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/clarify",
            ita::oit::clarify_item,
        )
        .post(
            "/a/{slug}/admin/ita/oit/{year}/finalise",
            ita::oit::finalise,
        )
        // Portal content: back office
        .get("/a/{slug}/admin/pages", portal::content::list_pages)
        .get(
            "/a/{slug}/admin/pages/standard",
            portal::menu::show_standard,
        )
        .post(
            "/a/{slug}/admin/pages/standard/{key}",
            portal::menu::link_standard,
        )
        .get("/a/{slug}/admin/news", portal::content::list_news)
        .form(
            "/a/{slug}/admin/pages/new",
            portal::content::new_page,
            portal::content::create_page,
        )
        .form(
            "/a/{slug}/admin/news/new",
            portal::content::new_news,
            portal::content::create_news,
        )
        .form(
            "/a/{slug}/admin/content/{id}",
            portal::content::edit_content,
            portal::content::update_content,
        )
        .post(
            "/a/{slug}/admin/content/{id}/status",
            portal::content::change_status,
        )
        .get(
            "/a/{slug}/admin/content/{id}/versions",
            portal::content::show_versions,
        )
        .post(
            "/a/{slug}/admin/content/{id}/restore",
            portal::content::restore_version,
        )
        .post(
            "/a/{slug}/admin/content/{id}/attachments",
            portal::content::add_attachments,
        )
        .post(
            "/a/{slug}/admin/content/{id}/attachments/remove",
            portal::content::remove_attachment,
        )
        // Participation: back office
        .get("/a/{slug}/admin/qa", portal::qa::admin_list)
        .form(
            "/a/{slug}/admin/qa/{id}",
            portal::qa::admin_show,
            portal::qa::admin_moderate,
        )
        .get(
            "/a/{slug}/admin/suggestions",
            portal::suggestions::admin_list,
        )
        .form(
            "/a/{slug}/admin/suggestions/{id}",
            portal::suggestions::admin_show,
            portal::suggestions::admin_review,
        )
        // Measures: back office
        .form(
            "/a/{slug}/admin/measures",
            plans::list_plans,
            plans::create_plan,
        )
        .get("/a/{slug}/admin/measures/{year}", plans::show_plan)
        .post(
            "/a/{slug}/admin/measures/{year}/status/{step}",
            plans::change_status,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/accept-warning",
            plans::accept_warning,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/texts",
            plans::edit_texts,
            plans::update_texts,
        )
        .get(
            "/a/{slug}/admin/measures/{year}/overdue",
            plans::list_overdue,
        )
        .get(
            "/a/{slug}/admin/measures/{year}/documents",
            documents::show_documents,
        )
        .get(
            "/a/{slug}/admin/measures/{year}/plan.xlsx",
            documents::export_xlsx,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/import",
            documents::preview_import,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/import/apply",
            documents::apply_import,
        )
        .get(
            "/a/{slug}/admin/measures/{year}/{file}",
            official::member_document,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/tables/{which}",
            edit::edit_table,
            edit::update_table,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/measures/new",
            edit::new_measure,
            edit::create_measure,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/measures/{id}",
            edit::edit_measure,
            edit::update_measure,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/measures/{id}/delete",
            edit::delete_measure,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/measures/{id}/actions/new",
            edit::new_action,
            edit::create_action,
        )
        .get(
            "/a/{slug}/admin/measures/{year}/actions/{id}",
            progress::show_action,
        )
        .form(
            "/a/{slug}/admin/measures/{year}/actions/{id}/edit",
            edit::edit_action,
            edit::update_action,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/actions/{id}/delete",
            edit::delete_action,
        )
        .post(
            "/a/{slug}/admin/measures/{year}/actions/{id}/progress",
            progress::report_progress,
        )
        // ITA: portal
        .get("/a/{slug}/ita", ita::oit::public_current_year)
        .get("/a/{slug}/ita/{year}", ita::oit::public_table)
        .get("/a/{slug}/ita/{year}/oit.xlsx", ita::oit::public_xlsx)
        // Measures: portal
        .get("/a/{slug}/measures", public::list_years)
        .get("/a/{slug}/measures/{year}", public::show_year)
        .get(
            "/a/{slug}/measures/{year}/{file}",
            official::public_document,
        );
    (r.router, r.list)
}
