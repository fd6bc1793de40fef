//! `NOVA_PACKAGE_VERSIONED`: Packages are `<domain>.<version>` (e.g. auth.v1).
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["NOVA"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Packages are `<domain>.<version>` (e.g. auth.v1).",
    docs: r#"## What it does
Flags files whose package is missing, has a single component, or does not end in a version component (`v1`, `v2beta1`, ...). Off unless enabled.

## Why
The registry versions every API by package so `auth.v2` can ship beside `auth.v1`; a package without a domain and version cannot follow that path.

## Example
Failing:
```proto
package auth;
```

Passing:
```proto
package auth.v1;
```

## Fix
Use `<domain>.v<N>` as the package and move the file to `<domain>/v<N>/`.
"#,
    unimplemented: None,
    ..RuleInfo::new("NOVA_PACKAGE_VERSIONED", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        let pkg = f.package();
        let ok = pkg.contains('.') && naming::package_version(pkg).is_some();
        if !ok {
            let shown = if pkg.is_empty() { "(none)".to_string() } else { pkg.to_string() };
            out.add(
                i,
                package_path(f),
                format!("Package {shown} should be versioned like \"auth.v1\" (<domain>.<version>)."),
            );
        }
    }
}
