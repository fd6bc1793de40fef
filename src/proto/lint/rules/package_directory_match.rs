//! `PACKAGE_DIRECTORY_MATCH`: All files are in a directory that matches their package name.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files are in a directory that matches their package name.",
    docs: r#"## What it does
Checks that a file with package `a.b.v1` sits in the directory `a/b/v1` relative to its module root (the import root).

## Why
Matching directories and packages make a type's file findable from its name and keep imports predictable; most generators assume it.

## Example
Failing:
```proto
// billing/account.proto
package billing.v1;
```

Passing:
```proto
// billing/v1/account.proto
package billing.v1;
```

## Fix
Move the file to the directory named after its package, or change the package.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_DIRECTORY_MATCH", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        let pkg = f.package();
        if pkg.is_empty() {
            continue;
        }
        let expected = pkg.replace('.', "/");
        if f.dir() != expected {
            out.add(
                i,
                vec![tag::FILE_PACKAGE],
                format!(
                    "Files with package \"{pkg}\" must be within a directory \"{expected}\" relative to root but were in directory \"{}\".",
                    f.dir()
                ),
            );
        }
    }
}
