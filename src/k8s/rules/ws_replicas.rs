//! `K8S_WS_REPLICAS`: a WebSocket workload runs at least two pods.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WEBSOCKET"],
    default_severity: Severity::Error,
    summary: "A WebSocket workload runs at least 2 replicas",
    docs: r#"## What it does
For a Deployment or StatefulSet that serves WebSockets, checks `spec.replicas` is 2 or more.
Missing `replicas` is 1 (Kubernetes' default) and is reported at `spec`.

## Why
Roadmap P1.3: with one pod, every rollout, eviction or crash drops every connection.

## Example
Failing:
```yaml
spec:
  replicas: 1
```
Passing:
```yaml
spec:
  replicas: 2
```

## Fix
Run at least two replicas (and a PodDisruptionBudget, `K8S_WS_PDB`).
"#,
    ..RuleInfo::new("K8S_WS_REPLICAS", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(why) = &facts.websocket else { return };
    let (pos, n) = match w.replicas() {
        Some((node, n)) => (node.pos, n),
        None => (w.obj.spec_pos(), 1),
    };
    if n < 2 {
        out.push(
            Finding::new(
                &RULE,
                pos,
                w.obj.name,
                format!("WebSocket {} `{}` runs {n} replica(s); at least 2 are required", w.obj.kind, w.obj.name),
            )
            .help(format!("it serves WebSockets ({why}); set `replicas: 2` or more")),
        );
    }
}
