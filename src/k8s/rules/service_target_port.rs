//! `K8S_SERVICE_TARGET_PORT`: a Service port reaches a port its pods declare.
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "A Service's `targetPort` names or numbers a container port of the workloads it selects",
    docs: r#"## What it does
For each port of a Service that selects a Deployment or StatefulSet, checks that its `targetPort`
(the `port` when absent) is the `name` or the `containerPort` of a port declared by a container of
each selected workload. Reported at `targetPort` (or `port`).

## Why
A name that no container declares gives a Service whose endpoints have no port; a wrong number
sends traffic where nothing listens. Both look healthy until the first request.

## Example
Failing:
```yaml
ports: [{port: 80, targetPort: http}]   # container ports: [{name: web, containerPort: 8080}]
```
Passing:
```yaml
ports: [{port: 80, targetPort: web}]
```

## Fix
Name or number a declared container port (declare the port in the container if it is missing).
"#,
    ..RuleInfo::new("K8S_SERVICE_TARGET_PORT", "k8s")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.cluster.services {
        let workloads = cx.cluster.workloads_of(s);
        for p in &s.ports {
            for w in &workloads {
                if w.containers.iter().any(|c| {
                    c.resolve_port(p.target).is_some_and(|n| !p.target.is_int() || c.ports.iter().any(|x| x.1 == n))
                }) {
                    continue;
                }
                let declared: Vec<String> = w
                    .containers
                    .iter()
                    .flat_map(|c| c.ports.iter().map(|(n, p, _)| n.map_or(p.to_string(), |n| format!("{n} ({p})"))))
                    .collect();
                let target = p.target.as_str().unwrap_or("?");
                out.push(
                    Finding::new(
                        &RULE,
                        p.target.pos,
                        s.obj.name,
                        format!(
                            "targetPort `{target}` of Service `{}` is no container port of `{}`",
                            s.obj.name, w.obj.name
                        ),
                    )
                    .label(
                        w.pod_pos(),
                        format!(
                            "`{}` declares {}",
                            w.obj.id(),
                            if declared.is_empty() { "no ports".to_string() } else { declared.join(", ") }
                        ),
                    )
                    .help("name or number a port the container declares"),
                );
            }
        }
    }
}
