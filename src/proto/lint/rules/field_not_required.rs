//! `FIELD_NOT_REQUIRED`: Fields are not configured to be required.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Fields are not configured to be required.",
    docs: r#"## What it does
Flags proto2 `required` fields (reported at the field name). (Editions `features.field_presence = LEGACY_REQUIRED` is the same thing, but nova's parser does not read editions files yet; they are reported as not compiling.)

## Why
A required field can never be removed or made optional without breaking every reader that still requires it; protobuf's own guidance is to never use required.

## Example
Failing:
```proto
syntax = "proto2";
message User { required string id = 1; }
```

Passing:
```proto
syntax = "proto2";
message User { optional string id = 1; }
```

## Fix
Make the field `optional` and validate presence in application code (or with protovalidate).
"#,
    unimplemented: None,
    ..RuleInfo::new("FIELD_NOT_REQUIRED", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.fields {
        if el.field.label == Some(crate::proto::descriptor::field_descriptor_proto::Label::Required as i32) {
            out.add(
                el.file,
                with(&el.path, &[tag::NAME]),
                format!("Field named {} should not be required.", el.field.name()),
            );
        }
    }
}
