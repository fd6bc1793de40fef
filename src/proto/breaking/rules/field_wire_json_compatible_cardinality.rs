//! `FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY`: fields have wire and JSON compatible cardinalities in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::cardinality_group_changed;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE_JSON", "CSR"],
    default_enabled: false,
    summary: "fields have wire and JSON compatible cardinalities in a given message",
    docs: r#"## What it does
Reports a field that moved between buf's wire-and-JSON cardinality groups: singular (explicit or implicit presence), required, repeated (a JSON array) and map (a JSON object). Changing between explicit and implicit presence is not reported; any other change is (as buf 1.75 does). In editions files presence is the resolved `features.field_presence`: `LEGACY_REQUIRED` is required.

## Why
JSON readers expect an array for repeated fields, an object for maps and a single value otherwise.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string tag = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { repeated string tag = 1; }
```

## Fix
Add a new field for the new shape.
"#,
    ..RuleInfo::new("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    cardinality_group_changed(cx, out, RULE.id, true);
}
