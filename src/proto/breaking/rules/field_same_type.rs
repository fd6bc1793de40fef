//! `FIELD_SAME_TYPE`: fields have the same types in a given message.
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
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "fields have the same types in a given message",
    docs: r#"## What it does
Reports a field whose type changed: another scalar type, or another message/enum type.

## Why
Generated code changes type, and most type changes also change how the field is encoded.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int32 id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string id = 1; }
```

## Fix
Add a new field with the new type and deprecate the old one.
"#,
    ..RuleInfo::new("FIELD_SAME_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if same_type(p, c) {
            continue;
        }
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
