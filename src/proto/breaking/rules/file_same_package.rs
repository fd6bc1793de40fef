//! `FILE_SAME_PACKAGE`: files have the same package.
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
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "files have the same package",
    docs: r#"## What it does
Reports a file whose `package` differs from the previous revision.

## Why
The package is part of every fully-qualified type and service name: it appears in `Any` type URLs and in gRPC paths (`/acme.auth.v1.AuthService/Login`). Changing it breaks the wire for services and `Any`, and breaks all generated code.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.identity.v1;
```

## Fix
Keep the package; create the new package in new files and migrate.
"#,
    ..RuleInfo::new("FILE_SAME_PACKAGE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_files() {
        if p.package() != c.package() {
            let span = c.loc(&[2]).or(Some(crate::diagnostics::Span::file_start()));
            out.add(
                RULE.id,
                &cx.cur,
                Some(c.name),
                span,
                &[p.package(), c.package()],
                format!("File package changed from \"{}\" to \"{}\".", p.package(), c.package()),
            );
        }
    }
}
