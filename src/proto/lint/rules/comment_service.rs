//! `COMMENT_SERVICE`: Services have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Services have non-empty comments.",
    docs: r#"## What it does
Flags services without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
service UserService {}
```

Passing:
```proto
// Manages users.
service UserService {}
```

## Fix
Write a `//` comment directly above the service.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_SERVICE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.services {
        require_doc_comment(cx, out, el.file, &el.path, "Service", el.service.name());
    }
}
