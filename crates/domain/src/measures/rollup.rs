//! Progress rolls up by weight: from actions to their measure, from measures to the plan.
//! Cancelled actions are left out. Percentages are whole numbers, rounded half up.

use super::model::{Action, ActionStatus, Measure};

/// A weighted mean of `(weight, percent)` pairs, rounded half up; `None` when nothing counts.
pub fn weighted(items: impl IntoIterator<Item = (i32, i32)>) -> Option<i32> {
    let (mut sum, mut weights) = (0i64, 0i64);
    for (w, p) in items {
        let w = i64::from(w.max(0));
        sum += w * i64::from(p.clamp(0, 100));
        weights += w;
    }
    if weights == 0 {
        return None;
    }
    i32::try_from((2 * sum + weights) / (2 * weights)).ok()
}

/// A measure's progress: its actions' percentages weighted by their weights.
pub fn measure_percent(actions: &[&Action]) -> Option<i32> {
    weighted(
        actions
            .iter()
            .filter(|a| a.status != ActionStatus::Cancelled)
            .map(|a| (a.fields.weight, a.percent)),
    )
}

/// The plan's progress: each measure's progress weighted by the measure's weight.
pub fn plan_percent(measures: &[Measure], actions: &[Action]) -> Option<i32> {
    weighted(measures.iter().filter_map(|m| {
        let own: Vec<&Action> = actions.iter().filter(|a| a.measure_id == m.id).collect();
        measure_percent(&own).map(|p| (m.fields.weight, p))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(items: &[(i32, i32)], expected: Option<i32>) {
        assert_eq!(weighted(items.iter().copied()), expected, "{items:?}");
    }

    #[test]
    fn weighted_means_round_half_up() {
        check(&[], None);
        check(&[(0, 100)], None);
        check(&[(1, 100), (1, 0)], Some(50));
        check(&[(1, 100), (2, 0)], Some(33));
        check(&[(2, 100), (1, 0)], Some(67));
        check(&[(1, 50), (1, 51)], Some(51));
        check(&[(3, 100), (1, 50)], Some(88));
        check(&[(1, 150), (1, -20)], Some(50));
    }
}
