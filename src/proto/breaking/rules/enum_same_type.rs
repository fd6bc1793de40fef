//! `ENUM_SAME_TYPE`: enums have the same type (open vs closed).
use crate::proto::breaking::engine::{Cx, Element, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "enums have the same type (open vs closed)",
    docs: r#"## What it does
Reports an enum that changed between open (proto3: unknown numbers are kept as-is) and closed (proto2: unknown numbers go to unknown fields). Openness is the resolved `features.enum_type`: in editions files it comes from the enum's own option, else from the file (protoc accepts it nowhere else; edition 2023 defaults to `OPEN`). A proto2 file converted to editions with `option features.enum_type = CLOSED;` is not reported. Reported at the enum's `features.enum_type` option when it has one, else at the enum; the enum is named without its enclosing messages, as buf does.

## Why
Open and closed enums treat unknown values differently: switching changes what readers see for values they do not know, and changes generated code in several languages.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
enum Role { ROLE_UNSPECIFIED = 0; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role { ROLE_UNSPECIFIED = 0; }
```

## Fix
Keep the file's syntax, or move the enum to a new package version.
"#,
    ..RuleInfo::new("ENUM_SAME_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    let kind = |closed: bool| if closed { "closed" } else { "open" };
    for (p, c) in cx.matched_enums() {
        if p.closed != c.closed {
            // buf names the enum without its enclosing messages here.
            let message = format!("Enum \"{}\" changed from {} to {}.", c.desc.name(), kind(p.closed), kind(c.closed));
            // As buf: at the enum's own `features.enum_type` option when it writes one.
            let span = cx
                .cur
                .file(c.file)
                .and_then(|f| f.option_loc(&c.path, 3, &[21, 2], "features.enum_type"))
                .or_else(|| c.loc(cx));
            out.matched(RULE.id, cx, (p, c), span, message);
        }
    }
}
