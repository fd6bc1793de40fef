//! `ENUM_SAME_JSON_FORMAT`: enums have the same JSON format support.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "enums have the same JSON format support",
    docs: r#"## What it does
Reports an enum whose JSON format support went from `ALLOW` (proto3) to `LEGACY_BEST_EFFORT` (proto2).

## Why
A type with full JSON support is relied on by JSON clients; downgrading to best effort may make JSON encoding fail or differ.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role { ROLE_UNSPECIFIED = 0; }
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
enum Role { ROLE_UNSPECIFIED = 0; }
```

## Fix
Keep the proto3 syntax of the file.
"#,
    ..RuleInfo::new("ENUM_SAME_JSON_FORMAT", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_enums() {
        if p.proto3 && !c.proto3 {
            let message =
                format!("Enum \"{}\" JSON format support changed from \"ALLOW\" to \"LEGACY_BEST_EFFORT\".", c.name);
            out.at(RULE.id, cx, (p, c), message);
        }
    }
}
