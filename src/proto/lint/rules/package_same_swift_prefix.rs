//! `PACKAGE_SAME_SWIFT_PREFIX`: All files with a given package have the same value for the swift_prefix option.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files with a given package have the same value for the swift_prefix option.",
    docs: r#"## What it does
Flags every file of a package whose files disagree about `option swift_prefix` (an unset option counts as a value of its own). Reported at the option, or at the start of a file that does not set it.

## Why
`swift_prefix` decides where the package's generated code goes; files of one package with different values split the package in generated code.

## Example
Failing:
```proto
// a.proto
package billing.v1;
option swift_prefix = "A";
// b.proto
package billing.v1;
option swift_prefix = "B";
```

Passing:
```proto
// a.proto
package billing.v1;
option swift_prefix = "A";
// b.proto
package billing.v1;
option swift_prefix = "A";
```

## Fix
Give every file of the package the same `swift_prefix`.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_SAME_SWIFT_PREFIX", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    same_file_option(cx, out, "swift_prefix", 39, |f| {
        f.fd.options.as_ref().and_then(|o| o.swift_prefix.clone()).unwrap_or_default()
    });
}
