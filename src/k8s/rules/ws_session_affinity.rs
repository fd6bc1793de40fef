//! `K8S_WS_SESSION_AFFINITY`: a WebSocket service's Service keeps a client on one pod.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::k8s::yaml::Node;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WEBSOCKET"],
    default_severity: Severity::Error,
    summary: "A WebSocket service's Service has `sessionAffinity: ClientIP` with a long enough timeout",
    docs: r#"## What it does
For every Deployment that serves WebSockets (found from its code: `actix_ws`, `actix-web-actors`,
axum `WebSocketUpgrade`, tokio-tungstenite `accept_async`; or listed in `[k8s] websocket_services`),
checks each Service that selects its pods: `spec.sessionAffinity` is `ClientIP` and
`spec.sessionAffinityConfig.clientIP.timeoutSeconds` is at least
`[k8s] min_affinity_timeout_seconds` (default 10800, three hours). A WebSocket Deployment that no
Service selects is reported at the Deployment.

## Why
Roadmap P1.3: a reconnecting client must land on the pod that holds its session state; without
affinity, kube-proxy spreads reconnects over every pod.

## Example
Failing:
```yaml
kind: Service
spec:
  selector: {app: chat}
```
Passing:
```yaml
kind: Service
spec:
  selector: {app: chat}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}
```

## Fix
Add `sessionAffinity: ClientIP` and `sessionAffinityConfig.clientIP.timeoutSeconds`.
"#,
    ..RuleInfo::new("K8S_WS_SESSION_AFFINITY", "k8s")
};

pub fn check(cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(why) = &facts.websocket else { return };
    let services = cx.cluster.services_of(w);
    if services.is_empty() {
        out.push(
            Finding::new(
                &RULE,
                w.obj.pos(),
                w.obj.name,
                format!("WebSocket service `{}` has no Service selecting its pods", w.obj.name),
            )
            .help(format!("it serves WebSockets ({why}); add a Service with `sessionAffinity: ClientIP`")),
        );
        return;
    }
    let min = cx.cfg.min_affinity_timeout_seconds as i64;
    for s in services {
        let spec = s.obj.node.get("spec");
        match spec.and_then(|sp| sp.entry("sessionAffinity")) {
            Some((_, v)) if v.as_str() == Some("ClientIP") => {}
            found => {
                let pos = found.map_or(s.obj.spec_pos(), |(k, _)| k.pos);
                let what = found
                    .and_then(|(_, v)| v.as_str())
                    .map_or("no `sessionAffinity`".to_string(), |v| format!("`sessionAffinity: {v}`"));
                out.push(
                    Finding::new(&RULE, pos, w.obj.name, format!("Service `{}` of WebSocket service `{}` has {what}", s.obj.name, w.obj.name))
                        .help(format!("it serves WebSockets ({why}); set `sessionAffinity: ClientIP` and `sessionAffinityConfig.clientIP.timeoutSeconds: {min}`")),
                );
                continue;
            }
        }
        let timeout = spec.and_then(|sp| sp.at(&["sessionAffinityConfig", "clientIP"]));
        match timeout.and_then(|c| c.entry("timeoutSeconds")) {
            Some((k, v)) if v.as_i64().is_none_or(|t| t < min) => out.push(
                Finding::new(
                    &RULE,
                    k.pos,
                    w.obj.name,
                    format!(
                        "Service `{}` keeps WebSocket clients for {}s; at least {min}s is required",
                        s.obj.name,
                        v.as_str().unwrap_or("?")
                    ),
                )
                .help(format!("raise `timeoutSeconds` to {min} (`[k8s] min_affinity_timeout_seconds`)")),
            ),
            Some(_) => {}
            // Kubernetes' default is 10800 s; below a configured higher minimum it is too short.
            None if min > 10800 => out.push(Finding::new(
                &RULE,
                spec.and_then(|sp| sp.entry("sessionAffinity")).map_or(s.obj.pos(), |(k, _)| k.pos),
                w.obj.name,
                format!(
                    "Service `{}` sets no affinity timeout (default 10800s); at least {min}s is required",
                    s.obj.name
                ),
            )),
            None => {}
        }
    }
}

/// Whether a workload's rollout keeps every pod serving (`maxUnavailable: 0`).
pub fn max_unavailable<'a>(w: &Workload<'a>) -> Option<(&'a Node, bool)> {
    let (k, v) = w.spec?.at(&["strategy", "rollingUpdate"])?.entry("maxUnavailable")?;
    Some((k, matches!(v.as_str(), Some("0" | "0%"))))
}
