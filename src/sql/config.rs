//! `[migrations]` in nova.toml.
use crate::config::Severities;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MigrationsConfig {
    /// Migration directories; each is its own database.
    pub dirs: Vec<PathBuf>,
    pub severity: Severities,
    pub ignore: Vec<String>,
}
