//! `COMMENT_RPC`: RPCs have non-empty comments.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["COMMENTS"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "RPCs have non-empty comments.",
    docs: r#"## What it does
Flags rpcs without a leading comment that says something (blank lines and `buf:lint:ignore` / `nova:ignore` lines do not count). Reported at the name.

## Why
Proto files are the API's documentation: comments flow into generated code and API references.

## Example
Failing:
```proto
service UserService {
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
}
```

Passing:
```proto
service UserService {
  // Returns one user by ID.
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
}
```

## Fix
Write a `//` comment directly above the rpc.
"#,
    unimplemented: None,
    ..RuleInfo::new("COMMENT_RPC", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.methods {
        require_doc_comment(cx, out, el.file, &el.path, "RPC", el.method.name());
    }
}
