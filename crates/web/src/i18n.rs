//! Message catalogs. Every piece of UI text comes from `locales/<lang>/*.ftl` (Fluent); templates
//! ask a [`Tr`] for it by key. Thai is the default; English is the second language.

use std::borrow::Cow;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use prongsai_domain::ErrorCode;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Th,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Th => "th",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "th" => Some(Self::Th),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the page header.
    pub fn other(self) -> Self {
        match self {
            Self::Th => Self::En,
            Self::En => Self::Th,
        }
    }
}

/// The catalog files, per language. Add a file here and in both language folders.
const FILES: &[(&str, &str, &str)] = &[
    (
        "common",
        include_str!("../locales/th/common.ftl"),
        include_str!("../locales/en/common.ftl"),
    ),
    (
        "platform",
        include_str!("../locales/th/platform.ftl"),
        include_str!("../locales/en/platform.ftl"),
    ),
    (
        "office",
        include_str!("../locales/th/office.ftl"),
        include_str!("../locales/en/office.ftl"),
    ),
    (
        "portal",
        include_str!("../locales/th/portal.ftl"),
        include_str!("../locales/en/portal.ftl"),
    ),
    (
        "measures",
        include_str!("../locales/th/measures.ftl"),
        include_str!("../locales/en/measures.ftl"),
    ),
    (
        "survey",
        include_str!("../locales/th/survey.ftl"),
        include_str!("../locales/en/survey.ftl"),
    ),
    (
        "framework",
        include_str!("../locales/th/framework.ftl"),
        include_str!("../locales/en/framework.ftl"),
    ),
    (
        "oit",
        include_str!("../locales/th/oit.ftl"),
        include_str!("../locales/en/oit.ftl"),
    ),
    (
        "participation",
        include_str!("../locales/th/participation.ftl"),
        include_str!("../locales/en/participation.ftl"),
    ),
    (
        "cases",
        include_str!("../locales/th/cases.ftl"),
        include_str!("../locales/en/cases.ftl"),
    ),
];

/// Both languages' bundles, built once at start-up.
pub struct Catalogs {
    th: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalogs")
    }
}

/// A catalog file that does not parse. Only a developer can cause this; tests catch it.
#[derive(Debug, thiserror::Error)]
#[error("message catalog {lang}/{file}.ftl is invalid: {detail}")]
pub struct CatalogError {
    pub lang: &'static str,
    pub file: &'static str,
    pub detail: String,
}

impl Catalogs {
    pub fn load() -> Result<Self, CatalogError> {
        Ok(Self {
            th: bundle("th", 1)?,
            en: bundle("en", 2)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Th => &self.th,
            Lang::En => &self.en,
        }
    }

    /// Every message id of a language, for the completeness tests.
    pub fn ids(lang: Lang) -> Vec<String> {
        let idx = if lang == Lang::Th { 1 } else { 2 };
        let mut ids = Vec::new();
        for f in FILES {
            let src = if idx == 1 { f.1 } else { f.2 };
            for line in src.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.starts_with([' ', '#', '.', '*', '['])
                    && !id.is_empty()
                {
                    ids.push(id.trim().to_owned());
                }
            }
        }
        ids
    }
}

fn bundle(lang: &'static str, idx: usize) -> Result<FluentBundle<FluentResource>, CatalogError> {
    let langid = lang.parse().map_err(|_| CatalogError {
        lang,
        file: "-",
        detail: "bad language id".into(),
    })?;
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    b.set_use_isolating(false);
    for (name, th, en) in FILES {
        let src = if idx == 1 { *th } else { *en };
        let res = FluentResource::try_new(src.to_owned()).map_err(|(_, errs)| CatalogError {
            lang,
            file: name,
            detail: format!("{errs:?}"),
        })?;
        b.add_resource(res).map_err(|errs| CatalogError {
            lang,
            file: name,
            detail: format!("{errs:?}"),
        })?;
    }
    Ok(b)
}

/// The translator handed to templates: a language and the catalogs.
#[derive(Clone)]
pub struct Tr {
    pub lang: Lang,
    catalogs: Arc<Catalogs>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({:?})", self.lang)
    }
}

impl Tr {
    pub fn new(lang: Lang, catalogs: Arc<Catalogs>) -> Self {
        Self { lang, catalogs }
    }

    /// The message `key`. A missing key shows as the key itself (and fails the catalog tests).
    pub fn get(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one argument.
    pub fn arg(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(
            name.to_owned(),
            FluentValue::String(Cow::Owned(value.to_string())),
        );
        self.format(key, Some(&args))
    }

    /// The message `key` with any number of arguments.
    pub fn args(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(
                (*k).to_owned(),
                FluentValue::String(Cow::Owned((*v).to_owned())),
            );
        }
        self.format(key, Some(&fa))
    }

    /// The message `key` with two arguments.
    pub fn arg2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(
            n1.to_owned(),
            FluentValue::String(Cow::Owned(v1.to_string())),
        );
        args.set(
            n2.to_owned(),
            FluentValue::String(Cow::Owned(v2.to_string())),
        );
        self.format(key, Some(&args))
    }

    /// The message for a field error code.
    pub fn error(&self, code: &ErrorCode) -> String {
        let key = format!("err-{}", code.code());
        match code.arg() {
            Some((name, v)) => self.arg(&key, name, v),
            None => self.get(&key),
        }
    }

    /// The message `<prefix>-<code>`, or the code itself when the catalog has no such message
    /// (codes written by newer versions, say).
    pub fn label(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}-{code}");
        let bundle = self.catalogs.bundle(self.lang);
        if bundle.has_message(&key) {
            self.get(&key)
        } else {
            code.to_owned()
        }
    }

    /// "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่".
    pub fn indicator(&self, n: &u8) -> String {
        self.arg2(
            "indicator-label",
            "n",
            n,
            "name",
            self.get(&format!("indicator-{n}")),
        )
    }

    /// The name of a role.
    pub fn role(&self, r: &prongsai_domain::platform::Role) -> String {
        self.get(&format!("role-{}", r.as_str()))
    }

    /// The name of a kind of agency.
    pub fn agency_kind(&self, k: &prongsai_domain::platform::AgencyKind) -> String {
        self.get(&format!("agency-kind-{}", k.as_str()))
    }

    /// The message for one refused field.
    pub fn field_error(&self, fe: &prongsai_domain::FieldError) -> String {
        self.error(&fe.code)
    }

    /// "Label: message" for the error summary at the top of a form, so that the summary says
    /// which field is wrong. Fields without a `label-<field>` message show the message alone.
    pub fn field_error_with_label(&self, fe: &prongsai_domain::FieldError) -> String {
        let message = self.error(&fe.code);
        let key = format!("label-{}", fe.field);
        if self.catalogs.bundle(self.lang).has_message(&key) {
            format!("{}: {message}", self.get(&key))
        } else {
            message
        }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.catalogs.bundle(self.lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing message");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// A date and time for screens: "1 ม.ค. 2566 14:05" in Thai (Buddhist Era, Bangkok time),
    /// "1 Jan 2023 14:05" in English.
    pub fn datetime(&self, unix: impl std::borrow::Borrow<i64>) -> String {
        let t = prongsai_domain::clock::from_unix(*unix.borrow()).to_offset(prongsai_thai::BANGKOK);
        let (h, m) = (t.hour(), t.minute());
        match self.lang {
            Lang::Th => format!(
                "{} {} {} {h:02}:{m:02}",
                t.day(),
                prongsai_thai::month_short(t.month()),
                prongsai_thai::be_year(t.date())
            ),
            Lang::En => format!(
                "{} {} {} {h:02}:{m:02}",
                t.day(),
                &format!("{:?}", t.month())[..3],
                t.year()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(lang: Lang) -> Tr {
        Tr::new(lang, Arc::new(Catalogs::load().unwrap()))
    }

    #[test]
    fn catalogs_parse_and_have_the_same_keys_in_both_languages() {
        let mut th = Catalogs::ids(Lang::Th);
        let mut en = Catalogs::ids(Lang::En);
        th.sort();
        en.sort();
        let only_th: Vec<_> = th.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !th.contains(k)).collect();
        assert!(
            only_th.is_empty() && only_en.is_empty(),
            "only in th: {only_th:?}; only in en: {only_en:?}"
        );
        let mut dedup = th.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), th.len(), "a key is defined twice");
    }

    /// Every catalog key written as a literal in a template or in the web code's `tr` calls.
    fn literal_keys() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("templates"), &mut files);
        walk(&root.join("src"), &mut files);
        let calls = [
            "t.get(\"",
            "t.arg(\"",
            "t.arg2(\"",
            "tr.get(\"",
            "tr.arg(\"",
            "tr.arg2(\"",
        ];
        let mut keys = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in calls {
                for (at, _) in text.match_indices(call) {
                    let rest = &text[at + call.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    if rest[key.len()..].starts_with('"') && !key.is_empty() {
                        keys.push((f.display().to_string(), key));
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_named_in_a_template_or_handler_exists() {
        let ids = Catalogs::ids(Lang::Th);
        let keys = literal_keys();
        assert!(keys.len() > 100, "the scan finds the keys");
        let missing: Vec<_> = keys.iter().filter(|(_, k)| !ids.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "keys missing from the catalogs: {missing:?}"
        );
    }

    #[test]
    fn every_error_code_has_a_message() {
        use prongsai_domain::ErrorCode as E;
        let codes = [
            E::Required,
            E::TooLong { max: 1 },
            E::TooShort { min: 1 },
            E::InvalidEmail,
            E::InvalidUrl,
            E::InvalidPhone,
            E::InvalidSlug,
            E::ReservedSlug,
            E::SlugTaken,
            E::EmailTaken,
            E::InvalidChoice,
            E::InvalidNumber,
            E::PasswordTooShort { min: 1 },
            E::PasswordTooCommon,
            E::PasswordMismatch,
            E::PasswordSameAsEmail,
            E::WrongPassword,
            E::InvalidTotpCode,
            E::DivisionRequired,
            E::NotInAgency,
            E::FileTooLarge { max_bytes: 1 },
            E::FileTypeNotAllowed,
            E::InvalidDate,
            E::InvalidPeriod,
            E::InUse,
            E::LastAdmin,
            E::AccountShared,
            E::RoleNeedsDivision,
            E::PlanExists,
            E::NoPreviousPlan,
            E::PlanNotApproved,
            E::Duplicate,
            E::NotUtf8Csv,
            E::WrongCsvHeader,
            E::WrongCsvRow,
            E::OitLocked,
            E::OitNoEvidence,
            E::OitNotSubmitted,
            E::OitNotFailed,
            E::PageSlugInvalid,
            E::PageSlugTaken,
            E::NotYourDivision,
            E::PageSlugLocked,
            E::FileNameNotAllowed,
            E::ContactInvalid,
            E::AlreadyDone,
            E::WrongState,
        ];
        for lang in [Lang::Th, Lang::En] {
            let ids = Catalogs::ids(lang);
            for c in &codes {
                let key = format!("err-{}", c.code());
                assert!(ids.contains(&key), "{key} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn arguments_are_not_wrapped_in_isolation_marks() {
        let s = tr(Lang::Th).error(&ErrorCode::TooLong { max: 150 });
        assert!(s.contains("150"), "{s}");
        assert!(!s.contains('\u{2068}'));
    }

    #[test]
    fn thai_screen_dates_use_the_buddhist_era_in_bangkok_time() {
        // 2022-12-31 18:30 UTC is 1 January 2023 01:30 in Bangkok.
        assert_eq!(tr(Lang::Th).datetime(1_672_511_400), "1 ม.ค. 2566 01:30");
        assert_eq!(tr(Lang::En).datetime(1_672_511_400), "1 Jan 2023 01:30");
    }
}
