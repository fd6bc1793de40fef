//! `RPC_SAME_REQUEST_TYPE`: RPCs have the same request type.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{Missing, method_property_changed};
use crate::rules::RuleInfo;
use crate::proto::descriptor::MethodDescriptorProto;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "RPCs have the same request type",
    docs: r#"## What it does
Reports an RPC whose request message type changed.

## Why
Both sides encode and decode the request with their own type: a different type means garbage or errors.

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
  rpc Login(Res) returns (Res);
}
```

## Fix
Add a new RPC with the new type.
"#,
    ..RuleInfo::new("RPC_SAME_REQUEST_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let type_name = |m: &MethodDescriptorProto| m.input_type().trim_start_matches('.').to_string();
    method_property_changed(cx, out, RULE.id, (&[2], Missing::Method), type_name, |rpc, service, a, b| {
        format!("RPC \"{rpc}\" on service \"{service}\" changed request type from \"{a}\" to \"{b}\".")
    });
}
