//! `ENUM_NO_ALLOW_ALIAS`: Enums do not set the allow_alias option.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Enums do not set the allow_alias option.",
    docs: r#"## What it does
Flags `option allow_alias = true;` in an enum (reported at the option).

## Why
Aliases give one number several names; JSON and text formats then disagree about which name is canonical, and renaming a value becomes a breaking change in disguise.

## Example
Failing:
```proto
enum Status {
  option allow_alias = true;
  STATUS_UNSPECIFIED = 0;
  STATUS_OK = 1;
  STATUS_FINE = 1;
}
```

Passing:
```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_OK = 1;
}
```

## Fix
Remove the alias values and the option; deprecate a name with `[deprecated = true]` instead.
"#,
    unimplemented: None,
    ..RuleInfo::new("ENUM_NO_ALLOW_ALIAS", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for e in &cx.enums {
        if e.en.options.as_ref().and_then(|o| o.allow_alias) == Some(true) {
            out.add(
                e.file,
                with(&e.path, &[tag::ENUM_OPTIONS, tag::ENUM_OPT_ALLOW_ALIAS]),
                format!("Enum option \"allow_alias\" on enum \"{}\" must be false.", e.en.name()),
            );
        }
    }
}
