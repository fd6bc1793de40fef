//! `FILE_LOWER_SNAKE_CASE`: Filenames are lower_snake_case.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::proto::lint::naming;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Filenames are lower_snake_case.",
    docs: r#"## What it does
Flags files whose name (without `.proto`) is not lower_snake_case. Reported at the start of the file.

## Why
File names become generated file and module names; lower_snake_case is safe in every language and on case-insensitive file systems.

## Example
Failing:
```proto
// billing/v1/AccountService.proto
```

Passing:
```proto
// billing/v1/account_service.proto
```

## Fix
Rename the file (and update its importers).
"#,
    unimplemented: None,
    ..RuleInfo::new("FILE_LOWER_SNAKE_CASE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        let base = f.name.rsplit('/').next().unwrap_or(f.name);
        let (stem, ext) = match base.rfind('.') {
            Some(k) => (&base[..k], &base[k..]),
            None => (base, ""),
        };
        let expected = naming::to_lower_snake_case(stem);
        if stem != expected {
            out.add(i, vec![], format!("Filename \"{base}\" should be lower_snake_case, such as \"{expected}{ext}\"."));
        }
    }
}
