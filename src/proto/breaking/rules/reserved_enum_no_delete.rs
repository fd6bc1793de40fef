//! `RESERVED_ENUM_NO_DELETE`: reserved ranges and names are not deleted from a given enum.
use crate::proto::breaking::engine::{Cx, Out, reserved_kept};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "reserved ranges and names are not deleted from a given enum",
    docs: r#"## What it does
Reports a reserved number range or reserved name of an enum that the current revision no longer reserves. A range still counts as present when other ranges cover all of its numbers.

## Why
Reservations protect numbers and names of deleted values from reuse; dropping one invites a new value that old peers misread.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  reserved 1 to 3;
  reserved "ROLE_ADMIN";
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  reserved 1 to 2;
}
```

## Fix
Put the reservation back; reservations are forever.
"#,
    ..RuleInfo::new("RESERVED_ENUM_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    reserved_kept(cx, out, RULE.id, cx.matched_enums());
}
