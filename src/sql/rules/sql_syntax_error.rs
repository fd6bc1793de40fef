//! SQL_SYNTAX_ERROR (reported while reading and replaying files; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "Every statement parses as PostgreSQL (including DO blocks and plpgsql bodies)",
    docs: r#"## What it does
Reports each syntax error of a migration file at its line and column, including errors inside `DO $$ ... $$` blocks and plpgsql function bodies (mapped back into the file). The rest of the file is still parsed and checked: one bad statement never hides the findings of the others.

## Why
A migration that does not parse fails when it is applied, possibly half-way (files with `-- no-transaction` are not rolled back).

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY,, title TEXT);
```
Passing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, title TEXT);
```

## Fix
Fix the statement at the reported position.
"#,
    ..RuleInfo::new("SQL_SYNTAX_ERROR", "migrations")
};
