//! `K8S_READINESS_PROBE`: every container has a readiness probe.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["PROBES"],
    default_severity: Severity::Error,
    summary: "Each container has a `readinessProbe`",
    docs: r#"## What it does
Reports a container of a Deployment or StatefulSet without `readinessProbe`, at the container.

## Why
Without it, a pod receives traffic as soon as its process starts, before it can serve, and keeps
receiving it while it drains.

## Example
Failing:
```yaml
containers:
  - name: api
```
Passing:
```yaml
containers:
  - name: api
    readinessProbe: {httpGet: {path: /health/ready, port: http}}
```

## Fix
Add a `readinessProbe` against the service's readiness route.
"#,
    ..RuleInfo::new("K8S_READINESS_PROBE", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    missing_probe(&RULE, "readinessProbe", w, out);
}

/// A finding per container of `w` without `key`.
pub fn missing_probe(rule: &'static RuleInfo, key: &str, w: &Workload<'_>, out: &mut Vec<Finding>) {
    for c in w.containers.iter().filter(|c| c.node.get(key).is_none()) {
        out.push(
            Finding::new(
                rule,
                c.node.pos,
                w.obj.name,
                format!("container `{}` of `{}` has no {key}", c.name, w.obj.name),
            )
            .help(format!("add a `{key}` (httpGet on a health route, or tcpSocket/grpc on the service port)")),
        );
    }
}
