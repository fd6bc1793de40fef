//! `ENUM_SAME_JSON_FORMAT`: enums have the same JSON format support.
use crate::proto::breaking::engine::{Cx, Element, Out};
use crate::proto::descriptor::feature_set::JsonFormat;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "enums have the same JSON format support",
    docs: r#"## What it does
Reports an enum whose JSON format support went from `ALLOW` (proto3, and editions by default) to `LEGACY_BEST_EFFORT` (proto2). The format is the resolved `features.json_format`, set on the enum or inherited from its messages and file; the reverse change is not reported. Reported at the enum's own `features.json_format` option when it has one.

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
        if p.json_format == JsonFormat::Allow && c.json_format == JsonFormat::LegacyBestEffort {
            // buf names the enum without its enclosing messages here.
            let message =
                format!("Enum \"{}\" JSON format support changed from ALLOW to LEGACY_BEST_EFFORT.", c.desc.name());
            // As buf: at the enum's own `features.json_format` option when it writes one.
            let span = cx
                .cur
                .file(c.file)
                .and_then(|f| f.option_loc(&c.path, 3, &[21, 6], "features.json_format"))
                .or_else(|| c.loc(cx));
            out.matched(RULE.id, cx, (p, c), span, message);
        }
    }
}
