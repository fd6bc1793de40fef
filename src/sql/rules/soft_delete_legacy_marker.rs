//! SOFT_DELETE_LEGACY_MARKER
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Warning,
    summary: "Legacy soft-delete markers (`soft_delete`, `is_deleted`) are migrated to `deleted_at` / `deleted_by`",
    docs: r#"## What it does
Finds columns named like a legacy soft-delete marker (`soft_delete`, `is_deleted`; configurable with
`legacy_markers`) in the final schema. Such a table counts as soft-deletable for every other rule.

## Why
A boolean `is_deleted` says nothing about when or by whom; a `soft_delete` timestamp is the old name
of `deleted_at`. Code that filters on `deleted_at IS NULL` does not see rows hidden the old way.

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, is_deleted BOOLEAN NOT NULL DEFAULT false);
```
Passing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```

## Fix
Add `deleted_at` / `deleted_by`, backfill them from the marker, then drop the marker.
"#,
    ..RuleInfo::new("SOFT_DELETE_LEGACY_MARKER", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for t in cx.schema.tables.values() {
        for c in t.columns.iter().filter(|c| cx.settings.legacy_markers.contains(&c.name)) {
            out.push(
                Finding::new(&RULE, c.loc, format!("`{}.{}` is a legacy soft-delete marker", t.name, c.name))
                    .table(&t.name)
                    .help(format!(
                        "migrate to `{} TIMESTAMPTZ` + `{} UUID`, backfill, then drop `{}`",
                        cx.settings.deleted_at, cx.settings.deleted_by, c.name
                    )),
            );
        }
    }
}
