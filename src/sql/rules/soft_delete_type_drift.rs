//! SOFT_DELETE_TYPE_DRIFT
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Error,
    summary: "`deleted_at` is `TIMESTAMPTZ`, not `TIMESTAMP` without time zone (or another type)",
    docs: r#"## What it does
Finds `deleted_at` columns whose final type is not `timestamp with time zone` (`TIMESTAMPTZ`):
plain `TIMESTAMP`, `DATE`, `BIGINT` epochs, ... Types are normalised, so `TIMESTAMP WITH TIME ZONE`
and `timestamptz(3)` are fine. The finding points at the statement that gave the column its type.

## Why
`TIMESTAMP` without time zone stores wall-clock time: values written by services in different time
zones (or across a DST change) do not compare, and the deletion events carry ambiguous times.

## Example
Failing:
```sql
ALTER TABLE posts ADD COLUMN deleted_at TIMESTAMP;
```
Passing:
```sql
ALTER TABLE posts ADD COLUMN deleted_at TIMESTAMPTZ;
```

## Fix
`ALTER TABLE posts ALTER COLUMN deleted_at TYPE TIMESTAMPTZ USING deleted_at AT TIME ZONE 'UTC';`
"#,
    ..RuleInfo::new("SOFT_DELETE_TYPE_DRIFT", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let at = &cx.settings.deleted_at;
    for t in cx.schema.tables.values() {
        let Some(c) = t.column(at) else { continue };
        if c.ty == "timestamptz" {
            continue;
        }
        out.push(
            Finding::new(&RULE, c.loc, format!("`{}.{}` is `{}`, expected `timestamptz`", t.name, c.name, c.ty))
                .table(&t.name)
                .help(format!(
                    "`ALTER TABLE {} ALTER COLUMN {} TYPE TIMESTAMPTZ USING {} AT TIME ZONE 'UTC';`",
                    t.name, c.name, c.name
                )),
        );
    }
}
