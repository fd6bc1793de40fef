//! `ENUM_NO_DELETE`: enums are not deleted from a given file.
use crate::proto::breaking::engine::{Cx, Kind, Out, no_delete_in_file};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "CSR"],
    default_enabled: true,
    summary: "enums are not deleted from a given file",
    docs: r#"## What it does
Reports a enum that the previous revision declared in a file which still exists but no longer declares it. Types are matched by fully-qualified name, so moving a enum to another file of the same package is reported here (it breaks generated code that imports the file) but not by `PACKAGE_ENUM_NO_DELETE`. A deleted nested enum is reported at its closest surviving enclosing message; a top-level one at the first line of the file.

## Why
Generated code for the file no longer contains the enum; every consumer that uses it stops compiling, and clients of a deleted enum lose their contract.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role { ROLE_UNSPECIFIED = 0; }
message Account { string id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string id = 1; }
```

## Fix
Keep the enum (mark it `deprecated = true` if it should not be used any more). To remove it for real, do it in a new major version of the package.
"#,
    ..RuleInfo::new("ENUM_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    no_delete_in_file(cx, out, RULE.id, Kind::Enum);
}
