//! Replay operations, in migration order, into the cumulative schema.
use crate::sql::model::*;
use std::collections::HashSet;

/// Something replay noticed that only makes sense in statement order (not on the final schema).
#[derive(Debug, Clone)]
pub struct ReplayEvent {
    pub loc: Loc,
    pub table: String,
}

#[derive(Debug, Default)]
pub struct Replayed {
    pub schema: Schema,
    /// Top-level `ALTER TABLE` (without `IF EXISTS`) of a table that does not exist at that point.
    pub alter_unknown: Vec<ReplayEvent>,
}

pub fn default_constraint_name(table: &str, c: &ConstraintDef) -> String {
    let bare = table.rsplit('.').next().unwrap_or(table);
    let join = |cols: &[String]| cols.join("_");
    match &c.kind {
        ConstraintKind::PrimaryKey { .. } => format!("{bare}_pkey"),
        ConstraintKind::Unique { columns } => format!("{bare}_{}_key", join(columns)),
        ConstraintKind::ForeignKey { columns, .. } => format!("{bare}_{}_fkey", join(columns)),
        // PostgreSQL names a CHECK after its column only when it references exactly one column.
        ConstraintKind::Check { .. } => {
            let mut cols = c.mentioned.clone();
            cols.sort();
            cols.dedup();
            match cols.as_slice() {
                [col] => format!("{bare}_{col}_check"),
                _ => format!("{bare}_check"),
            }
        }
        ConstraintKind::Exclude => format!("{bare}_excl"),
    }
}

fn default_index_name(table: &str, columns: &[String]) -> String {
    let bare = table.rsplit('.').next().unwrap_or(table);
    let cols: Vec<String> = columns
        .iter()
        .map(|c| {
            // PostgreSQL names an expression column after its function (`lower(email)` -> `lower`).
            let first = c.split_whitespace().next().unwrap_or("");
            let first = first.split('(').next().unwrap_or("");
            if !first.is_empty() && first.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                first.to_string()
            } else {
                "expr".into()
            }
        })
        .collect();
    format!("{bare}_{}_idx", cols.join("_"))
}

/// PostgreSQL's default for a name it chooses: `base`, else the first of `base1`, `base2`, ... that
/// is not taken.
fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

fn add_constraint(t: &mut Table, c: &ConstraintDef) {
    let name = match &c.name {
        Some(n) => n.clone(),
        None => {
            // Like ChooseConstraintName: a taken default name gets a number. The taken names are
            // collected once (a scan per candidate made 4,000 unnamed CHECKs take 25 s).
            let base = default_constraint_name(&t.name, c);
            let taken: HashSet<&str> =
                t.constraints.iter().map(|x| x.name.as_str()).filter(|n| n.starts_with(base.as_str())).collect();
            first_free(&base, |n| taken.contains(n))
        }
    };
    if let ConstraintKind::PrimaryKey { columns } = &c.kind {
        for col in t.columns.iter_mut().filter(|x| columns.contains(&x.name)) {
            col.not_null = true;
        }
    }
    t.constraints.retain(|x| x.name != name);
    t.constraints.push(Constraint { name, kind: c.kind.clone(), loc: c.loc, explicit: c.name.is_some() });
}

/// `LIKE source INCLUDING ...`: columns (with NOT NULL) always; CHECKs keep their names; unique
/// and primary keys and indexes get the new table's default names.
fn copy_like(schema: &Schema, t: &mut Table, l: &LikeSource, loc: Loc, indexes: &mut Vec<Index>) {
    let Some(src) = schema.tables.get(&l.table) else { return };
    for c in &src.columns {
        t.columns.retain(|x| x.name != c.name);
        t.columns.push(Column { has_default: false, loc, ..c.clone() });
    }
    for c in &src.constraints {
        let keep = match &c.kind {
            ConstraintKind::Check { .. } => l.constraints,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } | ConstraintKind::Exclude => l.indexes,
            ConstraintKind::ForeignKey { .. } => false,
        };
        if !keep {
            continue;
        }
        let name = match &c.kind {
            ConstraintKind::Check { .. } => Some(c.name.clone()),
            _ => None,
        };
        add_constraint(t, &ConstraintDef { name, kind: c.kind.clone(), mentioned: Vec::new(), loc });
    }
    if l.indexes {
        for i in schema.indexes.values().filter(|i| i.table == src.name) {
            let base = default_index_name(&t.name, &i.columns);
            let name = first_free(&base, |n| schema.indexes.contains_key(n) || indexes.iter().any(|x| x.name == n));
            indexes.push(Index { name, table: t.name.clone(), loc, ..i.clone() });
        }
    }
}

fn add_column(t: &mut Table, def: &ColumnDef) {
    t.columns.retain(|c| c.name != def.name);
    t.columns.push(Column {
        name: def.name.clone(),
        ty: def.ty.clone(),
        not_null: def.not_null,
        has_default: def.has_default,
        loc: def.loc,
    });
    for c in &def.constraints {
        add_constraint(t, c);
    }
}

fn constraint_columns(k: &ConstraintKind) -> &[String] {
    match k {
        ConstraintKind::Unique { columns }
        | ConstraintKind::PrimaryKey { columns }
        | ConstraintKind::ForeignKey { columns, .. } => columns,
        _ => &[],
    }
}

pub fn replay(stmts: &[Stmt]) -> Replayed {
    replay_judged(stmts, None)
}

/// Replay, letting `judge` see the schema right before each statement (`MIGRATION_WOULD_FAIL`).
/// The bookkeeping table `sqlx migrate run` creates before the first migration runs (sqlx-postgres
/// 0.9's own DDL): migrations may refer to it (`CREATE TABLE x (LIKE public._sqlx_migrations)`),
/// and `--verify-with` creates it in the scratch database the same way.
pub const SQLX_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);";

/// Start from what exists before the first migration: sqlx's table, read by nova's own parser.
/// Parsed once: replay runs once per stream, and more often under `--verify-with`.
fn seed_sqlx_table(out: &mut Replayed) {
    static SEED: std::sync::OnceLock<Vec<Stmt>> = std::sync::OnceLock::new();
    let stmts = SEED.get_or_init(|| {
        crate::sql::extract::extract_file(usize::MAX, &crate::sql::parse::parse(SQLX_MIGRATIONS_TABLE)).stmts
    });
    for s in stmts {
        apply(out, s);
    }
}

pub fn replay_judged(stmts: &[Stmt], mut judge: Option<&mut crate::sql::would_fail::Judge>) -> Replayed {
    let mut out = Replayed::default();
    seed_sqlx_table(&mut out);
    let mut conditions = std::collections::HashMap::new();
    for s in stmts {
        if s.origin == Origin::FunctionBody {
            continue;
        }
        // A statement in an IF branch PostgreSQL does not take, on the schema as it stands.
        if crate::sql::guard::holds(&out.schema, s.loc.file, &s.guard, &mut conditions) == Some(false) {
            continue;
        }
        if let Some(j) = judge.as_deref_mut() {
            j.see(&out.schema, s);
        }
        apply(&mut out, s);
    }
    out
}

fn apply(out: &mut Replayed, s: &Stmt) {
    let schema = &mut out.schema;
    match &s.op {
        Op::CreateTable { name, if_not_exists, columns, constraints, like } => {
            if *if_not_exists && schema.tables.contains_key(name) {
                return;
            }
            let mut t = Table::empty(name, s.loc);
            let mut copied_indexes = Vec::new();
            for l in like {
                copy_like(schema, &mut t, l, s.loc, &mut copied_indexes);
            }
            for c in columns {
                add_column(&mut t, c);
            }
            for c in constraints {
                add_constraint(&mut t, c);
            }
            schema.tables.insert(name.clone(), t);
            for i in copied_indexes {
                schema.indexes.insert(i.name.clone(), i);
            }
        }
        Op::CreateTableAs { name, source } => {
            let mut t = Table::empty(name, s.loc);
            if let Some(src) = source.as_ref().and_then(|n| schema.tables.get(n)) {
                // CREATE TABLE AS copies names and types, not constraints or NOT NULL.
                t.columns = src
                    .columns
                    .iter()
                    .map(|c| Column { not_null: false, has_default: false, loc: s.loc, ..c.clone() })
                    .collect();
            }
            schema.tables.insert(name.clone(), t);
        }
        Op::AlterTable { name, if_exists, actions } => {
            if !schema.tables.contains_key(name) {
                // PostgreSQL also accepts ALTER TABLE on views and indexes (RENAME, OWNER, ...).
                let other_relation = schema.views.contains_key(name) || schema.indexes.contains_key(name);
                if !*if_exists && !other_relation && s.origin == Origin::TopLevel {
                    out.alter_unknown.push(ReplayEvent { loc: s.loc, table: name.clone() });
                }
                return;
            }
            let mut current = name.clone();
            for a in actions {
                alter(schema, &mut current, a, s.loc);
            }
        }
        Op::DropTable { names, .. } => {
            for n in names {
                schema.tables.remove(n);
                schema.indexes.retain(|_, i| &i.table != n);
                schema.triggers.retain(|(t, _), _| t != n);
            }
        }
        Op::CreateIndex { name, table, unique, columns, predicate, predicate_text, if_not_exists, .. } => {
            // Like ChooseRelationName: an unnamed index takes the first free `<base>`, `<base>1`, ...
            let name = name.clone().unwrap_or_else(|| {
                let base = crate::sql::extract::in_schema_of(table, default_index_name(table, columns));
                first_free(&base, |n| {
                    schema.indexes.contains_key(n) || schema.tables.contains_key(n) || schema.views.contains_key(n)
                })
            });
            if *if_not_exists && schema.indexes.contains_key(&name) {
                return;
            }
            if let Some(t) = schema.tables.get_mut(table) {
                t.touched.push(s.loc);
            }
            schema.indexes.insert(
                name.clone(),
                Index {
                    name,
                    table: table.clone(),
                    unique: *unique,
                    columns: columns.clone(),
                    predicate: predicate.clone(),
                    predicate_text: predicate_text.clone(),
                    loc: s.loc,
                },
            );
        }
        Op::DropIndex { names, .. } => {
            for n in names {
                schema.indexes.remove(n);
            }
        }
        Op::RenameIndex { from, to } => {
            if let Some(mut i) = schema.indexes.remove(from) {
                i.name = to.clone();
                schema.indexes.insert(to.clone(), i);
            } else {
                // A UNIQUE / PRIMARY KEY constraint's index renames the constraint too.
                for t in schema.tables.values_mut() {
                    for c in t.constraints.iter_mut().filter(|c| &c.name == from) {
                        c.name = to.clone();
                    }
                }
            }
        }
        Op::CreateView { name, .. } => {
            schema.views.insert(name.clone(), View { name: name.clone(), loc: s.loc });
        }
        Op::DropView { names } => {
            for n in names {
                schema.views.remove(n);
            }
        }
        Op::CreateFunction { name, language, body } => {
            schema.functions.insert(
                name.clone(),
                Function { name: name.clone(), language: language.clone(), body: body.clone(), loc: s.loc },
            );
        }
        Op::DropFunction { names } => {
            for n in names {
                schema.functions.remove(n);
            }
        }
        Op::CreateTrigger { name, table, timing, events, function, .. } => {
            if let Some(t) = schema.tables.get_mut(table) {
                t.touched.push(s.loc);
            }
            schema.triggers.insert(
                (table.clone(), name.clone()),
                Trigger {
                    name: name.clone(),
                    table: table.clone(),
                    timing: timing.clone(),
                    events: events.clone(),
                    function: function.clone(),
                    loc: s.loc,
                },
            );
        }
        Op::DropTrigger { name, table } => {
            schema.triggers.remove(&(table.clone(), name.clone()));
        }
        Op::CreateType { name } => {
            schema.types.entry(name.clone()).or_insert(s.loc);
        }
        Op::DropType { names } => {
            for n in names {
                schema.types.remove(n);
            }
        }
        Op::CreateSequence { name, .. } => {
            schema.sequences.entry(name.clone()).or_insert(s.loc);
        }
        Op::DropSequence { names } => {
            for n in names {
                schema.sequences.remove(n);
            }
        }
        Op::Other => {}
    }
}

fn alter(schema: &mut Schema, current: &mut String, a: &AlterAction, loc: Loc) {
    let Some(t) = schema.tables.get_mut(current.as_str()) else { return };
    if t.touched.last() != Some(&loc) {
        t.touched.push(loc);
    }
    match a {
        AlterAction::AddColumn { col, if_not_exists } => {
            if *if_not_exists && t.column(&col.name).is_some() {
                return;
            }
            add_column(t, col);
        }
        AlterAction::DropColumn { name, .. } => {
            t.columns.retain(|c| &c.name != name);
            t.constraints.retain(|c| match &c.kind {
                ConstraintKind::Check { expr, .. } => !mentions(expr, name),
                k => !constraint_columns(k).contains(name),
            });
            let table = current.clone();
            schema.indexes.retain(|_, i| {
                i.table != table || !i.columns.iter().any(|c| c.split_whitespace().next() == Some(name.as_str()))
            });
        }
        AlterAction::RenameColumn { from, to } => {
            for c in t.columns.iter_mut().filter(|c| &c.name == from) {
                c.name = to.clone();
            }
            for c in t.constraints.iter_mut() {
                rename_in_constraint(&mut c.kind, from, to);
            }
            let table = current.clone();
            for other in schema.tables.values_mut() {
                for c in other.constraints.iter_mut() {
                    if let ConstraintKind::ForeignKey { ref_table, ref_columns, .. } = &mut c.kind
                        && *ref_table == table
                    {
                        for rc in ref_columns.iter_mut().filter(|rc| *rc == from) {
                            *rc = to.clone();
                        }
                    }
                }
            }
            for i in schema.indexes.values_mut().filter(|i| i.table == table) {
                for c in i.columns.iter_mut().filter(|c| c.split_whitespace().next() == Some(from.as_str())) {
                    *c = c.replacen(from.as_str(), to, 1);
                }
            }
        }
        AlterAction::AlterType { name, ty } => {
            for c in t.columns.iter_mut().filter(|c| &c.name == name) {
                c.ty = ty.clone();
                c.loc = loc;
            }
        }
        AlterAction::SetNotNull(n) => t.columns.iter_mut().filter(|c| &c.name == n).for_each(|c| c.not_null = true),
        AlterAction::DropNotNull(n) => t.columns.iter_mut().filter(|c| &c.name == n).for_each(|c| c.not_null = false),
        AlterAction::SetDefault(n) => t.columns.iter_mut().filter(|c| &c.name == n).for_each(|c| c.has_default = true),
        AlterAction::DropDefault(n) => {
            t.columns.iter_mut().filter(|c| &c.name == n).for_each(|c| c.has_default = false)
        }
        AlterAction::AddConstraint(c) => add_constraint(t, c),
        AlterAction::DropConstraint { name, .. } => t.constraints.retain(|c| &c.name != name),
        AlterAction::RenameConstraint { from, to } => {
            for c in t.constraints.iter_mut().filter(|c| &c.name == from) {
                c.name = to.clone();
            }
        }
        AlterAction::RenameTo(new) => {
            let old = current.clone();
            if let Some(mut t) = schema.tables.remove(&old) {
                t.name = new.clone();
                schema.tables.insert(new.clone(), t);
            }
            for i in schema.indexes.values_mut().filter(|i| i.table == old) {
                i.table = new.clone();
            }
            let triggers = std::mem::take(&mut schema.triggers);
            schema.triggers = triggers
                .into_iter()
                .map(|((tb, n), mut tr)| {
                    if tb == old {
                        tr.table = new.clone();
                        ((new.clone(), n), tr)
                    } else {
                        ((tb, n), tr)
                    }
                })
                .collect();
            for other in schema.tables.values_mut() {
                for c in other.constraints.iter_mut() {
                    if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind
                        && *ref_table == old
                    {
                        *ref_table = new.clone();
                    }
                }
            }
            *current = new.clone();
        }
        AlterAction::Other => {}
    }
}

fn rename_in_constraint(k: &mut ConstraintKind, from: &str, to: &str) {
    match k {
        ConstraintKind::Unique { columns }
        | ConstraintKind::PrimaryKey { columns }
        | ConstraintKind::ForeignKey { columns, .. } => {
            for c in columns.iter_mut().filter(|c| *c == from) {
                *c = to.to_string();
            }
        }
        ConstraintKind::Check { expr, .. } => rename_in_expr(expr, from, to),
        ConstraintKind::Exclude => {}
    }
}

fn rename_in_expr(e: &mut Expr, from: &str, to: &str) {
    match e {
        Expr::IsNull(c) if c == from => *c = to.to_string(),
        Expr::Not(a) => rename_in_expr(a, from, to),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Eq(a, b) | Expr::Ne(a, b) => {
            rename_in_expr(a, from, to);
            rename_in_expr(b, from, to);
        }
        Expr::CountNulls { columns, .. } => {
            for c in columns.iter_mut().filter(|c| *c == from) {
                *c = to.to_string();
            }
        }
        _ => {}
    }
}

fn mentions(e: &Expr, col: &str) -> bool {
    match e {
        Expr::IsNull(c) => c == col,
        Expr::Not(a) => mentions(a, col),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Eq(a, b) | Expr::Ne(a, b) => mentions(a, col) || mentions(b, col),
        Expr::CountNulls { columns, .. } => columns.iter().any(|c| c == col),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{extract, parse};

    fn schema(sql: &str) -> Replayed {
        let p = parse::parse(sql);
        replay(&extract::extract_file(0, &p).stmts)
    }

    #[test]
    fn default_names_and_drop_by_name() {
        let r = schema(
            "CREATE TABLE public.orders (id uuid PRIMARY KEY, user_id uuid REFERENCES users(id) ON DELETE CASCADE, code text UNIQUE);\n\
             ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\n\
             DO $$ BEGIN ALTER TABLE orders ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE; END $$;\n\
             ALTER TABLE missing ADD COLUMN x int;\n\
             CREATE VIEW v AS SELECT 1;\n\
             ALTER TABLE v OWNER TO postgres;",
        );
        let t = &r.schema.tables["orders"];
        let names: Vec<&str> = t.constraints.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["orders_pkey", "orders_code_key"]);
        assert_eq!(t.column("deleted_at").map(|c| c.ty.as_str()), Some("timestamptz"));
        assert_eq!(t.touched.len(), 2);
        assert_eq!(r.alter_unknown.len(), 1);
        assert_eq!(r.alter_unknown[0].table, "missing");
    }

    #[test]
    fn like_and_create_table_as_copy_columns() {
        let r = schema(
            "CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL UNIQUE, deleted_at timestamptz, CHECK (id > 0));\n\
             CREATE INDEX ON people (lower(email));\n\
             CREATE TABLE sessions (LIKE people INCLUDING ALL, extra int);\n\
             CREATE TABLE archived AS SELECT * FROM people WITH NO DATA;\n\
             ALTER TABLE archived ADD COLUMN note text;\n\
             CREATE TABLE report AS SELECT count(*) FROM people;",
        );
        let s = &r.schema.tables["sessions"];
        let cols: Vec<&str> = s.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cols, vec!["id", "email", "deleted_at", "extra"]);
        let names: Vec<&str> = s.constraints.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["sessions_pkey", "sessions_email_key", "people_id_check"]);
        assert!(r.schema.indexes.contains_key("sessions_lower_idx"));
        let a = &r.schema.tables["archived"];
        assert_eq!(a.columns.len(), 4);
        assert!(a.columns.iter().all(|c| !c.not_null));
        assert!(r.schema.tables["report"].columns.is_empty());
        assert!(r.alter_unknown.is_empty());
    }
}
