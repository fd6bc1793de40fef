//! `ONEOF_NO_DELETE`: oneofs are not deleted from a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "oneofs are not deleted from a given message",
    docs: r#"## What it does
Reports a oneof (matched by name) that a message no longer declares. Synthetic oneofs of proto3 `optional` fields are not oneofs here.

## Why
Generated code exposes the oneof as its own accessor/enum; deleting it breaks that code, and the fields lose their mutual exclusion.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Login {
  oneof credential {
    string password = 1;
    string token = 2;
  }
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Login {
  string password = 1;
  string token = 2;
}
```

## Fix
Keep the oneof.
"#,
    ..RuleInfo::new("ONEOF_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        for (i, o) in p.desc.oneof_decl.iter().enumerate() {
            let synthetic = p.desc.field.iter().any(|f| f.oneof_index == Some(i as i32) && f.proto3_optional());
            if synthetic || c.desc.oneof_decl.iter().any(|x| x.name() == o.name()) {
                continue;
            }
            let message = format!("Previously present oneof \"{}\" on message \"{}\" was deleted.", o.name(), c.name);
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
