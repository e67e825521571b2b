//! The public site of an agency. This issue brings its home page (profile, executives on both
//! sides, the structure of divisions, contacts) and its public files; the CMS, the OIT pages,
//! open data and search build on it.

pub mod files;
pub mod home;
