//! SOFT_DELETE_UNIQUE_NOT_PARTIAL
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;
use crate::sql::model::ConstraintKind;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Error,
    summary: "UNIQUE indexes and constraints on soft-deletable tables are partial on `deleted_at IS NULL`",
    docs: r#"## What it does
Finds UNIQUE constraints and UNIQUE indexes on soft-deletable tables whose predicate does not imply
`deleted_at IS NULL` (a UNIQUE constraint can never be partial). The predicate is evaluated, so
`WHERE deleted_at IS NULL AND tenant_id IS NOT NULL` counts as partial. Primary keys are not judged.

## Why
A soft-deleted row still occupies its unique key: re-creating a deleted user with the same e-mail
fails with a duplicate-key error although no active row has it.

## Example
Failing:
```sql
CREATE TABLE users (id UUID PRIMARY KEY, email TEXT UNIQUE, deleted_at TIMESTAMPTZ, deleted_by UUID);
```
Passing:
```sql
CREATE TABLE users (id UUID PRIMARY KEY, email TEXT, deleted_at TIMESTAMPTZ, deleted_by UUID);
CREATE UNIQUE INDEX users_email_active ON users (email) WHERE deleted_at IS NULL;
```

## Fix
Replace the constraint with a partial unique index:
`ALTER TABLE users DROP CONSTRAINT users_email_key; CREATE UNIQUE INDEX users_email_active ON users (email) WHERE deleted_at IS NULL;`
"#,
    ..RuleInfo::new("SOFT_DELETE_UNIQUE_NOT_PARTIAL", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let at = &cx.settings.deleted_at;
    for t in cx.soft_tables() {
        for c in &t.constraints {
            let ConstraintKind::Unique { columns } = &c.kind else { continue };
            out.push(
                Finding::new(
                    &RULE,
                    c.loc,
                    format!(
                        "UNIQUE constraint `{}` on soft-deletable table `{}` ({}) also covers deleted rows",
                        c.name,
                        t.name,
                        columns.join(", ")
                    ),
                )
                .table(&t.name)
                .help(format!(
                    "replace it with `CREATE UNIQUE INDEX ... ON {} ({}) WHERE {at} IS NULL;`",
                    t.name,
                    columns.join(", ")
                )),
            );
        }
        for i in cx.indexes_of(&t.name).filter(|i| i.unique) {
            if i.predicate.as_ref().is_some_and(|p| p.implies_null(at)) {
                continue;
            }
            let help = match &i.predicate_text {
                Some(p) => {
                    format!("its predicate `{p}` does not imply `{at} IS NULL`; make it `WHERE {at} IS NULL AND (...)`")
                }
                None => format!("add `WHERE {at} IS NULL` to the index"),
            };
            out.push(
                Finding::new(
                    &RULE,
                    i.loc,
                    format!(
                        "UNIQUE index `{}` on soft-deletable table `{}` is not partial on `{at} IS NULL`",
                        i.name, t.name
                    ),
                )
                .table(&t.name)
                .help(help),
            );
        }
    }
}
