//! `FIELD_SAME_CPP_STRING_TYPE`: fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, Side};
use crate::proto::breaking::rules::common::field_property_changed;
use crate::rules::RuleInfo;
use crate::proto::descriptor::field_descriptor_proto::Type;

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
    let ctype = |_: &Side<'_>, f: &FieldInfo<'_>| {
        matches!(f.ty(), Type::String | Type::Bytes)
            .then(|| f.desc.options.as_ref().map(|o| o.ctype()).unwrap_or_default().as_str_name())
    };
    field_property_changed(cx, out, RULE.id, &[8, 1], ctype, "C++ string type");
}
