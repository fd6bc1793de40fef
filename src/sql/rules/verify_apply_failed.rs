//! VERIFY_APPLY_FAILED (only with `--verify-with`; see `sql::verify`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["VERIFY"],
    default_severity: Severity::Error,
    summary: "With --verify-with: every migration applies cleanly to a fresh PostgreSQL database",
    docs: r#"## What it does
With `--verify-with <postgres URL>`, nova creates a scratch database, applies the directory's
migrations in sqlx order (each file in its own transaction unless it starts with
`-- no-transaction`) and reports the first one PostgreSQL rejects, at the position PostgreSQL names.
The scratch database is dropped afterwards.

## Why
Some mistakes only the server sees: a reference to a table or function that does not exist yet, a
type that does not cast, a lock-incompatible statement in a transaction.

## Example
Failing:
```sql
ALTER TABLE posts ADD COLUMN author_id UUID REFERENCES authors(id);  -- authors is created later
```
Passing:
```sql
CREATE TABLE authors (id UUID PRIMARY KEY);
ALTER TABLE posts ADD COLUMN author_id UUID REFERENCES authors(id);
```

## Fix
Fix the statement PostgreSQL names; migrations after it were not applied.
"#,
    ..RuleInfo::new("VERIFY_APPLY_FAILED", "migrations")
};
