//! `FILE_SAME_SYNTAX`: files have the same syntax.
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
    summary: "files have the same syntax",
    docs: r#"## What it does
Reports a file whose `syntax` changed (a missing syntax statement means proto2).

## Why
proto2 and proto3 differ in field presence, default values, enum openness, UTF-8 validation and JSON handling: the same declarations generate different code and behave differently on the wire.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
```

## Fix
Keep the syntax of existing files; new syntax belongs in new files or a new package version.
"#,
    ..RuleInfo::new("FILE_SAME_SYNTAX", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_files() {
        if p.syntax() != c.syntax() {
            let span = c.loc(&[12]).or(Some(crate::diagnostics::Span::file_start()));
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.name),
                span,
                &[p.package(), c.package()],
                format!("File syntax changed from \"{}\" to \"{}\".", p.syntax(), c.syntax()),
            );
        }
    }
}
