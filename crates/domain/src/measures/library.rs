//! The library of standard measures, held as data (`data/measure-library.toml`). A plan drafted
//! from the ITA analysis takes the measures of the weak indicators from here.

use serde::Deserialize;

use super::model::{ActionFields, MeasureFields};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    measure: Vec<LibraryMeasure>,
}

/// A standard measure and its actions.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LibraryMeasure {
    pub indicator: u8,
    pub title: String,
    pub actions: Vec<String>,
}

const LIBRARY: &str = include_str!("../../data/measure-library.toml");

/// Every standard measure, in file order. The file is checked by a test, so this never fails
/// in a released build; a broken edit gives an empty library and a logged error.
pub fn standard_measures() -> Vec<LibraryMeasure> {
    match toml::from_str::<LibraryFile>(LIBRARY) {
        Ok(f) => f.measure,
        Err(e) => {
            tracing::error!(error = %e, "the measure library is invalid");
            Vec::new()
        }
    }
}

/// The standard measures for the given indicators, as plan content: each action everyone's
/// responsibility until the coordinator assigns divisions, with no period yet.
pub fn measures_for(indicators: &[u8]) -> Vec<(MeasureFields, Vec<ActionFields>)> {
    standard_measures()
        .into_iter()
        .filter(|m| indicators.contains(&m.indicator))
        .map(|m| {
            let actions = m
                .actions
                .iter()
                .map(|text| ActionFields {
                    text: text.clone(),
                    all_divisions: true,
                    weight: 1,
                    ..Default::default()
                })
                .collect();
            let fields = MeasureFields {
                title: m.title,
                indicators: vec![m.indicator],
                oit_items: vec!["O42".into(), "O43".into()],
                weight: 1,
            };
            (fields, actions)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_covers_every_indicator() {
        let file: LibraryFile = toml::from_str(LIBRARY).expect("the library parses");
        for i in 1..=10u8 {
            assert!(
                file.measure.iter().any(|m| m.indicator == i),
                "no measure for indicator {i}"
            );
        }
        assert!(
            file.measure
                .iter()
                .all(|m| !m.actions.is_empty() && !m.title.is_empty())
        );
        assert!(
            !LIBRARY.contains("โคกสูง"),
            "the library must not name an agency"
        );
    }

    #[test]
    fn weak_indicators_pick_their_measures() {
        let picked = measures_for(&[2, 9]);
        let titles: Vec<&str> = picked.iter().map(|(m, _)| m.title.as_str()).collect();
        assert_eq!(titles, ["การใช้งบประมาณ", "การเปิดเผยข้อมูล"]);
        assert_eq!(picked[1].1.len(), 2);
    }
}
