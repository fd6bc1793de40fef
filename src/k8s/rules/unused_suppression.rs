//! `K8S_UNUSED_SUPPRESSION`: a `# nova:ignore` comment in a manifest that silences nothing.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SUPPRESSION"],
    default_severity: Severity::Warning,
    summary: "A `# nova:ignore RULE` comment in a manifest matched no k8s finding",
    docs: r#"## What it does
Reports a `# nova:ignore RULE reason` comment whose rule had no finding on the comment's line or
the line below it (or that names a rule nova does not know).

## Why
A stale suppression hides the next real finding at that place, and a misspelt one never worked.

## Example
Failing:
```yaml
replicas: 3  # nova:ignore K8S_WS_REPLICAS one is enough
```
Passing: the same comment on `replicas: 1` of a WebSocket Deployment, where it silences a finding.

## Fix
Delete the comment, or correct the rule ID.
"#,
    ..RuleInfo::new("K8S_UNUSED_SUPPRESSION", "k8s")
};
