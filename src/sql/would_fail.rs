//! `MIGRATION_WOULD_FAIL`: the first statement of a stream that PostgreSQL would reject because of
//! what earlier statements created or did not create. Judged during replay, against the schema as
//! it is right before each statement. Conservative: only top-level statements are judged, objects a
//! `DO` block touched are unknown (its condition may not have held), and after a statement the model
//! cannot follow (`Stmt::opaque`) nothing more is judged.
use crate::sql::model::*;
use std::collections::BTreeSet;

/// The statement PostgreSQL would reject.
#[derive(Debug, Clone)]
pub struct Failure {
    pub loc: Loc,
    /// PostgreSQL's words (`relation "x" already exists`).
    pub reason: String,
    /// Where the clashing object was created, when it was.
    pub earlier: Option<Loc>,
}

/// What the judge knows of a relation name.
enum Rel {
    Known(&'static str, Loc),
    Absent,
    Unknown,
}

pub struct Judge<'a> {
    external: &'a [String],
    /// Names touched by `DO` blocks (their condition may not have held).
    uncertain: BTreeSet<String>,
    /// Set after an opaque statement: nothing more is judged.
    blind: bool,
    pub failure: Option<Failure>,
}

impl<'a> Judge<'a> {
    pub fn new(external: &'a [String]) -> Self {
        Judge { external, uncertain: BTreeSet::new(), blind: false, failure: None }
    }

    /// Judge `s` against `schema` (the state before `s`); call before replaying `s`.
    pub fn see(&mut self, schema: &Schema, s: &Stmt) {
        if self.failure.is_some() || self.blind || s.origin == Origin::FunctionBody {
            return;
        }
        if s.origin == Origin::DoBlock {
            self.uncertain.extend(names(&s.op));
            return;
        }
        if s.opaque {
            self.blind = true;
            return;
        }
        if let Some((reason, earlier)) = self.check(schema, &s.op) {
            self.failure = Some(Failure { loc: s.loc, reason, earlier });
            return;
        }
        // A renamed uncertain table stays uncertain.
        if let Op::AlterTable { name, actions, .. } = &s.op
            && self.uncertain.contains(name)
        {
            for a in actions {
                if let AlterAction::RenameTo(to) = a {
                    self.uncertain.insert(to.clone());
                }
            }
        }
    }

    fn rel(&self, schema: &Schema, name: &str) -> Rel {
        if self.uncertain.contains(name) || self.external.iter().any(|e| e == name) {
            return Rel::Unknown;
        }
        if let Some(t) = schema.tables.get(name) {
            return Rel::Known("a table", t.created);
        }
        if let Some(v) = schema.views.get(name) {
            return Rel::Known("a view", v.loc);
        }
        if let Some(i) = schema.indexes.get(name) {
            return Rel::Known("an index", i.loc);
        }
        if let Some(l) = schema.sequences.get(name) {
            return Rel::Known("a sequence", *l);
        }
        Rel::Absent
    }

    /// A table whose columns the model knows for sure.
    fn certain_table<'s>(&self, schema: &'s Schema, name: &str) -> Option<&'s Table> {
        if self.uncertain.contains(name) {
            return None;
        }
        schema.tables.get(name)
    }

    fn check(&self, schema: &Schema, op: &Op) -> Option<(String, Option<Loc>)> {
        let exists = |name: &str| match self.rel(schema, name) {
            Rel::Known(kind, loc) => Some((format!("relation \"{name}\" already exists ({kind})"), Some(loc))),
            _ => None,
        };
        let missing = |name: &str| match self.rel(schema, name) {
            Rel::Absent => Some((format!("relation \"{name}\" does not exist"), None)),
            _ => None,
        };
        // Tables and views have a row type of their name, in the namespace of `CREATE TYPE`.
        let type_exists = |name: &str| {
            if self.uncertain.contains(name) {
                return None;
            }
            let loc = schema.types.get(name).copied().or_else(|| match self.rel(schema, name) {
                Rel::Known("a table" | "a view", loc) => Some(loc),
                _ => None,
            })?;
            Some((format!("type \"{name}\" already exists"), Some(loc)))
        };
        match op {
            Op::CreateTable { name, if_not_exists: false, .. } => exists(name).or_else(|| {
                schema
                    .types
                    .get(name)
                    .filter(|_| !self.uncertain.contains(name))
                    .map(|l| (format!("type \"{name}\" already exists"), Some(*l)))
            }),
            Op::CreateType { name } => type_exists(name),
            Op::CreateSequence { name, if_not_exists: false } => exists(name),
            Op::CreateView { name, or_replace: false } => exists(name),
            Op::CreateIndex { name, table, columns, if_not_exists, .. } => {
                // PostgreSQL opens the table before it looks at the index name.
                if let Some(f) = missing(table) {
                    return Some(f);
                }
                if let Some(n) = name
                    && !*if_not_exists
                    && let Some(f) = exists(n)
                {
                    return Some(f);
                }
                let t = self.certain_table(schema, table)?;
                columns
                    .iter()
                    .filter_map(|c| plain_column(c))
                    .find(|c| t.column(c).is_none())
                    .map(|c| (format!("column \"{c}\" does not exist (in \"{table}\")"), None))
            }
            Op::CreateTrigger { name, table, or_replace: false, .. } => {
                if let Some(f) = missing(table) {
                    return Some(f);
                }
                self.certain_table(schema, table)?;
                schema
                    .triggers
                    .get(&(table.clone(), name.clone()))
                    .map(|tr| (format!("trigger \"{name}\" for relation \"{table}\" already exists"), Some(tr.loc)))
            }
            Op::DropTable { names, if_exists: false } => names
                .iter()
                .find(|n| matches!(self.rel(schema, n), Rel::Absent))
                .map(|n| (format!("table \"{n}\" does not exist"), None)),
            Op::AlterTable { name, if_exists: false, actions } => {
                if let Some(f) = missing(name) {
                    return Some(f);
                }
                let t = self.certain_table(schema, name)?;
                alter_failure(self, schema, t, actions)
            }
            _ => None,
        }
    }
}

/// The first action of an `ALTER TABLE` on a known table that PostgreSQL rejects.
fn alter_failure(j: &Judge, schema: &Schema, t: &Table, actions: &[AlterAction]) -> Option<(String, Option<Loc>)> {
    let name = &t.name;
    let mut cols: Vec<(String, Option<Loc>)> = t.columns.iter().map(|c| (c.name.clone(), Some(c.loc))).collect();
    let has = |cols: &[(String, Option<Loc>)], c: &str| cols.iter().find(|(n, _)| n == c).map(|(_, l)| *l);
    let no_col = |c: &str| Some((format!("column \"{c}\" of relation \"{name}\" does not exist"), None));
    for a in actions {
        match a {
            AlterAction::AddColumn { col, if_not_exists } => {
                if let Some(l) = has(&cols, &col.name) {
                    if !*if_not_exists {
                        return Some((format!("column \"{}\" of relation \"{name}\" already exists", col.name), l));
                    }
                } else {
                    cols.push((col.name.clone(), None));
                }
            }
            AlterAction::DropColumn { name: c, if_exists } => {
                if has(&cols, c).is_none() {
                    if !*if_exists {
                        return no_col(c);
                    }
                } else {
                    cols.retain(|(n, _)| n != c);
                }
            }
            AlterAction::RenameColumn { from, to } => {
                if has(&cols, from).is_none() {
                    return no_col(from);
                }
                if let Some(l) = has(&cols, to) {
                    return Some((format!("column \"{to}\" of relation \"{name}\" already exists"), l));
                }
                for c in cols.iter_mut().filter(|(n, _)| n == from) {
                    c.0 = to.clone();
                }
            }
            AlterAction::AlterType { name: c, .. }
            | AlterAction::SetNotNull(c)
            | AlterAction::DropNotNull(c)
            | AlterAction::SetDefault(c)
            | AlterAction::DropDefault(c)
                if has(&cols, c).is_none() =>
            {
                return no_col(c);
            }
            AlterAction::AddConstraint(c) => {
                // Only a name written in both places: PostgreSQL picks free default names itself.
                if let Some(n) = &c.name
                    && let Some(k) = t.constraints.iter().find(|k| &k.name == n && k.explicit)
                {
                    return Some((format!("constraint \"{n}\" for relation \"{name}\" already exists"), Some(k.loc)));
                }
            }
            AlterAction::RenameTo(to) => {
                if let Rel::Known(kind, loc) = j.rel(schema, to) {
                    return Some((format!("relation \"{to}\" already exists ({kind})"), Some(loc)));
                }
            }
            _ => {}
        }
    }
    None
}

/// An index column that is a plain column name (`email`, `created_at DESC`), not an expression.
fn plain_column(item: &str) -> Option<&str> {
    let mut words = item.split_whitespace();
    let first = words.next()?;
    let plain = first.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && first.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let rest_ok = words.all(|w| matches!(w, "asc" | "desc" | "nulls" | "first" | "last"));
    (plain && rest_ok).then_some(first)
}

/// The relation names an operation creates, drops, alters or renames.
fn names(op: &Op) -> Vec<String> {
    match op {
        Op::CreateTable { name, .. } | Op::CreateTableAs { name, .. } | Op::CreateView { name, .. } => {
            vec![name.clone()]
        }
        Op::AlterTable { name, actions, .. } => std::iter::once(name.clone())
            .chain(actions.iter().filter_map(|a| match a {
                AlterAction::RenameTo(t) => Some(t.clone()),
                _ => None,
            }))
            .collect(),
        Op::DropTable { names, .. } | Op::DropIndex { names, .. } | Op::DropView { names } => names.clone(),
        Op::CreateIndex { name, table, .. } => name.iter().cloned().chain([table.clone()]).collect(),
        Op::RenameIndex { from, to } => vec![from.clone(), to.clone()],
        Op::CreateTrigger { table, .. } | Op::DropTrigger { table, .. } => vec![table.clone()],
        Op::CreateType { name } | Op::CreateSequence { name, .. } => vec![name.clone()],
        Op::DropType { names } | Op::DropSequence { names } => names.clone(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{extract, parse, replay};

    fn first_failure(sql: &str) -> Option<(String, String)> {
        let p = parse::parse(sql);
        let stmts = extract::extract_file(0, &p).stmts;
        let mut j = Judge::new(&[]);
        replay::replay_judged(&stmts, Some(&mut j));
        j.failure.map(|f| (sql[f.loc.start..f.loc.end].to_string(), f.reason))
    }

    #[test]
    fn what_postgres_rejects() {
        let t = "CREATE TABLE likes (id int, post_id int);\n";
        let cases = [
            (
                "CREATE INDEX idx_likes_post_id ON likes (post_id);\nCREATE INDEX idx_likes_post_id ON likes (post_id);",
                "relation \"idx_likes_post_id\" already exists (an index)",
            ),
            ("CREATE INDEX likes ON likes (id);", "relation \"likes\" already exists (a table)"),
            ("CREATE TABLE likes (id int);", "relation \"likes\" already exists (a table)"),
            ("ALTER TABLE likes ADD COLUMN post_id int;", "column \"post_id\" of relation \"likes\" already exists"),
            ("ALTER TABLE likes DROP COLUMN nope;", "column \"nope\" of relation \"likes\" does not exist"),
            ("CREATE INDEX ON likes (nope);", "column \"nope\" does not exist (in \"likes\")"),
            ("DROP TABLE nope;", "table \"nope\" does not exist"),
            ("CREATE TYPE mood AS ENUM ('a');\nCREATE TYPE mood AS ENUM ('b');", "type \"mood\" already exists"),
            ("CREATE TYPE likes AS (a int);", "type \"likes\" already exists"),
            ("CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE mood (id int);", "type \"mood\" already exists"),
            ("CREATE SEQUENCE s;\nCREATE SEQUENCE s;", "relation \"s\" already exists (a sequence)"),
            ("CREATE SEQUENCE s;\nCREATE INDEX s ON likes (id);", "relation \"s\" already exists (a sequence)"),
            ("CREATE INDEX i ON nope (a);", "relation \"nope\" does not exist"),
            (
                "ALTER TABLE likes ADD CONSTRAINT c CHECK (id > 0);\nALTER TABLE likes ADD CONSTRAINT c CHECK (id > 1);",
                "constraint \"c\" for relation \"likes\" already exists",
            ),
        ];
        for (sql, want) in cases {
            let full = format!("{t}{sql}");
            let got = first_failure(&full).map(|(_, r)| r);
            assert_eq!(got.as_deref(), Some(want), "{sql}");
        }
    }

    #[test]
    fn what_postgres_accepts_or_nova_cannot_know() {
        let t = "CREATE TABLE likes (id int, post_id int);\n";
        for sql in [
            "CREATE INDEX IF NOT EXISTS i ON likes (id);\nCREATE INDEX IF NOT EXISTS i ON likes (id);",
            "CREATE TABLE IF NOT EXISTS likes (id int);",
            "ALTER TABLE likes ADD COLUMN IF NOT EXISTS post_id int;",
            "ALTER TABLE likes DROP COLUMN IF EXISTS nope;",
            "DROP TABLE IF EXISTS nope;",
            "CREATE INDEX ON likes (id);\nCREATE INDEX ON likes (id);",
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE INDEX i ON likes (id); END IF; END $$;\nCREATE INDEX i ON likes (id);",
            "CREATE EXTENSION IF NOT EXISTS postgis;\nALTER TABLE spatial_ref_sys OWNER TO app;",
            "DROP TABLE likes CASCADE;\nCREATE TABLE likes (id int);\nCREATE TABLE likes (id int);",
            "CREATE VIEW v AS SELECT 1;\nCREATE OR REPLACE VIEW v AS SELECT 1;",
            "CREATE INDEX ON likes (lower(post_id::text));",
            "CREATE TYPE mood AS ENUM ('a');\nDROP TYPE mood;\nCREATE TYPE mood AS ENUM ('b');",
            "CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood RENAME TO feeling;\nCREATE TYPE mood AS ENUM ('b');",
            "DO $$ BEGIN CREATE TYPE mood AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $$;\nCREATE TYPE mood AS ENUM ('a');",
            "CREATE SEQUENCE IF NOT EXISTS s;\nCREATE SEQUENCE IF NOT EXISTS s;",
            "DROP SEQUENCE IF EXISTS likes_id_seq;\nDROP TYPE IF EXISTS nope;",
        ] {
            let full = format!("{t}{sql}");
            assert_eq!(first_failure(&full), None, "{sql}");
        }
    }
}
