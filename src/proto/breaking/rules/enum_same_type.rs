//! `ENUM_SAME_TYPE`: enums have the same type (open vs closed).
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
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "enums have the same type (open vs closed)",
    docs: r#"## What it does
Reports an enum that changed between open (proto3: unknown numbers are kept as-is) and closed (proto2: unknown numbers go to unknown fields). Without editions support in the parser, openness follows the file syntax.

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
    for (p, c) in cx.matched_enums() {
        if p.proto3 != c.proto3 {
            let kind = |open: bool| if open { "open" } else { "closed" };
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.file),
                cx.cur.loc(c.file, &c.path),
                &[p.package, c.package],
                format!("Enum \"{}\" changed from {} to {}.", c.name, kind(p.proto3), kind(c.proto3)),
            );
        }
    }
}
