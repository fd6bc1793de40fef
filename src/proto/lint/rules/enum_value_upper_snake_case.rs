//! `ENUM_VALUE_UPPER_SNAKE_CASE`: Enum value names are UPPER_SNAKE_CASE.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming::Case;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Enum value names are UPPER_SNAKE_CASE.",
    docs: r#"## What it does
Flags enum value names that are not UPPER_SNAKE_CASE, with buf's word splitting (`HTTPServer` and `FooBar` are PascalCase; `foo_bar1` is lower_snake_case). The finding points at the name.

## Why
Consistent naming is what lets generated code follow each language's conventions; protoc's generators translate UPPER_SNAKE_CASE names predictably, other shapes produce odd or colliding identifiers.

## Example
Failing:
```proto
enum Color { COLOR_UNSPECIFIED = 0; colorRed = 1; }
```

Passing:
```proto
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }
```

## Fix
Rename the enum value to the suggested form (renaming is a breaking change for JSON and generated code: do it before the first release or add a new element).
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_VALUE_UPPER_SNAKE_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.values {
        require_case(out, el.file, &el.path, "Enum value", el.value.name(), Case::UpperSnake);
    }
}
