//! OUTBOX_UNPUBLISHED_INDEX
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["OUTBOX"],
    default_severity: Severity::Error,
    summary: "`outbox_events` has the partial index on (created_at, retry_count) WHERE published_at IS NULL",
    docs: r#"## What it does
When the final schema has the outbox table, looks for an index on it whose first column is
`created_at` and whose predicate implies `published_at IS NULL` (the predicate is evaluated, not
compared as text).

## Why
The publisher polls for unpublished events, oldest first, every few hundred milliseconds. Without the
partial index each poll scans every event ever published; the table only grows.

## Example
Failing:
```sql
CREATE INDEX outbox_created ON outbox_events (created_at);
```
Passing:
```sql
CREATE INDEX idx_outbox_unpublished ON outbox_events (created_at, retry_count) WHERE published_at IS NULL;
```

## Fix
`CREATE INDEX CONCURRENTLY idx_outbox_unpublished ON outbox_events (created_at, retry_count) WHERE published_at IS NULL;`
(in a file starting with `-- no-transaction`).
"#,
    ..RuleInfo::new("OUTBOX_UNPUBLISHED_INDEX", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let Some(t) = cx.schema.tables.get(&cx.settings.outbox_table) else { return };
    let ok = cx.indexes_of(&t.name).any(|i| {
        i.columns.first().and_then(|c| c.split_whitespace().next()) == Some("created_at")
            && i.predicate.as_ref().is_some_and(|p| p.implies_null("published_at"))
    });
    if !ok {
        out.push(
            Finding::new(
                &RULE,
                t.created,
                format!("outbox table `{}` has no index on (created_at, ...) WHERE published_at IS NULL", t.name),
            )
            .table(&t.name)
            .touched_by(t, t.created)
            .help(format!(
                "`CREATE INDEX idx_{0}_unpublished ON {0} (created_at, retry_count) WHERE published_at IS NULL;`",
                t.name
            )),
        );
    }
}
