//! `FIELD_SAME_JAVA_UTF8_VALIDATION`: fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;
use crate::proto::descriptor::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature",
    docs: r#"## What it does
Reports a string field whose Java UTF-8 validation changed (NONE vs VERIFY). Java verifies a string field when the resolved `features.(pb.java).utf8_validation` is VERIFY (in proto2/proto3: the file option `java_string_check_utf8`), or when it is DEFAULT and the field's `features.utf8_validation` is VERIFY (proto3, editions by default). A proto2 file with `java_string_check_utf8` converted to editions with `features.utf8_validation = NONE` and `features.(pb.java).utf8_validation = VERIFY` is not reported. Reported at the field's `features.(pb.java).utf8_validation` option, else the file's `java_string_check_utf8`, else the field.

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
    for (p, c) in cx.matched_fields() {
        if p.ty() != Type::String || c.ty() != Type::String {
            continue;
        }
        let mode = |on: bool| if on { "VERIFY" } else { "NONE" };
        let (a, b) = (p.features.java_utf8_verify, c.features.java_utf8_verify);
        if a == b {
            continue;
        }
        // As buf: at the field's own `features.(pb.java).utf8_validation` option, else at the
        // file's `java_string_check_utf8` option when the current file sets it, else at the field.
        let file = cx.cur.files.get(c.file);
        let span = file
            .and_then(|f| {
                f.option_loc(&c.path, 8, &[21, 1001, 2], "features.(pb.java).utf8_validation").or_else(|| f.loc(&[8, 27]))
            })
            .or_else(|| cx.field_loc(c, &[]));
        let message =
            format!("{} changed Java string UTF8 validation from \"{}\" to \"{}\".", c.describe(), mode(a), mode(b));
        out.matched(RULE.id, cx, (p, c), span, message);
    }
}
