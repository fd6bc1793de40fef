//! `FIELD_SAME_CARDINALITY`: fields have the same cardinalities in a given message.
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
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "fields have the same cardinalities in a given message",
    docs: r#"## What it does
Reports a field whose cardinality changed: optional with implicit presence (proto3 scalar), optional with explicit presence (proto2 optional, proto3 `optional`, messages, oneof members), required, repeated.

## Why
Cardinality decides the generated API (`Option<T>` vs `T` vs `Vec<T>`, `has_` methods) and, for repeated scalars, the encoding.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string name = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { optional string name = 1; }
```

## Fix
Keep the cardinality; add a new field if the shape must change.
"#,
    ..RuleInfo::new("FIELD_SAME_CARDINALITY", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if in_map_entry(cx, p, c) {
            continue;
        }
        let (pc, cc) = (p.cardinality(), c.cardinality());
        if pc != cc {
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
