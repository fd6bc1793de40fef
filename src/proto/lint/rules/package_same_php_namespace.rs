//! `PACKAGE_SAME_PHP_NAMESPACE`: All files with a given package have the same value for the php_namespace option.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files with a given package have the same value for the php_namespace option.",
    docs: r#"## What it does
Flags every file of a package whose files disagree about `option php_namespace` (an unset option counts as a value of its own). Reported at the option, or at the start of a file that does not set it.

## Why
`php_namespace` decides where the package's generated code goes; files of one package with different values split the package in generated code.

## Example
Failing:
```proto
// a.proto
package billing.v1;
option php_namespace = "A";
// b.proto
package billing.v1;
option php_namespace = "B";
```

Passing:
```proto
// a.proto
package billing.v1;
option php_namespace = "A";
// b.proto
package billing.v1;
option php_namespace = "A";
```

## Fix
Give every file of the package the same `php_namespace`.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_SAME_PHP_NAMESPACE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    same_file_option(cx, out, "php_namespace", 41, |f| {
        f.fd.options.as_ref().and_then(|o| o.php_namespace.clone()).unwrap_or_default()
    });
}
