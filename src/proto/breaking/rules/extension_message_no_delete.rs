//! `EXTENSION_MESSAGE_NO_DELETE`: extension ranges are not deleted from a given message.
use crate::proto::breaking::engine::{Cx, Out, message_extension_ranges, ranges_kept};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "extension ranges are not deleted from a given message",
    docs: r#"## What it does
Reports an extension range of a message that the current revision no longer covers.

## Why
Extensions declared elsewhere (possibly in other repositories) use numbers of the range; removing it makes them invalid.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  optional string id = 1;
  extensions 100 to 199;
}
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Account {
  optional string id = 1;
}
```

## Fix
Keep the extension range.
"#,
    ..RuleInfo::new("EXTENSION_MESSAGE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for pair in cx.matched_messages() {
        ranges_kept(cx, out, RULE.id, pair, "extension range", message_extension_ranges);
    }
}
