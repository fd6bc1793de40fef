//! `ENUM_VALUE_PREFIX`: Enum values are prefixed with ENUM_NAME_UPPER_SNAKE_CASE.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Enum values are prefixed with ENUM_NAME_UPPER_SNAKE_CASE.",
    docs: r#"## What it does
Flags enum values whose name does not start with the enum's name in UPPER_SNAKE_CASE plus `_` (`OrderStatus` -> `ORDER_STATUS_`). Reported at the value name.

## Why
Enum values are siblings of their enum in C++ and several other languages: unprefixed values of two enums in one package collide.

## Example
Failing:
```proto
enum OrderStatus { UNSPECIFIED = 0; SHIPPED = 1; }
```

Passing:
```proto
enum OrderStatus { ORDER_STATUS_UNSPECIFIED = 0; ORDER_STATUS_SHIPPED = 1; }
```

## Fix
Prefix the value names with the enum's UPPER_SNAKE_CASE name.
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_VALUE_PREFIX", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.values {
        let prefix = format!("{}_", naming::to_upper_snake_case(el.enum_name));
        if !el.value.name().starts_with(&prefix) {
            out.add(
                el.file,
                with(&el.path, &[tag::NAME]),
                format!("Enum value name \"{}\" should be prefixed with \"{prefix}\".", el.value.name()),
            );
        }
    }
}
