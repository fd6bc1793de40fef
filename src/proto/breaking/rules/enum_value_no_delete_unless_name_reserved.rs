//! `ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`: enum values are not deleted from a given enum unless the name is reserved.
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
    summary: "enum values are not deleted from a given enum unless the name is reserved",
    docs: r#"## What it does
Reports a deleted enum value whose name is not in the enum's `reserved` names.

## Why
JSON carries enum values by name. If the name is free, someone may reuse it for another number and old JSON payloads silently change meaning.

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
  reserved 1;
}
```

## Fix
Reserve the name too: `reserved "ROLE_ADMIN";`.
"#,
    ..RuleInfo::new("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_enums() {
        for (n, names) in deleted_enum_values(p, c) {
            if let Some(name) = names.iter().find(|x| !c.desc.reserved_name.iter().any(|r| r == *x)) {
                out.add(RULE.id, &cx.cur, Some(c.file), cx.cur.loc(c.file, &c.path), &[p.package, c.package], format!("Previously present enum value \"{n}\" on enum \"{}\" was deleted without reserving the name \"{name}\".", c.name));
            }
        }
    }
}
