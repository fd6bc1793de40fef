//! `COMMENT_ENUM_VALUE`: Enum values have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Enum values have non-empty comments.",
    docs: r#"## What it does
Flags enum values without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
enum Color {
  COLOR_UNSPECIFIED = 0;
}
```

Passing:
```proto
enum Color {
  // Not set.
  COLOR_UNSPECIFIED = 0;
}
```

## Fix
Write a `//` comment directly above the enum value.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_ENUM_VALUE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.values {
        require_doc_comment(cx, out, el.file, &el.path, "Enum value", el.value.name());
    }
}
