//! `PACKAGE_VERSION_SUFFIX`: The last component of every package is a version (v1, v1beta1, v1p1alpha1, v1test...).
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "The last component of every package is a version (v1, v1beta1, v1p1alpha1, v1test...).",
    docs: r#"## What it does
Flags packages whose last component is not a version of the form `v1`, `v1test...`, `v1alpha`, `v1beta2` or `v1p1alpha1` (major version 1 or more). Reported at the `package` statement.

## Why
A version in the package lets `v2` live next to `v1` so clients migrate at their own pace instead of breaking together.

## Example
Failing:
```proto
package billing;
```

Passing:
```proto
package billing.v1;
```

## Fix
Append a version component (`billing.v1`) and move the files to the matching directory.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_VERSION_SUFFIX", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        let pkg = f.package();
        if pkg.is_empty() || naming::package_version(pkg).is_some() {
            continue;
        }
        out.add(
            i,
            vec![tag::FILE_PACKAGE],
            format!("Package name \"{pkg}\" should be suffixed with a correctly formed version, such as \"{pkg}.v1\"."),
        );
    }
}
