//! `COMMENT_ONEOF`: Oneofs have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Oneofs have non-empty comments.",
    docs: r#"## What it does
Flags oneofs without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
message Pay {
  oneof method { string card = 1; }
}
```

Passing:
```proto
message Pay {
  // How the order is paid.
  oneof method { string card = 1; }
}
```

## Fix
Write a `//` comment directly above the oneof.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_ONEOF", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.oneofs {
        if el.synthetic {
            continue;
        }
        require_doc_comment(cx, out, el.file, &el.path, "Oneof", el.oneof.name());
    }
}
