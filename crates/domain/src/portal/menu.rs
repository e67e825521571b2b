//! The standard site map of an agency's public site, held as data (`data/portal-standard.toml`):
//! the menu's sections and the pages a Thai local administration's site is expected to carry.
//! Each year's ITA framework points its OIT items at these pages (`portal_page`), so the OIT
//! table is written from the site itself, and a page the agency has not made is a gap on its
//! checklist.
//!
//! [`resolve`] says, for one agency and fiscal year, where each standard page lives: generated
//! by Prongsai from a module's data, written by the agency in the CMS at the page's address, or
//! missing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

const STANDARD: &str = include_str!("../../data/portal-standard.toml");

/// A section of the public menu ("ข้อมูลหน่วยงาน").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: String,
    pub name_th: String,
    pub name_en: String,
}

/// A standard page ("โครงสร้าง"), in one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdPage {
    pub key: String,
    pub section: String,
    pub name_th: String,
    pub name_en: String,
    /// The module that writes it, if any.
    pub generated: Option<Generator>,
    /// The address of the CMS page the agency writes for it (`/a/{slug}/p/{address}`).
    pub address: Option<String>,
}

/// What Prongsai generates a standard page from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// The introduction on the home page (the profile's "about" text).
    About,
    /// The executives on the home page.
    Executives,
    /// The divisions on the home page.
    Structure,
    /// The contact block on the home page.
    Contact,
    News,
    /// The approved plan of measures of the fiscal year.
    Measures,
    Social,
    Privacy,
    /// The OIT table of the fiscal year.
    Ita,
    Data,
    Qa,
    Suggestions,
    /// The complaint channel page (cases).
    Complaints,
    /// The published complaint statistics of the fiscal year (cases).
    ComplaintStats,
    /// Modules that are not built yet: their page is a CMS page until they are.
    Later(&'static str),
}

/// The generators of modules that do not exist yet; the CMS page at the address serves instead.
const LATER: [&str; 5] = [
    "e-services",
    "procurement-plan",
    "procurement-notices",
    "procurement-monthly",
    "procurement-report",
];

impl Generator {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "about" => Self::About,
            "executives" => Self::Executives,
            "structure" => Self::Structure,
            "contact" => Self::Contact,
            "news" => Self::News,
            "measures" => Self::Measures,
            "social" => Self::Social,
            "privacy" => Self::Privacy,
            "ita" => Self::Ita,
            "data" => Self::Data,
            "qa" => Self::Qa,
            "suggestions" => Self::Suggestions,
            "complaints" => Self::Complaints,
            "complaint-stats" => Self::ComplaintStats,
            other => Self::Later(LATER.into_iter().find(|l| *l == other)?),
        })
    }
}

/// The whole site map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteMap {
    pub sections: Vec<Section>,
    pub pages: Vec<StdPage>,
}

impl SiteMap {
    pub fn page(&self, key: &str) -> Option<&StdPage> {
        self.pages.iter().find(|p| p.key == key)
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The pages of a section, in file order.
    pub fn pages_of<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a StdPage> + 'a {
        self.pages.iter().filter(move |p| p.section == section)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    section: Vec<SectionFormat>,
    page: Vec<PageFormat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFormat {
    key: String,
    name_th: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFormat {
    key: String,
    section: String,
    name_th: String,
    name_en: String,
    #[serde(default)]
    generated: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// A key or address as the site map allows it: lower-case ASCII letters, digits and dashes.
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads a site map, checking that keys are unique and well formed, that every page is in a
/// known section and is produced somehow, and that every section has a page.
pub fn parse(text: &str) -> Result<SiteMap, String> {
    let f: FileFormat = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut keys = BTreeSet::new();
    let mut sections = Vec::new();
    for s in f.section {
        if !is_key(&s.key) || !keys.insert(s.key.clone()) {
            return Err(format!("section {:?}: a bad or repeated key", s.key));
        }
        sections.push(Section {
            key: s.key,
            name_th: s.name_th,
            name_en: s.name_en,
        });
    }
    let mut page_keys = BTreeSet::new();
    let mut addresses = BTreeSet::new();
    let mut pages = Vec::new();
    for p in f.page {
        if !is_key(&p.key) || !page_keys.insert(p.key.clone()) {
            return Err(format!("page {:?}: a bad or repeated key", p.key));
        }
        if !keys.contains(&p.section) {
            return Err(format!("page {:?}: no section {:?}", p.key, p.section));
        }
        let generated = match p.generated.as_deref() {
            None => None,
            Some(g) => Some(
                Generator::parse(g)
                    .ok_or_else(|| format!("page {:?}: no generator {g:?}", p.key))?,
            ),
        };
        if let Some(a) = &p.address
            && (!is_key(a) || !addresses.insert(a.clone()))
        {
            return Err(format!("page {:?}: a bad or repeated address {a:?}", p.key));
        }
        if generated.is_none() && p.address.is_none() {
            return Err(format!("page {:?}: neither generated nor written", p.key));
        }
        pages.push(StdPage {
            key: p.key,
            section: p.section,
            name_th: p.name_th,
            name_en: p.name_en,
            generated,
            address: p.address,
        });
    }
    if let Some(s) = sections
        .iter()
        .find(|s| !pages.iter().any(|p| p.section == s.key))
    {
        return Err(format!("section {:?} has no page", s.key));
    }
    Ok(SiteMap { sections, pages })
}

static BUILT_IN: LazyLock<SiteMap> = LazyLock::new(|| {
    parse(STANDARD).unwrap_or_else(|e| {
        // A test parses the shipped file, so this is never reached in a released build.
        tracing::error!(error = %e, "the standard site map is invalid");
        SiteMap::default()
    })
});

/// The shipped site map.
pub fn standard() -> &'static SiteMap {
    &BUILT_IN
}

/// What is known of one agency that decides which standard pages exist.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub has_about: bool,
    pub has_executives: bool,
    pub has_divisions: bool,
    pub has_contact: bool,
    pub has_news: bool,
    pub has_social: bool,
    /// Fiscal years (BE) with an approved plan of measures.
    pub approved_plans: BTreeSet<i32>,
    /// Addresses of the agency's public CMS pages.
    pub public_pages: BTreeSet<String>,
    /// Standard pages the agency pointed at another of its pages: key → that page's address.
    pub linked: BTreeMap<String, String>,
    /// Whether the agency's online complaint channel is open (its recovery key is made).
    pub has_complaints: bool,
}

/// Where a standard page lives, for one agency and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Prongsai writes it; the path is under `/a/{slug}/` (may end in a `#fragment`).
    Generated(String),
    /// The agency's CMS page at this path under `/a/{slug}/`.
    Written(String),
    /// Not there. `write` is the CMS address the agency can write it at.
    Missing { write: Option<String> },
}

impl Place {
    /// The path under `/a/{slug}/`, when the page exists.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Generated(p) | Self::Written(p) => Some(p),
            Self::Missing { .. } => None,
        }
    }
}

/// Where Prongsai's own data puts a generated page, if the data is there.
fn generated_path(g: Generator, facts: &Facts, year: i32) -> Option<String> {
    let yes = |b: bool, p: &str| b.then(|| p.to_owned());
    match g {
        Generator::About => yes(facts.has_about, "#about"),
        Generator::Executives => yes(facts.has_executives, "#executives"),
        Generator::Structure => yes(facts.has_divisions, "#structure"),
        Generator::Contact => yes(facts.has_contact, "#contact"),
        Generator::News => yes(facts.has_news, "news"),
        Generator::Measures => facts
            .approved_plans
            .contains(&year)
            .then(|| format!("measures/{year}")),
        Generator::Social => yes(facts.has_social, "social"),
        Generator::Privacy => Some("privacy".into()),
        Generator::Ita => Some(format!("ita/{year}")),
        Generator::Data => Some("data".into()),
        // Open from the first day: the board and the form are the channels the items ask for.
        Generator::Qa => Some("qa".into()),
        Generator::Suggestions => Some("suggestions".into()),
        Generator::Complaints => yes(facts.has_complaints, "complaints"),
        Generator::ComplaintStats => facts
            .has_complaints
            .then(|| format!("complaints/stats/{year}")),
        Generator::Later(_) => None,
    }
}

/// Where `page` lives for an agency with `facts`, in fiscal year `year` (BE). A generated page
/// wins over the agency's own CMS page; a module not built yet leaves it to the CMS.
pub fn place(page: &StdPage, facts: &Facts, year: i32) -> Place {
    if let Some(p) = page.generated.and_then(|g| generated_path(g, facts, year)) {
        return Place::Generated(p);
    }
    let linked = facts.linked.get(&page.key);
    if let Some(a) = linked.filter(|a| facts.public_pages.contains(*a)) {
        return Place::Written(format!("p/{a}"));
    }
    match &page.address {
        Some(a) if facts.public_pages.contains(a) => Place::Written(format!("p/{a}")),
        Some(a) => Place::Missing {
            write: Some(a.clone()),
        },
        None => Place::Missing { write: None },
    }
}

/// The navigation path a visitor follows to a standard page, as the OIT table writes it:
/// "หน้าแรก > ข้อมูลหน่วยงาน > โครงสร้าง". A section of one page is a single step.
pub fn nav_path(map: &SiteMap, page: &StdPage, home: &str) -> String {
    let Some(section) = map.section(&page.section) else {
        return format!("{home} > {}", page.name_th);
    };
    if map.pages_of(&section.key).count() == 1 {
        format!("{home} > {}", section.name_th)
    } else {
        format!("{home} > {} > {}", section.name_th, page.name_th)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_site_map_parses_and_covers_the_lao_standard_pages() {
        let map = parse(STANDARD).expect("the shipped site map parses");
        for key in [
            "structure",
            "executives",
            "authority",
            "local-plan",
            "contact",
            "laws",
            "news",
            "qa",
            "social",
            "privacy",
            "suggestions",
            "measures",
            "complaint-stats",
        ] {
            assert!(map.page(key).is_some(), "no page {key}");
        }
        assert_eq!(standard(), &map);
    }

    #[test]
    fn bad_site_maps_are_refused_with_the_reason() {
        let base = "[[section]]\nkey = \"a\"\nname_th = \"ก\"\nname_en = \"A\"\n";
        let page = |extra: &str| {
            format!(
                "{base}[[page]]\nkey = \"p\"\nsection = \"a\"\nname_th = \"ป\"\nname_en = \"P\"\n{extra}"
            )
        };
        assert!(parse(&page("address = \"p\"")).is_ok());
        for (text, reason) in [
            (page(""), "neither generated nor written"),
            (page("generated = \"weather\""), "no generator"),
            (page("address = \"Bad Address\""), "bad or repeated address"),
            (page("address = \"p\"\nsecton = \"x\""), "unknown field"),
            (
                format!(
                    "{base}[[page]]\nkey = \"p\"\nsection = \"b\"\nname_th = \"ป\"\nname_en = \"P\"\naddress = \"p\""
                ),
                "no section",
            ),
            (
                format!(
                    "{base}{base}[[page]]\nkey = \"p\"\nsection = \"a\"\nname_th = \"ป\"\nname_en = \"P\"\naddress = \"p\""
                ),
                "repeated key",
            ),
            (
                format!(
                    "{base}[[section]]\nkey = \"b\"\nname_th = \"ข\"\nname_en = \"B\"\n[[page]]\nkey = \"p\"\nsection = \"a\"\nname_th = \"ป\"\nname_en = \"P\"\naddress = \"p\""
                ),
                "has no page",
            ),
        ] {
            let e = parse(&text).expect_err(reason);
            assert!(e.contains(reason), "{e:?} should say {reason:?}");
        }
    }

    #[test]
    fn a_page_is_generated_written_or_missing() {
        let map = standard();
        let mut facts = Facts::default();
        let structure = map.page("structure").expect("structure");
        let laws = map.page("laws").expect("laws");
        let stats = map.page("complaint-stats").expect("complaint-stats");
        let measures = map.page("measures").expect("measures");
        assert_eq!(
            place(structure, &facts, 2567),
            Place::Missing { write: None }
        );
        facts.has_divisions = true;
        assert_eq!(
            place(structure, &facts, 2567),
            Place::Generated("#structure".into())
        );
        assert_eq!(
            place(laws, &facts, 2567),
            Place::Missing {
                write: Some("laws".into())
            }
        );
        facts.public_pages.insert("laws".into());
        assert_eq!(place(laws, &facts, 2567), Place::Written("p/laws".into()));
        // A page the agency pointed it at wins, while public.
        facts.linked.insert("laws".into(), "acts".into());
        assert_eq!(place(laws, &facts, 2567), Place::Written("p/laws".into()));
        facts.public_pages.insert("acts".into());
        assert_eq!(place(laws, &facts, 2567), Place::Written("p/acts".into()));
        // Without the module's data, the agency's CMS page serves.
        facts.public_pages.insert("complaint-statistics".into());
        assert_eq!(
            place(stats, &facts, 2567),
            Place::Written("p/complaint-statistics".into())
        );
        // Measures of the year asked for only.
        facts.approved_plans.insert(2566);
        assert!(matches!(
            place(measures, &facts, 2567),
            Place::Missing { .. }
        ));
        assert_eq!(
            place(measures, &facts, 2566),
            Place::Generated("measures/2566".into())
        );
    }

    #[test]
    fn navigation_paths_follow_the_menu() {
        let map = standard();
        let p = |k: &str| map.page(k).expect(k);
        assert_eq!(
            nav_path(map, p("structure"), "หน้าแรก"),
            "หน้าแรก > ข้อมูลหน่วยงาน > โครงสร้าง"
        );
        assert_eq!(nav_path(map, p("news"), "หน้าแรก"), "หน้าแรก > ข่าวประชาสัมพันธ์");
    }
}
