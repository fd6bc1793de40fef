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
    /// NOVA_FIELD_NUMBER_RANGE: allowed field-number ranges (inclusive), as a list
    /// `[[1, 99], [100, 199]]` or a named table `{ internal = [1, 99], service = [100, 199] }`.
    /// Configuring ranges turns the rule on (unless `except` or a severity of `off` says otherwise).
    pub field_ranges: FieldRanges,
}

/// Field-number ranges: a plain list or named ranges.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FieldRanges {
    List(Vec<[i64; 2]>),
    Named(BTreeMap<String, [i64; 2]>),
}

impl Default for FieldRanges {
    fn default() -> Self {
        FieldRanges::List(Vec::new())
    }
}

impl FieldRanges {
    /// `(name, low, high)` triples; unnamed ranges are named by their bounds.
    pub fn ranges(&self) -> Vec<(String, i64, i64)> {
        match self {
            FieldRanges::List(v) => v.iter().map(|[a, b]| (String::new(), *a, *b)).collect(),
            FieldRanges::Named(m) => m.iter().map(|(k, [a, b])| (k.clone(), *a, *b)).collect(),
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            FieldRanges::List(v) => v.is_empty(),
            FieldRanges::Named(m) => m.is_empty(),
        }
    }
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
