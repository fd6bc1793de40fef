//! `FIELD_LOWER_SNAKE_CASE`: Field names are lower_snake_case.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming::Case;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Field names are lower_snake_case.",
    docs: r#"## What it does
Flags field names that are not lower_snake_case, with buf's word splitting (`HTTPServer` and `FooBar` are PascalCase; `foo_bar1` is lower_snake_case). The finding points at the name.

## Why
Consistent naming is what lets generated code follow each language's conventions; protoc's generators translate lower_snake_case names predictably, other shapes produce odd or colliding identifiers.

## Example
Failing:
```proto
message User { string firstName = 1; }
```

Passing:
```proto
message User { string first_name = 1; }
```

## Fix
Rename the field to the suggested form (renaming is a breaking change for JSON and generated code: do it before the first release or add a new element).
"#,
    unimplemented: None,
    ..RuleInfo::new("FIELD_LOWER_SNAKE_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.fields {
        if el.in_map_entry {
            continue;
        }
        require_case(out, el.file, &el.path, "Field", el.field.name(), Case::LowerSnake);
    }
}
