//! `NOVA_REMOVED_FIELD_RESERVED`: a field removed since the baseline has its number and its name reserved.
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
    categories: &["NOVA"],
    default_enabled: false,
    summary: "a field removed since the baseline has its number and its name reserved",
    docs: r#"## What it does
Reports a field that existed in the baseline and is gone now, unless the message reserves both its number and its name. This is the registry's own rule ("never reuse a field number: reserve it"); it is off by default and runs when enabled in `nova.toml` (e.g. `[proto.breaking.severity] NOVA_REMOVED_FIELD_RESERVED = "error"`). It runs wherever there is history: `nova proto breaking` and `nova proto check`.

## Why
A freed number or name will be reused sooner or later; old binaries and JSON clients then read the new field as the old one.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  string id = 1;
  string email = 2;
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  string id = 1;
  reserved 2;
}
```

## Fix
Reserve both: `reserved 2; reserved "email";`.
"#,
    ..RuleInfo::new("NOVA_REMOVED_FIELD_RESERVED", "proto")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let reserved = message_reserved(c);
        for f in &p.fields {
            if c.field(f.number()).is_some() {
                continue;
            }
            let num = contains(&reserved, f.number() as i64);
            let name = c.desc.reserved_name.iter().any(|n| n == f.name());
            let missing = match (num, name) {
                (true, true) => continue,
                (false, true) => format!("its number {}", f.number()),
                (true, false) => format!("its name \"{}\"", f.name()),
                (false, false) => format!("its number {} and its name \"{}\"", f.number(), f.name()),
            };
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.msg_loc(c),
                &[p.package, c.package],
                format!(
                    "Field \"{}\" with name \"{}\" was removed from message \"{}\" without reserving {missing}.",
                    f.number(),
                    f.name(),
                    c.name
                ),
            );
        }
    }
}
