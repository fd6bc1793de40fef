//! `PACKAGE_DEFINED`: All files have a package defined.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files have a package defined.",
    docs: r#"## What it does
Flags files without a `package` statement (reported at the start of the file).

## Why
Without a package every type lands in the global namespace, where names collide across files and teams, and generated code has no sensible home.

## Example
Failing:
```proto
syntax = "proto3";
message Account {}
```

Passing:
```proto
syntax = "proto3";
package billing.v1;
message Account {}
```

## Fix
Add a `package` statement matching the file's directory (`billing/v1/` -> `package billing.v1;`).
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_DEFINED", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        if f.package().is_empty() {
            out.add(i, vec![], "Files must have a package defined.");
        }
    }
}
