//! `FIELD_SAME_JSTYPE`: fields have the same value for the jstype option.
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
    summary: "fields have the same value for the jstype option",
    docs: r#"## What it does
Reports a field whose `jstype` option (JS_NORMAL, JS_STRING, JS_NUMBER) changed.

## Why
JavaScript generated code represents the field as a number or a string depending on jstype; changing it breaks JS consumers.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int64 id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int64 id = 1 [jstype = JS_STRING]; }
```

## Fix
Keep the jstype.
"#,
    ..RuleInfo::new("FIELD_SAME_JSTYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        let get = |f: &FieldInfo<'_>| f.desc.options.as_ref().map(|o| o.jstype()).unwrap_or_default().as_str_name();
        if get(p) != get(c) {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[8, 6]),
                &[p.package, c.package],
                format!("{} changed option \"jstype\" from \"{}\" to \"{}\".", p.describe(), get(p), get(c)),
            );
        }
    }
}
