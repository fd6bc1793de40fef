//! `MESSAGE_SAME_REQUIRED_FIELDS`: messages have no added or deleted required fields.
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
    summary: "messages have no added or deleted required fields",
    docs: r#"## What it does
Reports a required field added to a message, and a previously required field that is gone or no longer required.

## Why
Parsers reject a message that lacks a required field. A new required field makes old writers' messages invalid; dropping one makes new writers' messages invalid for old readers.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  required string id = 1;
}
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  required string id = 1;
  required string email = 2;
}
```

## Fix
Add new fields as optional. Never change the required set of a message that is in use.
"#,
    ..RuleInfo::new("MESSAGE_SAME_REQUIRED_FIELDS", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let req = |m: &'_ MessageInfo<'_>, n: i32| m.field(n).is_some_and(|f| f.cardinality() == Cardinality::Required);
        for f in &c.fields {
            if f.cardinality() == Cardinality::Required && !req(p, f.number()) {
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    cx.field_loc(f, &[]),
                    &[p.package, c.package],
                    format!(
                        "Message \"{}\" had required field \"{}\" with name \"{}\" added.",
                        c.name,
                        f.number(),
                        f.name()
                    ),
                );
            }
        }
        for f in &p.fields {
            if f.cardinality() == Cardinality::Required && !req(c, f.number()) {
                let span = c.field(f.number()).map(|cf| cx.field_loc(cf, &[4])).unwrap_or_else(|| cx.msg_loc(c));
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    span,
                    &[p.package, c.package],
                    format!(
                        "Message \"{}\" had required field \"{}\" with name \"{}\" deleted.",
                        c.name,
                        f.number(),
                        f.name()
                    ),
                );
            }
        }
    }
}
