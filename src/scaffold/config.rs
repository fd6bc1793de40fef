//! `[scaffold]` in nova.toml.
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScaffoldConfig {
    /// Directory with project template overrides (default `templates/` next to nova.toml).
    pub templates: Option<PathBuf>,
    /// Where `nova new` puts services, relative to the workspace root (default: the root itself).
    pub services_dir: Option<PathBuf>,
    /// Container registry prefix of the image in the generated Deployment (default `registry.local/nova`).
    pub image_prefix: Option<String>,
    /// Image tag of the generated Deployment (default: the generated crate's version, `0.1.0`).
    /// `latest` is refused: `nova k8s check` reports it (K8S_IMAGE_TAG).
    pub image_tag: Option<String>,
    /// Kubernetes namespace of the generated manifests (default `default`).
    pub namespace: Option<String>,
    /// How the generated Deployment's preStop waits: `native` (default, the Kubernetes 1.30+
    /// `lifecycle.preStop.sleep` action, no shell needed) or `exec` (`/bin/sh -c "sleep 10"`, for
    /// older clusters; the image needs a shell).
    pub prestop_sleep: Option<String>,
}
