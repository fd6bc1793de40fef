//! `FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY`: fields have wire and JSON compatible cardinalities in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{Cardinality, FieldInfo, Side};
use crate::proto::breaking::rules::common::field_cardinality_changed;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE_JSON", "CSR"],
    default_enabled: false,
    summary: "fields have wire and JSON compatible cardinalities in a given message",
    docs: r#"## What it does
Reports a field that changed between repeated and singular (JSON arrays vs values), or between a map and a repeated field (JSON objects vs arrays). Presence changes are compatible.

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
    let breaks = |cx: &Cx<'_>, p: &FieldInfo<'_>, c: &FieldInfo<'_>| {
        let (pc, cc) = (p.cardinality(), c.cardinality());
        let repeated_changed = (pc == Cardinality::Repeated) != (cc == Cardinality::Repeated);
        let map_changed =
            pc == Cardinality::Repeated && cc == Cardinality::Repeated && cx.prev.is_map(p) != cx.cur.is_map(c);
        repeated_changed || map_changed
    };
    let shape = |side: &Side<'_>, f: &FieldInfo<'_>| if side.is_map(f) { "map" } else { f.cardinality().as_str() };
    field_cardinality_changed(cx, out, RULE.id, breaks, shape);
}
