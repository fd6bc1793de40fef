//! `ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`: enum values are not deleted from a given enum unless the number is reserved.
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
    summary: "enum values are not deleted from a given enum unless the number is reserved",
    docs: r#"## What it does
Reports a deleted enum value whose number is not covered by the enum's `reserved` ranges.

## Why
A free number can be reused for a new value; old peers then read the new value with the old meaning.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  ROLE_ADMIN = 1;
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
}
```

## Fix
Reserve the number: `reserved 1;` (and the name: `reserved "ROLE_ADMIN";`).
"#,
    ..RuleInfo::new("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_enums() {
        let reserved = enum_reserved(c);
        for (n, _) in deleted_enum_values(p, c) {
            if !contains(&reserved, n as i64) {
                out.add(RULE.id, &cx.cur, Some(c.file), cx.cur.loc(c.file, &c.path), &[p.package, c.package], format!("Previously present enum value \"{n}\" on enum \"{}\" was deleted without reserving the number \"{n}\".", c.name));
            }
        }
    }
}
