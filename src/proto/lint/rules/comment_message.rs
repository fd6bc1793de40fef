//! `COMMENT_MESSAGE`: Messages have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Messages have non-empty comments.",
    docs: r#"## What it does
Flags messages without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
message User {}
```

Passing:
```proto
// A registered user.
message User {}
```

## Fix
Write a `//` comment directly above the message.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_MESSAGE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.messages {
        if el.is_map_entry {
            continue;
        }
        require_doc_comment(cx, out, el.file, &el.path, "Message", el.msg.name());
    }
}
