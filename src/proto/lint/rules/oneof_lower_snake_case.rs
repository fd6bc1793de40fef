//! `ONEOF_LOWER_SNAKE_CASE`: Oneof names are lower_snake_case.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming::Case;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Oneof names are lower_snake_case.",
    docs: r#"## What it does
Flags oneof names that are not lower_snake_case, with buf's word splitting (`HTTPServer` and `FooBar` are PascalCase; `foo_bar1` is lower_snake_case). The finding points at the name.

## Why
Consistent naming is what lets generated code follow each language's conventions; protoc's generators translate lower_snake_case names predictably, other shapes produce odd or colliding identifiers.

## Example
Failing:
```proto
message Pay { oneof Method { string card = 1; } }
```

Passing:
```proto
message Pay { oneof method { string card = 1; } }
```

## Fix
Rename the oneof to the suggested form (renaming is a breaking change for JSON and generated code: do it before the first release or add a new element).
"#,
    unimplemented: None,
    ..RuleInfo::new("ONEOF_LOWER_SNAKE_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for el in &cx.oneofs {
        if el.synthetic {
            continue;
        }
        require_case(out, el.file, &el.path, "Oneof", el.oneof.name(), Case::LowerSnake);
    }
}
