//! `RPC_NO_SERVER_STREAMING`: RPCs are not server streaming.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["UNARY_RPC"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "RPCs are not server streaming.",
    docs: r#"## What it does
Flags server-streaming RPCs (reported at the whole RPC, as buf does).

## Why
Streaming RPCs do not work through many proxies, load balancers and browser clients, and are harder to retry and observe; some teams allow only unary RPCs.

## Example
Failing:
```proto
service FileService {
  rpc Watch(WatchRequest) returns (stream WatchResponse);
}
```

Passing:
```proto
service FileService {
  rpc Watch(WatchRequest) returns (WatchResponse);
}
```

## Fix
Use a unary RPC (paginate or poll instead of streaming), or leave the UNARY_RPC category off.
"#,
    unimplemented: None,
    ..RuleInfo::new("RPC_NO_SERVER_STREAMING", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    rpc_no_streaming(cx, out, "server", |m| m.server_streaming());
}
