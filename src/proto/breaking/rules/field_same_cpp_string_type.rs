//! `FIELD_SAME_CPP_STRING_TYPE`: fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature.
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
    summary: "fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature",
    docs: r#"## What it does
Reports a string or bytes field whose C++ string type (the `ctype` option: STRING, CORD, STRING_PIECE) changed.

## Why
C++ generated accessors differ per string type; changing it breaks C++ consumers.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Blob { optional bytes data = 1; }
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Blob { optional bytes data = 1 [ctype = CORD]; }
```

## Fix
Keep the ctype.
"#,
    ..RuleInfo::new("FIELD_SAME_CPP_STRING_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if !matches!(p.ty(), Type::String | Type::Bytes) || !matches!(c.ty(), Type::String | Type::Bytes) {
            continue;
        }
        let get = |f: &FieldInfo<'_>| f.desc.options.as_ref().map(|o| o.ctype()).unwrap_or_default().as_str_name();
        if get(p) != get(c) {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[8, 1]),
                &[p.package, c.package],
                format!("{} changed C++ string type from \"{}\" to \"{}\".", p.describe(), get(p), get(c)),
            );
        }
    }
}
