//! CONCURRENTLY_IN_TRANSACTION (reported while reading and replaying files; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "CREATE/DROP INDEX CONCURRENTLY is in a file that starts with `-- no-transaction`",
    docs: r#"## What it does
Finds `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` in a migration file whose first line is not `-- no-transaction`. sqlx runs every other file inside a transaction.

## Why
PostgreSQL refuses CONCURRENTLY inside a transaction block: the migration fails when it is applied, after review and merge.

## Example
Failing:
```sql
CREATE INDEX CONCURRENTLY posts_author ON posts (author_id);
```
Passing:
```sql
-- no-transaction
CREATE INDEX CONCURRENTLY posts_author ON posts (author_id);
```

## Fix
Put the statement alone in its own file whose first line is `-- no-transaction`.
"#,
    ..RuleInfo::new("CONCURRENTLY_IN_TRANSACTION", "migrations")
};
