//! `STABLE_PACKAGE_NO_IMPORT_UNSTABLE`: Files in stable versioned packages do not import packages with unstable versions.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &[],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Files in stable versioned packages do not import packages with unstable versions.",
    docs: r#"## What it does
Flags imports from a file in a stable package (`foo.v1`) of a file whose package has an unstable version (`bar.v1alpha1`, `bar.v1beta1`, `bar.v1test`). Reported at the import.

## Why
A stable API that depends on an unstable one inherits its instability: the unstable package may change incompatibly at any time.

## Example
Failing:
```proto
package billing.v1;
import "ledger/v1beta1/ledger.proto";
```

Passing:
```proto
package billing.v1;
import "ledger/v1/ledger.proto";
```

## Fix
Promote the imported package to a stable version, or move the dependent file to an unstable package.
"#,
    unimplemented: None,
    ..RuleInfo::new("STABLE_PACKAGE_NO_IMPORT_UNSTABLE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        if naming::package_version(f.package()) != Some(naming::Stability::Stable) {
            continue;
        }
        for (j, dep) in f.fd.dependency.iter().enumerate() {
            let Some(df) = cx.pool.get_file_by_name(dep) else { continue };
            let dp = df.package_name();
            if matches!(naming::package_version(dp), Some(s) if s != naming::Stability::Stable) {
                out.add(
                    i,
                    vec![tag::FILE_DEPENDENCY, j as i32],
                    format!(
                        "This file is in stable package \"{}\", so it should not depend on \"{dep}\" from unstable package \"{dp}\".",
                        f.package()
                    ),
                );
            }
        }
    }
}
