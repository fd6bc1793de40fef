//! OUTBOX_TABLE_COLUMNS
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;
use crate::sql::model::ConstraintKind;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["OUTBOX"],
    default_severity: Severity::Error,
    summary: "`outbox_events`, where it exists, has the required columns with the required types and nullability",
    docs: r#"## What it does
When the final schema has the outbox table (`outbox_events`, configurable with `outbox_table`),
checks the columns the backend's `transactional-outbox` library reads and writes:
`id UUID PRIMARY KEY`, `aggregate_type VARCHAR NOT NULL`, `aggregate_id UUID NOT NULL`,
`event_type VARCHAR NOT NULL`, `payload JSONB NOT NULL`, `metadata JSONB`,
`created_at TIMESTAMPTZ NOT NULL`, `published_at TIMESTAMPTZ`, `retry_count INT NOT NULL`,
`last_error TEXT`. (`TEXT` is accepted where the convention says `VARCHAR(255)`.)

## Why
The publisher's queries and the deletion triggers insert into these columns by name; a missing
column fails at run time, a nullable `payload` lets an empty event through, a `TIMESTAMP` without
time zone breaks the retry ordering.

## Example
Failing:
```sql
CREATE TABLE outbox_events (id UUID PRIMARY KEY, payload JSON);
```
Passing:
```sql
CREATE TABLE outbox_events (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  aggregate_type VARCHAR(255) NOT NULL, aggregate_id UUID NOT NULL,
  event_type VARCHAR(255) NOT NULL, payload JSONB NOT NULL, metadata JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), published_at TIMESTAMPTZ,
  retry_count INT NOT NULL DEFAULT 0, last_error TEXT
);
```

## Fix
Add or alter the column named in the finding.
"#,
    ..RuleInfo::new("OUTBOX_TABLE_COLUMNS", "migrations")
};

/// (column, accepted normalised types, NOT NULL required)
const REQUIRED: &[(&str, &[&str], bool)] = &[
    ("id", &["uuid"], true),
    ("aggregate_type", &["varchar", "text"], true),
    ("aggregate_id", &["uuid"], true),
    ("event_type", &["varchar", "text"], true),
    ("payload", &["jsonb"], true),
    ("metadata", &["jsonb"], false),
    ("created_at", &["timestamptz"], true),
    ("published_at", &["timestamptz"], false),
    ("retry_count", &["integer"], true),
    ("last_error", &["text"], false),
];

fn type_ok(ty: &str, accepted: &[&str]) -> bool {
    accepted.iter().any(|a| ty == *a || (*a == "varchar" && ty.starts_with("varchar(")))
}

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let Some(t) = cx.schema.tables.get(&cx.settings.outbox_table) else { return };
    let mut missing = Vec::new();
    for (name, types, not_null) in REQUIRED {
        match t.column(name) {
            None => missing.push(*name),
            Some(c) => {
                if !type_ok(&c.ty, types) {
                    out.push(
                        Finding::new(
                            &RULE,
                            c.loc,
                            format!("`{}.{}` is `{}`, expected `{}`", t.name, c.name, c.ty, types.join("` or `")),
                        )
                        .table(&t.name),
                    );
                }
                let pk = t.constraints.iter().any(
                    |k| matches!(&k.kind, ConstraintKind::PrimaryKey { columns } if columns.iter().any(|x| x == name)),
                );
                if *not_null && !c.not_null && !pk {
                    out.push(
                        Finding::new(&RULE, c.loc, format!("`{}.{}` must be NOT NULL", t.name, c.name))
                            .table(&t.name)
                            .help(format!("`ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;`", t.name, c.name)),
                    );
                }
            }
        }
    }
    if !missing.is_empty() {
        out.push(
            Finding::new(
                &RULE,
                t.created,
                format!("outbox table `{}` lacks column(s): {}", t.name, missing.join(", ")),
            )
            .table(&t.name)
            .touched_by(t, t.created),
        );
    }
    let has_pk = t
        .constraints
        .iter()
        .any(|k| matches!(&k.kind, ConstraintKind::PrimaryKey { columns } if columns.len() == 1 && columns[0] == "id"));
    if t.column("id").is_some() && !has_pk {
        out.push(Finding::new(&RULE, t.created, format!("`{}.id` is not the PRIMARY KEY", t.name)).table(&t.name));
    }
}
