//! The portal module: the public site's own content. Staff write pages and news in a safe
//! Markdown subset (`markdown.rs`); every save is a version that can be restored; news can be
//! scheduled and pinned; files are attached to an item; division officers write only their
//! division's content.

pub mod markdown;
pub mod menu;
pub mod model;
pub mod participation;
pub mod service;
pub mod store;

pub use model::{
    Attachment, Content, ContentFields, ContentInput, ContentKind, ContentVersion, IndexEntry,
};
pub use store::{NewVersion, NewsQuery, PortalStore};
