//! `RPC_SAME_IDEMPOTENCY_LEVEL`: rpcs have the same value for the idempotency_level option.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{Missing, method_property_changed};
use crate::rules::RuleInfo;
use crate::proto::descriptor::MethodDescriptorProto;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "rpcs have the same value for the idempotency_level option",
    docs: r#"## What it does
Reports an RPC whose `idempotency_level` option (IDEMPOTENCY_UNKNOWN, NO_SIDE_EFFECTS, IDEMPOTENT) changed.

## Why
Clients and proxies choose HTTP GET, retries and caching from it (Connect uses GET for NO_SIDE_EFFECTS); a change alters how calls travel.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Get(Req) returns (Res) { option idempotency_level = NO_SIDE_EFFECTS; }
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Get(Req) returns (Res);
}
```

## Fix
Keep the idempotency level.
"#,
    ..RuleInfo::new("RPC_SAME_IDEMPOTENCY_LEVEL", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let level = |m: &MethodDescriptorProto| m.options.as_ref().map(|o| o.idempotency_level()).unwrap_or_default();
    method_property_changed(cx, out, RULE.id, (&[4, 34], Missing::FileStart), level, |rpc, service, a, b| {
        format!(
            "RPC \"{rpc}\" on service \"{service}\" changed option \"idempotency_level\" from \"{}\" to \"{}\".",
            a.as_str_name(),
            b.as_str_name()
        )
    });
}
