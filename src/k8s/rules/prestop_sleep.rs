//! `K8S_PRESTOP_SLEEP`: every container of a service waits in `preStop` before it is stopped.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SHUTDOWN"],
    default_severity: Severity::Error,
    summary: "Each container has a `preStop` hook that waits at least `min_prestop_sleep_seconds`",
    docs: r#"## What it does
For each container of a Deployment or StatefulSet, checks `lifecycle.preStop` waits: either the
native sleep action (`preStop: {sleep: {seconds: N}}`) or an exec hook that runs `sleep N`
(`["sleep", "10"]`, `["/bin/sh", "-c", "sleep 10"]`), with N at least
`[k8s] min_prestop_sleep_seconds` (default 5). A container without a hook is reported at the
container; a short sleep at the hook.

## Why
Roadmap P1.3: SIGTERM arrives while the endpoint is still in kube-proxy's and the load balancer's
rules; without a pause, requests keep arriving at a process that is shutting down.

## Example
Failing:
```yaml
containers:
  - name: api
    image: registry.local/api:1.4.2
```
Passing:
```yaml
containers:
  - name: api
    lifecycle:
      preStop:
        sleep: {seconds: 10}
```

## Fix
Add `lifecycle.preStop.sleep.seconds: 10` (Kubernetes 1.30+) or an exec hook running `sleep 10`.
"#,
    ..RuleInfo::new("K8S_PRESTOP_SLEEP", "k8s")
};

pub fn check(cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    let min = cx.cfg.min_prestop_sleep_seconds as i64;
    for c in &w.containers {
        match super::prestop_seconds(c) {
            Some((n, _)) if n >= min => {}
            Some((n, pos)) => out.push(
                Finding::new(
                    &RULE,
                    pos,
                    w.obj.name,
                    format!(
                        "container `{}` of `{}` sleeps {n}s in preStop; at least {min}s is required",
                        c.name, w.obj.name
                    ),
                )
                .help(format!("sleep at least {min}s (`[k8s] min_prestop_sleep_seconds`)")),
            ),
            None => {
                let pos = c.node.at(&["lifecycle", "preStop"]).map_or(c.node.pos, |n| n.pos);
                out.push(
                    Finding::new(
                        &RULE,
                        pos,
                        w.obj.name,
                        format!("container `{}` of `{}` has no preStop hook that waits", c.name, w.obj.name),
                    )
                    .help(format!("add `lifecycle: {{preStop: {{sleep: {{seconds: {}}}}}}}`", min.max(10))),
                );
            }
        }
    }
}
