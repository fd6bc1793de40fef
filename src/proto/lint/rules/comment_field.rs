//! `COMMENT_FIELD`: Fields have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Fields have non-empty comments.",
    docs: r#"## What it does
Flags fields without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
message User {
  string id = 1;
}
```

Passing:
```proto
message User {
  // Stable user ID (UUID).
  string id = 1;
}
```

## Fix
Write a `//` comment directly above the field.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_FIELD", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.fields {
        // A group's field is declared by the group, which COMMENT_MESSAGE covers (as buf).
        if el.in_map_entry || el.field.r#type() == crate::proto::descriptor::field_descriptor_proto::Type::Group {
            continue;
        }
        require_doc_comment(cx, out, el.file, &el.path, "Field", el.field.name());
    }
}
