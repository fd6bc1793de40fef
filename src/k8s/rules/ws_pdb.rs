//! `K8S_WS_PDB`: a WebSocket workload has a PodDisruptionBudget.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WEBSOCKET"],
    default_severity: Severity::Error,
    summary: "A WebSocket workload has a PodDisruptionBudget selecting its pods",
    docs: r#"## What it does
For a Deployment or StatefulSet that serves WebSockets, checks that a PodDisruptionBudget in the
same namespace selects its pods (`spec.selector.matchLabels` within the pod template's labels).
Reported at the workload when there is none.

## Why
Roadmap P1.3: a node drain evicts every pod it can at once; a PDB makes it wait, so connections
move over gradually.

## Example
Failing: a Deployment `chat` and no PDB.
Passing:
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: chat}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: chat}}
```

## Fix
Add a PodDisruptionBudget with `minAvailable: 1` (or `maxUnavailable: 1`).
"#,
    ..RuleInfo::new("K8S_WS_PDB", "k8s")
};

pub fn check(cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(why) = &facts.websocket else { return };
    if cx.cluster.pdb_of(w).is_none() {
        out.push(
            Finding::new(
                &RULE,
                w.obj.pos(),
                w.obj.name,
                format!("WebSocket {} `{}` has no PodDisruptionBudget", w.obj.kind, w.obj.name),
            )
            .help(format!("it serves WebSockets ({why}); add a PodDisruptionBudget selecting its pods")),
        );
    }
}
