//! `FIELD_WIRE_COMPATIBLE_TYPE`: fields have wire-compatible types in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{field_type_changed, wire_group};
use crate::rules::RuleInfo;
use prost_types::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE"],
    default_enabled: false,
    summary: "fields have wire-compatible types in a given message",
    docs: r#"## What it does
Reports a field whose type changed to one that is not wire-compatible. Compatible groups: int32/uint32/int64/uint64/bool/enum (varint), sint32/sint64 (zigzag), fixed32/sfixed32, fixed64/sfixed64, string/bytes. float, double, messages and groups are only compatible with themselves; a change to another message type is reported too.

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
    // A change to another message (or group) type keeps the wire type but not the meaning.
    field_type_changed(cx, out, RULE.id, |p, c| {
        wire_group(p) == wire_group(c) && !(matches!(c, Type::Message | Type::Group) && p == c)
    });
}
