//! `RPC_RESPONSE_STANDARD_NAME`: RPC response type names are RPCNameResponse or ServiceNameRPCNameResponse (configurable).
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "RPC response type names are RPCNameResponse or ServiceNameRPCNameResponse (configurable).",
    docs: r#"## What it does
Flags RPCs whose response message is not named `<Rpc>Response` or `<Service><Rpc>Response` (the RPC and service names in PascalCase). `google.protobuf.Empty` is accepted when `rpc_allow_google_protobuf_empty_responses` is set. Reported at the response type.

## Why
A dedicated, predictably named response message per RPC can grow fields without affecting any other RPC, and readers find it by name.

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
Rename the message, or wrap it: `message GetUserResponse { ... }`.
"#,
    unimplemented: None,
    ..RuleInfo::new("RPC_RESPONSE_STANDARD_NAME", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let allow_empty = cx.opts.rpc_allow_google_protobuf_empty_responses;
    rpc_standard_name(cx, out, "Response", |m| m.output_type(), tag::METHOD_OUTPUT, allow_empty);
}
