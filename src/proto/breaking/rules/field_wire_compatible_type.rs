//! `FIELD_WIRE_COMPATIBLE_TYPE`: fields have wire-compatible types in a given message.
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
    for (p, c) in cx.matched_fields() {
        if same_type(p, c) {
            continue;
        }
        let (pt, ct) = (p.ty(), c.ty());
        let incompatible = wire_group(pt) != wire_group(ct) || (matches!(ct, Type::Message | Type::Group) && pt == ct);
        if incompatible {
            let msg =
                format!("{} changed type from \"{}\" to \"{}\".", p.describe(), type_label(p, c), type_label(c, p));
            out.add(RULE.id, &cx.cur, Some(c.file), type_loc(cx, c), &[p.package, c.package], msg);
        }
    }
}
