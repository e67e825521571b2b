//! Published statistics of cases for one Thai fiscal year: monthly, quarterly and yearly
//! counts by kind, channel and state, and the time to resolution. Made of clear fields only;
//! a count from 1 to 4 is suppressed, so that no small group points at anyone.

use prongsai_thai::FiscalYear;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::model::{Channel, Kind, StatRow, State};
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::AgencyId;

/// Counts below this are not shown.
pub const SUPPRESS_BELOW: u64 = 5;

/// One published count: shown, or suppressed because it is from 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Count(u64),
    Suppressed,
}

impl Cell {
    pub fn of(n: u64) -> Self {
        if n > 0 && n < SUPPRESS_BELOW {
            Self::Suppressed
        } else {
            Self::Count(n)
        }
    }
}

/// A row of counts: one label (a kind, a channel, a state) over periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub code: &'static str,
    /// Twelve months from October, then four quarters, then the year.
    pub months: Vec<Cell>,
    pub quarters: Vec<Cell>,
    pub year: Cell,
}

/// The statistics of one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub year: FiscalYear,
    pub total: Line,
    pub kinds: Vec<Line>,
    pub channels: Vec<Line>,
    pub states: Vec<Line>,
    /// Resolved cases of the year and their median and mean days to resolution (only from
    /// five resolved cases up).
    pub resolved: Cell,
    pub median_days: Option<u64>,
    pub mean_days: Option<u64>,
}

fn start_of(d: Date) -> i64 {
    PrimitiveDateTime::new(d, Time::MIDNIGHT)
        .assume_offset(prongsai_thai::date::BANGKOK)
        .unix_timestamp()
}

/// The month index (0 = October) of a time within the fiscal year.
fn month_index(at: i64) -> Option<usize> {
    let d = prongsai_thai::local_date(OffsetDateTime::from_unix_timestamp(at).ok()?);
    let m = u8::from(d.month()) as usize; // 1..=12
    Some((m + 2) % 12)
}

fn line(code: &'static str, rows: &[&StatRow]) -> Line {
    let mut months = [0u64; 12];
    for r in rows {
        if let Some(i) = month_index(r.received_at) {
            months[i] += 1;
        }
    }
    let quarters: Vec<Cell> = months.chunks(3).map(|c| Cell::of(c.iter().sum())).collect();
    Line {
        code,
        months: months.iter().map(|n| Cell::of(*n)).collect(),
        quarters,
        year: Cell::of(months.iter().sum()),
    }
}

/// Computes the published statistics of a year from clear fields.
pub fn compute(year: FiscalYear, rows: &[StatRow]) -> Stats {
    let all: Vec<&StatRow> = rows.iter().collect();
    let by =
        |f: &dyn Fn(&StatRow) -> bool| -> Vec<&StatRow> { rows.iter().filter(|r| f(r)).collect() };
    let kinds = Kind::ALL
        .iter()
        .map(|k| line(k.as_str(), &by(&|r| r.kind == *k)))
        .collect();
    let channels = Channel::ALL
        .iter()
        .map(|c| line(c.as_str(), &by(&|r| r.channel == *c)))
        .collect();
    let states = State::ALL
        .iter()
        .map(|s| line(s.as_str(), &by(&|r| r.state == *s)))
        .collect();
    let mut days: Vec<u64> = rows
        .iter()
        .filter_map(|r| {
            r.resolved_at
                .map(|t| (t - r.received_at).max(0) as u64 / 86_400)
        })
        .collect();
    days.sort_unstable();
    let n = days.len() as u64;
    let (median_days, mean_days) = if n >= SUPPRESS_BELOW {
        (
            days.get(days.len() / 2).copied(),
            Some(days.iter().sum::<u64>() / n),
        )
    } else {
        (None, None)
    };
    Stats {
        year,
        total: line("total", &all),
        kinds,
        channels,
        states,
        resolved: Cell::of(n),
        median_days,
        mean_days,
    }
}

/// The statistics of an agency's fiscal year.
pub async fn of_year(cx: &Ctx, agency: AgencyId, year: FiscalYear) -> Result<Stats, StoreError> {
    let from = start_of(year.start());
    let to = start_of(year.end().next_day().unwrap_or(year.end()));
    let rows = cx.store.case_stat_rows(agency, from, to).await?;
    Ok(compute(year, &rows))
}

/// The twelve months of a fiscal year, October first.
pub fn months() -> [Month; 12] {
    use Month::*;
    [
        October, November, December, January, February, March, April, May, June, July, August,
        September,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_suppressed_and_months_start_in_october() {
        let fy = FiscalYear::new(2567).unwrap();
        let oct = start_of(fy.start()) + 3600;
        let row = |at: i64, kind: Kind| StatRow {
            kind,
            channel: Channel::Web,
            state: State::Received,
            received_at: at,
            resolved_at: None,
        };
        let mut rows: Vec<StatRow> = (0..6).map(|i| row(oct + i, Kind::Complaint)).collect();
        rows.push(row(oct, Kind::CorruptionReport));
        let s = compute(fy, &rows);
        assert_eq!(s.total.months[0], Cell::Count(7));
        assert_eq!(s.kinds[0].year, Cell::Count(6));
        assert_eq!(s.kinds[1].year, Cell::Suppressed);
        assert_eq!(s.kinds[2].year, Cell::Count(0));
        assert_eq!(s.total.quarters[0], Cell::Count(7));
        assert_eq!(s.median_days, None);
    }
}
