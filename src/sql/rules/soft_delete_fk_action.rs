//! SOFT_DELETE_FK_ACTION
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;
use crate::sql::model::{ConstraintKind, FkAction};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Error,
    summary: "No foreign key into a soft-deletable table uses ON DELETE CASCADE, SET NULL or SET DEFAULT",
    docs: r#"## What it does
Finds foreign keys (column `REFERENCES` or table `FOREIGN KEY` constraints, in the final schema)
that reference a soft-deletable table with `ON DELETE CASCADE`, `SET NULL` or `SET DEFAULT`.

## Why
Rows of a soft-deletable table are not supposed to be hard-deleted; when one is (a purge job, a
mistake), CASCADE silently destroys the dependent rows the audit trail needs and SET NULL erases the
link. `RESTRICT` / `NO ACTION` makes the hard delete fail loudly instead.

## Example
Failing:
```sql
CREATE TABLE comments (id UUID PRIMARY KEY, post_id UUID REFERENCES posts(id) ON DELETE CASCADE);
```
Passing:
```sql
CREATE TABLE comments (id UUID PRIMARY KEY, post_id UUID REFERENCES posts(id) ON DELETE RESTRICT);
```

## Fix
Drop and re-add the constraint with `ON DELETE RESTRICT` (PostgreSQL's default name is
`<table>_<column>_fkey`).
"#,
    ..RuleInfo::new("SOFT_DELETE_FK_ACTION", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for t in cx.schema.tables.values() {
        for c in &t.constraints {
            let ConstraintKind::ForeignKey { columns, ref_table, on_delete, .. } = &c.kind else { continue };
            if !cx.soft.contains(ref_table) || matches!(on_delete, FkAction::NoAction | FkAction::Restrict) {
                continue;
            }
            out.push(
                Finding::new(
                    &RULE,
                    c.loc,
                    format!(
                        "foreign key `{}` ({}.{}) references soft-deletable table `{}` with ON DELETE {}",
                        c.name,
                        t.name,
                        columns.join(", "),
                        ref_table,
                        on_delete.as_sql()
                    ),
                )
                .table(&t.name)
                .help(format!(
                    "use ON DELETE RESTRICT: `ALTER TABLE {0} DROP CONSTRAINT {1}, ADD CONSTRAINT {1} FOREIGN KEY ({2}) REFERENCES {3} ON DELETE RESTRICT;`",
                    t.name,
                    c.name,
                    columns.join(", "),
                    ref_table
                )),
            );
        }
    }
}
