//! The context that services run in: the store, the clock and the random source.

use std::sync::Arc;

use crate::cases::CaseStore;
use crate::ita::{AverageStore, FrameworkStore, ItaStore, OitStore, SurveyStore};
use crate::measures::MeasuresStore;
use crate::platform::{Actor, PasswordParams, PlatformStore};
use crate::portal::PortalStore;
use crate::portal::participation::ParticipationStore;
use crate::search::SearchStore;
use crate::{Clock, Entropy};

/// Everything the storage layer provides. Each module adds its store trait here as a supertrait.
pub trait Store:
    PlatformStore
    + MeasuresStore
    + ItaStore
    + SurveyStore
    + FrameworkStore
    + OitStore
    + AverageStore
    + PortalStore
    + ParticipationStore
    + SearchStore
    + CaseStore
{
}

impl<T> Store for T where
    T: PlatformStore
        + MeasuresStore
        + ItaStore
        + SurveyStore
        + FrameworkStore
        + OitStore
        + AverageStore
        + PortalStore
        + ParticipationStore
        + SearchStore
        + CaseStore
{
}

/// The context of a service call. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub entropy: Arc<dyn Entropy>,
    pub password: PasswordParams,
}

impl Ctx {
    /// A fresh row id.
    pub fn new_id(&self) -> i64 {
        crate::ids::new_id(self.clock.as_ref(), self.entropy.as_ref())
    }

    /// The audit context of a write made now by `actor`.
    pub fn write<'a>(&self, actor: &'a Actor) -> Write<'a> {
        Write {
            actor,
            at: self.clock.unix(),
        }
    }
}

/// Who writes, and when. Every store method that changes data takes one, and appends the audit
/// entry in the same transaction as the change.
#[derive(Debug, Clone, Copy)]
pub struct Write<'a> {
    pub actor: &'a Actor,
    pub at: i64,
}
