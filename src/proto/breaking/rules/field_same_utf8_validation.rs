//! `FIELD_SAME_UTF8_VALIDATION`: string fields have the same UTF8 validation mode.
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
    summary: "string fields have the same UTF8 validation mode",
    docs: r#"## What it does
Reports a string field whose UTF-8 validation mode changed: proto3 strings are VERIFY (invalid UTF-8 is rejected), proto2 strings NONE.

## Why
A reader that verifies rejects messages that writers without verification produce.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message User { optional string name = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string name = 1; }
```

## Fix
Keep the syntax of the file.
"#,
    ..RuleInfo::new("FIELD_SAME_UTF8_VALIDATION", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if p.ty() != Type::String || c.ty() != Type::String {
            continue;
        }
        let get = |f: &FieldInfo<'_>| if f.proto3 { "VERIFY" } else { "NONE" };
        if get(p) != get(c) {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[]),
                &[p.package, c.package],
                format!("{} changed UTF-8 validation from \"{}\" to \"{}\".", p.describe(), get(p), get(c)),
            );
        }
    }
}
