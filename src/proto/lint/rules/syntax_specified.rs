//! `SYNTAX_SPECIFIED`: All files have a syntax specified.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "All files have a syntax specified.",
    docs: r#"## What it does
Flags files without a `syntax` statement (reported at the start of the file).

## Why
Without a syntax statement a file is silently proto2, which changes field presence and defaults; readers should not have to know that.

## Example
Failing:
```proto
package billing.v1;
message Account {}
```

Passing:
```proto
syntax = "proto3";
package billing.v1;
message Account {}
```

## Fix
Add `syntax = "proto3";` (or `"proto2"`) as the first statement.
"#,
    unimplemented: None,
    ..RuleInfo::new("SYNTAX_SPECIFIED", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        if !f.has_location(&[tag::FILE_SYNTAX]) {
            out.add(
                i,
                vec![],
                "Files must have a syntax explicitly specified. If no syntax is specified, the file defaults to \"proto2\".",
            );
        }
    }
}
