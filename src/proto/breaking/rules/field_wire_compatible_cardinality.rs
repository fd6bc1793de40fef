//! `FIELD_WIRE_COMPATIBLE_CARDINALITY`: fields have wire-compatible cardinalities in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::cardinality_group_changed;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE"],
    default_enabled: false,
    summary: "fields have wire-compatible cardinalities in a given message",
    docs: r#"## What it does
Reports a field that moved between buf's wire cardinality groups: singular (explicit or implicit presence), required, and repeated (a map counts as repeated). Changing between explicit and implicit presence is not reported; any other change is, whatever the field's type (as buf 1.75 does). In editions files presence is the resolved `features.field_presence`: `LEGACY_REQUIRED` is required.

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
    cardinality_group_changed(cx, out, RULE.id, false);
}
