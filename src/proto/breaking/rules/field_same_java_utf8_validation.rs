//! `FIELD_SAME_JAVA_UTF8_VALIDATION`: fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.
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
    for (p, c) in cx.matched_fields() {
        if p.ty() != Type::String || c.ty() != Type::String {
            continue;
        }
        let get = |side: &crate::proto::breaking::model::Side<'_>, f: &FieldInfo<'_>| {
            let on = side
                .files
                .get(f.file)
                .and_then(|fi| fi.fd.options.as_ref())
                .is_some_and(|o| o.java_string_check_utf8());
            if on { "VERIFY" } else { "DEFAULT" }
        };
        let (pv, cv) = (get(&cx.prev, p), get(&cx.cur, c));
        if pv != cv {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[]),
                &[p.package, c.package],
                format!("{} changed Java UTF-8 validation from \"{pv}\" to \"{cv}\".", p.describe()),
            );
        }
    }
}
