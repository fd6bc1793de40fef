//! `PACKAGE_LOWER_SNAKE_CASE`: Packages are lower_snake.case.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Packages are lower_snake.case.",
    docs: r#"## What it does
Flags packages whose dot-separated components are not each lower_snake_case (reported at the `package` statement).

## Why
Package names become namespaces, modules and directories in generated code; lower_snake components work in every language and on case-insensitive file systems.

## Example
Failing:
```proto
package Billing.V1;
```

Passing:
```proto
package billing.v1;
```

## Fix
Rename the package (and move the file to the matching directory).
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_LOWER_SNAKE_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        let pkg = f.package();
        if pkg.is_empty() {
            continue;
        }
        let expected: Vec<String> = pkg.split('.').map(naming::to_lower_snake_case).collect();
        let expected = expected.join(".");
        if pkg != expected {
            out.add(
                i,
                vec![tag::FILE_PACKAGE],
                format!("Package name \"{pkg}\" should be lower_snake.case, such as \"{expected}\"."),
            );
        }
    }
}
