//! `FIELD_SAME_JAVA_UTF8_VALIDATION`: fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, Side};
use crate::proto::breaking::rules::common::field_property_changed;
use crate::rules::RuleInfo;
use prost_types::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature",
    docs: r#"## What it does
Reports a string field whose Java UTF-8 validation changed because the file option `java_string_check_utf8` changed (DEFAULT vs VERIFY).

## Why
With VERIFY, Java parsers reject invalid UTF-8 that they accepted before.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message User { optional string name = 1; }
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
option java_string_check_utf8 = true;
message User { optional string name = 1; }
```

## Fix
Keep the file option.
"#,
    ..RuleInfo::new("FIELD_SAME_JAVA_UTF8_VALIDATION", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let mode = |side: &Side<'_>, f: &FieldInfo<'_>| {
        let on =
            side.files.get(f.file).and_then(|fi| fi.fd.options.as_ref()).is_some_and(|o| o.java_string_check_utf8());
        (f.ty() == Type::String).then_some(if on { "VERIFY" } else { "DEFAULT" })
    };
    field_property_changed(cx, out, RULE.id, &[], mode, "Java UTF-8 validation");
}
