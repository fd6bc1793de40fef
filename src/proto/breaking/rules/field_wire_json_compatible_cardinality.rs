//! `FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY`: fields have wire and JSON compatible cardinalities in a given message.
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
    for (p, c) in cx.matched_fields() {
        if in_map_entry(cx, p, c) {
            continue;
        }
        let (pc, cc) = (p.cardinality(), c.cardinality());
        let rep_changed = (pc == Cardinality::Repeated) != (cc == Cardinality::Repeated);
        let map_changed =
            pc == Cardinality::Repeated && cc == Cardinality::Repeated && cx.prev.is_map(p) != cx.cur.is_map(c);
        if rep_changed || map_changed {
            let shape = |side: &crate::proto::breaking::model::Side<'_>, f: &FieldInfo<'_>| {
                if side.is_map(f) { "map" } else { f.cardinality().as_str() }
            };
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[4]),
                &[p.package, c.package],
                format!(
                    "{} changed cardinality from \"{}\" to \"{}\".",
                    p.describe(),
                    shape(&cx.prev, p),
                    shape(&cx.cur, c)
                ),
            );
        }
    }
}
