//! `ENUM_VALUE_NO_DELETE`: enum values are not deleted from a given enum.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::deleted_enum_values;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "enum values are not deleted from a given enum",
    docs: r#"## What it does
Reports an enum value number of the previous revision that the enum no longer declares. Values are matched by number.

## Why
Peers still send the number; code generated from the current revision no longer has a name for it, and JSON clients that send the old name are rejected.

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
Keep the value (deprecate it with `[deprecated = true]`), or delete it and reserve both its number and its name: `reserved 1; reserved "ROLE_ADMIN";` (then only the WIRE/WIRE_JSON rule sets accept it).
"#,
    ..RuleInfo::new("ENUM_VALUE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c, n, _) in deleted_enum_values(cx) {
        out.at(
            RULE.id,
            cx,
            (p, c),
            format!("Previously present enum value \"{n}\" on enum \"{}\" was deleted.", c.name),
        );
    }
}
