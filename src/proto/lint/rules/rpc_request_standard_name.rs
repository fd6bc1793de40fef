//! `RPC_REQUEST_STANDARD_NAME`: RPC request type names are RPCNameRequest or ServiceNameRPCNameRequest (configurable).
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "RPC request type names are RPCNameRequest or ServiceNameRPCNameRequest (configurable).",
    docs: r#"## What it does
Flags RPCs whose request message is not named `<Rpc>Request` or `<Service><Rpc>Request` (the RPC and service names in PascalCase). `google.protobuf.Empty` is accepted when `rpc_allow_google_protobuf_empty_requests` is set. Reported at the request type.

## Why
A dedicated, predictably named request message per RPC can grow fields without affecting any other RPC, and readers find it by name.

## Example
Failing:
```proto
service UserService {
  rpc GetUser(UserId) returns (User);
}
```

Passing:
```proto
service UserService {
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
}
```

## Fix
Rename the message, or wrap it: `message GetUserRequest { ... }`.
"#,
    unimplemented: None,
    ..RuleInfo::new("RPC_REQUEST_STANDARD_NAME", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let allow_empty = cx.opts.rpc_allow_google_protobuf_empty_requests;
    rpc_standard_name(cx, out, "Request", |m| m.input_type(), tag::METHOD_INPUT, allow_empty);
}
