//! `FIELD_NO_DELETE_UNLESS_NAME_RESERVED`: fields are not deleted from a given message unless the name is reserved.
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
    categories: &["WIRE_JSON", "CSR"],
    default_enabled: false,
    summary: "fields are not deleted from a given message unless the name is reserved",
    docs: r#"## What it does
Reports a deleted field whose name is not among the message's reserved names.

## Why
JSON uses field names. A free name may be reused by a new field of another type and old JSON payloads are then misread.

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
Reserve the name: `reserved "email";`.
"#,
    ..RuleInfo::new("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        for f in &p.fields {
            if c.field(f.number()).is_none() && !c.desc.reserved_name.iter().any(|n| n == f.name()) {
                out.add(RULE.id, &cx.cur, Some(c.file), cx.msg_loc(c), &[p.package, c.package], format!("Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the name \"{}\".", f.number(), f.name(), c.name, f.name()));
            }
        }
    }
}
