//! `ENUM_FIRST_VALUE_ZERO`: The first value of every enum has the number 0.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "The first value of every enum has the number 0.",
    docs: r#"## What it does
Flags an enum whose first value is not numbered 0 (reported at the number).

## Why
proto3 uses the first value as the default; the zero value must exist and should come first so that an unset field reads as an explicit 'unspecified' value rather than a real one.

## Example
Failing:
```proto
enum Status {
  STATUS_ACTIVE = 1;
  STATUS_UNSPECIFIED = 0;
}
```

Passing:
```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_ACTIVE = 1;
}
```

## Fix
Make the first value the zero value (normally `NAME_UNSPECIFIED = 0`).
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_FIRST_VALUE_ZERO", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for e in &cx.enums {
        if let Some(first) = e.en.value.first()
            && first.number() != 0
        {
            {
                out.add(
                    e.file,
                    with(&e.path, &[tag::ENUM_VALUE, 0, tag::VALUE_NUMBER]),
                    format!("First enum value \"{}\" should have a numeric value of 0", first.name()),
                );
            }
        }
    }
}
