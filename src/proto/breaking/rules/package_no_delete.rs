//! `PACKAGE_NO_DELETE`: packages are not deleted.
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
    categories: &["PACKAGE"],
    default_enabled: false,
    summary: "packages are not deleted",
    docs: r#"## What it does
Reports a package that no file of the current revision declares any more.

## Why
Every type, service and extension of the package disappears at once; all clients of the package break.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.billing.v1;
message Invoice { string id = 1; }
```
Current revision (reported):
```proto
// no file declares acme.billing.v1 any more
```

## Fix
Keep the package until every consumer has moved to its replacement.
"#,
    ..RuleInfo::new("PACKAGE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (pkg, files) in &cx.prev.packages {
        if !cx.cur.packages.contains_key(pkg) {
            let _ = files;
            out.add(RULE.id, &cx.cur, None, None, &[pkg], format!("Previously present package \"{pkg}\" was deleted."));
        }
    }
}
