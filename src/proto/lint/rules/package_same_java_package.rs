//! `PACKAGE_SAME_JAVA_PACKAGE`: All files with a given package have the same value for the java_package option.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files with a given package have the same value for the java_package option.",
    docs: r#"## What it does
Flags every file of a package whose files disagree about `option java_package` (an unset option counts as a value of its own). Reported at the option, or at the start of a file that does not set it.

## Why
`java_package` decides where the package's generated code goes; files of one package with different values split the package in generated code.

## Example
Failing:
```proto
// a.proto
package billing.v1;
option java_package = "A";
// b.proto
package billing.v1;
option java_package = "B";
```

Passing:
```proto
// a.proto
package billing.v1;
option java_package = "A";
// b.proto
package billing.v1;
option java_package = "A";
```

## Fix
Give every file of the package the same `java_package`.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_SAME_JAVA_PACKAGE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    same_file_option(cx, out, "java_package", 1, |f| {
        f.fd.options.as_ref().and_then(|o| o.java_package.clone()).unwrap_or_default()
    });
}
