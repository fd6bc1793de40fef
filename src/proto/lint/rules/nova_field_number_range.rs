//! `NOVA_FIELD_NUMBER_RANGE`: Field numbers fall within the configured ranges.
use crate::proto::lint::ctx::*;

use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["NOVA"],
    default_severity: Severity::Error,
    default_enabled: false,
    summary: "Field numbers fall within the configured ranges.",
    docs: r#"## What it does
Flags fields (and extensions) whose number lies in none of the ranges of `[proto.lint] field_ranges`. The registry convention is 1-99 internal, 100-199 service, 200-299 client and 300+ kept for the future, so listing only the first three makes the future range an error. Off unless enabled (`use`, a severity, or configuring `field_ranges`). Reported at the field number.

## Why
Field numbers are forever. A numbering convention tells every reader who owns a field and keeps teams from claiming each other's numbers.

## Example
Failing:
```proto
// field_ranges = { internal = [1, 99], service = [100, 199], client = [200, 299] }
message User { string id = 1; string nickname = 350; }
```

Passing:
```proto
message User { string id = 1; string nickname = 201; }
```

## Fix
Renumber the field into the range of its owner (before release), or extend the configured ranges.
"#,
    unimplemented: None,
    ..RuleInfo::new("NOVA_FIELD_NUMBER_RANGE", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    if cx.opts.field_ranges.is_empty() {
        return;
    }
    let names: Vec<String> = cx.opts.field_ranges.iter().map(|(n, lo, hi)| format!("{n} {lo}-{hi}")).collect();
    for el in &cx.fields {
        if el.in_map_entry {
            continue;
        }
        let n = el.field.number();
        if !cx.opts.field_ranges.iter().any(|(_, lo, hi)| (*lo..=*hi).contains(&n)) {
            out.add(
                el.file,
                with(&el.path, &[tag::FIELD_NUMBER]),
                format!(
                    "Field \"{}\" has number {n}, which is in no configured range ({}).",
                    el.field.name(),
                    names.join(", ")
                ),
            );
        }
    }
}
