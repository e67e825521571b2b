//! Row identifiers. Ids are made by the application, never by the database, so that both
//! backends behave the same and ids do not reveal how many rows exist.

use crate::{Clock, Entropy};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a raw id read from storage or a URL. It is not checked to exist.
            pub const fn from_raw(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw value, for storage and URLs.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse::<i64>().map(Self)
            }
        }
    };
}

id_type!(
    /// A tenant.
    AgencyId
);
id_type!(
    /// A division (ส่วนราชการ / กอง / สำนัก) of an agency.
    DivisionId
);
id_type!(
    /// A person in an agency's staff directory.
    PersonId
);
id_type!(
    /// A sign-in account. Accounts are platform-wide; their roles are per agency.
    AccountId
);
id_type!(
    /// A stored file (logo, photo, evidence, attachment).
    FileId
);

id_type!(
    /// An agency's measures plan for one fiscal year.
    PlanId
);
id_type!(
    /// A numbered measure of a plan.
    MeasureId
);
id_type!(
    /// A numbered action (1.1, 1.2, …) of a measure.
    ActionId
);
id_type!(
    /// A progress report on an action.
    ProgressId
);
id_type!(
    /// An in-app notification.
    NotificationId
);
id_type!(
    /// A page, news item or announcement of the public portal.
    ContentId
);
id_type!(
    /// One saved version of a portal page or news item.
    ContentVersionId
);
id_type!(
    /// A file attached to a portal page or news item.
    AttachmentId
);
id_type!(
    /// A piece of evidence attached to an OIT item.
    OitEvidenceId
);
id_type!(
    /// A question asked on an agency's public Q&A board.
    QuestionId
);
id_type!(
    /// A suggestion sent through an agency's public suggestions form.
    SuggestionId
);
id_type!(
    /// A case of the cases module (complaint, corruption report, whistleblowing report).
    CaseId
);
id_type!(
    /// One encrypted record of a case: a message, a note, a referral, an attachment.
    RecordId
);

/// Milliseconds between the Unix epoch and 2024-01-01T00:00:00Z, the id epoch.
const ID_EPOCH_MS: i128 = 1_704_067_200_000;

/// A new id: 43 bits of milliseconds since 2024 followed by 20 random bits. Ids sort roughly by
/// creation time, which keeps B-tree inserts local, and collide only if two rows are made in the
/// same millisecond with the same 20 random bits (a unique constraint catches that).
pub fn new_id(clock: &dyn Clock, entropy: &dyn Entropy) -> i64 {
    let ms = clock.now().unix_timestamp_nanos() / 1_000_000 - ID_EPOCH_MS;
    let ms = i64::try_from(ms.clamp(0, (1i128 << 43) - 1)).unwrap_or(0);
    let rand = i64::try_from(entropy.next_u64() & 0xF_FFFF).unwrap_or(0);
    (ms << 20) | rand
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ManualClock, SeededEntropy};
    use time::macros::datetime;

    #[test]
    fn ids_are_positive_and_sort_by_time() {
        let clock = ManualClock::new(datetime!(2026-01-01 0:00 UTC));
        let e = SeededEntropy::new(7);
        let a = new_id(&clock, &e);
        clock.advance(time::Duration::milliseconds(1));
        let b = new_id(&clock, &e);
        assert!(a > 0 && b > a);
    }

    #[test]
    fn ids_before_the_epoch_clamp_to_zero_time() {
        let clock = ManualClock::new(datetime!(2000-01-01 0:00 UTC));
        let id = new_id(&clock, &SeededEntropy::new(1));
        assert!((0..1 << 20).contains(&id));
    }
}
