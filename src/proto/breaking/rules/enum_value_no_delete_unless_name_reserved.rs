//! `ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`: enum values are not deleted from a given enum unless the name is reserved.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::deleted_enum_values;
use crate::rules::RuleInfo;

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
    for (p, c, n, names) in deleted_enum_values(cx) {
        if let Some(name) = names.iter().find(|x| !c.desc.reserved_name.iter().any(|r| r == *x)) {
            let message = format!(
                "Previously present enum value \"{n}\" on enum \"{}\" was deleted without reserving the name \"{name}\".",
                c.name
            );
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
