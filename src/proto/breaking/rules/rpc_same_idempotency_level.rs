//! `RPC_SAME_IDEMPOTENCY_LEVEL`: rpcs have the same value for the idempotency_level option.
#[allow(unused_imports)]
use crate::proto::breaking::engine::*;
#[allow(unused_imports)]
use crate::proto::breaking::model::{Cardinality, FieldInfo, MessageInfo};
#[allow(unused_imports)]
use crate::proto::breaking::rules::common::*;
use crate::rules::RuleInfo;
#[allow(unused_imports)]
use prost_types::field_descriptor_proto::Type;

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
    for (ps, cs, pm, cm, path) in matched_methods(cx) {
        let get = |m: &prost_types::MethodDescriptorProto| {
            m.options.as_ref().map(|o| o.idempotency_level()).unwrap_or_default().as_str_name()
        };
        if get(pm) != get(cm) {
            let span = cx.cur.files.get(cs.file).and_then(|f| f.loc_or(&[path.as_slice(), &[4, 34]].concat(), &path));
            out.add(
                RULE.id,
                &cx.cur,
                Some(cs.file),
                span,
                &[ps.package, cs.package],
                format!(
                    "RPC \"{}\" on service \"{}\" changed option \"idempotency_level\" from \"{}\" to \"{}\".",
                    cm.name(),
                    cs.name,
                    get(pm),
                    get(cm)
                ),
            );
        }
    }
}
