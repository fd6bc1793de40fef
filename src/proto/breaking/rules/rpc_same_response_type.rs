//! `RPC_SAME_RESPONSE_TYPE`: RPCs have the same response type.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{Missing, method_property_changed};
use crate::rules::RuleInfo;
use crate::proto::descriptor::MethodDescriptorProto;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "RPCs have the same response type",
    docs: r#"## What it does
Reports an RPC whose response message type changed.

## Why
Both sides encode and decode the response with their own type: a different type means garbage or errors.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Login(Req) returns (Res);
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Login(Req) returns (Req);
}
```

## Fix
Add a new RPC with the new type.
"#,
    ..RuleInfo::new("RPC_SAME_RESPONSE_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let type_name = |m: &MethodDescriptorProto| m.output_type().trim_start_matches('.').to_string();
    method_property_changed(cx, out, RULE.id, (&[3], Missing::Method), type_name, |rpc, service, a, b| {
        format!("RPC \"{rpc}\" on service \"{service}\" changed response type from \"{a}\" to \"{b}\".")
    });
}
