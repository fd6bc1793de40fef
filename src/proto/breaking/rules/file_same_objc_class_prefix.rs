//! `FILE_SAME_OBJC_CLASS_PREFIX`: files have the same value for the objc_class_prefix option.
use crate::proto::breaking::engine::{Cx, Out, file_option};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE"],
    default_enabled: true,
    summary: "files have the same value for the objc_class_prefix option",
    docs: r#"## What it does
Reports a file whose `objc_class_prefix` option has a different effective value than in the previous revision (an unset option counts as its default).

## Why
`objc_class_prefix` decides names or behaviour of generated code. Changing it changes what code generators emit, so code written against the previous generated code stops compiling or behaves differently, although the wire format is unchanged.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
option objc_class_prefix = "AAX";
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
option objc_class_prefix = "ACM";
```

## Fix
Keep the previous value. If the generated code really must move, add a new package (`acme.auth.v2`) with the new option and migrate consumers.
"#,
    ..RuleInfo::new("FILE_SAME_OBJC_CLASS_PREFIX", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    file_option(cx, out, RULE.id, "objc_class_prefix", 36, |f| {
        let o = f.options.clone().unwrap_or_default();
        o.objc_class_prefix().to_string()
    });
}
