//! `RPC_PASCAL_CASE`: RPC names are PascalCase.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming::Case;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "RPC names are PascalCase.",
    docs: r#"## What it does
Flags RPC names that are not PascalCase, with buf's word splitting (`HTTPServer` and `FooBar` are PascalCase; `foo_bar1` is lower_snake_case). The finding points at the name.

## Why
Consistent naming is what lets generated code follow each language's conventions; protoc's generators translate PascalCase names predictably, other shapes produce odd or colliding identifiers.

## Example
Failing:
```proto
service UserService { rpc get_user(GetUserRequest) returns (GetUserResponse); }
```

Passing:
```proto
service UserService { rpc GetUser(GetUserRequest) returns (GetUserResponse); }
```

## Fix
Rename the RPC to the suggested form (renaming is a breaking change for JSON and generated code: do it before the first release or add a new element).
"#,
    unimplemented: None,
    ..RuleInfo::new("RPC_PASCAL_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.methods {
        require_case(out, el.file, &el.path, "RPC", el.method.name(), Case::Pascal);
    }
}
