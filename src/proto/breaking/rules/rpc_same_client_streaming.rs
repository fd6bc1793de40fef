//! `RPC_SAME_CLIENT_STREAMING`: rpcs have the same client streaming value.
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
    summary: "rpcs have the same client streaming value",
    docs: r#"## What it does
Reports an RPC that changed between unary and client streaming.

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
  rpc Watch(stream Req) returns (Res);
}
```

## Fix
Add a new RPC with the streaming shape.
"#,
    ..RuleInfo::new("RPC_SAME_CLIENT_STREAMING", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (ps, cs, pm, cm, path) in matched_methods(cx) {
        if pm.client_streaming() != cm.client_streaming() {
            let kind = |s: bool| if s { "client streaming" } else { "unary" };
            let span = cx.cur.files.get(cs.file).and_then(|f| f.loc_or(&[path.as_slice(), &[5]].concat(), &path));
            out.add(
                RULE.id,
                &cx.cur,
                Some(cs.file),
                span,
                &[ps.package, cs.package],
                format!(
                    "RPC \"{}\" on service \"{}\" changed from {} to {}.",
                    cm.name(),
                    cs.name,
                    kind(pm.client_streaming()),
                    kind(cm.client_streaming())
                ),
            );
        }
    }
}
