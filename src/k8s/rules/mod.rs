//! The k8s rules, one file each. A rule reads the cluster model (`super::model`) and the facts
//! nova found for each workload (WebSocket, drain time, the service's code) and pushes findings
//! located at a YAML key.
use super::code::CodeFacts;
use super::config::K8sConfig;
use super::model::{Cluster, Workload};
use super::yaml::Pos;
use crate::rules::RuleInfo;

crate::declare_rules! {
    reported: [
        client_endpoint,
        database_secret,
        image_tag,
        kafka_brokers_env,
        liveness_probe,
        prestop_sleep,
        probe_route,
        readiness_probe,
        resources,
        service_selector,
        service_target_port,
        termination_grace,
        ws_max_unavailable,
        ws_pdb,
        ws_replicas,
        ws_session_affinity,
    ],
}

/// Every k8s rule, in ID order.
pub fn all() -> Vec<&'static RuleInfo> {
    ALL.to_vec()
}

/// A rule that judges one workload at a time.
pub type WorkloadRule = fn(&Cx<'_>, &Workload<'_>, &Facts, &mut Vec<Finding>);

/// The rules that judge one workload at a time, with the fleet-view column each feeds.
pub const PER_WORKLOAD: &[(WorkloadRule, Column)] = &[
    (ws_session_affinity::check, Column::Affinity),
    (ws_max_unavailable::check, Column::Affinity),
    (ws_replicas::check, Column::Affinity),
    (ws_pdb::check, Column::Pdb),
    (prestop_sleep::check, Column::Shutdown),
    (termination_grace::check, Column::Shutdown),
    (readiness_probe::check, Column::Probes),
    (liveness_probe::check, Column::Probes),
    (resources::check, Column::Hygiene),
    (image_tag::check, Column::Hygiene),
    (probe_route::check, Column::Code),
    (client_endpoint::check, Column::Code),
    (kafka_brokers_env::check, Column::Code),
    (database_secret::check, Column::Code),
];

/// The fleet view's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Affinity,
    Shutdown,
    Probes,
    Pdb,
    Hygiene,
    Code,
}

/// What a rule sees besides the workload.
pub struct Cx<'a> {
    pub cluster: &'a Cluster<'a>,
    pub cfg: &'a K8sConfig,
}

/// What nova knows about one workload beyond its manifest.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Why the workload serves WebSockets (`None`: it does not, as far as nova knows).
    pub websocket: Option<String>,
    /// Seconds it needs to drain after SIGTERM, and where that number comes from.
    pub drain: (u64, String),
    /// The service's code, when nova found its crate.
    pub code: Option<CodeFacts>,
}

/// A rule's finding, located at a YAML key (or the object a key is missing from).
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    pub labels: Vec<(Pos, String)>,
    /// The workload or Service the finding is about (fleet view, notes).
    pub subject: String,
}

impl Finding {
    pub fn new(rule: &'static RuleInfo, pos: Pos, subject: &str, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            pos,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            subject: subject.to_string(),
        }
    }
    pub fn help(mut self, h: impl Into<String>) -> Finding {
        self.help = Some(h.into());
        self
    }
    pub fn label(mut self, pos: Pos, m: impl Into<String>) -> Finding {
        self.labels.push((pos, m.into()));
        self
    }
}

/// A finding at the first container of `w`: it does not set the variable `var`, which its crate
/// reads (`why` completes the message).
pub fn unset_env(rule: &'static RuleInfo, w: &Workload<'_>, var: &str, why: &str, help: String) -> Option<Finding> {
    let c = w.containers.first()?;
    Some(
        Finding::new(rule, c.node.pos, w.obj.name, format!("`{}` does not set `{var}`, which {why}", w.obj.name))
            .help(help),
    )
}

/// Seconds a `preStop` hook waits: the native `sleep.seconds` action, or an exec command running
/// `sleep N` (`["sleep", "10"]`, `["/bin/sh", "-c", "sleep 10"]`). `None`: no hook that waits.
pub fn prestop_seconds(c: &super::model::Container<'_>) -> Option<(i64, Pos)> {
    let pre = c.node.at(&["lifecycle", "preStop"])?;
    if let Some((k, s)) = pre.get("sleep").and_then(|s| s.entry("seconds")) {
        return Some((s.as_i64()?, k.pos));
    }
    let (key, cmd) = pre.get("exec")?.entry("command")?;
    let words: Vec<&str> = cmd.items().iter().filter_map(|n| n.as_str()).flat_map(str::split_whitespace).collect();
    let at = words.iter().position(|w| *w == "sleep" || w.ends_with("/sleep"))?;
    let secs = words.get(at + 1)?.trim_end_matches([';', '&', 's']).parse().ok()?;
    Some((secs, key.pos))
}
