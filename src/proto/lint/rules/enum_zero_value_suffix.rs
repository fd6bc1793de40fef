//! `ENUM_ZERO_VALUE_SUFFIX`: Enum zero values have a consistent suffix (default _UNSPECIFIED).
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Enum zero values have a consistent suffix (default _UNSPECIFIED).",
    docs: r#"## What it does
Flags enum values numbered 0 whose name does not end in the configured suffix (`enum_zero_value_suffix`, default `_UNSPECIFIED`). Reported at the value name.

## Why
The zero value is what an unset field reads as; naming it `..._UNSPECIFIED` everywhere makes 'not set' impossible to confuse with a real value.

## Example
Failing:
```proto
enum Color { COLOR_NONE = 0; COLOR_RED = 1; }
```

Passing:
```proto
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }
```

## Fix
Rename the zero value to end with the suffix.
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_ZERO_VALUE_SUFFIX", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    let suffix = cx.opts.enum_zero_value_suffix.as_str();
    for el in &cx.values {
        if el.value.number() == 0 && !el.value.name().ends_with(suffix) {
            out.add(
                el.file,
                with(&el.path, &[tag::NAME]),
                format!("Enum zero value name \"{}\" should be suffixed with \"{suffix}\".", el.value.name()),
            );
        }
    }
}
