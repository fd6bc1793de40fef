//! `FIELD_SAME_ONEOF`: fields have the same oneofs in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "fields have the same oneofs in a given message",
    docs: r#"## What it does
Reports a field that moved into a oneof, out of one, or into another one (proto3 `optional` is not a oneof here).

## Why
Setting one member of a oneof clears the others: moving a field in or out changes which data survives a round trip, and changes the generated API.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Login {
  string password = 1;
  oneof credential { string token = 2; }
}
```
Current revision (reported):
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

## Fix
Leave existing fields where they are; add new fields to the oneof instead.
"#,
    ..RuleInfo::new("FIELD_SAME_ONEOF", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if p.oneof == c.oneof {
            continue;
        }
        let message = match (p.oneof, c.oneof) {
            (Some(a), Some(b)) => format!("{} moved from oneof \"{a}\" to oneof \"{b}\".", c.describe()),
            (None, Some(b)) => format!("{} moved from outside of a oneof to oneof \"{b}\".", c.describe()),
            (Some(a), None) => format!("{} moved from oneof \"{a}\" to outside of a oneof.", c.describe()),
            (None, None) => continue,
        };
        out.at(RULE.id, cx, (p, c), message);
    }
}
