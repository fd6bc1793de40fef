//! MIGRATION_WOULD_FAIL (judged while replaying; see `sql::would_fail`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "No statement fails on a fresh database because of what earlier migrations created",
    docs: r#"## What it does
Replays the directory's migrations in order and reports the **first** top-level statement PostgreSQL would reject because of the schema the earlier statements built:

- a relation that already exists, without `IF NOT EXISTS` / `OR REPLACE`: `CREATE TABLE`, `CREATE INDEX name`, `CREATE VIEW`, `ALTER TABLE ... RENAME TO` onto a taken name. Tables, indexes and views share one namespace, so an index named like a table (or like another table's index) clashes too;
- a type that already exists (`CREATE TYPE` of a name a type, table or view already has; `CREATE TABLE` of a `CREATE TYPE` name), a sequence whose name a relation already has (sequences share the relations' namespace);
- a column that already exists (`ADD COLUMN` without `IF NOT EXISTS`, `RENAME COLUMN ... TO` a taken name), a named constraint added twice to a table, a trigger created twice on a table (without `OR REPLACE`);
- something that does not exist: `ALTER TABLE`, `DROP TABLE`, `CREATE INDEX ... ON`, `CREATE TRIGGER ... ON` a missing table, or a missing column in `ALTER TABLE` (`DROP/RENAME/ALTER COLUMN`) or in a plain-column index key, without `IF EXISTS`.

Only the first one is reported: sqlx stops there, rolls that file back (unless it is `-- no-transaction`), and never runs the later files, which the message names.

Conservative by design, it reports nothing when the model cannot know:
- statements inside `DO` blocks are not judged, and the objects they create, drop, alter or rename are unknown from then on (the block's condition may not have held);
- after a statement that may create, drop or rename objects nova does not follow, nothing more is judged: `CREATE/DROP EXTENSION`, `CREATE/ALTER/DROP SCHEMA`, `DROP OWNED`, `IMPORT FOREIGN SCHEMA`, foreign tables, `ALTER VIEW/MATERIALIZED VIEW/SEQUENCE`, `CREATE RULE`, `SELECT ... INTO`, `CALL`, a top-level `SELECT` that calls a function, any statement with `CASCADE`, a `DO` block that uses `EXECUTE`;
- after `ALTER TYPE ... RENAME` / `SET SCHEMA` nothing more is judged either;
- not judged at all: functions and procedures (overloads share a name), `DROP TYPE` / `DROP SEQUENCE` of a missing name (serial and identity columns create sequences nova does not model), `CREATE TABLE ... AS`, `DROP INDEX`, `DROP VIEW`, `DROP CONSTRAINT`, unnamed indexes' names and default constraint names (PostgreSQL picks a free one), expression index keys, the 63-byte truncation of long names, and `CREATE INDEX CONCURRENTLY` inside a transaction (that is `CONCURRENTLY_IN_TRANSACTION`);
- tables listed in `external_tables` are unknown, never missing.

An `ALTER TABLE` of a table the stream never created is also `ALTER_UNKNOWN_TABLE`.

## Why
`sqlx migrate run` on a fresh database (CI, a new developer machine, disaster recovery) fails at that statement, and every later migration is blocked behind it.

## Example
Failing:
```sql
-- 0003_likes.sql
CREATE INDEX idx_likes_post_id ON post_likes (post_id);
-- 0007_more_indexes.sql
CREATE INDEX idx_likes_post_id ON post_likes (post_id);   -- relation "idx_likes_post_id" already exists
```
Passing:
```sql
CREATE INDEX IF NOT EXISTS idx_likes_post_id ON post_likes (post_id);
```

## Fix
Add `IF NOT EXISTS` / `IF EXISTS` / `OR REPLACE`, pick an unused name, or drop the duplicate statement.
"#,
    ..RuleInfo::new("MIGRATION_WOULD_FAIL", "migrations")
};
