//! `SERVICE_SUFFIX`: Services have a consistent suffix (default Service).
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Services have a consistent suffix (default Service).",
    docs: r#"## What it does
Flags services whose name does not end with the configured suffix (`service_suffix`, default `Service`). Reported at the service name.

## Why
A fixed suffix separates service names from message names and makes generated clients and servers recognisable.

## Example
Failing:
```proto
service Users {}
```

Passing:
```proto
service UserService {}
```

## Fix
Rename the service with the suffix.
"#,
    unimplemented: None,
    ..RuleInfo::new("SERVICE_SUFFIX", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let suffix = cx.opts.service_suffix.as_str();
    for s in &cx.services {
        if !s.service.name().ends_with(suffix) {
            out.add(
                s.file,
                with(&s.path, &[tag::NAME]),
                format!("Service name \"{}\" should be suffixed with \"{suffix}\".", s.service.name()),
            );
        }
    }
}
