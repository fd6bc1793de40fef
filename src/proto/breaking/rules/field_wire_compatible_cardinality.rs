//! `FIELD_WIRE_COMPATIBLE_CARDINALITY`: fields have wire-compatible cardinalities in a given message.
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
    summary: "fields have wire-compatible cardinalities in a given message",
    docs: r#"## What it does
Reports a field that changed between repeated and singular when the element type is packable (numbers, bools, enums): packed repeated data cannot be read as a singular field. For strings, bytes and messages the change is wire-compatible and not reported; presence changes (implicit/explicit/required) are wire-compatible.

## Why
A reader expecting a singular varint that receives a packed array drops it as an unknown field.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int32 score = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { repeated int32 score = 1; }
```

## Fix
Use a new field number for the repeated field.
"#,
    ..RuleInfo::new("FIELD_WIRE_COMPATIBLE_CARDINALITY", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if in_map_entry(cx, p, c) {
            continue;
        }
        let (pc, cc) = (p.cardinality(), c.cardinality());
        let rep_changed = (pc == Cardinality::Repeated) != (cc == Cardinality::Repeated);
        let length_delimited =
            |f: &FieldInfo<'_>| matches!(f.ty(), Type::String | Type::Bytes | Type::Message | Type::Group);
        if rep_changed && !(length_delimited(p) && length_delimited(c)) {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[4]),
                &[p.package, c.package],
                format!("{} changed cardinality from \"{}\" to \"{}\".", p.describe(), pc.as_str(), cc.as_str()),
            );
        }
    }
}
