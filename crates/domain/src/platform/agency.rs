//! Agencies: the tenants.

use crate::ids::{AgencyId, FileId};
use crate::validate::{ErrorCode, FieldErrors, field};

use super::audit::Audited;

/// The kind of agency. Local governments first; `Other` covers the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgencyKind {
    /// เทศบาลตำบล
    SubdistrictMunicipality,
    /// เทศบาลเมือง
    TownMunicipality,
    /// เทศบาลนคร
    CityMunicipality,
    /// องค์การบริหารส่วนตำบล (อบต.)
    SubdistrictAdministrativeOrganization,
    /// องค์การบริหารส่วนจังหวัด (อบจ.)
    ProvincialAdministrativeOrganization,
    /// Any other public agency.
    Other,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 6] = [
        Self::SubdistrictMunicipality,
        Self::TownMunicipality,
        Self::CityMunicipality,
        Self::SubdistrictAdministrativeOrganization,
        Self::ProvincialAdministrativeOrganization,
        Self::Other,
    ];

    /// The stored code, also the catalog key suffix (`agency-kind-<code>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SubdistrictMunicipality => "subdistrict-municipality",
            Self::TownMunicipality => "town-municipality",
            Self::CityMunicipality => "city-municipality",
            Self::SubdistrictAdministrativeOrganization => "sao",
            Self::ProvincialAdministrativeOrganization => "pao",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the political executive is a mayor (นายกเทศมนตรี) rather than a chief executive.
    pub fn is_municipality(self) -> bool {
        matches!(
            self,
            Self::SubdistrictMunicipality | Self::TownMunicipality | Self::CityMunicipality
        )
    }
}

/// A URL slug: `/a/{slug}/`. 2–40 characters of `a-z`, `0-9` and `-`, starting with a letter.
/// Slugs are stable once published, because agencies paste their URLs into ITAS.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    const RESERVED: [&'static str; 8] = [
        "admin", "new", "api", "static", "files", "platform", "account", "signin",
    ];

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(ErrorCode::Required);
        }
        let valid = (2..=40).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(ErrorCode::InvalidSlug);
        }
        if Self::RESERVED.contains(&s.as_str()) {
            return Err(ErrorCode::ReservedSlug);
        }
        Ok(Self(s))
    }

    /// Wraps a slug read back from storage.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The public profile of an agency: what the admin edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyProfile {
    /// The full Thai name, with its kind: "เทศบาลตำบลโนนหัน".
    pub name: String,
    pub name_en: Option<String>,
    pub kind: AgencyKind,
    pub province: String,
    pub district: String,
    pub subdistrict: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub facebook: Option<String>,
    pub line_id: Option<String>,
    pub office_hours: Option<String>,
    pub about: Option<String>,
    /// Whether every account of this agency must sign in with a second factor.
    pub require_totp: bool,
}

/// The profile form as typed.
#[derive(Debug, Clone, Default)]
pub struct AgencyProfileInput {
    pub name: String,
    pub name_en: String,
    pub kind: String,
    pub province: String,
    pub district: String,
    pub subdistrict: String,
    pub address: String,
    pub postcode: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub website: String,
    pub facebook: String,
    pub line_id: String,
    pub office_hours: String,
    pub about: String,
    pub require_totp: bool,
}

impl AgencyProfileInput {
    /// Parses the form. Every field is checked, and all errors come back together.
    pub fn parse(&self) -> Result<AgencyProfile, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", field::required(&self.name, 200));
        let name_en = e.take("name_en", field::optional(&self.name_en, 200));
        let kind = e.take(
            "kind",
            AgencyKind::parse(self.kind.trim()).ok_or(ErrorCode::InvalidChoice),
        );
        let province = e.take("province", field::required(&self.province, 100));
        let district = e.take("district", field::required(&self.district, 100));
        let subdistrict = e.take("subdistrict", field::optional(&self.subdistrict, 100));
        let address = e.take("address", field::optional_multiline(&self.address, 500));
        let postcode = e.take(
            "postcode",
            field::optional(&self.postcode, 5).and_then(|p| match p {
                Some(p) => {
                    let p = prongsai_thai::to_arabic_digits(&p);
                    if p.len() == 5 && p.chars().all(|c| c.is_ascii_digit()) {
                        Ok(Some(p))
                    } else {
                        Err(ErrorCode::InvalidNumber)
                    }
                }
                None => Ok(None),
            }),
        );
        let phone = e.take("phone", field::optional_phone(&self.phone));
        let fax = e.take("fax", field::optional_phone(&self.fax));
        let email = e.take("email", field::optional_email(&self.email));
        let website = e.take("website", field::optional_url(&self.website));
        let facebook = e.take("facebook", field::optional_url(&self.facebook));
        let line_id = e.take("line_id", field::optional(&self.line_id, 60));
        let office_hours = e.take("office_hours", field::optional(&self.office_hours, 200));
        let about = e.take("about", field::optional_multiline(&self.about, 4000));
        match (
            name,
            name_en,
            kind,
            province,
            district,
            subdistrict,
            address,
            postcode,
        ) {
            (
                Some(name),
                Some(name_en),
                Some(kind),
                Some(province),
                Some(district),
                Some(subdistrict),
                Some(address),
                Some(postcode),
            ) if e.is_empty() => Ok(AgencyProfile {
                name,
                name_en,
                kind,
                province,
                district,
                subdistrict,
                address,
                postcode,
                phone: phone.flatten(),
                fax: fax.flatten(),
                email: email.flatten(),
                website: website.flatten(),
                facebook: facebook.flatten(),
                line_id: line_id.flatten(),
                office_hours: office_hours.flatten(),
                about: about.flatten(),
                require_totp: self.require_totp,
            }),
            _ => Err(e),
        }
    }

    /// The form filled from a stored profile.
    pub fn from_profile(p: &AgencyProfile) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: p.name.clone(),
            name_en: s(&p.name_en),
            kind: p.kind.as_str().to_owned(),
            province: p.province.clone(),
            district: p.district.clone(),
            subdistrict: s(&p.subdistrict),
            address: s(&p.address),
            postcode: s(&p.postcode),
            phone: s(&p.phone),
            fax: s(&p.fax),
            email: s(&p.email),
            website: s(&p.website),
            facebook: s(&p.facebook),
            line_id: s(&p.line_id),
            office_hours: s(&p.office_hours),
            about: s(&p.about),
            require_totp: p.require_totp,
        }
    }
}

impl Audited for AgencyProfile {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("name", Some(self.name.clone())),
            ("name_en", self.name_en.clone()),
            ("kind", Some(self.kind.as_str().to_owned())),
            ("province", Some(self.province.clone())),
            ("district", Some(self.district.clone())),
            ("subdistrict", self.subdistrict.clone()),
            ("address", self.address.clone()),
            ("postcode", self.postcode.clone()),
            ("phone", self.phone.clone()),
            ("fax", self.fax.clone()),
            ("email", self.email.clone()),
            ("website", self.website.clone()),
            ("facebook", self.facebook.clone()),
            ("line_id", self.line_id.clone()),
            ("office_hours", self.office_hours.clone()),
            ("about", self.about.clone()),
            ("require_totp", Some(self.require_totp.to_string())),
        ]
    }
}

/// A stored agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: AgencyId,
    pub slug: Slug,
    pub profile: AgencyProfile,
    pub logo: Option<FileId>,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One line of the platform's list of agencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencySummary {
    pub id: AgencyId,
    pub slug: Slug,
    pub name: String,
    pub kind: AgencyKind,
    pub province: String,
    pub district: String,
    pub logo: Option<FileId>,
}

/// A new agency, as the platform operator creates it.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub id: AgencyId,
    pub slug: Slug,
    pub profile: AgencyProfile,
    pub is_demo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        let cases: &[(&str, Result<&str, ErrorCode>)] = &[
            ("nonhan", Ok("nonhan")),
            (" NonHan ", Ok("nonhan")),
            ("khon-kaen-2", Ok("khon-kaen-2")),
            ("", Err(ErrorCode::Required)),
            ("a", Err(ErrorCode::InvalidSlug)),
            ("2nonhan", Err(ErrorCode::InvalidSlug)),
            ("non han", Err(ErrorCode::InvalidSlug)),
            ("โนนหัน", Err(ErrorCode::InvalidSlug)),
            ("non--han", Err(ErrorCode::InvalidSlug)),
            ("nonhan-", Err(ErrorCode::InvalidSlug)),
            ("admin", Err(ErrorCode::ReservedSlug)),
        ];
        for (input, expected) in cases {
            let got = Slug::parse(input).map(|s| s.as_str().to_owned());
            assert_eq!(got, expected.clone().map(str::to_owned), "input {input:?}");
        }
    }

    fn valid_input() -> AgencyProfileInput {
        AgencyProfileInput {
            name: "เทศบาลตำบลโนนหัน".into(),
            kind: "subdistrict-municipality".into(),
            province: "ขอนแก่น".into(),
            district: "ชุมแพ".into(),
            postcode: "๔๐๑๓๐".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_profile_parses() {
        let p = valid_input().parse().unwrap();
        assert_eq!(p.kind, AgencyKind::SubdistrictMunicipality);
        assert_eq!(p.postcode.as_deref(), Some("40130"));
        assert_eq!(p.phone, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = AgencyProfileInput {
            name: " ".into(),
            kind: "castle".into(),
            email: "nope".into(),
            website: "ftp://x.th".into(),
            ..valid_input()
        };
        let errs = input.parse().unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "email", "website"]);
    }

    #[test]
    fn a_profile_survives_the_form_round_trip() {
        let p = valid_input().parse().unwrap();
        assert_eq!(AgencyProfileInput::from_profile(&p).parse().unwrap(), p);
    }
}
