//! `FIELD_SAME_NAME`: fields have the same names in a given message.
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
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.field_loc(c, &[1]),
                &[p.package, c.package],
                format!(
                    "{what} \"{}\" on message \"{}\" changed name from \"{}\" to \"{}\".",
                    c.number(),
                    c.container,
                    p.name(),
                    c.name()
                ),
            );
        }
    }
}
