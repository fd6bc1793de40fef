//! `RPC_REQUEST_RESPONSE_UNIQUE`: RPC request and response types are only used in one RPC (configurable).
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;
use std::collections::BTreeMap;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "RPC request and response types are only used in one RPC (configurable).",
    docs: r#"## What it does
Flags RPCs that share a request or response type with another RPC, or use one type as both request and response (allowed with `rpc_allow_same_request_response`). `google.protobuf.Empty` may be shared when `rpc_allow_google_protobuf_empty_requests` / `_responses` allow it. Reported at the whole RPC, as buf does.

## Why
Every RPC evolves on its own; a shared message forces a field added for one RPC onto all of them.

## Example
Failing:
```proto
service UserService {
  rpc GetUser(UserRequest) returns (User);
  rpc DeleteUser(UserRequest) returns (User);
}
```

Passing:
```proto
service UserService {
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
  rpc DeleteUser(DeleteUserRequest) returns (DeleteUserResponse);
}
```

## Fix
Give each RPC its own `XRequest` / `XResponse` messages (they can wrap a shared message).
"#,
    unimplemented: None,
    ..RuleInfo::new("RPC_REQUEST_RESPONSE_UNIQUE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    const EMPTY: &str = "google.protobuf.Empty";
    let (allow_req, allow_resp) =
        (cx.opts.rpc_allow_google_protobuf_empty_requests, cx.opts.rpc_allow_google_protobuf_empty_responses);
    // full name -> method; the first definition of a name wins (duplicates do not compile anyway)
    let mut methods: BTreeMap<&str, &MethodEl> = BTreeMap::new();
    for m in &cx.methods {
        methods.entry(m.full_name.as_str()).or_insert(m);
    }
    if !cx.opts.rpc_allow_same_request_response {
        for m in methods.values() {
            let (inp, outp) = (type_ref(m.method.input_type()), type_ref(m.method.output_type()));
            if inp == outp && !(inp == EMPTY && allow_req && allow_resp) {
                out.add(
                    m.file,
                    m.path.clone(),
                    format!("RPC \"{}\" has the same type \"{inp}\" for the request and response.", m.method.name()),
                );
            }
        }
    }
    let mut by_type: BTreeMap<&str, BTreeMap<&str, &MethodEl>> = BTreeMap::new();
    for (name, m) in &methods {
        for t in [type_ref(m.method.input_type()), type_ref(m.method.output_type())] {
            by_type.entry(t).or_default().insert(name, m);
        }
    }
    for (t, ms) in by_type {
        if ms.len() < 2 {
            continue;
        }
        let msg = format!("\"{t}\" is used as the request or response type for multiple RPCs.");
        if t == EMPTY && (allow_req || allow_resp) {
            if allow_req && allow_resp {
                continue;
            }
            for m in ms.values() {
                if allow_req && type_ref(m.method.output_type()) == EMPTY {
                    out.add(m.file, m.path.clone(), msg.clone());
                }
                if allow_resp && type_ref(m.method.input_type()) == EMPTY {
                    out.add(m.file, m.path.clone(), msg.clone());
                }
            }
        } else {
            for m in ms.values() {
                out.add(m.file, m.path.clone(), msg.clone());
            }
        }
    }
}
