//! `K8S_WS_MAX_UNAVAILABLE`: a WebSocket Deployment rolls out without taking pods away first.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WEBSOCKET"],
    default_severity: Severity::Error,
    summary: "A WebSocket Deployment rolls out with `maxUnavailable: 0`",
    docs: r#"## What it does
For a Deployment that serves WebSockets, checks `spec.strategy.rollingUpdate.maxUnavailable` is
`0` (or `0%`). Missing means Kubernetes' default, 25%, and is reported at `spec` (or at
`strategy` when it is there). StatefulSets are not judged by this rule.

## Why
Roadmap P1.3: with pods taken down before their replacements are ready, every connection on them
drops at once and reconnects pile onto fewer pods.

## Example
Failing:
```yaml
strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
```
Passing:
```yaml
strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
```

## Fix
Set `maxUnavailable: 0` and `maxSurge: 1`.
"#,
    ..RuleInfo::new("K8S_WS_MAX_UNAVAILABLE", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(why) = &facts.websocket else { return };
    if w.obj.kind != "Deployment" {
        return;
    }
    match super::ws_session_affinity::max_unavailable(w) {
        Some((_, true)) => {}
        Some((k, false)) => out.push(
            Finding::new(
                &RULE,
                k.pos,
                w.obj.name,
                format!("WebSocket Deployment `{}` may take pods down during a rollout", w.obj.name),
            )
            .help(format!("it serves WebSockets ({why}); set `maxUnavailable: 0`")),
        ),
        None => {
            let pos = w.spec.and_then(|s| s.entry("strategy")).map_or(w.obj.spec_pos(), |(k, _)| k.pos);
            out.push(
                Finding::new(
                    &RULE,
                    pos,
                    w.obj.name,
                    format!("WebSocket Deployment `{}` sets no `maxUnavailable` (default 25%)", w.obj.name),
                )
                .help(format!("it serves WebSockets ({why}); set `strategy.rollingUpdate.maxUnavailable: 0`")),
            );
        }
    }
}
