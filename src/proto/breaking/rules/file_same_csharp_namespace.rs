//! `FILE_SAME_CSHARP_NAMESPACE`: files have the same value for the csharp_namespace option.
use crate::proto::breaking::engine::{Cx, Out, file_option};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "files have the same value for the csharp_namespace option",
    docs: r#"## What it does
Reports a file whose `csharp_namespace` option has a different effective value than in the previous revision (an unset option counts as its default).

## Why
`csharp_namespace` decides names or behaviour of generated code. Changing it changes what code generators emit, so code written against the previous generated code stops compiling or behaves differently, although the wire format is unchanged.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
option csharp_namespace = "Acme.Auth.V1";
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
option csharp_namespace = "Acme.Identity.V1";
```

## Fix
Keep the previous value. If the generated code really must move, add a new package (`acme.auth.v2`) with the new option and migrate consumers.
"#,
    ..RuleInfo::new("FILE_SAME_CSHARP_NAMESPACE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    file_option(cx, out, RULE.id, "csharp_namespace", 37, |f| {
        let o = f.options.clone().unwrap_or_default();
        o.csharp_namespace().to_string()
    });
}
