//! Reading columns from `Any` rows: booleans are stored as 0/1 integers on both backends.

use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) trait RowExt {
    fn int(&self, col: &str) -> sqlx::Result<i64>;
    fn opt_int(&self, col: &str) -> sqlx::Result<Option<i64>>;
    fn text(&self, col: &str) -> sqlx::Result<String>;
    fn opt_text(&self, col: &str) -> sqlx::Result<Option<String>>;
    fn flag(&self, col: &str) -> sqlx::Result<bool>;
}

impl RowExt for AnyRow {
    fn int(&self, col: &str) -> sqlx::Result<i64> {
        self.try_get(col)
    }

    fn opt_int(&self, col: &str) -> sqlx::Result<Option<i64>> {
        self.try_get(col)
    }

    fn text(&self, col: &str) -> sqlx::Result<String> {
        self.try_get(col)
    }

    fn opt_text(&self, col: &str) -> sqlx::Result<Option<String>> {
        self.try_get(col)
    }

    fn flag(&self, col: &str) -> sqlx::Result<bool> {
        self.try_get::<i64, _>(col).map(|v| v != 0)
    }
}

/// A boolean as stored.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// A stored value that does not decode, as a decoding error naming what it is.
pub(crate) fn decode<T>(what: &str, v: Option<T>) -> sqlx::Result<T> {
    v.ok_or_else(|| sqlx::Error::Decode(format!("invalid stored {what}").into()))
}

/// A date stored as `YYYY-MM-DD`.
pub(crate) fn date(s: &str) -> sqlx::Result<time::Date> {
    decode("date", prongsai_thai::parse_date(s).ok())
}
