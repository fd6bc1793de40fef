//! TRIGGER_UNKNOWN_COLUMN
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "A trigger function references NEW.x / OLD.x columns its table has",
    docs: r#"## What it does
For every trigger in the final schema, reads the plpgsql body of its function and checks that each
`NEW.<column>` / `OLD.<column>` exists on the trigger's table. A column renamed or dropped by a later
migration is caught here.

## Why
PostgreSQL compiles plpgsql lazily: a wrong column name is accepted by `CREATE FUNCTION` and only
fails when the trigger fires, in production, on the first soft delete.

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);
CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN IF NEW.removed_at IS NOT NULL THEN NULL; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER t AFTER UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION f();
```
Passing: the same with `NEW.deleted_at`.

## Fix
Use the column's current name in the function (`CREATE OR REPLACE FUNCTION`).
"#,
    ..RuleInfo::new("TRIGGER_UNKNOWN_COLUMN", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for tr in cx.schema.triggers.values() {
        let (Some(t), Some(f)) = (cx.schema.tables.get(&tr.table), cx.schema.functions.get(&tr.function)) else {
            continue;
        };
        for r in &f.body.row_refs {
            if t.column(&r.column).is_some() {
                continue;
            }
            out.push(
                Finding::new(
                    &RULE,
                    r.loc,
                    format!(
                        "function `{}` reads `{}.{}`, but table `{}` (trigger `{}`) has no column `{}`",
                        f.name, r.record, r.column, t.name, tr.name, r.column
                    ),
                )
                .table(&t.name)
                .label(tr.loc, format!("trigger `{}` runs it on `{}`", tr.name, t.name)),
            );
        }
    }
}
