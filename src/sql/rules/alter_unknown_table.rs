//! ALTER_UNKNOWN_TABLE (reported while reading and replaying files; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "An ALTER TABLE targets a table the migration stream created",
    docs: r#"## What it does
Finds top-level `ALTER TABLE` statements (without `IF EXISTS`) on a table that no earlier migration of the same directory created (or that an earlier one dropped). Statements inside `DO` blocks are not judged: they are usually guarded by a catalog lookup. Tables created outside the stream (extensions, other tools) can be listed in `external_tables`.

## Why
Each migrations directory is its own database: an ALTER of a table the stream never created fails on a fresh database (a new developer machine, CI, disaster recovery) although it worked on the long-lived one.

## Example
Failing:
```sql
ALTER TABLE postz ADD COLUMN deleted_by UUID;   -- typo, or a table from another service
```
Passing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY);
ALTER TABLE posts ADD COLUMN deleted_by UUID;
```

## Fix
Fix the name, move the migration to the directory of the database that owns the table, or list the table in `external_tables`.
"#,
    ..RuleInfo::new("ALTER_UNKNOWN_TABLE", "migrations")
};
