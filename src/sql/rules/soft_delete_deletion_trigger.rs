//! SOFT_DELETE_DELETION_TRIGGER
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE", "OUTBOX"],
    default_severity: Severity::Error,
    summary: "A soft-deletable table has an AFTER UPDATE OF deleted_at trigger whose function inserts into outbox_events",
    docs: r#"## What it does
For every table with a `deleted_at` column, looks for a trigger `AFTER UPDATE OF deleted_at` (or
`AFTER UPDATE` of all columns) on it whose function exists in the final schema and inserts into
the outbox table (`outbox_events`, configurable with `outbox_table`). Inserts written as static SQL
in the plpgsql body and `EXECUTE` strings that spell `INSERT INTO outbox_events` both count.
The level is configurable like any rule: `severity = { SOFT_DELETE_DELETION_TRIGGER = "warning" }`
(or `"off"`).

## Why
Other services learn about deletions from the `<Entity>Deleted` outbox event; a soft delete
without the trigger leaves their copies alive forever (roadmap P0.2 / P0.3).

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```
Passing:
```sql
CREATE FUNCTION emit_post_deletion_event() RETURNS trigger AS $$
BEGIN
  IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
    INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
    VALUES ('Post', NEW.id, 'PostDeleted', jsonb_build_object('id', NEW.id));
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER trg_post_deletion AFTER UPDATE OF deleted_at ON posts
  FOR EACH ROW EXECUTE FUNCTION emit_post_deletion_event();
```

## Fix
Add the function and the trigger above in a new migration.
"#,
    ..RuleInfo::new("SOFT_DELETE_DELETION_TRIGGER", "migrations")
};

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let at = &cx.settings.deleted_at;
    let outbox = &cx.settings.outbox_table;
    for t in cx.soft_tables() {
        if t.column(at).is_none() {
            continue;
        }
        let triggers: Vec<_> = cx
            .triggers_of(&t.name)
            .filter(|tr| {
                tr.timing == "after"
                    && tr.events.iter().any(|e| e.kind == "update" && (e.columns.is_empty() || e.columns.contains(at)))
            })
            .collect();
        let good = triggers.iter().any(|tr| {
            cx.schema.functions.get(&tr.function).is_some_and(|f| f.body.inserts.iter().any(|i| i == outbox))
        });
        if good {
            continue;
        }
        let f = match triggers.first() {
            None => Finding::new(
                &RULE,
                t.created,
                format!(
                    "soft-deletable table `{}` has no `AFTER UPDATE OF {at}` trigger that emits a deletion event",
                    t.name
                ),
            )
            .touched_by(t, t.created),
            Some(tr) => match cx.schema.functions.get(&tr.function) {
                None => Finding::new(
                    &RULE,
                    tr.loc,
                    format!(
                        "trigger `{}` on `{}` calls `{}`, which the migrations never create",
                        tr.name, t.name, tr.function
                    ),
                ),
                Some(func) => Finding::new(
                    &RULE,
                    tr.loc,
                    format!(
                        "trigger `{}` on `{}` calls `{}`, which does not insert into `{outbox}`",
                        tr.name, t.name, func.name
                    ),
                )
                .label(func.loc, format!("`{}` is defined here", func.name)),
            },
        };
        out.push(f.table(&t.name).help(format!(
            "`CREATE TRIGGER trg_{0}_deletion AFTER UPDATE OF {at} ON {0} FOR EACH ROW EXECUTE FUNCTION emit_{0}_deletion_event();` with a function that inserts into `{outbox}`",
            t.name
        )));
    }
}
