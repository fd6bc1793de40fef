//! MIGRATION_VERSION_NOT_INTEGER (reported while reading and replaying files; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "Migration file names start with an integer version",
    docs: r#"## What it does
Finds `*.sql` files of a migrations directory named `<prefix>_<name>.sql` whose prefix is not an integer (`v1_init.sql`, `2024-01-01_x.sql`).

## Why
`sqlx::migrate!` fails on such a directory: no migration of it runs.

## Example
Failing:
```sql
v2_add_posts.sql
```
Passing:
```sql
20240101120000_add_posts.sql
```

## Fix
Rename the file with an integer version (a timestamp such as `20240101120000` is usual).
"#,
    ..RuleInfo::new("MIGRATION_VERSION_NOT_INTEGER", "migrations")
};
