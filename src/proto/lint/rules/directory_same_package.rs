//! `DIRECTORY_SAME_PACKAGE`: All files in a directory are in the same package.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;
use std::collections::{BTreeMap, BTreeSet};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files in a directory are in the same package.",
    docs: r#"## What it does
Flags every file of a directory whose files declare more than one package (a file without a package counts as a package of its own). The finding points at each file's `package` statement.

## Why
Code generators for most languages map one directory to one package; mixing packages in a directory produces colliding or misplaced generated code.

## Example
Failing:
```proto
// foo/v1/a.proto
package foo.v1;
// foo/v1/b.proto
package bar.v1;
```

Passing:
```proto
// foo/v1/a.proto
package foo.v1;
// foo/v1/b.proto
package foo.v1;
```

## Fix
Move the files of the other package into their own directory.
"#,
    unimplemented: None,
    ..RuleInfo::new("DIRECTORY_SAME_PACKAGE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let mut dirs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in cx.files.iter().enumerate() {
        dirs.entry(f.dir()).or_default().push(i);
    }
    for (dir, files) in dirs {
        let pkgs: BTreeSet<&str> = files.iter().map(|&i| cx.files[i].package()).collect();
        if pkgs.len() < 2 {
            continue;
        }
        let named: Vec<&str> = pkgs.iter().copied().filter(|p| !p.is_empty()).collect();
        let prefix = if pkgs.contains("") {
            if named.len() > 1 {
                format!("Multiple packages \"{}\" and file with no package", named.join(","))
            } else {
                format!("Package \"{}\" and file with no package", named.join(","))
            }
        } else {
            format!("Multiple packages \"{}\"", named.join(","))
        };
        for &i in &files {
            out.add(i, package_path(&cx.files[i]), format!("{prefix} detected within directory \"{dir}\"."));
        }
    }
}
