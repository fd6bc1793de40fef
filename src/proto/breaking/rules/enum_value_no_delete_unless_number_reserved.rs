//! `ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`: enum values are not deleted from a given enum unless the number is reserved.
use crate::proto::breaking::engine::{Cx, Out, contains, enum_reserved};
use crate::proto::breaking::rules::common::deleted_enum_values;
use crate::rules::RuleInfo;

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
    for (p, c, n, _) in deleted_enum_values(cx) {
        if !contains(&enum_reserved(c), n as i64) {
            let message = format!(
                "Previously present enum value \"{n}\" on enum \"{}\" was deleted without reserving the number \"{n}\".",
                c.name
            );
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
