//! SOFT_DELETE_CHECK
use super::{Cx, Finding};
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;
use crate::sql::model::{ConstraintKind, Expr};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["SOFT_DELETE"],
    default_severity: Severity::Error,
    summary: "A soft-deletable table has a CHECK that `deleted_at` and `deleted_by` are both NULL or both NOT NULL",
    docs: r#"## What it does
For every table with both `deleted_at` and `deleted_by`, looks for a CHECK constraint that allows
exactly the two consistent states (both NULL, both NOT NULL) and forbids the two mixed ones. The
meaning is judged, not the text: every CHECK is evaluated over the four NULL / NOT NULL combinations,
so `(a IS NULL AND b IS NULL) OR (a IS NOT NULL AND b IS NOT NULL)`, `(a IS NULL) = (b IS NULL)`,
`NOT (a IS NULL) = NOT (b IS NULL)`, swapped operands, extra parentheses and
`num_nulls(a, b) <> 1` are all accepted. A constraint dropped by a later migration (by its own or its
PostgreSQL default name) no longer counts.

## Why
Without it a row can be "deleted by nobody" or "deleted_by someone but not deleted"; readers of the
audit trail and the deletion trigger then disagree about whether the row is deleted.

## Example
Failing:
```sql
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```
Passing:
```sql
CREATE TABLE posts (
  id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID,
  CONSTRAINT posts_deleted_at_logic CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
);
```

## Fix
`ALTER TABLE posts ADD CONSTRAINT posts_deleted_at_logic CHECK ((deleted_at IS NULL AND deleted_by IS NULL) OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL));`
"#,
    ..RuleInfo::new("SOFT_DELETE_CHECK", "migrations")
};

/// Whether `e` holds exactly when both columns are NULL or both are NOT NULL.
pub fn is_both_or_neither(e: &Expr, a: &str, b: &str) -> bool {
    let eval = |a_null: bool, b_null: bool| {
        e.eval(&|c| {
            if c == a {
                Some(a_null)
            } else if c == b {
                Some(b_null)
            } else {
                None
            }
        })
    };
    // A CHECK passes on TRUE (and on NULL, which null tests never produce).
    eval(true, true) == Some(true)
        && eval(false, false) == Some(true)
        && eval(true, false) == Some(false)
        && eval(false, true) == Some(false)
}

pub fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let s = cx.settings;
    for t in cx.soft_tables() {
        if t.column(&s.deleted_at).is_none() || t.column(&s.deleted_by).is_none() {
            continue;
        }
        let ok = t.constraints.iter().any(|c| match &c.kind {
            ConstraintKind::Check { expr, .. } => is_both_or_neither(expr, &s.deleted_at, &s.deleted_by),
            _ => false,
        });
        if ok {
            continue;
        }
        let conventional = format!("{}_{}_logic", t.name.rsplit('.').next().unwrap_or(&t.name), s.deleted_at);
        let mut f = match t.constraints.iter().find(|c| c.name == conventional) {
            Some(c) => Finding::new(
                &RULE,
                c.loc,
                format!(
                    "CHECK `{}` on `{}` does not enforce that `{}` and `{}` are both NULL or both NOT NULL",
                    c.name, t.name, s.deleted_at, s.deleted_by
                ),
            ),
            None => Finding::new(
                &RULE,
                t.created,
                format!(
                    "soft-deletable table `{}` has no CHECK that `{}` and `{}` are both NULL or both NOT NULL",
                    t.name, s.deleted_at, s.deleted_by
                ),
            ),
        };
        f = f.table(&t.name).touched_by(t, t.created).help(format!(
            "`ALTER TABLE {0} ADD CONSTRAINT {1} CHECK (({2} IS NULL AND {3} IS NULL) OR ({2} IS NOT NULL AND {3} IS NOT NULL));`",
            t.name, conventional, s.deleted_at, s.deleted_by
        ));
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{extract, model::Op, parse};

    fn check_expr(sql_check: &str) -> Expr {
        let sql = format!("CREATE TABLE t (a int, CHECK ({sql_check}));");
        let p = parse::parse(&sql);
        let stmts = extract::extract_file(0, &p).stmts;
        match &stmts[0].op {
            Op::CreateTable { constraints, .. } => match &constraints[0].kind {
                ConstraintKind::Check { expr, .. } => expr.clone(),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        }
    }

    #[test]
    fn equivalent_forms_pass_and_wrong_ones_fail() {
        let good = [
            "(deleted_at IS NULL AND deleted_by IS NULL) OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL)",
            "(deleted_by IS NOT NULL AND deleted_at IS NOT NULL) OR (deleted_by IS NULL AND deleted_at IS NULL)",
            "(deleted_at IS NULL) = (deleted_by IS NULL)",
            "((((deleted_at IS NULL))) = (deleted_by IS NULL))",
            "NOT (deleted_at IS NULL) = NOT (deleted_by IS NULL)",
            "(deleted_at IS NOT NULL) = (deleted_by IS NOT NULL)",
            "NOT ((deleted_at IS NULL) <> (deleted_by IS NULL))",
            "num_nulls(deleted_at, deleted_by) <> 1",
            "NOT ((deleted_at IS NULL) IS DISTINCT FROM (deleted_by IS NULL))",
            "deleted_at ISNULL = deleted_by ISNULL",
        ];
        for g in good {
            assert!(is_both_or_neither(&check_expr(g), "deleted_at", "deleted_by"), "should pass: {g}");
        }
        let bad = [
            "deleted_at IS NULL OR deleted_by IS NOT NULL",
            "(deleted_at IS NULL AND deleted_by IS NULL)",
            "(deleted_at IS NULL) = (deleted_at IS NULL)",
            "(deleted_at IS NULL) <> (deleted_by IS NULL)",
            "length(note) > 3",
        ];
        for b in bad {
            assert!(!is_both_or_neither(&check_expr(b), "deleted_at", "deleted_by"), "should fail: {b}");
        }
    }
}
