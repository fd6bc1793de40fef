//! `K8S_SERVICE_SELECTOR`: a Service's selector matches some workload's pod labels.
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::{labels, selects};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "A Service's selector matches the pod labels of a Deployment or StatefulSet",
    docs: r#"## What it does
For each Service with a `spec.selector`, checks that some Deployment or StatefulSet among the
checked manifests, in the same namespace, has all of the selector's labels on its pod template
(`spec.template.metadata.labels`). A selector that matches only a workload's own
`metadata.labels` is reported with that workload as a label. Services without a selector
(ExternalName, hand-made Endpoints) are not judged.

## Why
A selector that matches no pod gives a Service with no endpoints: every call to it is refused,
and nothing in `kubectl apply` says so.

## Example
Failing:
```yaml
kind: Service
spec: {selector: {app: user-svc}}   # the pods are labelled app: user-service
```
Passing:
```yaml
kind: Service
spec: {selector: {app: user-service}}
```

## Fix
Make the selector the pod template's labels.
"#,
    ..RuleInfo::new("K8S_SERVICE_SELECTOR", "k8s")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.cluster.services {
        let Some((key, _)) = s.obj.node.get("spec").and_then(|sp| sp.entry("selector")) else { continue };
        if s.selector.is_empty() || !cx.cluster.workloads_of(s).is_empty() {
            continue;
        }
        let shown: Vec<String> = s.selector.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let mut f = Finding::new(
            &RULE,
            key.pos,
            s.obj.name,
            format!(
                "selector {{{}}} of Service `{}` matches no Deployment's or StatefulSet's pod labels in namespace `{}`",
                shown.join(", "),
                s.obj.name,
                s.obj.namespace
            ),
        )
        .help("make the selector match `spec.template.metadata.labels` of the workload");
        for w in cx.cluster.workloads.iter().filter(|w| w.obj.namespace == s.obj.namespace) {
            if selects(&s.selector, &labels(w.obj.node.at(&["metadata", "labels"]))) {
                f = f.label(w.obj.pos(), format!("`{}` has these labels on itself, not on its pods", w.obj.id()));
            }
        }
        out.push(f);
    }
}
