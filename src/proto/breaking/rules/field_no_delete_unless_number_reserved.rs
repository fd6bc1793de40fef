//! `FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`: fields are not deleted from a given message unless the number is reserved.
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
    categories: &["WIRE_JSON", "WIRE", "CSR"],
    default_enabled: false,
    summary: "fields are not deleted from a given message unless the number is reserved",
    docs: r#"## What it does
Reports a deleted field whose number is not covered by the message's reserved ranges.

## Why
A free number can be reused for a new field; old peers then decode new data as the old field: silent corruption.

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
}
```

## Fix
Reserve the number: `reserved 2;` (and the name).
"#,
    ..RuleInfo::new("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let reserved = message_reserved(c);
        for f in &p.fields {
            if c.field(f.number()).is_none() && !contains(&reserved, f.number() as i64) {
                out.add(RULE.id, &cx.cur, Some(c.file), cx.msg_loc(c), &[p.package, c.package], format!("Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the number \"{}\".", f.number(), f.name(), c.name, f.number()));
            }
        }
    }
}
