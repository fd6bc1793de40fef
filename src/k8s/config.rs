//! `[k8s]` in nova.toml. Defaults follow the backend's roadmap (P1.3: sticky WebSocket sessions
//! for three hours, graceful shutdown).
use crate::config::Severities;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct K8sConfig {
    /// Manifest files or directories checked when the command line gives none (relative to
    /// nova.toml); default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Per-rule severity overrides (`RULE = "error" | "warning" | "info" | "off"`).
    pub severity: Severities,
    /// Paths (relative to the checked root) where no k8s rule runs.
    pub ignore: Vec<String>,
    /// Deployments serving WebSockets, besides those found from the code (by Deployment name).
    pub websocket_services: Vec<String>,
    /// Seconds a service needs to drain after SIGTERM when neither its Deployment's
    /// `SHUTDOWN_GRACE_SECS` nor its code's `shutdown_timeout(..)` says.
    pub drain_seconds: u64,
    /// Least `sessionAffinityConfig.clientIP.timeoutSeconds` for a WebSocket Service.
    pub min_affinity_timeout_seconds: u64,
    /// Least sleep of a `preStop` hook.
    pub min_prestop_sleep_seconds: u64,
}

impl Default for K8sConfig {
    fn default() -> Self {
        K8sConfig {
            paths: Vec::new(),
            severity: Severities::default(),
            ignore: Vec::new(),
            websocket_services: Vec::new(),
            drain_seconds: 30,
            min_affinity_timeout_seconds: 10800,
            min_prestop_sleep_seconds: 5,
        }
    }
}
