//! `FILE_SAME_PACKAGE`: files have the same package.
use crate::proto::breaking::engine::{Cx, Out, file_property};
use crate::rules::RuleInfo;

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
    file_property(cx, out, RULE.id, &[2], |f| f.package().to_string(), "File package");
}
