//! `FIELD_WIRE_JSON_COMPATIBLE_TYPE`: fields have wire and JSON compatible types in a given message.
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
    categories: &["WIRE_JSON", "CSR"],
    default_enabled: false,
    summary: "fields have wire and JSON compatible types in a given message",
    docs: r#"## What it does
Reports a field whose type changed to one that is not compatible on the wire or in JSON. Compatible groups: int32/uint32/int64/uint64, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64. bool, enums (names in JSON), string and bytes (base64 in JSON) are only compatible with themselves; a change of enum or message type is reported.

## Why
JSON readers parse the value with the type of their schema: `true` is not a number, an enum name is not an integer, base64 is not text.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string token = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { bytes token = 1; }
```

## Fix
Use a new field for the new type.
"#,
    ..RuleInfo::new("FIELD_WIRE_JSON_COMPATIBLE_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if same_type(p, c) {
            continue;
        }
        let (pt, ct) = (p.ty(), c.ty());
        let incompatible =
            json_group(pt) != json_group(ct) || (matches!(ct, Type::Message | Type::Group | Type::Enum) && pt == ct);
        if incompatible {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                type_loc(cx, c),
                &[p.package, c.package],
                format!("{} changed type from \"{}\" to \"{}\".", p.describe(), type_label(p, c), type_label(c, p)),
            );
        }
    }
}
