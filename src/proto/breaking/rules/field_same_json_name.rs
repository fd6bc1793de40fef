//! `FIELD_SAME_JSON_NAME`: fields have the same value for the json_name option.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

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
            let message = format!("{} changed option \"json_name\" from \"{pj}\" to \"{cj}\".", c.describe());
            out.matched(RULE.id, cx, (p, c), cx.field_loc(c, &[10]), message);
        }
    }
}
