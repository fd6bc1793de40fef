//! `EXTENSION_MESSAGE_NO_DELETE`: extension ranges are not deleted from a given message.
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
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "extension ranges are not deleted from a given message",
    docs: r#"## What it does
Reports an extension range of a message that the current revision no longer covers.

## Why
Extensions declared elsewhere (possibly in other repositories) use numbers of the range; removing it makes them invalid.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  optional string id = 1;
  extensions 100 to 199;
}
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  optional string id = 1;
}
```

## Fix
Keep the extension range.
"#,
    ..RuleInfo::new("EXTENSION_MESSAGE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let cur = message_extension_ranges(c);
        for r in message_extension_ranges(p) {
            if !covered(r, &cur) {
                out.add(
                    RULE.id,
                    &cx.cur,
                    Some(c.file),
                    cx.msg_loc(c),
                    &[p.package, c.package],
                    format!(
                        "Previously present extension range \"{}\" on message \"{}\" was deleted.",
                        range_string(r, FIELD_MAX),
                        c.name
                    ),
                );
            }
        }
    }
}
