//! `FIELD_WIRE_COMPATIBLE_CARDINALITY`: fields have wire-compatible cardinalities in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{Cardinality, FieldInfo};
use crate::proto::breaking::rules::common::field_cardinality_changed;
use crate::rules::RuleInfo;
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
    let length_delimited =
        |f: &FieldInfo<'_>| matches!(f.ty(), Type::String | Type::Bytes | Type::Message | Type::Group);
    let breaks = |_: &Cx<'_>, p: &FieldInfo<'_>, c: &FieldInfo<'_>| {
        let repeated_changed = (p.cardinality() == Cardinality::Repeated) != (c.cardinality() == Cardinality::Repeated);
        repeated_changed && !(length_delimited(p) && length_delimited(c))
    };
    field_cardinality_changed(cx, out, RULE.id, breaks, |_, f| f.cardinality().as_str());
}
