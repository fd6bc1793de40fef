//! `RPC_RESPONSE_STANDARD_NAME`: RPC response type names are RPCNameResponse or ServiceNameRPCNameResponse (configurable).
use crate::diagnostics::Severity;
#[allow(unused_imports)]
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
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
    for m in &cx.methods {
        let full = type_ref(m.method.output_type());
        if cx.opts.rpc_allow_google_protobuf_empty_responses && full == "google.protobuf.Empty" {
            continue;
        }
        let name = full.rsplit('.').next().unwrap_or(full);
        let e1 = format!("{}Response", naming::to_pascal_case(m.method.name()));
        let e2 = format!("{}{e1}", naming::to_pascal_case(m.service.name()));
        if name != e1 && name != e2 {
            out.add(
                m.file,
                with(&m.path, &[tag::METHOD_OUTPUT]),
                format!("RPC response type \"{name}\" should be named \"{e1}\" or \"{e2}\"."),
            );
        }
    }
}
