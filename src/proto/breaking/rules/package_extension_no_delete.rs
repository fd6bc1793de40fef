//! `PACKAGE_EXTENSION_NO_DELETE`: extensions are not deleted from a given package.
use crate::proto::breaking::engine::{Cx, Kind, Out, no_delete_in_package};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["PACKAGE"],
    default_enabled: false,
    summary: "extensions are not deleted from a given package",
    docs: r#"## What it does
Reports a extension that the previous revision declared in a package which still exists, when no file of that package declares it any more. Moving it between files of the package is allowed.

## Why
Consumers refer to the extension by its fully-qualified name; once it is gone from the package their generated code and their requests break.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { string sensitive = 50001; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
import "google/protobuf/descriptor.proto";
```

## Fix
Keep the extension somewhere in the package (it may move to another file), or remove it only in a new major version of the package.
"#,
    ..RuleInfo::new("PACKAGE_EXTENSION_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    no_delete_in_package(cx, out, RULE.id, Kind::Extension);
}
