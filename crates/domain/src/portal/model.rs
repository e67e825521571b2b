//! Portal content: pages (ข้อมูลหน่วยงาน, อำนาจหน้าที่, …) with a stable address, and news and
//! announcements with a category, a publication time (a future one is a schedule) and a pin.
//! Each save is a version; files are attached to an item.

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::ids::{AgencyId, AttachmentId, ContentId, ContentVersionId, DivisionId};
use crate::platform::audit::Audited;
use crate::platform::file::StoredFile;
use crate::validate::{ErrorCode, FieldErrors, field};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentKind {
    /// A standing page with its own address (`/a/{slug}/p/{page}`).
    Page,
    /// ข่าวประชาสัมพันธ์.
    News,
    /// ประกาศ.
    Announcement,
}

impl ContentKind {
    pub const NEWS_KINDS: [ContentKind; 2] = [Self::News, Self::Announcement];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::News => "news",
            Self::Announcement => "announcement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Page, Self::News, Self::Announcement]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn is_page(self) -> bool {
        self == Self::Page
    }
}

/// The longest title.
pub const TITLE_MAX: usize = 200;
/// The longest body, in characters.
pub const BODY_MAX: usize = 100_000;
/// The longest category name.
pub const CATEGORY_MAX: usize = 60;
/// The longest page address.
pub const SLUG_MAX: usize = 60;

/// What a save writes: everything the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFields {
    pub kind: ContentKind,
    /// Pages only: the last part of the page's address, ASCII (`about`, `duties`), so that a
    /// link survives being pasted anywhere.
    pub slug: Option<String>,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// News only.
    pub category: Option<String>,
    /// The division that owns the item; `None`: the agency's own.
    pub division_id: Option<DivisionId>,
    /// When the item becomes public once published (Unix seconds); a future time is a schedule.
    pub publish_at: i64,
    /// News only: shown first.
    pub pinned: bool,
}

impl Audited for ContentFields {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("kind", Some(self.kind.as_str().to_owned())),
            ("slug", self.slug.clone()),
            ("title", Some(self.title.clone())),
            ("body", Some(self.body.clone())),
            ("category", self.category.clone()),
            ("division_id", self.division_id.map(|d| d.to_string())),
            ("publish_at", Some(self.publish_at.to_string())),
            ("pinned", Some(self.pinned.to_string())),
        ]
    }
}

/// A stored item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub id: ContentId,
    pub agency_id: AgencyId,
    pub fields: ContentFields,
    /// Set by publishing, cleared by unpublishing. Public only when also `publish_at <= now`.
    pub published: bool,
    /// When it was first published: from then on a page's address is fixed.
    pub first_published_at: Option<i64>,
    /// The number of the latest version (1 for a new item).
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Content {
    /// Whether the public sees it at `now`.
    pub fn is_public(&self, now: i64) -> bool {
        self.published && self.fields.publish_at <= now
    }

    /// Published with a time still to come.
    pub fn is_scheduled(&self, now: i64) -> bool {
        self.published && self.fields.publish_at > now
    }

    /// The address of the public item under `/a/{slug}/`.
    pub fn public_path(&self) -> String {
        match (&self.fields.slug, self.fields.kind) {
            (Some(s), ContentKind::Page) => format!("p/{s}"),
            _ => format!("news/{}", self.id),
        }
    }
}

/// One saved version: who saved what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentVersion {
    pub id: ContentVersionId,
    pub content_id: ContentId,
    pub number: i64,
    pub title: String,
    pub body: String,
    pub slug: Option<String>,
    pub category: Option<String>,
    /// The saver's name as shown (the audit log keeps the account).
    pub by: String,
    pub at: i64,
    /// `create`, `update` or `restore`.
    pub action: String,
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub content_id: ContentId,
    pub file: StoredFile,
}

/// A published item as the search index takes it: title, text without markup, address, date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub title: String,
    pub text: String,
    /// The address under `/a/{slug}/` (`p/about`, `news/123`).
    pub path: String,
    pub published_at: i64,
}

/// The edit form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentInput {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub category: String,
    pub division_id: String,
    /// `YYYY-MM-DDTHH:MM` in Bangkok time (a `datetime-local` field); empty: now.
    pub publish_at: String,
    pub pinned: bool,
}

impl ContentInput {
    pub fn from_content(c: &Content) -> Self {
        let f = &c.fields;
        Self {
            kind: f.kind.as_str().to_owned(),
            slug: f.slug.clone().unwrap_or_default(),
            title: f.title.clone(),
            body: f.body.clone(),
            category: f.category.clone().unwrap_or_default(),
            division_id: f.division_id.map(|d| d.to_string()).unwrap_or_default(),
            publish_at: local_input(f.publish_at),
            pinned: f.pinned,
        }
    }

    /// Checks every field; `divisions` are the agency's, `now` is the default publication time.
    /// Division checks (which division the member may choose) are the service's.
    pub fn parse(&self, divisions: &[DivisionId], now: i64) -> Result<ContentFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = ContentKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("content_kind", ErrorCode::InvalidChoice);
        }
        let page = kind.is_some_and(ContentKind::is_page);
        let title = e.take("content_title", field::required(&self.title, TITLE_MAX));
        let body = e.take("body", field::optional_multiline(&self.body, BODY_MAX));
        let slug = if page {
            e.take("page_slug", parse_slug(&self.slug)).map(Some)
        } else {
            Some(None)
        };
        let category = if page {
            Some(None)
        } else {
            e.take("category", field::optional(&self.category, CATEGORY_MAX))
        };
        let division_id = match self.division_id.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>().map(DivisionId::from_raw) {
                Ok(d) if divisions.contains(&d) => Some(Some(d)),
                _ => {
                    e.add("division_id", ErrorCode::NotInAgency);
                    None
                }
            },
        };
        let publish_at = match self.publish_at.trim() {
            "" => Some(now),
            raw => e.take(
                "publish_at",
                parse_local_datetime(raw).ok_or(ErrorCode::InvalidDate),
            ),
        };
        match (kind, title, body, slug, category, division_id, publish_at) {
            (
                Some(kind),
                Some(title),
                Some(body),
                Some(slug),
                Some(category),
                Some(division_id),
                Some(publish_at),
            ) if e.is_empty() => Ok(ContentFields {
                kind,
                slug,
                title,
                body: body.unwrap_or_default(),
                category,
                division_id,
                publish_at,
                pinned: self.pinned && !page,
            }),
            _ => Err(e),
        }
    }
}

/// A page address: 2 to 60 of `a-z`, `0-9` and single inner hyphens. Upper case is lowered.
pub fn parse_slug(raw: &str) -> Result<String, ErrorCode> {
    let s = raw.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(ErrorCode::Required);
    }
    if s.chars().count() > SLUG_MAX {
        return Err(ErrorCode::TooLong { max: SLUG_MAX });
    }
    let ok = s.len() >= 2
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(s)
    } else {
        Err(ErrorCode::PageSlugInvalid)
    }
}

/// `YYYY-MM-DDTHH:MM` (or with a space, or `:SS`) in Bangkok time, as Unix seconds. A year
/// above 2400 is taken as the Buddhist Era.
pub fn parse_local_datetime(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (d, t) = raw.split_once(['T', ' ']).unwrap_or((raw, "00:00"));
    let mut dp = d.split('-');
    let (y, m, day) = (dp.next()?, dp.next()?, dp.next()?);
    if dp.next().is_some() {
        return None;
    }
    let mut y: i32 = y.parse().ok()?;
    if y > 2400 {
        y -= prongsai_thai::BE_OFFSET;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(y, month, day.parse().ok()?).ok()?;
    let mut tp = t.split(':');
    let h: u8 = tp.next()?.parse().ok()?;
    let min: u8 = tp.next()?.parse().ok()?;
    let s: u8 = tp.next().map_or(Some(0), |s| s.parse().ok())?;
    let time = Time::from_hms(h, min, s).ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(prongsai_thai::BANGKOK)
            .unix_timestamp(),
    )
}

/// Unix seconds as a `datetime-local` value in Bangkok time.
pub fn local_input(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(prongsai_thai::BANGKOK);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str) -> ContentInput {
        ContentInput {
            kind: kind.into(),
            slug: "about".into(),
            title: " ข้อมูลหน่วยงาน ".into(),
            body: "เนื้อหา\r\nบรรทัดสอง".into(),
            category: "ข่าวประชาสัมพันธ์".into(),
            division_id: String::new(),
            publish_at: String::new(),
            pinned: true,
        }
    }

    #[test]
    fn a_page_has_an_ascii_address_and_no_category_or_pin() {
        let f = input("page").parse(&[], 100).unwrap();
        assert_eq!(f.slug.as_deref(), Some("about"));
        assert_eq!(f.title, "ข้อมูลหน่วยงาน");
        assert_eq!(f.body, "เนื้อหา\nบรรทัดสอง");
        assert_eq!((f.category, f.pinned, f.publish_at), (None, false, 100));
        let f = input("news").parse(&[], 100).unwrap();
        assert_eq!(f.slug, None);
        assert_eq!(f.category.as_deref(), Some("ข่าวประชาสัมพันธ์"));
        assert!(f.pinned);
    }

    #[test]
    fn slugs() {
        let cases = [
            ("about", Ok("about")),
            (" About-Us ", Ok("about-us")),
            ("ita-2567", Ok("ita-2567")),
            ("", Err(ErrorCode::Required)),
            ("a", Err(ErrorCode::PageSlugInvalid)),
            ("ข้อมูล", Err(ErrorCode::PageSlugInvalid)),
            ("../etc", Err(ErrorCode::PageSlugInvalid)),
            ("a--b", Err(ErrorCode::PageSlugInvalid)),
            ("-a", Err(ErrorCode::PageSlugInvalid)),
            ("a b", Err(ErrorCode::PageSlugInvalid)),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_slug(raw), expected.map(str::to_owned), "{raw:?}");
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = ContentInput {
            kind: "page".into(),
            slug: "ไทย".into(),
            title: String::new(),
            division_id: "12".into(),
            publish_at: "31/13/2567".into(),
            ..ContentInput::default()
        };
        let e = bad.parse(&[DivisionId::from_raw(1)], 0).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            ["content_title", "page_slug", "division_id", "publish_at"]
        );
    }

    #[test]
    fn publication_times_are_bangkok_time_in_either_era() {
        // 2026-01-15 10:00 in Bangkok is 03:00 UTC.
        let at = 1_768_446_000;
        assert_eq!(parse_local_datetime("2026-01-15T10:00"), Some(at));
        assert_eq!(parse_local_datetime("2569-01-15 10:00"), Some(at));
        assert_eq!(parse_local_datetime("2026-01-15"), Some(at - 10 * 3600));
        assert_eq!(local_input(at), "2026-01-15T10:00");
        for bad in [
            "",
            "2026-02-30T10:00",
            "2026-01-15T25:00",
            "x",
            "2026-01-15T10",
        ] {
            assert_eq!(parse_local_datetime(bad), None, "{bad:?}");
        }
    }
}
