//! `RPC_SAME_SERVER_STREAMING`: rpcs have the same server streaming value.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{Missing, method_property_changed};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "rpcs have the same server streaming value",
    docs: r#"## What it does
Reports an RPC that changed between unary and server streaming.

## Why
Streaming changes the call shape on the wire and in every generated stub; existing clients fail.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Watch(Req) returns (Res);
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Watch(Req) returns (stream Res);
}
```

## Fix
Add a new RPC with the streaming shape.
"#,
    ..RuleInfo::new("RPC_SAME_SERVER_STREAMING", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let kind = |s: &bool| if *s { "server streaming" } else { "unary" };
    method_property_changed(
        cx,
        out,
        RULE.id,
        // buf reports at the RPC, not at `stream`.
        (&[], Missing::Method),
        |m| m.server_streaming(),
        |rpc, service, a, b| format!("RPC \"{rpc}\" on service \"{service}\" changed from {} to {}.", kind(a), kind(b)),
    );
}
