//! `K8S_LIVENESS_PROBE`: every container has a liveness probe.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["PROBES"],
    default_severity: Severity::Error,
    summary: "Each container has a `livenessProbe`",
    docs: r#"## What it does
Reports a container of a Deployment or StatefulSet without `livenessProbe`, at the container.

## Why
A process that hangs (a deadlock, an exhausted pool) keeps its pod running and serving errors
until someone notices; the liveness probe restarts it.

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
    livenessProbe: {httpGet: {path: /health/live, port: http}}
```

## Fix
Add a `livenessProbe` against the service's liveness route.
"#,
    ..RuleInfo::new("K8S_LIVENESS_PROBE", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    super::readiness_probe::missing_probe(&RULE, "livenessProbe", w, out);
}
