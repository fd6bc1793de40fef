//! `FIELD_SAME_CARDINALITY`: fields have the same cardinalities in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::field_cardinality_changed;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "fields have the same cardinalities in a given message",
    docs: r#"## What it does
Reports a field whose cardinality changed: optional with implicit presence (proto3 scalar), optional with explicit presence (proto2 optional, proto3 `optional`, messages, oneof members, extensions), required, repeated.

Presence is the resolved `features.field_presence`, so the rule compares meaning across syntaxes: in editions files a field sets it or inherits it from the file (`IMPLICIT`, `EXPLICIT`, `LEGACY_REQUIRED` = required), and message fields, oneof members and extensions always have explicit presence. A proto3 file converted to editions with `option features.field_presence = IMPLICIT;` and `features.field_presence = EXPLICIT` on its `optional` fields is not reported; setting or inheriting another presence is. An editions field without a label is reported at the field.

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
    field_cardinality_changed(
        cx,
        out,
        RULE.id,
        |_, p, c| p.cardinality() != c.cardinality(),
        |_, f| f.cardinality().as_str(),
    );
}
