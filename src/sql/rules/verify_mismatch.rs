//! VERIFY_MISMATCH (only with `--verify-with`; see `sql::verify`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["VERIFY"],
    default_severity: Severity::Warning,
    summary: "With --verify-with: nova's replayed schema and PostgreSQL's catalog agree",
    docs: r#"## What it does
With `--verify-with <postgres URL>`, after applying the migrations to a scratch database nova
reads the catalog (`pg_attribute`, `pg_constraint`, `pg_index`, `pg_trigger`, `pg_proc`) back into
its schema model, runs the same invariants on it, and reports every disagreement: a table, column,
type, nullability, constraint, index or trigger one side has and the other does not, and any
invariant finding only one side produces.

## Why
nova replays migrations without a server. The oracle shows where that replay and PostgreSQL part
ways (unusual syntax, dynamic SQL in `EXECUTE`, name collisions), so a clean check can be trusted.

## Example
Failing: a migration adds a column with `EXECUTE format('ALTER TABLE %I ADD COLUMN note TEXT', t)`
inside a `DO` block: nova cannot see SQL built at run time, PostgreSQL has the column.

Passing: the same column added with a static `ALTER TABLE` (or a constant `EXECUTE '...'` string)
inside the `DO` block.

## Fix
Write the DDL statically where possible; otherwise suppress the finding with a reason.
"#,
    ..RuleInfo::new("VERIFY_MISMATCH", "migrations")
};
