//! Platform pages: the platform home, sign-in, one's own account, the operator's agency list,
//! and an agency's back office for its profile, divisions, people, members and audit log.

pub mod account;
pub mod audit;
pub mod dashboard;
pub mod divisions;
pub mod home;
pub mod members;
pub mod notifications;
pub mod operator;
pub mod people;
pub mod profile;
pub mod signin;

use prongsai_domain::platform::{Agency, Permission};

use crate::auth::MemberCtx;
use crate::pages::{AgencyNav, Csrf, Layout, NavLink, Page, UserNav};

/// How the page header names an agency.
pub fn agency_nav(page: &Page, a: &Agency) -> AgencyNav {
    AgencyNav {
        slug: a.slug.to_string(),
        name: crate::portal::home::display_name(page, a),
        place: page.tr.arg2(
            "agency-place",
            "district",
            &a.profile.district,
            "province",
            &a.profile.province,
        ),
        logo: a.logo.map(|f| format!("/a/{}/files/{f}", a.slug)),
    }
}

/// The back-office sections, in menu order: (path under `admin/`, catalog key, permission).
const SECTIONS: &[(&str, &str, Option<Permission>)] = &[
    ("", "nav-dashboard", None),
    ("profile", "nav-profile", Some(Permission::EditAgency)),
    ("divisions", "nav-divisions", None),
    ("people", "nav-people", None),
    ("measures", "nav-measures", None),
    ("ita/surveys", "nav-ita-surveys", None),
    ("ita/oit", "nav-oit", None),
    ("pages", "nav-pages", Some(Permission::EditPortal)),
    ("news", "nav-news", Some(Permission::EditPortal)),
    // Moderated by those who write the agency's own content (`participation::can_moderate`):
    // the admins, who alone hold `EditAgency`.
    ("qa", "nav-qa", Some(Permission::EditAgency)),
    (
        "suggestions",
        "nav-suggestions",
        Some(Permission::EditAgency),
    ),
    ("members", "nav-members", Some(Permission::ManageAccounts)),
    ("audit", "nav-audit", Some(Permission::ViewAudit)),
    ("cases", "nav-cases", Some(Permission::HandleCases)),
    (
        "case-settings",
        "nav-case-settings",
        Some(Permission::ManageCaseSettings),
    ),
];

/// The layout of a back-office page. `current` is the section's path under `admin/`.
pub fn office_layout(
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    title: String,
    current: &str,
) -> Layout {
    let slug = m.agency.slug.as_str();
    let mut nav: Vec<NavLink> = SECTIONS
        .iter()
        .filter(|(_, _, p)| p.is_none_or(|p| m.member.membership.can(p)))
        .map(|(path, key, _)| NavLink {
            href: format!("/a/{slug}/admin/{path}"),
            label: page.tr.get(key),
            current: *path == current,
        })
        .collect();
    nav.push(NavLink {
        href: format!("/a/{slug}/admin/notifications"),
        label: if m.unread > 0 {
            page.tr.arg("nav-notifications-unread", "count", m.unread)
        } else {
            page.tr.get("nav-notifications")
        },
        current: current == "notifications",
    });
    nav.push(NavLink {
        href: format!("/a/{slug}/"),
        label: page.tr.get("nav-public-site"),
        current: false,
    });
    let mut l = Layout::new(page, title).csrf(csrf);
    l.user = Some(UserNav {
        name: m.user.account.display_name.clone(),
        is_operator: m.user.account.is_platform_operator,
    });
    l.agency = Some(agency_nav(page, &m.agency));
    l.nav = nav;
    l
}
