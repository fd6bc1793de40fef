//! `RESERVED_ENUM_NO_DELETE`: reserved ranges and names are not deleted from a given enum.
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
    summary: "reserved ranges and names are not deleted from a given enum",
    docs: r#"## What it does
Reports a reserved number range or reserved name of an enum that the current revision no longer reserves. A range still counts as present when other ranges cover all of its numbers.

## Why
Reservations protect numbers and names of deleted values from reuse; dropping one invites a new value that old peers misread.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  reserved 1 to 3;
  reserved "ROLE_ADMIN";
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  reserved 1 to 2;
}
```

## Fix
Put the reservation back; reservations are forever.
"#,
    ..RuleInfo::new("RESERVED_ENUM_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_enums() {
        let cur = enum_reserved(c);
        for r in enum_reserved(p) {
            if !covered(r, &cur) {
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    cx.cur.loc(c.file, &c.path),
                    &[p.package, c.package],
                    format!(
                        "Previously present reserved range \"{}\" on enum \"{}\" was deleted.",
                        range_string(r, ENUM_MAX),
                        c.name
                    ),
                );
            }
        }
        for n in &p.desc.reserved_name {
            if !c.desc.reserved_name.contains(n) {
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    cx.cur.loc(c.file, &c.path),
                    &[p.package, c.package],
                    format!("Previously present reserved name \"{n}\" on enum \"{}\" was deleted.", c.name),
                );
            }
        }
    }
}
