//! `FIELD_SAME_TYPE`: fields have the same types in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::field_type_changed;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "fields have the same types in a given message",
    docs: r#"## What it does
Reports a field whose type changed: another scalar type, or another message/enum type. A message field with `features.message_encoding = DELIMITED` (set or inherited; never on maps) is a group on the wire, shown as `message (delimited encoding)`: switching between it and a length-prefixed `message` is reported, while a proto2 group converted to a delimited message field of the same type is not.

## Why
Generated code changes type, and most type changes also change how the field is encoded.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { int32 id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string id = 1; }
```

## Fix
Add a new field with the new type and deprecate the old one.
"#,
    ..RuleInfo::new("FIELD_SAME_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    field_type_changed(cx, out, RULE.id, |_, _| false, "");
}
