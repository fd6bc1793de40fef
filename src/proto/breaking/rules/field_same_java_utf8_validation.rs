//! `FIELD_SAME_JAVA_UTF8_VALIDATION`: fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, Side};
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
    let option = |side: &Side<'_>, f: &FieldInfo<'_>| {
        side.files.get(f.file).and_then(|fi| fi.fd.options.as_ref()).is_some_and(|o| o.java_string_check_utf8())
    };
    for (p, c) in cx.matched_fields() {
        if p.ty() != Type::String || c.ty() != Type::String {
            continue;
        }
        let mode = |on: bool| if on { "VERIFY" } else { "NONE" };
        let (a, b) = (option(cx.prev, p), option(cx.cur, c));
        if a == b {
            continue;
        }
        // As buf: at the file's `java_string_check_utf8` option when the current file sets it,
        // else at the field.
        let span = cx.cur.files.get(c.file).and_then(|f| f.loc(&[8, 27])).or_else(|| cx.field_loc(c, &[]));
        let message =
            format!("{} changed Java string UTF8 validation from \"{}\" to \"{}\".", p.describe(), mode(a), mode(b));
        out.matched(RULE.id, cx, (p, c), span, message);
    }
}
