//! `PACKAGE_SAME_JAVA_MULTIPLE_FILES`: All files with a given package have the same value for the java_multiple_files option.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files with a given package have the same value for the java_multiple_files option.",
    docs: r#"## What it does
Flags every file of a package whose files disagree about `option java_multiple_files` (an unset option counts as a value of its own). Reported at the option, or at the start of a file that does not set it.

## Why
`java_multiple_files` decides where the package's generated code goes; files of one package with different values split the package in generated code.

## Example
Failing:
```proto
// a.proto
package billing.v1;
option java_multiple_files = true;
// b.proto
package billing.v1;
option java_multiple_files = false;
```

Passing:
```proto
// a.proto
package billing.v1;
option java_multiple_files = true;
// b.proto
package billing.v1;
option java_multiple_files = true;
```

## Fix
Give every file of the package the same `java_multiple_files`.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_SAME_JAVA_MULTIPLE_FILES", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    same_file_option(cx, out, "java_multiple_files", 10, |f| {
        f.fd.options.as_ref().and_then(|o| o.java_multiple_files).unwrap_or(false).to_string()
    });
}
