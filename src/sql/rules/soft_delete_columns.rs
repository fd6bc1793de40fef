//! SOFT_DELETE_COLUMNS
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Error,
    summary: "A soft-deletable table has both `deleted_at TIMESTAMPTZ` and `deleted_by UUID`",
    docs: r#"## What it does
Finds soft-deletable tables (a table with `deleted_at`, `deleted_by`, a legacy marker such as
`is_deleted`, or one listed in `[migrations] soft_delete_tables`) that lack one of the two soft-delete
columns in the final schema, or whose `deleted_by` is not a `UUID`. Columns added later, also inside
`DO $$ ... $$` blocks, count.

## Why
The backend's soft-delete convention (roadmap P0.2) records when a row was deleted and who deleted
it. A table with only one of the two cannot answer the audit question, and the invariants that build
on the pair (the CHECK, the deletion trigger) cannot hold.

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);
```
Passing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```

## Fix
Add the missing column in a new migration: `ALTER TABLE posts ADD COLUMN deleted_by UUID;`.
"#,
    ..RuleInfo::new("SOFT_DELETE_COLUMNS", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let s = cx.settings;
    for t in cx.soft_tables() {
        let at = t.column(&s.deleted_at);
        let by = t.column(&s.deleted_by);
        let mut missing = Vec::new();
        if at.is_none() {
            missing.push(format!("`{} TIMESTAMPTZ`", s.deleted_at));
        }
        if by.is_none() {
            missing.push(format!("`{} UUID`", s.deleted_by));
        }
        if !missing.is_empty() {
            out.push(
                Finding::new(
                    &RULE,
                    t.created,
                    format!("soft-deletable table `{}` lacks {}", t.name, missing.join(" and ")),
                )
                .table(&t.name)
                .touched_by(t, t.created)
                .help(format!(
                    "add it in a new migration: `ALTER TABLE {} ADD COLUMN {};`",
                    t.name,
                    missing.iter().map(|m| m.trim_matches('`')).collect::<Vec<_>>().join(", ADD COLUMN ")
                )),
            );
        }
        if let Some(by) = by
            && by.ty != "uuid"
        {
            out.push(
                Finding::new(&RULE, by.loc, format!("`{}.{}` is `{}`, expected `uuid`", t.name, by.name, by.ty))
                    .table(&t.name)
                    .help(format!("`ALTER TABLE {} ALTER COLUMN {} TYPE UUID USING ...;`", t.name, by.name)),
            );
        }
    }
}
