//! `NOVA_REMOVED_FIELD_RESERVED`: a field removed since the baseline has its number and its name reserved.
use crate::proto::breaking::engine::{Cx, Out, contains, message_reserved};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["NOVA"],
    default_enabled: false,
    summary: "a field removed since the baseline has its number and its name reserved",
    docs: r#"## What it does
Reports a field that existed in the baseline and is gone now, unless the message reserves both its number and its name. This is the registry's own rule ("never reuse a field number: reserve it"); it is off by default and runs when enabled in `nova.toml` (e.g. `[proto.breaking.severity] NOVA_REMOVED_FIELD_RESERVED = "error"`). It runs wherever there is history: `nova proto breaking` and `nova proto check`.

## Why
A freed number or name will be reused sooner or later; old binaries and JSON clients then read the new field as the old one.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  string id = 1;
  string email = 2;
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  string id = 1;
  reserved 2;
}
```

## Fix
Reserve both: `reserved 2; reserved "email";`.
"#,
    ..RuleInfo::new("NOVA_REMOVED_FIELD_RESERVED", "proto")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c, f) in cx.deleted_fields() {
        let number = contains(&message_reserved(c), f.number() as i64);
        let name = c.desc.reserved_name.iter().any(|n| n == f.name());
        let missing = match (number, name) {
            (true, true) => continue,
            (false, true) => format!("its number {}", f.number()),
            (true, false) => format!("its name \"{}\"", f.name()),
            (false, false) => format!("its number {} and its name \"{}\"", f.number(), f.name()),
        };
        let message = format!(
            "Field \"{}\" with name \"{}\" was removed from message \"{}\" without reserving {missing}.",
            f.number(),
            f.name(),
            c.name
        );
        out.at(RULE.id, cx, (p, c), message);
    }
}
