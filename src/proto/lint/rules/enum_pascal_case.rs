//! `ENUM_PASCAL_CASE`: Enum names are PascalCase.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming::Case;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Enum names are PascalCase.",
    docs: r#"## What it does
Flags enum names that are not PascalCase, with buf's word splitting (`HTTPServer` and `FooBar` are PascalCase; `foo_bar1` is lower_snake_case). The finding points at the name.

## Why
Consistent naming is what lets generated code follow each language's conventions; protoc's generators translate PascalCase names predictably, other shapes produce odd or colliding identifiers.

## Example
Failing:
```proto
enum order_status { ORDER_STATUS_UNSPECIFIED = 0; }
```

Passing:
```proto
enum OrderStatus { ORDER_STATUS_UNSPECIFIED = 0; }
```

## Fix
Rename the enum to the suggested form (renaming is a breaking change for JSON and generated code: do it before the first release or add a new element).
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_PASCAL_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.enums {
        require_case(out, el.file, &el.path, "Enum", el.en.name(), Case::Pascal);
    }
}
