//! The staff directory: people, their positions and divisions, and the executives.

use crate::ids::{AgencyId, DivisionId, FileId, PersonId};
use crate::validate::{ErrorCode, FieldErrors, field};

use super::audit::Audited;

/// The two sides of a local government's leadership. OIT items O1 and O2 ask for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecutiveSide {
    /// ฝ่ายการเมือง: the elected mayor or chief executive, deputies, secretaries and advisers.
    Political,
    /// ฝ่ายประจำ: the municipal clerk (ปลัด), deputies, and heads of divisions.
    Permanent,
}

impl ExecutiveSide {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Political => "political",
            Self::Permanent => "permanent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "political" => Some(Self::Political),
            "permanent" => Some(Self::Permanent),
            _ => None,
        }
    }
}

/// A person in the staff directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub agency_id: AgencyId,
    pub fields: PersonFields,
    pub photo: Option<FileId>,
}

/// What an admin edits about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    /// Full name with title: "นายสมชาย ใจดี".
    pub name: String,
    /// "ผู้อำนวยการกองคลัง".
    pub position: String,
    pub division_id: Option<DivisionId>,
    /// Set for executives; they appear on the public structure, by side.
    pub executive: Option<ExecutiveSide>,
    /// Whether this person heads their division.
    pub is_division_head: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Position in lists; lower comes first.
    pub sort_order: i64,
}

/// The person form as typed.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub position: String,
    pub division_id: String,
    pub executive: String,
    pub is_division_head: bool,
    pub phone: String,
    pub email: String,
    pub sort_order: String,
}

impl PersonInput {
    /// Parses the form. `division_exists` tells whether a division id belongs to the agency.
    pub fn parse(
        &self,
        division_exists: impl Fn(DivisionId) -> bool,
    ) -> Result<PersonFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", field::required(&self.name, 150));
        let position = e.take("position", field::required(&self.position, 200));
        let division_id = e.take(
            "division_id",
            match self.division_id.trim() {
                "" => Ok(None),
                raw => raw
                    .parse::<DivisionId>()
                    .ok()
                    .filter(|d| division_exists(*d))
                    .map(Some)
                    .ok_or(ErrorCode::InvalidChoice),
            },
        );
        let executive = e.take(
            "executive",
            match self.executive.trim() {
                "" | "none" => Ok(None),
                raw => ExecutiveSide::parse(raw)
                    .map(Some)
                    .ok_or(ErrorCode::InvalidChoice),
            },
        );
        if self.is_division_head && matches!(division_id, Some(None)) {
            e.add("is_division_head", ErrorCode::DivisionRequired);
        }
        let phone = e.take("phone", field::optional_phone(&self.phone));
        let email = e.take("email", field::optional_email(&self.email));
        let sort_order = e.take("sort_order", field::int_or(&self.sort_order, 100, 0..=9999));
        match (
            name,
            position,
            division_id,
            executive,
            phone,
            email,
            sort_order,
        ) {
            (
                Some(name),
                Some(position),
                Some(division_id),
                Some(executive),
                Some(phone),
                Some(email),
                Some(sort_order),
            ) if e.is_empty() => Ok(PersonFields {
                name,
                position,
                division_id,
                executive,
                is_division_head: self.is_division_head,
                phone,
                email,
                sort_order,
            }),
            _ => Err(e),
        }
    }

    pub fn from_fields(f: &PersonFields) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: f.name.clone(),
            position: f.position.clone(),
            division_id: f.division_id.map(|d| d.to_string()).unwrap_or_default(),
            executive: f
                .executive
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            is_division_head: f.is_division_head,
            phone: s(&f.phone),
            email: s(&f.email),
            sort_order: f.sort_order.to_string(),
        }
    }
}

impl Audited for PersonFields {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("name", Some(self.name.clone())),
            ("position", Some(self.position.clone())),
            ("division_id", self.division_id.map(|d| d.to_string())),
            ("executive", self.executive.map(|x| x.as_str().to_owned())),
            ("is_division_head", Some(self.is_division_head.to_string())),
            ("phone", self.phone.clone()),
            ("email", self.email.clone()),
            ("sort_order", Some(self.sort_order.to_string())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PersonInput {
        PersonInput {
            name: "นายสมชาย ใจดี".into(),
            position: "ปลัดเทศบาล".into(),
            executive: "permanent".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_person_of_another_agency_division_is_refused() {
        let mut i = input();
        i.division_id = "42".into();
        let err = i.parse(|_| false).unwrap_err();
        assert_eq!(err.get("division_id"), Some(&ErrorCode::InvalidChoice));
        let ok = i.parse(|d| d.get() == 42).unwrap();
        assert_eq!(ok.division_id, Some(DivisionId::from_raw(42)));
    }

    #[test]
    fn a_division_head_needs_a_division() {
        let mut i = input();
        i.is_division_head = true;
        let err = i.parse(|_| true).unwrap_err();
        assert_eq!(
            err.get("is_division_head"),
            Some(&ErrorCode::DivisionRequired)
        );
    }

    #[test]
    fn an_unknown_side_is_refused() {
        let mut i = input();
        i.executive = "royal".into();
        assert_eq!(
            i.parse(|_| true).unwrap_err().get("executive"),
            Some(&ErrorCode::InvalidChoice)
        );
    }
}
