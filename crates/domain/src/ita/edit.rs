//! Editing a framework file field by field, as the operator's forms do: the TOML text is changed
//! in place with `toml_edit`, so that comments, layout and the confidence tags of the values not
//! touched survive, and the result is validated again by [`framework::parse`].
//!
//! A field is named `table.key.field` or `table.key.field.index`, where the key is what
//! identifies an entry in the file: `grade.AA.min`, `instrument.IIT.points`,
//! `indicator.3.points`, `scale.four_level.values.1`, `question.I5.text_th`,
//! `question.I1.fields_th.0`, `oit_item.O2.evidence_th`, and `….confidence` / `….note` on each.
//! The same names are used by the forms and in the audit log's diff.

use std::collections::BTreeSet;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use super::framework::{self, Framework, FrameworkError, parse_hundredths};
use crate::platform::audit::Change;

/// Why a typed value was refused; the web layer says it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not a number with at most two decimals.
    NotANumber,
    /// A number above 100.
    AboveHundred,
    /// Not a whole number of people.
    NotACount,
    /// Not one of V, S, D, W, U.
    UnknownTag,
    /// A question tagged V, S or D needs its wording.
    TextRequired,
    /// When a question has field texts, every field needs one.
    FieldTextRequired,
    /// An OIT item needs its name.
    NameRequired,
    /// The OIT group does not exist.
    UnknownGroup,
    /// The form named a field that the framework does not have.
    UnknownField,
    /// An OIT item code is "O" and a number.
    BadItemCode,
    /// The OIT item code is already used.
    ItemCodeTaken,
}

impl Problem {
    /// A stable code: the catalog key is `fw-problem-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotANumber => "not-a-number",
            Self::AboveHundred => "above-hundred",
            Self::NotACount => "not-a-count",
            Self::UnknownTag => "unknown-tag",
            Self::TextRequired => "text-required",
            Self::FieldTextRequired => "field-text-required",
            Self::NameRequired => "name-required",
            Self::UnknownGroup => "unknown-group",
            Self::UnknownField => "unknown-field",
            Self::BadItemCode => "bad-item-code",
            Self::ItemCodeTaken => "item-code-taken",
        }
    }

    pub const ALL: [Self; 11] = [
        Self::NotANumber,
        Self::AboveHundred,
        Self::NotACount,
        Self::UnknownTag,
        Self::TextRequired,
        Self::FieldTextRequired,
        Self::NameRequired,
        Self::UnknownGroup,
        Self::UnknownField,
        Self::BadItemCode,
        Self::ItemCodeTaken,
    ];
}

/// A refused field: its name in the form and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

/// Which rule of the whole framework an edit broke, for a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The instruments' points do not add up to 100.
    InstrumentTotal,
    /// An instrument's indicators do not add up to its points.
    IndicatorTotal,
    /// The grade bands leave a gap, overlap, or do not reach 0 or 100.
    GradeBands,
    /// Any other rule of the file.
    Other,
}

impl Rule {
    /// A stable code: the catalog key is `fw-rule-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::InstrumentTotal => "instrument-total",
            Self::IndicatorTotal => "indicator-total",
            Self::GradeBands => "grade-bands",
            Self::Other => "other",
        }
    }

    pub const ALL: [Self; 4] = [
        Self::InstrumentTotal,
        Self::IndicatorTotal,
        Self::GradeBands,
        Self::Other,
    ];

    /// The rule a validation error is about, from its path.
    pub fn of(e: &FrameworkError) -> Self {
        if e.path == "instrument[*].points" {
            Self::InstrumentTotal
        } else if e.path == "indicator[*].points" {
            Self::IndicatorTotal
        } else if e.path.starts_with("grade") {
            Self::GradeBands
        } else {
            Self::Other
        }
    }
}

/// Why an edit was refused. Nothing is changed in either case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditRefused {
    /// Some typed values are not acceptable, each named.
    Fields(Vec<FieldProblem>),
    /// The values are acceptable one by one, but the framework they make breaks a rule.
    Rule(Rule, FrameworkError),
}

/// An accepted edit: the new text, the framework it makes, and what changed.
#[derive(Debug, Clone)]
pub struct Edited {
    pub text: String,
    pub framework: Framework,
    pub changes: Vec<Change>,
}

/// What kind of value a field holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Points or a value, 0–100 with at most two decimals.
    Number,
    Tag,
    /// Free text that may be empty.
    Text,
    /// An OIT item's name.
    Name,
    /// An OIT item's group.
    Group,
    /// A question's wording (checked against its tag).
    QuestionText,
    /// A question's field text.
    FieldText,
    /// A whole number of people (a sample bound).
    Count,
    /// A whole number of people, or empty for none.
    OptionalCount,
}

fn kind_of(table: &str, field: &str) -> Option<Kind> {
    Some(match (table, field) {
        (_, "confidence") => Kind::Tag,
        (_, "note") => Kind::Text,
        ("grade", "min" | "max") | ("instrument" | "indicator", "points") => Kind::Number,
        ("pass", "min_total" | "national_share") | ("sample", "percent") => Kind::Number,
        ("pass", "national_target") => Kind::Text,
        ("sample", "at_least") => Kind::Count,
        ("sample", "at_most") => Kind::OptionalCount,
        ("instrument" | "indicator" | "oit_group", "name_th") => Kind::Name,
        ("scale", "values") => Kind::Number,
        ("question", "text_th") => Kind::QuestionText,
        ("question", "fields_th") => Kind::FieldText,
        ("oit_item", "name_th") => Kind::Name,
        ("oit_item", "evidence_th") => Kind::Text,
        ("oit_item", "group") => Kind::Group,
        _ => return None,
    })
}

/// The field of an entry that a form field names.
struct Target<'n> {
    table: &'n str,
    key: &'n str,
    field: &'n str,
    index: Option<usize>,
}

fn target(name: &str) -> Option<Target<'_>> {
    // An OIT group's code has a dot of its own: `oit_group.9.1.name_th`.
    if let Some(rest) = name.strip_prefix("oit_group.") {
        let (key, field) = rest.rsplit_once('.')?;
        return Some(Target {
            table: "oit_group",
            key,
            field,
            index: None,
        });
    }
    let mut parts = name.split('.');
    let table = parts.next()?;
    let key = parts.next()?;
    let field = parts.next()?;
    let index = match parts.next() {
        Some(i) => Some(i.parse().ok()?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Target {
        table,
        key,
        field,
        index,
    })
}

/// The entry (a table) that `table` and `key` name.
fn entry<'d>(doc: &'d mut DocumentMut, table: &str, key: &str) -> Option<&'d mut Table> {
    let root = doc.as_table_mut();
    match table {
        // Tables of tables, by name: `[scale.agree5]`, `[sample.IIT]`.
        "scale" | "sample" => {
            return root
                .get_mut(table)?
                .as_table_mut()?
                .get_mut(key)?
                .as_table_mut();
        }
        // The one `[pass]` table.
        "pass" if key == PASS_KEY => return root.get_mut("pass")?.as_table_mut(),
        _ => {}
    }
    let key_field = match table {
        "grade" => "grade",
        "indicator" => "number",
        "instrument" | "question" | "oit_item" | "oit_group" => "code",
        _ => return None,
    };
    root.get_mut(table)?
        .as_array_of_tables_mut()?
        .iter_mut()
        .find(|t| match t.get(key_field).and_then(Item::as_value) {
            Some(Value::String(s)) => s.value().trim() == key,
            Some(Value::Integer(n)) => n.value().to_string() == key,
            _ => false,
        })
}

/// Replaces a value, keeping the spaces and comments around it.
fn replace(slot: &mut Value, new: &str) {
    let decor = slot.decor().clone();
    *slot = Value::from(new);
    *slot.decor_mut() = decor;
}

/// The key that names the one `[pass]` table in form fields: `pass.mark.min_total`.
pub const PASS_KEY: &str = "mark";

/// Sets a field of an entry (adding it if the file does not have it): a whole number for a
/// count, removed when an optional count is emptied, else a string.
fn set_kind(t: &mut Table, kind: Kind, field: &str, new: &str) {
    if matches!(kind, Kind::Count | Kind::OptionalCount) {
        match new.parse::<i64>() {
            Ok(n) => match t.get_mut(field).and_then(Item::as_value_mut) {
                Some(v) => {
                    let decor = v.decor().clone();
                    *v = Value::from(n);
                    *v.decor_mut() = decor;
                }
                None => {
                    t.insert(field, toml_edit::value(n));
                }
            },
            Err(_) => {
                t.remove(field);
            }
        }
        return;
    }
    set(t, field, new);
}

/// Sets a string field of an entry (adding it if the file does not have it).
fn set(t: &mut Table, field: &str, new: &str) {
    match t.get_mut(field).and_then(Item::as_value_mut) {
        Some(v) => replace(v, new),
        None => {
            t.insert(field, toml_edit::value(new));
        }
    }
}

fn text_of(t: &Table, field: &str, index: Option<usize>) -> Option<String> {
    let item = t.get(field)?;
    match index {
        None => item
            .as_str()
            .map(str::to_owned)
            .or_else(|| item.as_integer().map(|n| n.to_string())),
        Some(i) => item.as_array()?.get(i)?.as_str().map(str::to_owned),
    }
}

/// Normalises what was typed into the form for a kind of field, or says why it is refused.
fn normalise(kind: Kind, raw: &str) -> Result<String, Problem> {
    let s = raw.trim();
    match kind {
        Kind::Number => {
            let s = prongsai_thai::to_arabic_digits(s);
            let h = parse_hundredths(&s).ok_or(Problem::NotANumber)?;
            if h > 10_000 {
                return Err(Problem::AboveHundred);
            }
            Ok(s)
        }
        Kind::Tag => {
            let s = s.to_uppercase();
            if ["V", "S", "D", "W", "U"].contains(&s.as_str()) {
                Ok(s)
            } else {
                Err(Problem::UnknownTag)
            }
        }
        Kind::Name => {
            if s.is_empty() {
                Err(Problem::NameRequired)
            } else {
                Ok(s.to_owned())
            }
        }
        Kind::OptionalCount if s.is_empty() => Ok(String::new()),
        Kind::Count | Kind::OptionalCount => {
            let s = prongsai_thai::to_arabic_digits(s);
            match s.parse::<u32>() {
                Ok(n) if n <= 10_000_000 => Ok(n.to_string()),
                _ => Err(Problem::NotACount),
            }
        }
        // Text from a textarea: line ends as the file writes them.
        _ => Ok(s.replace("\r\n", "\n")),
    }
}

/// Whether two values of a kind are the same ("6" and "6.00" are).
fn same(kind: Kind, old: &str, new: &str) -> bool {
    if kind == Kind::Number
        && let (Some(a), Some(b)) = (parse_hundredths(old), parse_hundredths(new))
    {
        return a == b;
    }
    old.trim() == new.trim()
}

/// Applies the typed values of a form to a framework text. `edits` may hold fields that did not
/// change (the whole form is sent) and fields that are not framework fields (`csrf`,
/// `version`): only names of the form `table.key.field[.index]` are read, and only the values
/// that differ are written.
pub fn apply(file: &str, text: &str, edits: &[(String, String)]) -> Result<Edited, EditRefused> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        EditRefused::Rule(
            Rule::Other,
            FrameworkError {
                file: file.to_owned(),
                path: "(file)".into(),
                reason: e.message().to_owned(),
            },
        )
    })?;
    let groups: BTreeSet<String> = doc
        .get("oit_group")
        .and_then(Item::as_array_of_tables)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("code").and_then(Item::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    // Field texts of questions, gathered so that a question's array is written once.
    let mut field_texts: Vec<(String, usize, String)> = Vec::new();
    // Questions whose wording or tag changed, checked together at the end.
    let mut questions: BTreeSet<String> = BTreeSet::new();
    let mut refuse = |field: &str, problem: Problem| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            problem,
        });
    };
    for (name, raw) in edits {
        let Some(at) = target(name) else { continue };
        let Some(kind) = kind_of(at.table, at.field) else {
            refuse(name, Problem::UnknownField);
            continue;
        };
        let indexed = matches!((at.table, at.field), ("scale", "values") | (_, "fields_th"));
        if indexed != at.index.is_some() {
            refuse(name, Problem::UnknownField);
            continue;
        }
        let new = match normalise(kind, raw) {
            Ok(v) => v,
            Err(p) => {
                refuse(name, p);
                continue;
            }
        };
        if kind == Kind::Group && !groups.contains(&new) {
            refuse(name, Problem::UnknownGroup);
            continue;
        }
        let Some(t) = entry(&mut doc, at.table, at.key) else {
            refuse(name, Problem::UnknownField);
            continue;
        };
        if at.table == "question" && matches!(kind, Kind::QuestionText | Kind::Tag) {
            questions.insert(at.key.to_owned());
        }
        if kind == Kind::FieldText {
            field_texts.push((at.key.to_owned(), at.index.unwrap_or(0), new));
            questions.insert(at.key.to_owned());
            continue;
        }
        let old = text_of(t, at.field, at.index);
        if same(kind, old.as_deref().unwrap_or(""), &new) {
            continue;
        }
        match at.index {
            None => set_kind(t, kind, at.field, &new),
            Some(i) => {
                let Some(slot) = t
                    .get_mut(at.field)
                    .and_then(Item::as_array_mut)
                    .and_then(|a| a.get_mut(i))
                else {
                    refuse(name, Problem::UnknownField);
                    continue;
                };
                replace(slot, &new);
            }
        }
        changes.push(Change {
            field: name.clone(),
            old: Some(old.unwrap_or_default()),
            new: Some(new),
        });
    }

    // Field texts: all or none, as many as the question has fields.
    let mut by_question: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (q, i, v) in field_texts {
        match by_question.iter_mut().find(|(k, _)| *k == q) {
            Some((_, list)) => list.push((i, v)),
            None => by_question.push((q, vec![(i, v)])),
        }
    }
    for (q, typed) in by_question {
        let Some(t) = entry(&mut doc, "question", &q) else {
            continue;
        };
        let fields = t
            .get("fields")
            .and_then(Item::as_integer)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        let old: Vec<String> = (0..fields)
            .map(|i| text_of(t, "fields_th", Some(i)).unwrap_or_default())
            .collect();
        let mut new = old.clone();
        let mut bad_index = false;
        for (i, v) in &typed {
            match new.get_mut(*i) {
                Some(slot) => slot.clone_from(v),
                None => bad_index = true,
            }
        }
        if bad_index {
            refuse(&format!("question.{q}.fields_th"), Problem::UnknownField);
            continue;
        }
        if new == old {
            continue;
        }
        if new.iter().any(|v| !v.is_empty()) {
            let mut missing = false;
            for (i, v) in new.iter().enumerate() {
                if v.is_empty() {
                    refuse(
                        &format!("question.{q}.fields_th.{i}"),
                        Problem::FieldTextRequired,
                    );
                    missing = true;
                }
            }
            if missing {
                continue;
            }
            let mut array = Array::from_iter(new.iter().map(String::as_str));
            if let Some(old) = t.get("fields_th").and_then(Item::as_value) {
                *array.decor_mut() = old.decor().clone();
            }
            t.insert("fields_th", Item::Value(Value::Array(array)));
        } else {
            t.remove("fields_th");
        }
        for (i, (o, n)) in old.iter().zip(&new).enumerate() {
            if o != n {
                changes.push(Change {
                    field: format!("question.{q}.fields_th.{i}"),
                    old: Some(o.clone()),
                    new: Some(n.clone()),
                });
            }
        }
    }

    // A question tagged V, S or D has its wording.
    for q in questions {
        let Some(t) = entry(&mut doc, "question", &q) else {
            continue;
        };
        let confirmed = matches!(
            t.get("confidence").and_then(Item::as_str),
            Some("V" | "S" | "D")
        );
        if confirmed && text_of(t, "text_th", None).unwrap_or_default().is_empty() {
            refuse(&format!("question.{q}.text_th"), Problem::TextRequired);
        }
    }

    if !problems.is_empty() {
        return Err(EditRefused::Fields(problems));
    }
    let text = doc.to_string();
    let framework =
        framework::parse(file, &text).map_err(|e| EditRefused::Rule(Rule::of(&e), e))?;
    Ok(Edited {
        text,
        framework,
        changes,
    })
}

/// A new OIT item, as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewOitItem {
    pub code: String,
    pub group: String,
    pub name_th: String,
}

impl NewOitItem {
    /// The form field names of the three values.
    pub const CODE: &'static str = "new_item.code";
    pub const GROUP: &'static str = "new_item.group";
    pub const NAME: &'static str = "new_item.name_th";
}

/// Adds an OIT item to a group: a new `[[oit_item]]` right after the group's last item, tagged
/// U (an assumption) until the operator confirms it.
pub fn add_oit_item(file: &str, text: &str, item: &NewOitItem) -> Result<Edited, EditRefused> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        EditRefused::Rule(
            Rule::Other,
            FrameworkError {
                file: file.to_owned(),
                path: "(file)".into(),
                reason: e.message().to_owned(),
            },
        )
    })?;
    let code = prongsai_thai::to_arabic_digits(item.code.trim()).to_uppercase();
    let group = item.group.trim().to_owned();
    let name = item.name_th.trim().to_owned();
    let mut problems = Vec::new();
    let mut refuse = |field: &str, problem: Problem| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            problem,
        });
    };
    let number_ok = code
        .strip_prefix('O')
        .is_some_and(|n| !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()));
    if !number_ok {
        refuse(NewOitItem::CODE, Problem::BadItemCode);
    }
    let root = doc.as_table_mut();
    let groups_known = root
        .get("oit_group")
        .and_then(Item::as_array_of_tables)
        .is_some_and(|a| {
            a.iter()
                .any(|t| t.get("code").and_then(Item::as_str) == Some(group.as_str()))
        });
    if !groups_known {
        refuse(NewOitItem::GROUP, Problem::UnknownGroup);
    }
    if name.is_empty() {
        refuse(NewOitItem::NAME, Problem::NameRequired);
    }
    let Some(items) = root
        .get_mut("oit_item")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Err(EditRefused::Fields(vec![FieldProblem {
            field: NewOitItem::GROUP.into(),
            problem: Problem::UnknownGroup,
        }]));
    };
    if number_ok
        && items
            .iter()
            .any(|t| t.get("code").and_then(Item::as_str).map(str::trim) == Some(code.as_str()))
    {
        refuse(NewOitItem::CODE, Problem::ItemCodeTaken);
    }
    if !problems.is_empty() {
        return Err(EditRefused::Fields(problems));
    }
    let after = items
        .iter()
        .enumerate()
        .filter(|(_, t)| t.get("group").and_then(Item::as_str) == Some(group.as_str()))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(items.len());
    let mut t = Table::new();
    t.insert("code", toml_edit::value(code.as_str()));
    t.insert("group", toml_edit::value(group.as_str()));
    t.insert("name_th", toml_edit::value(name.as_str()));
    t.insert("confidence", toml_edit::value("U"));
    items.insert(after, t);
    let text = doc.to_string();
    let framework =
        framework::parse(file, &text).map_err(|e| EditRefused::Rule(Rule::of(&e), e))?;
    let changes = [
        ("group", group),
        ("name_th", name),
        ("confidence", "U".into()),
    ]
    .into_iter()
    .map(|(field, v)| Change {
        field: format!("oit_item.{code}.{field}"),
        old: None,
        new: Some(v),
    })
    .collect();
    Ok(Edited {
        text,
        framework,
        changes,
    })
}

/// The text of a framework copied to another fiscal year: `fiscal_year`, the year at the end of
/// `id` and the year in the header comment are changed; everything else is kept, comments and
/// tags included. `None` if the text is not a framework file.
pub fn copy_to_year(text: &str, to: i32) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    let from = doc.get("fiscal_year")?.as_integer()?;
    let root = doc.as_table_mut();
    if let Some(v) = root.get_mut("fiscal_year").and_then(Item::as_value_mut) {
        let decor = v.decor().clone();
        *v = Value::from(i64::from(to));
        *v.decor_mut() = decor;
    }
    if let Some(v) = root.get_mut("id").and_then(Item::as_value_mut)
        && let Some(id) = v.as_str()
        && let Some(stem) = id.strip_suffix(&from.to_string())
    {
        let id = format!("{stem}{to}");
        replace(v, &id);
    }
    let out = doc.to_string();
    // The header comment names the year ("The ITA framework of fiscal year 2567").
    Some(out.replacen(
        &format!("fiscal year {from},"),
        &format!("fiscal year {to},"),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ita::framework::{BUILT_IN, InstrumentCode};

    fn shipped() -> &'static str {
        BUILT_IN[1].1
    }

    fn edit(pairs: &[(&str, &str)]) -> Result<Edited, EditRefused> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        apply("ita-2567.toml", shipped(), &pairs)
    }

    fn field_problems(r: Result<Edited, EditRefused>) -> Vec<(String, Problem)> {
        match r {
            Err(EditRefused::Fields(p)) => p.into_iter().map(|p| (p.field, p.problem)).collect(),
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn an_edit_changes_only_its_values_and_keeps_comments_and_tags() {
        let e = edit(&[
            ("csrf", "x"),
            ("question.I5.text_th", "  ข้อความคำถาม  "),
            ("scale.four_level.values.1", "35"),
            ("scale.four_level.values.2", "๗๐"),
            ("scale.four_level.values.3", "100.00"),
            ("scale.four_level.confidence", "s"),
            ("indicator.1.points", "6.00"),
        ])
        .unwrap();
        let fields: Vec<(&str, &str, &str)> = e
            .changes
            .iter()
            .map(|c| {
                (
                    c.field.as_str(),
                    c.old.as_deref().unwrap(),
                    c.new.as_deref().unwrap(),
                )
            })
            .collect();
        let drafted = crate::ita::framework::built_in(2567)
            .unwrap()
            .unwrap()
            .questions
            .into_iter()
            .find(|q| q.code == "I5")
            .unwrap()
            .text_th;
        assert_eq!(
            fields,
            vec![
                ("question.I5.text_th", drafted.as_str(), "ข้อความคำถาม"),
                ("scale.four_level.values.1", "33", "35"),
                ("scale.four_level.values.2", "67", "70"),
                ("scale.four_level.confidence", "U", "S"),
            ],
            "unchanged values (100 = 100.00, 6 = 6.00) are not changes"
        );
        let q = e
            .framework
            .questions
            .iter()
            .find(|q| q.code == "I5")
            .unwrap();
        assert_eq!(q.text_th, "ข้อความคำถาม");
        assert_eq!(
            e.framework.scales["four_level"].values,
            vec![0, 3500, 7000, 10_000]
        );
        assert!(
            e.text
                .starts_with("# The ITA framework of fiscal year 2567")
        );
        assert!(e.text.contains("# Every value carries a confidence tag:"));
        assert!(
            e.text
                .contains("values = [\"0\", \"35\", \"70\", \"100\"]\n")
        );
        assert!(e.text.contains("text_th = \"ข้อความคำถาม\"\n"));
        assert_eq!(
            e.text.lines().count(),
            shipped().lines().count(),
            "every value changed in place"
        );
    }

    #[test]
    fn the_pass_mark_names_and_sample_rules_are_edited_in_place() {
        let e = edit(&[
            ("pass.mark.min_total", "86"),
            ("pass.mark.national_share", "๘๕"),
            (
                "instrument.OIT.name_th",
                "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (แก้ไข)",
            ),
            ("indicator.9.name_th", "การเปิดเผยข้อมูล (แก้ไข)"),
            ("oit_group.9.1.name_th", "ข้อมูลพื้นฐาน (แก้ไข)"),
            ("sample.EIT.percent", "12.5"),
            ("sample.EIT.at_least", "๔๐"),
            ("sample.IIT.at_most", "250"),
        ])
        .unwrap();
        let f = &e.framework;
        assert_eq!(f.pass_mark, 8_600);
        assert_eq!(f.national_share, Some(8_500));
        let oit = f.instruments.iter().find(|i| i.code.as_str() == "OIT");
        assert_eq!(oit.unwrap().name_th, "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (แก้ไข)");
        let nine = f.indicators.iter().find(|i| i.number == 9).unwrap();
        assert_eq!(nine.name_th, "การเปิดเผยข้อมูล (แก้ไข)");
        assert_eq!(f.oit_groups[0].name_th, "ข้อมูลพื้นฐาน (แก้ไข)");
        let eit = &f.samples[&InstrumentCode::EIT];
        assert_eq!((eit.percent, eit.at_least), (1_250, 40));
        assert_eq!(f.samples[&InstrumentCode::IIT].at_most, Some(250));
        assert!(e.text.contains("at_least = 40\n"), "a count stays a number");
        assert_eq!(e.changes.len(), 8);
        // Emptying an optional bound removes it; a count must be a whole number.
        let back = apply(
            "ita-2567.toml",
            &e.text,
            &[("sample.IIT.at_most".into(), " ".into())],
        )
        .unwrap();
        assert_eq!(back.framework.samples[&InstrumentCode::IIT].at_most, None);
        assert_eq!(
            field_problems(edit(&[
                ("sample.IIT.at_least", "-3"),
                ("sample.IIT.at_most", "2.5"),
                ("instrument.IIT.name_th", " "),
                ("pass.other.min_total", "85"),
            ])),
            vec![
                ("sample.IIT.at_least".into(), Problem::NotACount),
                ("sample.IIT.at_most".into(), Problem::NotACount),
                ("instrument.IIT.name_th".into(), Problem::NameRequired),
                ("pass.other.min_total".into(), Problem::UnknownField),
            ]
        );
    }

    #[test]
    fn field_texts_are_all_or_none() {
        let p = field_problems(edit(&[
            ("question.I5.fields_th.0", "หนึ่ง"),
            ("question.I5.fields_th.1", ""),
            ("question.I5.fields_th.2", "สาม"),
        ]));
        assert_eq!(
            p,
            vec![("question.I5.fields_th.1".into(), Problem::FieldTextRequired)]
        );
        let e = edit(&[
            ("question.I5.fields_th.0", "หนึ่ง"),
            ("question.I5.fields_th.1", "สอง"),
            ("question.I5.fields_th.2", "สาม"),
        ])
        .unwrap();
        let q = e
            .framework
            .questions
            .iter()
            .find(|q| q.code == "I5")
            .unwrap();
        assert_eq!(q.fields_th, vec!["หนึ่ง", "สอง", "สาม"]);
        assert_eq!(e.changes.len(), 3);
    }

    #[test]
    fn text_from_a_textarea_keeps_its_lines_with_unix_line_ends() {
        let e = edit(&[("oit_item.O4.evidence_th", "บรรทัดแรก\r\nบรรทัดสอง \"ก\"")]).unwrap();
        let o4 = e
            .framework
            .oit_items
            .iter()
            .find(|i| i.code == "O4")
            .unwrap();
        assert_eq!(o4.evidence_th, "บรรทัดแรก\nบรรทัดสอง \"ก\"");
    }

    #[test]
    fn bad_values_are_refused_each_by_its_field() {
        let p = field_problems(edit(&[
            ("scale.four_level.values.1", "สามสิบ"),
            ("scale.four_level.values.2", "101"),
            ("indicator.2.points", "6.005"),
            ("oit_item.O1.confidence", "X"),
            ("oit_item.O2.name_th", "  "),
            ("oit_item.O3.group", "9.9"),
            ("question.I1.text_th", ""),
            ("question.I99.text_th", "x"),
            ("question.I1.secret", "x"),
        ]));
        assert_eq!(
            p,
            vec![
                ("scale.four_level.values.1".into(), Problem::NotANumber),
                ("scale.four_level.values.2".into(), Problem::AboveHundred),
                ("indicator.2.points".into(), Problem::NotANumber),
                ("oit_item.O1.confidence".into(), Problem::UnknownTag),
                ("oit_item.O2.name_th".into(), Problem::NameRequired),
                ("oit_item.O3.group".into(), Problem::UnknownGroup),
                ("question.I99.text_th".into(), Problem::UnknownField),
                ("question.I1.secret".into(), Problem::UnknownField),
                ("question.I1.text_th".into(), Problem::TextRequired),
            ]
        );
        // Wording may be dropped from a question that is marked unknown at the same time.
        edit(&[("question.I1.text_th", ""), ("question.I1.confidence", "U")]).unwrap();
    }

    #[test]
    fn an_edit_that_breaks_a_rule_of_the_framework_is_refused_with_the_rule() {
        let rule = |r: Result<Edited, EditRefused>| match r {
            Err(EditRefused::Rule(rule, e)) => (rule, e.path),
            other => panic!("expected a rule, got {other:?}"),
        };
        assert_eq!(
            rule(edit(&[("instrument.EIT.points", "35")])),
            (Rule::InstrumentTotal, "instrument[*].points".into())
        );
        assert_eq!(
            rule(edit(&[("indicator.1.points", "7")])),
            (Rule::IndicatorTotal, "indicator[*].points".into())
        );
        assert_eq!(
            rule(edit(&[("grade.B.min", "76")])).0,
            Rule::GradeBands,
            "a gap between B and C"
        );
        // Moving a point from one indicator to another keeps the totals.
        let e = edit(&[("indicator.1.points", "7"), ("indicator.2.points", "5")]).unwrap();
        assert_eq!(e.framework.indicators[0].points, 700);
    }

    #[test]
    fn a_new_oit_item_goes_after_the_last_item_of_its_group() {
        let new = |code: &str, group: &str, name: &str| NewOitItem {
            code: code.into(),
            group: group.into(),
            name_th: name.into(),
        };
        let e = add_oit_item("x.toml", shipped(), &new(" o44 ", "9.3", "ข้อใหม่")).unwrap();
        let codes: Vec<&str> = e
            .framework
            .oit_items
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(codes[18..23], ["O19", "O20", "O21", "O22", "O44"]);
        let o44 = &e.framework.oit_items[22];
        assert_eq!((o44.group.as_str(), o44.confidence), ("9.3", fw_u()));
        assert!(e.text.contains("code = \"O22\""));
        let pos = |s: &str| e.text.find(s).unwrap();
        assert!(
            pos("code = \"O22\"") < pos("code = \"O44\"")
                && pos("code = \"O44\"") < pos("code = \"O23\"")
        );
        assert_eq!(e.changes.len(), 3);
        assert_eq!(e.changes[0].field, "oit_item.O44.group");

        let refused = |item: NewOitItem| match add_oit_item("x.toml", shipped(), &item) {
            Err(EditRefused::Fields(p)) => p
                .into_iter()
                .map(|p| (p.field, p.problem))
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(new("X1", "9.9", " ")),
            vec![
                (NewOitItem::CODE.into(), Problem::BadItemCode),
                (NewOitItem::GROUP.into(), Problem::UnknownGroup),
                (NewOitItem::NAME.into(), Problem::NameRequired),
            ]
        );
        assert_eq!(
            refused(new("O12", "9.1", "ซ้ำ")),
            vec![(NewOitItem::CODE.into(), Problem::ItemCodeTaken)]
        );
    }

    fn fw_u() -> framework::Confidence {
        framework::Confidence::U
    }

    #[test]
    fn a_copy_gets_the_new_year_and_keeps_the_rest() {
        let text = copy_to_year(shipped(), 2568).unwrap();
        let f = framework::parse("x.toml", &text).unwrap();
        assert_eq!(f.fiscal_year, 2568);
        assert_eq!(f.id, "nacc-ita-2568");
        assert!(text.starts_with("# The ITA framework of fiscal year 2568,"));
        let old = framework::parse("x.toml", shipped()).unwrap();
        assert_eq!(f.questions, old.questions);
        assert_eq!(f.oit_items, old.oit_items);
        assert!(copy_to_year("not = [toml", 2568).is_none());
    }
}
