//! `FIELD_NO_DELETE_UNLESS_NAME_RESERVED`: fields are not deleted from a given message unless the name is reserved.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

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
    for (p, c, f) in cx.deleted_fields() {
        if !c.desc.reserved_name.iter().any(|n| n == f.name()) {
            let message = format!(
                "Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the name \"{}\".",
                f.number(),
                f.name(),
                c.name,
                f.name()
            );
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
