//! `PACKAGE_SAME_DIRECTORY`: All files with a given package are in the same directory.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;
use std::collections::{BTreeMap, BTreeSet};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files with a given package are in the same directory.",
    docs: r#"## What it does
Flags every file of a package whose files are spread over more than one directory.

## Why
A package split across directories cannot map onto one generated package or module in most languages.

## Example
Failing:
```proto
// billing/v1/a.proto
package billing.v1;
// billing/v1/internal/b.proto
package billing.v1;
```

Passing:
```proto
// billing/v1/a.proto
package billing.v1;
// billing/v1/b.proto
package billing.v1;
```

## Fix
Move the files into one directory (the one matching the package).
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_SAME_DIRECTORY", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let mut pkgs: BTreeMap<&str, (BTreeSet<&str>, Vec<usize>)> = BTreeMap::new();
    // Files without a package form a package "" of their own, as in buf.
    for (i, f) in cx.files.iter().enumerate() {
        let e = pkgs.entry(f.package()).or_default();
        e.0.insert(f.dir());
        e.1.push(i);
    }
    for (pkg, (dirs, files)) in pkgs {
        if dirs.len() > 1 {
            let dirs: Vec<&str> = dirs.into_iter().collect();
            for i in files {
                out.add(
                    i,
                    vec![tag::FILE_PACKAGE],
                    format!("Multiple directories \"{}\" contain files with package \"{pkg}\".", dirs.join(",")),
                );
            }
        }
    }
}
