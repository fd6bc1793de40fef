//! `[proto]`, `[proto.lint]`, `[proto.breaking]` in nova.toml.
use crate::config::Severities;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProtoConfig {
    /// The central proto registry (default `nova-protos/`).
    pub registry: Option<PathBuf>,
    /// Import roots inside the registry, relative to it (default: `protos/` when it exists, else the registry itself).
    pub roots: Vec<PathBuf>,
    pub lint: LintConfig,
    pub breaking: BreakingConfig,
}

/// `[proto.lint]`: buf v2 `lint:` keys plus severities and nova's own rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintConfig {
    #[serde(rename = "use")]
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub severity: Severities,
    pub enum_zero_value_suffix: Option<String>,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: Option<String>,
    pub disallow_comment_ignores: bool,
}

/// `[proto.breaking]`: buf v2 `breaking:` keys plus severities.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreakingConfig {
    #[serde(rename = "use")]
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub severity: Severities,
    pub ignore_unstable_packages: bool,
}
