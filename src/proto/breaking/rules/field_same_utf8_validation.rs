//! `FIELD_SAME_UTF8_VALIDATION`: string fields have the same UTF8 validation mode.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, FileInfo, Side};
use crate::proto::breaking::rules::common::field_property_changed;
use crate::rules::RuleInfo;
use crate::proto::descriptor::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "string fields have the same UTF8 validation mode",
    docs: r#"## What it does
Reports a string field whose UTF-8 validation mode changed: proto3 strings are VERIFY (invalid UTF-8 is rejected), proto2 strings NONE. The mode is the resolved `features.utf8_validation` (editions default to VERIFY; set on the field or the file), so a proto2 file converted to editions with `option features.utf8_validation = NONE;` is not reported. Reported at the field's own `features.utf8_validation` option when it has one, else at the field.

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
    let mode = |_: &Side<'_>, f: &FieldInfo<'_>| (f.ty() == Type::String).then(|| f.features.utf8_validation.as_str_name());
    // As buf: at the field's own `features.utf8_validation` option when it writes one.
    let at = |f: &FileInfo<'_>, c: &FieldInfo<'_>| f.option_loc(&c.path, 8, &[21, 4], "features.utf8_validation");
    field_property_changed(cx, out, RULE.id, at, mode, ("UTF8 validation", false));
}
