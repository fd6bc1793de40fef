//! `RESERVED_MESSAGE_NO_DELETE`: reserved ranges and names are not deleted from a given message.
use crate::proto::breaking::engine::{Cx, Out, reserved_kept};
use crate::rules::RuleInfo;

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
    reserved_kept(cx, out, RULE.id, cx.matched_messages());
}
