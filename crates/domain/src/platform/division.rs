//! Divisions (ส่วนราชการ): สำนักปลัด, กองคลัง, กองช่าง, …

use crate::ids::{AgencyId, DivisionId};
use crate::validate::{FieldErrors, field};

use super::audit::Audited;

/// A division of an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub id: DivisionId,
    pub agency_id: AgencyId,
    pub fields: DivisionFields,
}

/// What an admin edits about a division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionFields {
    /// "สำนักปลัดเทศบาล", "กองคลัง".
    pub name: String,
    /// The short form used in tables: "สำนักปลัดฯ".
    pub short_name: Option<String>,
    pub name_en: Option<String>,
    /// A one-line description of its duties.
    pub duties: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Position in lists and on the structure chart; lower comes first.
    pub sort_order: i64,
}

/// The division form as typed.
#[derive(Debug, Clone, Default)]
pub struct DivisionInput {
    pub name: String,
    pub short_name: String,
    pub name_en: String,
    pub duties: String,
    pub phone: String,
    pub email: String,
    pub sort_order: String,
}

impl DivisionInput {
    pub fn parse(&self) -> Result<DivisionFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", field::required(&self.name, 150));
        let short_name = e.take("short_name", field::optional(&self.short_name, 60));
        let name_en = e.take("name_en", field::optional(&self.name_en, 150));
        let duties = e.take("duties", field::optional_multiline(&self.duties, 2000));
        let phone = e.take("phone", field::optional_phone(&self.phone));
        let email = e.take("email", field::optional_email(&self.email));
        let sort_order = e.take("sort_order", field::int_or(&self.sort_order, 100, 0..=9999));
        match (name, short_name, name_en, duties, phone, email, sort_order) {
            (
                Some(name),
                Some(short_name),
                Some(name_en),
                Some(duties),
                Some(phone),
                Some(email),
                Some(sort_order),
            ) => Ok(DivisionFields {
                name,
                short_name,
                name_en,
                duties,
                phone,
                email,
                sort_order,
            }),
            _ => Err(e),
        }
    }

    pub fn from_fields(f: &DivisionFields) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: f.name.clone(),
            short_name: s(&f.short_name),
            name_en: s(&f.name_en),
            duties: s(&f.duties),
            phone: s(&f.phone),
            email: s(&f.email),
            sort_order: f.sort_order.to_string(),
        }
    }
}

impl Audited for DivisionFields {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("name", Some(self.name.clone())),
            ("short_name", self.short_name.clone()),
            ("name_en", self.name_en.clone()),
            ("duties", self.duties.clone()),
            ("phone", self.phone.clone()),
            ("email", self.email.clone()),
            ("sort_order", Some(self.sort_order.to_string())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn a_division_needs_a_name_and_a_sane_order() {
        let ok = DivisionInput {
            name: " กองคลัง ".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.name, "กองคลัง");
        assert_eq!(ok.sort_order, 100);
        let bad = DivisionInput {
            sort_order: "-1".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(bad.get("name"), Some(&ErrorCode::Required));
        assert_eq!(bad.get("sort_order"), Some(&ErrorCode::InvalidNumber));
    }
}
