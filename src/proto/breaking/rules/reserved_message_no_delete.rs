//! `RESERVED_MESSAGE_NO_DELETE`: reserved ranges and names are not deleted from a given message.
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
    summary: "reserved ranges and names are not deleted from a given message",
    docs: r#"## What it does
Reports a reserved field-number range or reserved name of a message that the current revision no longer reserves (ranges covered by other ranges still count).

## Why
Reservations keep numbers and names of deleted fields from being reused; a reused number makes old peers decode new data as the old field.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  string id = 1;
  reserved 2, 3;
  reserved "email";
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
Restore the reservation.
"#,
    ..RuleInfo::new("RESERVED_MESSAGE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let cur = message_reserved(c);
        for r in message_reserved(p) {
            if !covered(r, &cur) {
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    cx.msg_loc(c),
                    &[p.package, c.package],
                    format!(
                        "Previously present reserved range \"{}\" on message \"{}\" was deleted.",
                        range_string(r, FIELD_MAX),
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
                    cx.msg_loc(c),
                    &[p.package, c.package],
                    format!("Previously present reserved name \"{n}\" on message \"{}\" was deleted.", c.name),
                );
            }
        }
    }
}
