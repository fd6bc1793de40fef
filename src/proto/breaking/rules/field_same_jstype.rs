//! `FIELD_SAME_JSTYPE`: fields have the same value for the jstype option.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{FieldInfo, Side};
use crate::proto::breaking::rules::common::field_property_changed;
use crate::rules::RuleInfo;

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
    let jstype = |_: &Side<'_>, f: &FieldInfo<'_>| {
        Some(f.desc.options.as_ref().map(|o| o.jstype()).unwrap_or_default().as_str_name())
    };
    field_property_changed(cx, out, RULE.id, |f, c| f.loc(&c.loc_key(&[8, 6])), jstype, ("option \"jstype\"", true));
}
