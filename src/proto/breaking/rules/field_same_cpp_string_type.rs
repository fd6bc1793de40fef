//! `FIELD_SAME_CPP_STRING_TYPE`: fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, FileInfo, Side};
use crate::proto::breaking::rules::common::field_property_changed;
use crate::rules::RuleInfo;
use crate::proto::descriptor::field_descriptor_proto::Type;
use crate::proto::descriptor::field_options::CType;
use crate::proto::descriptor::pb::cpp_features::StringType;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature",
    docs: r#"## What it does
Reports a string or bytes field whose C++ string type changed: the resolved `features.(pb.cpp).string_type` (STRING, CORD, VIEW; edition 2024 defaults to VIEW), where the `ctype` option counts as its feature (`CORD` is CORD; `STRING_PIECE` is a kind of STRING of its own: equal to any STRING, different from VIEW, as buf 1.75 compares it). A proto2 `[ctype = CORD]` field converted to `[features.(pb.cpp).string_type = CORD]` is not reported; a proto3 file converted to edition 2024 is, unless it keeps `option features.(pb.cpp).string_type = STRING;`. Reported at the field's `features.(pb.cpp).string_type`, else its `ctype`, else the field.

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
    // As buf: at the field's `features.(pb.cpp).string_type`, else its `ctype`, else the field.
    let at = |f: &FileInfo<'_>, c: &FieldInfo<'_>| {
        f.option_loc(&c.path, 8, &[21, 1000, 2], "features.(pb.cpp).string_type").or_else(|| f.loc(&c.loc_key(&[8, 1])))
    };
    field_property_changed(cx, out, RULE.id, at, string_type, ("C++ string type", true));
}

/// The C++ string type as buf 1.75 compares it: `ctype = STRING_PIECE` is a `STRING` of its own
/// kind (equal to any `STRING`, different from `VIEW`), else the resolved
/// `features.(pb.cpp).string_type` (`ctype = CORD` resolves to `CORD`).
#[derive(Clone, Copy)]
struct CppString {
    ty: StringType,
    piece: bool,
}

impl PartialEq for CppString {
    fn eq(&self, other: &Self) -> bool {
        (self.piece && other.piece) || self.ty == other.ty
    }
}

impl std::fmt::Display for CppString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.piece { "STRING_PIECE" } else { self.ty.as_str_name() })
    }
}

fn string_type(_: &Side<'_>, f: &FieldInfo<'_>) -> Option<CppString> {
    if !matches!(f.ty(), Type::String | Type::Bytes) {
        return None;
    }
    let piece = f.desc.options.as_ref().is_some_and(|o| o.ctype() == CType::StringPiece);
    Some(CppString { ty: if piece { StringType::String } else { f.features.cpp_string_type }, piece })
}
