//! `RPC_NO_DELETE`: rpcs are not deleted from a given service.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "rpcs are not deleted from a given service",
    docs: r#"## What it does
Reports an RPC (matched by name) that a service no longer declares.

## Why
Clients calling the method get UNIMPLEMENTED; generated client and server code loses the method.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Login(Req) returns (Res);
  rpc Logout(Req) returns (Res);
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Req {}
message Res {}
service AuthService {
  rpc Login(Req) returns (Res);
}
```

## Fix
Keep the RPC (deprecate it with `option deprecated = true;`) until no client calls it, then remove it in a new major version.
"#,
    ..RuleInfo::new("RPC_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (ps, cs) in cx.matched_services() {
        for m in &ps.desc.method {
            if !cs.desc.method.iter().any(|x| x.name() == m.name()) {
                let message =
                    format!("Previously present RPC \"{}\" on service \"{}\" was deleted.", m.name(), cs.name);
                out.at(RULE.id, cx, (ps, cs), message);
            }
        }
    }
}
