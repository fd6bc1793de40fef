//! `PACKAGE_MESSAGE_NO_DELETE`: messages are not deleted from a given package.
use crate::proto::breaking::engine::{Cx, Kind, Out, no_delete_in_package};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["PACKAGE"],
    default_enabled: false,
    summary: "messages are not deleted from a given package",
    docs: r#"## What it does
Reports a message that the previous revision declared in a package which still exists, when no file of that package declares it any more. Moving it between files of the package is allowed.

## Why
Consumers refer to the message by its fully-qualified name; once it is gone from the package their generated code and their requests break.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string id = 1; }
message Session { string id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string id = 1; }
```

## Fix
Keep the message somewhere in the package (it may move to another file), or remove it only in a new major version of the package.
"#,
    ..RuleInfo::new("PACKAGE_MESSAGE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    no_delete_in_package(cx, out, RULE.id, Kind::Message);
}
