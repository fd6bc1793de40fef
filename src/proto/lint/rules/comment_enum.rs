//! `COMMENT_ENUM`: Enums have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Enums have non-empty comments.",
    docs: r#"## What it does
Flags enums without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
enum Color { COLOR_UNSPECIFIED = 0; }
```

Passing:
```proto
// Color of a product.
enum Color { COLOR_UNSPECIFIED = 0; }
```

## Fix
Write a `//` comment directly above the enum.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_ENUM", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.enums {
        require_doc_comment(cx, out, el.file, &el.path, "Enum", el.en.name());
    }
}
