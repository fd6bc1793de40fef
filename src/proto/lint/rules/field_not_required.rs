//! `FIELD_NOT_REQUIRED`: Fields are not configured to be required.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::proto::descriptor::feature_set::FieldPresence;
use crate::proto::descriptor::field_descriptor_proto::Label;
use crate::proto::features::{self, Resolved};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Fields are not configured to be required.",
    docs: r#"## What it does
Flags required fields (reported at the field name): proto2 `required`, and in editions files a field whose resolved `features.field_presence` is `LEGACY_REQUIRED` (set on the field; protoc refuses it at the file or message level).

## Why
A required field can never be removed or made optional without breaking every reader that still requires it; protobuf's own guidance is to never use required.

## Example
Failing:
```proto
syntax = "proto2";
message User { required string id = 1; }
```

Failing (editions):
```proto
edition = "2023";
message User { string id = 1 [features.field_presence = LEGACY_REQUIRED]; }
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
    // Only editions files say it with features: resolve those alone (proto2 has the label).
    let resolved: Vec<Option<Resolved>> =
        cx.files.iter().map(|f| (f.fd.syntax() == "editions").then(|| features::resolve(f.fd))).collect();
    for el in &cx.fields {
        let required = match resolved.get(el.file).and_then(Option::as_ref) {
            Some(r) => r.get(&el.path).is_some_and(|f| f.field_presence() == FieldPresence::LegacyRequired),
            None => el.field.label() == Label::Required,
        };
        if required {
            out.add(
                el.file,
                with(&el.path, &[tag::NAME]),
                format!("Field named \"{}\" should not be required.", el.field.name()),
            );
        }
    }
}
