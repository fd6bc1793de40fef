//! `FIELD_NO_DELETE`: fields are not deleted from a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "fields are not deleted from a given message",
    docs: r#"## What it does
Reports a field number of the previous revision that the message no longer declares. Fields are matched by number; the finding is at the message.

## Why
Generated accessors disappear (consumer code stops compiling), and data peers still send under that number is dropped silently.

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
Keep the field (mark it `[deprecated = true]`). If it must go, reserve its number and name (`reserved 2; reserved "email";`); only the WIRE/WIRE_JSON rule sets accept that.
"#,
    ..RuleInfo::new("FIELD_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c, f) in cx.deleted_fields() {
        let message = format!(
            "Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted.",
            f.number(),
            f.name(),
            c.name
        );
        out.at(RULE.id, cx, (p, c), message);
    }
}
