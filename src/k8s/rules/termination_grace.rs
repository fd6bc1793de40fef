//! `K8S_TERMINATION_GRACE`: the grace period covers the preStop wait plus the drain.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SHUTDOWN"],
    default_severity: Severity::Error,
    summary: "`terminationGracePeriodSeconds` is greater than the preStop wait plus the service's drain time",
    docs: r#"## What it does
Checks the pod's `terminationGracePeriodSeconds` (30 when absent, Kubernetes' default) is greater
than the longest preStop wait of its containers plus the time the service needs to drain. The drain
time is, first found: the Deployment's `SHUTDOWN_GRACE_SECS` env value, the code's
`shutdown_timeout(N)` or `env_or("SHUTDOWN_GRACE_SECS", N)` default, `[k8s] drain_seconds`
(default 30). A missing key is reported at the pod spec.

## Why
Roadmap P1.3: the kubelet sends SIGKILL when the grace period ends, counted from the start of the
preStop hook; a period shorter than the pause plus the drain kills in-flight requests and open
WebSockets mid-close.

## Example
Failing (preStop 10 s + drain 30 s > 30 s):
```yaml
spec:
  terminationGracePeriodSeconds: 30
```
Passing:
```yaml
spec:
  terminationGracePeriodSeconds: 45
```

## Fix
Raise `terminationGracePeriodSeconds` above the sum the finding gives, or shorten the drain.
"#,
    ..RuleInfo::new("K8S_TERMINATION_GRACE", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let pre = w.containers.iter().filter_map(|c| super::prestop_seconds(c).map(|(n, _)| n)).max().unwrap_or(0);
    let (drain, from) = (&facts.drain.0, &facts.drain.1);
    let need = pre + *drain as i64;
    let (pos, grace, set) = match w.pod.and_then(|p| p.entry("terminationGracePeriodSeconds")) {
        Some((k, v)) => (k.pos, v.as_i64().unwrap_or(0), true),
        None => (w.pod_pos(), 30, false),
    };
    if grace <= need {
        let what = if set { format!("{grace}s") } else { "not set (default 30s)".to_string() };
        out.push(
            Finding::new(&RULE, pos, w.obj.name, format!(
                "terminationGracePeriodSeconds of `{}` is {what}; it must exceed preStop {pre}s + drain {drain}s = {need}s",
                w.obj.name
            ))
            .help(format!("set `terminationGracePeriodSeconds: {}` or more (drain time from {from})", need + 5)),
        );
    }
}
