//! `FIELD_SAME_NAME`: fields have the same names in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "fields have the same names in a given message",
    docs: r#"## What it does
Reports a field number whose name changed.

## Why
Names appear in JSON, in text format, in field masks and in generated accessors: a rename breaks all of them, even though the binary wire format is unchanged.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string email = 2; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string email_address = 2; }
```

## Fix
Keep the name. For a better name, add a new field and deprecate the old one.
"#,
    ..RuleInfo::new("FIELD_SAME_NAME", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if p.name() != c.name() {
            let what = if c.extension { "Extension" } else { "Field" };
            let message = format!(
                "{what} \"{}\" on message \"{}\" changed name from \"{}\" to \"{}\".",
                c.number(),
                c.message_name(),
                p.name(),
                c.name()
            );
            out.matched(RULE.id, cx, (p, c), cx.field_loc(c, &[1]), message);
        }
    }
}
