//! Field validation results. Forms are parsed into domain types once; what fails comes back as a
//! list of field errors with codes that the web layer turns into messages in the user's language.

/// Why a field was refused. The web layer maps each code to a message in its catalog
/// (`err-<code>`), with the parameters as message arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    InvalidUrl,
    InvalidPhone,
    InvalidSlug,
    ReservedSlug,
    SlugTaken,
    EmailTaken,
    InvalidChoice,
    InvalidNumber,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooCommon,
    PasswordMismatch,
    PasswordSameAsEmail,
    WrongPassword,
    InvalidTotpCode,
    DivisionRequired,
    NotInAgency,
    FileTooLarge {
        max_bytes: u64,
    },
    FileTypeNotAllowed,
    InvalidDate,
    InvalidPeriod,
    /// Something still refers to the row being deleted.
    InUse,
    /// The change would leave the agency without an admin.
    LastAdmin,
    /// The account belongs to other agencies too, so only its owner or the operator may reset it.
    AccountShared,
    /// The chosen role needs a division.
    RoleNeedsDivision,
    /// The fiscal year already has a measures plan.
    PlanExists,
    /// There is no plan of the year before to copy.
    NoPreviousPlan,
    /// Progress is reported once the plan is approved.
    PlanNotApproved,
    /// The same thing twice where it may appear once (a fiscal year in a results file).
    Duplicate,
    /// A CSV file that is not UTF-8 (Excel's plain "CSV" on a Thai Windows is TIS-620).
    NotUtf8Csv,
    /// A CSV file whose header row is not the expected one.
    WrongCsvHeader,
    /// A CSV row with the wrong number of cells.
    WrongCsvRow,
    /// The OIT item's evidence can be changed only while it is a draft or has failed review.
    OitLocked,
    /// An OIT item is submitted with at least one piece of evidence.
    OitNoEvidence,
    /// Only a submitted (or clarified) OIT item can be reviewed.
    OitNotSubmitted,
    /// Only an OIT item that failed review can be clarified.
    OitNotFailed,
    /// Closing a year's review while items still await a verdict.
    OitAwaitingVerdict {
        count: usize,
    },
    /// A page address is not `a-z`, `0-9` and inner hyphens.
    PageSlugInvalid,
    /// Another page of the agency has this address.
    PageSlugTaken,
    /// A division officer chose no division, or one that is not theirs.
    NotYourDivision,
    /// A published page keeps its address: its slug is fixed once it has been public.
    PageSlugLocked,
    /// An item that has been public is withdrawn, not deleted.
    ContentWasPublished,
    /// An uploaded file's name tries to leave its folder (`../`, `/`, `\`).
    FileNameNotAllowed,
    /// A contact that is neither an e-mail address nor a phone number.
    ContactInvalid,
    /// The action was already done (a form sent twice, or by two people): nothing changed.
    AlreadyDone,
    /// The action does not apply to the thing in its present state.
    WrongState,
}

impl ErrorCode {
    /// The catalog key suffix: `err-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too-long",
            Self::TooShort { .. } => "too-short",
            Self::InvalidEmail => "invalid-email",
            Self::InvalidUrl => "invalid-url",
            Self::InvalidPhone => "invalid-phone",
            Self::InvalidSlug => "invalid-slug",
            Self::ReservedSlug => "reserved-slug",
            Self::SlugTaken => "slug-taken",
            Self::EmailTaken => "email-taken",
            Self::InvalidChoice => "invalid-choice",
            Self::InvalidNumber => "invalid-number",
            Self::PasswordTooShort { .. } => "password-too-short",
            Self::PasswordTooCommon => "password-too-common",
            Self::PasswordMismatch => "password-mismatch",
            Self::PasswordSameAsEmail => "password-same-as-email",
            Self::WrongPassword => "wrong-password",
            Self::InvalidTotpCode => "invalid-totp-code",
            Self::DivisionRequired => "division-required",
            Self::NotInAgency => "not-in-agency",
            Self::FileTooLarge { .. } => "file-too-large",
            Self::FileTypeNotAllowed => "file-type-not-allowed",
            Self::InvalidDate => "invalid-date",
            Self::InvalidPeriod => "invalid-period",
            Self::InUse => "in-use",
            Self::LastAdmin => "last-admin",
            Self::AccountShared => "account-shared",
            Self::RoleNeedsDivision => "role-needs-division",
            Self::PlanExists => "plan-exists",
            Self::NoPreviousPlan => "no-previous-plan",
            Self::PlanNotApproved => "plan-not-approved",
            Self::Duplicate => "duplicate",
            Self::NotUtf8Csv => "not-utf8-csv",
            Self::WrongCsvHeader => "wrong-csv-header",
            Self::WrongCsvRow => "wrong-csv-row",
            Self::OitLocked => "oit-locked",
            Self::OitNoEvidence => "oit-no-evidence",
            Self::OitNotSubmitted => "oit-not-submitted",
            Self::OitNotFailed => "oit-not-failed",
            Self::OitAwaitingVerdict { .. } => "oit-awaiting-verdict",
            Self::PageSlugInvalid => "page-slug-invalid",
            Self::PageSlugTaken => "page-slug-taken",
            Self::NotYourDivision => "not-your-division",
            Self::PageSlugLocked => "page-slug-locked",
            Self::ContentWasPublished => "content-was-published",
            Self::FileNameNotAllowed => "file-name-not-allowed",
            Self::ContactInvalid => "contact-invalid",
            Self::AlreadyDone => "already-done",
            Self::WrongState => "wrong-state",
        }
    }

    /// The numeric parameter of the message, if any, with its argument name.
    pub fn arg(&self) -> Option<(&'static str, u64)> {
        match *self {
            Self::TooLong { max } => Some(("max", max as u64)),
            Self::TooShort { min } | Self::PasswordTooShort { min } => Some(("min", min as u64)),
            Self::OitAwaitingVerdict { count } => Some(("count", count as u64)),
            Self::FileTooLarge { max_bytes } => Some(("mb", max_bytes / (1024 * 1024))),
            _ => None,
        }
    }
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: ErrorCode,
}

/// All refused fields of one form, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &'static str, code: ErrorCode) -> Self {
        Self(vec![FieldError { field, code }])
    }

    pub fn add(&mut self, field: &'static str, code: ErrorCode) {
        self.0.push(FieldError { field, code });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error on `field`, if any.
    pub fn get(&self, field: &str) -> Option<&ErrorCode> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.code)
    }

    /// `Ok(value)` if no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// Records the error of a field parser and returns its value.
    pub fn take<T>(&mut self, field: &'static str, r: Result<T, ErrorCode>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {}", e.field, e.code.code())?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// Field parsers shared by every form. Each trims, then checks.
pub mod field {
    use super::ErrorCode;

    /// A required single-line text of at most `max` characters. Control characters are removed.
    pub fn required(raw: &str, max: usize) -> Result<String, ErrorCode> {
        let v = clean_line(raw);
        if v.is_empty() {
            Err(ErrorCode::Required)
        } else if v.chars().count() > max {
            Err(ErrorCode::TooLong { max })
        } else {
            Ok(v)
        }
    }

    /// An optional single-line text: empty becomes `None`.
    pub fn optional(raw: &str, max: usize) -> Result<Option<String>, ErrorCode> {
        let v = clean_line(raw);
        if v.is_empty() {
            Ok(None)
        } else if v.chars().count() > max {
            Err(ErrorCode::TooLong { max })
        } else {
            Ok(Some(v))
        }
    }

    /// An optional multi-line text: line breaks are kept, other control characters removed.
    pub fn optional_multiline(raw: &str, max: usize) -> Result<Option<String>, ErrorCode> {
        let v: String = raw
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        let v = v.trim().to_owned();
        if v.is_empty() {
            Ok(None)
        } else if v.chars().count() > max {
            Err(ErrorCode::TooLong { max })
        } else {
            Ok(Some(v))
        }
    }

    /// Trims and removes control characters; inner runs of whitespace become one space.
    pub fn clean_line(raw: &str) -> String {
        raw.split_whitespace()
            .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An e-mail address, lower-cased. Deliberately simple: one `@`, a dot in the domain, no
    /// spaces, at most 254 characters.
    pub fn email(raw: &str) -> Result<String, ErrorCode> {
        let v = raw.trim().to_lowercase();
        if v.is_empty() {
            return Err(ErrorCode::Required);
        }
        if v.len() > 254 {
            return Err(ErrorCode::TooLong { max: 254 });
        }
        let Some((local, domain)) = v.split_once('@') else {
            return Err(ErrorCode::InvalidEmail);
        };
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if ok {
            Ok(v)
        } else {
            Err(ErrorCode::InvalidEmail)
        }
    }

    pub fn optional_email(raw: &str) -> Result<Option<String>, ErrorCode> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            email(raw).map(Some)
        }
    }

    /// An optional http(s) URL of at most 500 characters.
    pub fn optional_url(raw: &str) -> Result<Option<String>, ErrorCode> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(None);
        }
        if v.len() > 500 {
            return Err(ErrorCode::TooLong { max: 500 });
        }
        let rest = v
            .strip_prefix("https://")
            .or_else(|| v.strip_prefix("http://"))
            .ok_or(ErrorCode::InvalidUrl)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty()
            || !host.contains('.')
            || v.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
        {
            return Err(ErrorCode::InvalidUrl);
        }
        Ok(Some(v.to_owned()))
    }

    /// An optional Thai phone number or list of numbers: digits (Arabic or Thai), spaces, `-`,
    /// `+`, `,`, parentheses and the word "ต่อ" (extension). Stored as typed.
    pub fn optional_phone(raw: &str) -> Result<Option<String>, ErrorCode> {
        let v = clean_line(raw);
        if v.is_empty() {
            return Ok(None);
        }
        if v.chars().count() > 80 {
            return Err(ErrorCode::TooLong { max: 80 });
        }
        let rest = v.replace("ต่อ", "");
        let digits = rest
            .chars()
            .filter(|c| c.is_ascii_digit() || ('๐'..='๙').contains(c))
            .count();
        let ok = digits >= 3
            && rest.chars().all(|c| {
                c.is_ascii_digit()
                    || ('๐'..='๙').contains(&c)
                    || matches!(c, ' ' | '-' | '+' | ',' | '(' | ')' | '/' | '.')
            });
        if ok {
            Ok(Some(v))
        } else {
            Err(ErrorCode::InvalidPhone)
        }
    }

    /// An integer within a range. Empty means `default`.
    pub fn int_or(
        raw: &str,
        default: i64,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<i64, ErrorCode> {
        let v = prongsai_thai::to_arabic_digits(raw.trim());
        if v.is_empty() {
            return Ok(default);
        }
        match v.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ErrorCode::InvalidNumber),
        }
    }

    /// A checkbox: present and "on"/"true"/"1" means true.
    pub fn checkbox(raw: Option<&str>) -> bool {
        matches!(raw.map(str::trim), Some("on" | "true" | "1" | "yes"))
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use super::field::*;

    fn check<T: std::fmt::Debug + PartialEq>(
        f: impl Fn(&str) -> Result<T, ErrorCode>,
        cases: &[(&str, Result<T, ErrorCode>)],
    ) {
        for (input, expected) in cases {
            assert_eq!(&f(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        check(
            email,
            &[
                ("Admin@NonHan.go.th ", Ok("admin@nonhan.go.th".into())),
                ("", Err(ErrorCode::Required)),
                ("no-at-sign", Err(ErrorCode::InvalidEmail)),
                ("a@b", Err(ErrorCode::InvalidEmail)),
                ("a@@b.th", Err(ErrorCode::InvalidEmail)),
                ("a b@c.th", Err(ErrorCode::InvalidEmail)),
                ("<a@c.th>", Err(ErrorCode::InvalidEmail)),
            ],
        );
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        check(
            optional_url,
            &[
                ("", Ok(None)),
                (
                    "https://www.nonhan.go.th/",
                    Ok(Some("https://www.nonhan.go.th/".into())),
                ),
                ("javascript:alert(1)", Err(ErrorCode::InvalidUrl)),
                ("https://", Err(ErrorCode::InvalidUrl)),
                ("http://localhost", Err(ErrorCode::InvalidUrl)),
                ("https://a.th/x y", Err(ErrorCode::InvalidUrl)),
            ],
        );
    }

    #[test]
    fn phones_accept_thai_forms() {
        check(
            optional_phone,
            &[
                ("", Ok(None)),
                ("043-123456 ต่อ 12", Ok(Some("043-123456 ต่อ 12".into()))),
                ("๐๔๓-๑๒๓๔๕๖", Ok(Some("๐๔๓-๑๒๓๔๕๖".into()))),
                (
                    "+66 43 123 456, 1567",
                    Ok(Some("+66 43 123 456, 1567".into())),
                ),
                ("call me", Err(ErrorCode::InvalidPhone)),
                ("12", Err(ErrorCode::InvalidPhone)),
            ],
        );
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        check(
            |s| required(s, 5),
            &[
                ("  เทศบาล ", Err(ErrorCode::TooLong { max: 5 })),
                ("  กอง ", Ok("กอง".into())),
                ("a\u{0}b", Ok("ab".into())),
                ("   ", Err(ErrorCode::Required)),
            ],
        );
    }

    #[test]
    fn numbers_accept_thai_digits() {
        check(
            |s| int_or(s, 0, 0..=100),
            &[
                ("", Ok(0)),
                ("๔๒", Ok(42)),
                ("101", Err(ErrorCode::InvalidNumber)),
                ("x", Err(ErrorCode::InvalidNumber)),
            ],
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::field;
    use crate::platform::agency::{AgencyProfileInput, Slug};
    use crate::platform::division::DivisionInput;
    use crate::platform::person::PersonInput;

    proptest! {
        #[test]
        fn field_parsers_never_panic(s in "\\PC{0,300}") {
            let _ = field::required(&s, 50);
            let _ = field::optional_multiline(&s, 50);
            let _ = field::email(&s);
            let _ = field::optional_url(&s);
            let _ = field::optional_phone(&s);
            let _ = field::int_or(&s, 0, 0..=10);
            let _ = Slug::parse(&s);
        }

        #[test]
        fn forms_never_panic_and_accepted_values_are_clean(a in "\\PC{0,80}", b in "\\PC{0,80}", c in "\\PC{0,20}") {
            let profile = AgencyProfileInput {
                name: a.clone(),
                kind: "sao".into(),
                province: b.clone(),
                district: a.clone(),
                postcode: c.clone(),
                phone: c.clone(),
                ..Default::default()
            };
            if let Ok(p) = profile.parse() {
                prop_assert!(!p.name.is_empty() && !p.name.chars().any(char::is_control));
                prop_assert_eq!(p.name.trim(), p.name.as_str());
            }
            let _ = DivisionInput { name: a.clone(), sort_order: c.clone(), ..Default::default() }.parse();
            let _ = PersonInput { name: a, position: b, division_id: c, ..Default::default() }.parse(|_| true);
        }

        #[test]
        fn accepted_slugs_are_url_safe(s in "[a-z][a-z0-9-]{0,45}") {
            if let Ok(slug) = Slug::parse(&s) {
                prop_assert!(slug.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                prop_assert!((2..=40).contains(&slug.as_str().len()));
            }
        }
    }
}
