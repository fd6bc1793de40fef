//! MIGRATION_DUPLICATE_VERSION (reported while reading and replaying files; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "Two migration files of one directory share a version",
    docs: r#"## What it does
Finds migration files in one directory whose integer version (the part before the first `_`) is the same, like sqlx does when it loads the directory (`.up.sql` / `.down.sql` pairs of one version are one migration).

## Why
sqlx refuses to run the directory (or applies only one of them, depending on the version), usually after two branches each added `0042_...` and were merged.

## Example
Failing:
```sql
0042_add_posts.sql
0042_add_users.sql
```
Passing:
```sql
0042_add_posts.sql
0043_add_users.sql
```

## Fix
Renumber the newer file to the next free version.
"#,
    ..RuleInfo::new("MIGRATION_DUPLICATE_VERSION", "migrations")
};
