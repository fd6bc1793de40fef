//! `FIELD_SAME_JSON_NAME`: fields have the same value for the json_name option.
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
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "fields have the same value for the json_name option",
    docs: r#"## What it does
Reports a field whose JSON name (the `json_name` option, else the lowerCamelCase field name) changed.

## Why
JSON clients send and expect the JSON name; a change breaks them.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string email = 2 [json_name = "email"]; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string email = 2 [json_name = "mail"]; }
```

## Fix
Keep the JSON name.
"#,
    ..RuleInfo::new("FIELD_SAME_JSON_NAME", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if c.extension {
            continue;
        }
        let (pj, cj) = (p.json_name(), c.json_name());
        if pj != cj {
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[10]),
                &[p.package, c.package],
                format!("{} changed option \"json_name\" from \"{pj}\" to \"{cj}\".", c.describe()),
            );
        }
    }
}
