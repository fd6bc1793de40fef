//! `PACKAGE_NO_DELETE`: packages are not deleted.
use crate::proto::breaking::engine::{Cx, Out};
use crate::rules::RuleInfo;

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
    for pkg in cx.prev.packages.keys() {
        if !cx.cur.packages.contains_key(pkg) {
            out.add(RULE.id, cx.cur, None, None, &[pkg], format!("Previously present package \"{pkg}\" was deleted."));
        }
    }
}
