//! `FILE_SAME_SYNTAX`: files have the same syntax.
use crate::proto::breaking::engine::{Cx, Out, file_property};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "files have the same syntax",
    docs: r#"## What it does
Reports a file whose `syntax` changed (a missing syntax statement means proto2), including a move to editions (`syntax` is then `editions`). Converting a file to editions changes its syntax but, done with the features that keep its behaviour, nothing else: the feature-based rules (FIELD_SAME_CARDINALITY, ENUM_SAME_TYPE, FIELD_SAME_UTF8_VALIDATION, ...) compare resolved features and report only real changes, so exclude this rule for such a migration.

## Why
proto2 and proto3 differ in field presence, default values, enum openness, UTF-8 validation and JSON handling: the same declarations generate different code and behave differently on the wire.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
```

## Fix
Keep the syntax of existing files; new syntax belongs in new files or a new package version.
"#,
    ..RuleInfo::new("FILE_SAME_SYNTAX", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    file_property(cx, out, RULE.id, &[12], |f| f.syntax().to_string(), "File syntax");
}
