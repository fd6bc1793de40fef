//! `FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`: fields are not deleted from a given message unless the number is reserved.
use crate::proto::breaking::engine::{Cx, Out, contains, message_reserved};
use crate::rules::RuleInfo;

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
    for (p, c, f) in cx.deleted_fields() {
        if !contains(&message_reserved(c), f.number() as i64) {
            let message = format!(
                "Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the number \"{}\".",
                f.number(),
                f.name(),
                c.name,
                f.number()
            );
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
