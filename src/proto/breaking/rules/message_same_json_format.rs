//! `MESSAGE_SAME_JSON_FORMAT`: messages have the same JSON format support.
use crate::proto::breaking::engine::{Cx, Element, Out};
use crate::proto::descriptor::feature_set::JsonFormat;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "messages have the same JSON format support",
    docs: r#"## What it does
Reports a message whose JSON format support went from `ALLOW` (proto3, and editions by default) to `LEGACY_BEST_EFFORT` (proto2). The format is the resolved `features.json_format`, set on the message or inherited from enclosing messages and the file; the reverse change is not reported. Reported at the message's own `features.json_format` option when it has one.

## Why
JSON clients rely on full JSON support; best effort may reject or alter JSON for conflicting field names.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string id = 1; }
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Account { optional string id = 1; }
```

## Fix
Keep the file in proto3.
"#,
    ..RuleInfo::new("MESSAGE_SAME_JSON_FORMAT", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        if p.json_format == JsonFormat::Allow && c.json_format == JsonFormat::LegacyBestEffort && !c.is_map_entry() {
            let message =
                format!("Message \"{}\" JSON format support changed from ALLOW to LEGACY_BEST_EFFORT.", c.desc.name());
            // As buf: at the message's own `features.json_format` option when it writes one.
            let span = cx
                .cur
                .file(c.file)
                .and_then(|f| f.option_loc(&c.path, 7, &[21, 6], "features.json_format"))
                .or_else(|| c.loc(cx));
            out.matched(RULE.id, cx, (p, c), span, message);
        }
    }
}
