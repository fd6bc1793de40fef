//! `K8S_RESOURCES`: every container requests CPU and memory and limits memory.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "Each container sets `resources.requests` (cpu, memory) and `resources.limits.memory`",
    docs: r#"## What it does
Reports, per container, a missing `resources.requests.cpu`, `resources.requests.memory` or
`resources.limits.memory`, at `resources` (or at the container when it has none).

## Why
Without requests the scheduler packs pods blindly and they are the first evicted; without a memory
limit one leaking pod takes its node's memory from the others.

## Example
Failing:
```yaml
resources: {requests: {cpu: 100m}}
```
Passing:
```yaml
resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 512Mi}}
```

## Fix
Set the missing values.
"#,
    ..RuleInfo::new("K8S_RESOURCES", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    for c in &w.containers {
        let res = c.node.entry("resources");
        let missing: Vec<&str> = [("requests", "cpu"), ("requests", "memory"), ("limits", "memory")]
            .into_iter()
            .filter(|(a, b)| res.and_then(|(_, r)| r.at(&[a, b])).and_then(|n| n.as_str()).is_none())
            .map(|(a, b)| {
                if a == "requests" {
                    if b == "cpu" { "requests.cpu" } else { "requests.memory" }
                } else {
                    "limits.memory"
                }
            })
            .collect();
        if !missing.is_empty() {
            out.push(
                Finding::new(
                    &RULE,
                    res.map_or(c.node.pos, |(k, _)| k.pos),
                    w.obj.name,
                    format!(
                        "container `{}` of `{}` sets no resources.{}",
                        c.name,
                        w.obj.name,
                        missing.join(", resources.")
                    ),
                )
                .help("set CPU and memory requests and a memory limit"),
            );
        }
    }
}
