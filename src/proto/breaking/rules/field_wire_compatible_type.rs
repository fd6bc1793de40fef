//! `FIELD_WIRE_COMPATIBLE_TYPE`: fields have wire-compatible types in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{field_type_changed, wire_compatible};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE"],
    default_enabled: false,
    summary: "fields have wire-compatible types in a given message",
    docs: r#"## What it does
Reports a field whose type changed to one that is not wire-compatible, as buf judges it. Compatible: int32/uint32/int64/uint64/bool (varints), sint32/sint64 (zigzag), fixed32/sfixed32, fixed64/sfixed64, and string to bytes (not bytes to string). Enums are compatible with no other type, another enum or message type is reported, and float, double, messages and groups are only compatible with themselves.

In editions files a message field with `features.message_encoding = DELIMITED` is a group on the wire (`message (delimited encoding)`): switching it with a length-prefixed message is reported; a proto2 group converted to a delimited message field is not.

## Why
Readers decode the bytes with the wire type of their own schema; an incompatible change makes them fail or read garbage.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int64 id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { fixed64 id = 1; }
```

## Fix
Use a new field number for the new type.
"#,
    ..RuleInfo::new("FIELD_WIRE_COMPATIBLE_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    field_type_changed(cx, out, RULE.id, wire_compatible, SEE);
}

/// buf's pointer to the rules, ending the message.
const SEE: &str = " See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.";
