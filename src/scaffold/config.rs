//! `[scaffold]` in nova.toml.
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScaffoldConfig {
    /// Directory with project template overrides (default `templates/` next to nova.toml).
    pub templates: Option<PathBuf>,
}
