//! One migration set for both backends. Each file is shared; the few lines that differ sit in
//! `-- @sqlite` / `-- @postgres` … `-- @end` blocks, and `BIGINT NOT NULL PRIMARY KEY` becomes
//! SQLite's rowid alias `INTEGER NOT NULL PRIMARY KEY`.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::Backend;

/// Every migration: version, description, shared source. A test checks this list against the
/// `migrations/` folder, so a file cannot be forgotten.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "platform",
        include_str!("../migrations/0001_platform.sql"),
    ),
    (
        2,
        "measures",
        include_str!("../migrations/0002_measures.sql"),
    ),
    (
        3,
        "ita_results",
        include_str!("../migrations/0003_ita_results.sql"),
    ),
    (
        4,
        "ita_surveys",
        include_str!("../migrations/0004_ita_surveys.sql"),
    ),
    (5, "ita_oit", include_str!("../migrations/0005_ita_oit.sql")),
    (
        6,
        "ita_frameworks",
        include_str!("../migrations/0006_ita_frameworks.sql"),
    ),
    (
        7,
        "portal_cms",
        include_str!("../migrations/0007_portal_cms.sql"),
    ),
    (
        8,
        "portal_search",
        include_str!("../migrations/0008_portal_search.sql"),
    ),
    (
        9,
        "ita_averages",
        include_str!("../migrations/0009_ita_averages.sql"),
    ),
    (
        10,
        "portal_participation",
        include_str!("../migrations/0010_portal_participation.sql"),
    ),
    (
        11,
        "portal_standard",
        include_str!("../migrations/0011_portal_standard.sql"),
    ),
    (12, "cases", include_str!("../migrations/0012_cases.sql")),
    (
        13,
        "search_order",
        include_str!("../migrations/0013_search_order.sql"),
    ),
];

/// The SQL of a shared migration source for one backend.
pub fn render_migration(source: &str, backend: Backend) -> String {
    #[derive(PartialEq)]
    enum Block {
        Both,
        Only(Backend),
    }
    let mut block = Block::Both;
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        match line.trim() {
            "-- @sqlite" => block = Block::Only(Backend::Sqlite),
            "-- @postgres" => block = Block::Only(Backend::Postgres),
            "-- @end" => block = Block::Both,
            _ => {
                if block == Block::Both || block == Block::Only(backend) {
                    if backend == Backend::Sqlite {
                        out.push_str(&line.replace(
                            "BIGINT NOT NULL PRIMARY KEY",
                            "INTEGER NOT NULL PRIMARY KEY",
                        ));
                    } else {
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}

pub(crate) fn migrator(backend: Backend) -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, source)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Owned(render_migration(source, backend)),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, d, _)| format!("{v:04}_{d}.sql"))
            .collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn dialect_blocks_go_to_their_backend_only() {
        let src = "A\n-- @sqlite\nB\n-- @postgres\nC\n-- @end\nid BIGINT NOT NULL PRIMARY KEY\n";
        assert_eq!(
            render_migration(src, Backend::Sqlite),
            "A\nB\nid INTEGER NOT NULL PRIMARY KEY\n"
        );
        assert_eq!(
            render_migration(src, Backend::Postgres),
            "A\nC\nid BIGINT NOT NULL PRIMARY KEY\n"
        );
    }

    #[test]
    fn blocks_are_balanced_in_every_migration() {
        for (v, _, src) in MIGRATIONS {
            let mut open = false;
            for line in src.lines().map(str::trim) {
                match line {
                    "-- @sqlite" | "-- @postgres" => open = true,
                    "-- @end" => {
                        assert!(open, "migration {v}: @end without a block");
                        open = false;
                    }
                    _ => {}
                }
            }
            assert!(!open, "migration {v}: a block is not closed");
        }
    }
}
