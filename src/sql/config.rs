//! `[migrations]` in nova.toml.
use crate::config::Severities;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MigrationsConfig {
    /// Migration directories; each is its own database.
    pub dirs: Vec<PathBuf>,
    /// Directories (relative to nova.toml) never checked: other SQL dialects, vendored dumps.
    pub skip: Vec<PathBuf>,
    /// Directory -> dialect (`postgres`, `clickhouse`, ...). Only `postgres` directories are checked.
    pub dialect: BTreeMap<String, String>,
    /// Rule ID (or category) -> `error` | `warning` | `info` | `off`.
    pub severity: Severities,
    /// Paths (files or directories, relative to the working directory) where no rule reports.
    pub ignore: Vec<String>,
    /// Rule ID or category -> paths where it does not report.
    pub ignore_only: BTreeMap<String, Vec<String>>,
    /// Tables no rule judges.
    pub ignore_tables: Vec<String>,
    /// Rule ID -> tables it does not judge.
    pub ignore_tables_only: BTreeMap<String, Vec<String>>,
    /// Tables that are soft-deletable even when they have neither soft-delete column yet.
    pub soft_delete_tables: Vec<String>,
    /// Tables created outside the migration stream (extensions, other tools): ALTERs of them are fine.
    pub external_tables: Vec<String>,
    /// Column names of the soft-delete convention (default `deleted_at`, `deleted_by`).
    pub deleted_at_column: Option<String>,
    pub deleted_by_column: Option<String>,
    /// Columns that mark a table as soft-deletable the legacy way (default `soft_delete`, `is_deleted`).
    pub legacy_markers: Option<Vec<String>>,
    /// Name of the transactional outbox table (default `outbox_events`).
    pub outbox_table: Option<String>,
}

/// The configuration with defaults applied.
#[derive(Debug, Clone)]
pub struct Settings {
    pub deleted_at: String,
    pub deleted_by: String,
    pub legacy_markers: Vec<String>,
    pub outbox_table: String,
    pub soft_delete_tables: Vec<String>,
    pub external_tables: Vec<String>,
    pub ignore_tables: Vec<String>,
    pub ignore_tables_only: BTreeMap<String, Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from(&MigrationsConfig::default())
    }
}

impl From<&MigrationsConfig> for Settings {
    fn from(c: &MigrationsConfig) -> Self {
        let norm =
            |v: &[String]| v.iter().map(|s| crate::sql::model::normalize_name(&s.to_ascii_lowercase())).collect();
        Settings {
            deleted_at: c.deleted_at_column.clone().unwrap_or_else(|| "deleted_at".into()),
            deleted_by: c.deleted_by_column.clone().unwrap_or_else(|| "deleted_by".into()),
            legacy_markers: c.legacy_markers.clone().unwrap_or_else(|| vec!["soft_delete".into(), "is_deleted".into()]),
            outbox_table: c.outbox_table.clone().unwrap_or_else(|| "outbox_events".into()),
            soft_delete_tables: norm(&c.soft_delete_tables),
            external_tables: norm(&c.external_tables),
            ignore_tables: norm(&c.ignore_tables),
            ignore_tables_only: c.ignore_tables_only.iter().map(|(k, v)| (k.clone(), norm(v))).collect(),
        }
    }
}

impl Settings {
    /// Whether `rule` skips `table` by configuration.
    pub fn table_ignored(&self, rule: &str, table: &str) -> bool {
        self.ignore_tables.iter().any(|t| t == table)
            || self
                .ignore_tables_only
                .iter()
                .any(|(r, ts)| r.eq_ignore_ascii_case(rule) && ts.iter().any(|t| t == table))
    }
}
