//! `IMPORT_NO_PUBLIC`: Imports are not public.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Imports are not public.",
    docs: r#"## What it does
Flags `import public` statements (reported at the import).

## Why
Public imports re-export another file's types; many languages' generators (Go, for one) cannot express that, and the dependency becomes invisible to readers.

## Example
Failing:
```proto
import public "billing/v1/money.proto";
```

Passing:
```proto
import "billing/v1/money.proto";
```

## Fix
Import the file directly in every file that uses its types.
"#,
    unimplemented: None,
    ..RuleInfo::new("IMPORT_NO_PUBLIC", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        for &j in &f.fd.public_dependency {
            let name = f.fd.dependency.get(j as usize).map(String::as_str).unwrap_or("");
            out.add(i, vec![tag::FILE_DEPENDENCY, j], format!("Import \"{name}\" must not be public."));
        }
    }
}
