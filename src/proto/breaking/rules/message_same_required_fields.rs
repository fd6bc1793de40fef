//! `MESSAGE_SAME_REQUIRED_FIELDS`: messages have no added or deleted required fields.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{Cardinality, FieldInfo, MessageInfo};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "messages have no added or deleted required fields",
    docs: r#"## What it does
Reports a required field added to a message, and a previously required field that is gone or no longer required. Required is proto2's `required` and, in editions files, a resolved `features.field_presence` of `LEGACY_REQUIRED`, so converting `required` fields to `LEGACY_REQUIRED` is not reported. (buf 1.75 reads only the label: it misses LEGACY_REQUIRED fields and reports that conversion; nova differs there on purpose.)

## Why
Parsers reject a message that lacks a required field. A new required field makes old writers' messages invalid; dropping one makes new writers' messages invalid for old readers.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  required string id = 1;
}
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  required string id = 1;
  required string email = 2;
}
```

## Fix
Add new fields as optional. Never change the required set of a message that is in use.
"#,
    ..RuleInfo::new("MESSAGE_SAME_REQUIRED_FIELDS", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let required = |m: &MessageInfo<'_>, n: i32| m.field(n).is_some_and(|f| f.cardinality() == Cardinality::Required);
    for (p, c) in cx.matched_messages() {
        // buf's wording and places: the message's own name; an added required field at the field,
        // a required field that is gone (deleted, or no longer required) at the message.
        let changed = |f: &FieldInfo<'_>, what: &str| {
            format!(
                "Message \"{}\" had required field \"{}\" {what}. Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage.",
                c.desc.name(),
                f.number()
            )
        };
        for f in c.fields.iter().filter(|f| f.cardinality() == Cardinality::Required && !required(p, f.number())) {
            out.matched(RULE.id, cx, (p, c), cx.field_loc(f, &[]), changed(f, "added"));
        }
        for f in p.fields.iter().filter(|f| f.cardinality() == Cardinality::Required && !required(c, f.number())) {
            out.matched(RULE.id, cx, (p, c), cx.msg_loc(c), changed(f, "deleted"));
        }
    }
}
