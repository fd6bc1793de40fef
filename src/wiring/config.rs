//! `[wiring]` in nova.toml.
use crate::config::Severities;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WiringConfig {
    pub severity: Severities,
    pub ignore: Vec<String>,
}
