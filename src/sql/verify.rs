//! `--verify-with <postgres URL>`: apply the migrations of one directory, in order, to a scratch
//! database (created here, dropped afterwards), read the real catalog back into the same model
//! shape, run the same invariants on it and report every disagreement with nova's own replay.
//!
//! The catalog is turned back into SQL with PostgreSQL's own deparsers (`pg_get_constraintdef`,
//! `pg_get_indexdef`, `pg_get_triggerdef`, `pg_get_functiondef`), which nova then reads with the
//! same parser and extractor as the migrations: one model shape, two sources.
use crate::error::NovaError;
use crate::sql::config::Settings;
use crate::sql::model::{ConstraintKind, Loc, Schema};
use crate::sql::rules::{self, Finding};
use crate::sql::{Stream, extract, parse, replay, would_fail};
use postgres::{Client, NoTls};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Drops the scratch database when verification ends, whatever happened.
struct Scratch {
    admin: Client,
    name: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
    }
}

fn pg_err(what: &str, e: &postgres::Error) -> NovaError {
    let detail = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string());
    NovaError::new(format!("--verify-with: {what}: {detail}"))
}

/// Apply and compare. Connection problems stop the command (exit 2); a migration PostgreSQL
/// rejects and every model/catalog disagreement are findings.
pub fn verify(url: &str, stream: &Stream, settings: &Settings) -> Result<Vec<Finding>, NovaError> {
    let config = postgres::Config::from_str(url)
        .map_err(|e| NovaError::new(format!("--verify-with: invalid PostgreSQL URL: {e}")))?;
    let admin = config
        .connect(NoTls)
        .map_err(|e| pg_err("cannot connect", &e).with_help("is the server running and the URL right?"))?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let name = format!("nova_verify_{}_{}", std::process::id(), nanos % 1_000_000_000);
    let mut scratch = Scratch { admin, name: name.clone() };
    scratch
        .admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .map_err(|e| pg_err("cannot create a scratch database", &e).with_help("the role needs CREATEDB"))?;
    let mut db_config = config.clone();
    db_config.dbname(&name);
    let mut client = db_config.connect(NoTls).map_err(|e| pg_err("cannot connect to the scratch database", &e))?;

    // As `sqlx migrate run` does before the first migration.
    client
        .batch_execute(replay::SQLX_MIGRATIONS_TABLE)
        .map_err(|e| pg_err("cannot create _sqlx_migrations in the scratch database", &e))?;
    let mut out = Vec::new();
    // nova's static verdict (MIGRATION_WOULD_FAIL), compared with what PostgreSQL does below.
    let predicted = {
        let mut judge = would_fail::Judge::new(&settings.external_tables);
        replay::replay_judged(&stream.all_stmts(), Some(&mut judge));
        judge.failure
    };
    for (i, f) in stream.files.iter().enumerate() {
        let result = if f.no_transaction {
            client.batch_execute(&f.text)
        } else {
            client.transaction().and_then(|mut tx| {
                tx.batch_execute(&f.text)?;
                tx.commit()
            })
        };
        if let Err(e) = result {
            let (msg, pos) = match e.as_db_error() {
                Some(db) => {
                    let pos = match db.position() {
                        Some(postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                        _ => None,
                    };
                    (db.message().to_string(), pos)
                }
                None => (e.to_string(), None),
            };
            let start = pos.and_then(|p| f.text.char_indices().nth(p.saturating_sub(1)).map(|(b, _)| b)).unwrap_or(0);
            let mut finding = Finding::new(
                &rules::verify_apply_failed::RULE,
                Loc { file: i, start, end: start },
                format!("PostgreSQL rejected `{}`: {msg}", f.file.name),
            )
            .help("later migrations were not applied; nova's model of them was not verified");
            finding.whole_file = pos.is_none();
            out.push(finding);
            out.extend(verdict_mismatch(stream, predicted.as_ref(), Some((i, pos.map(|_| start), &msg))));
            drop(client);
            return Ok(out);
        }
    }
    out.extend(verdict_mismatch(stream, predicted.as_ref(), None));
    let script = catalog_script(&mut client)?;
    drop(client);
    drop(scratch);

    let parsed = parse::parse(&script);
    let stmts = extract::extract_file(usize::MAX, &parsed).stmts;
    let actual = replay::replay(&stmts).schema;
    let model = replay::replay(&stream.all_stmts()).schema;
    compare(stream, &model, &actual, settings, &mut out);
    Ok(out)
}

/// nova's static verdict against PostgreSQL's: `rejected` is the file PostgreSQL stopped at, the
/// byte offset it named (when it named one) and its message; `None` when it applied every file.
/// They agree when both say the stream applies, or both stop in the same file (at the statement
/// nova named, when PostgreSQL gives a position).
fn verdict_mismatch(
    stream: &Stream,
    predicted: Option<&would_fail::Failure>,
    rejected: Option<(usize, Option<usize>, &str)>,
) -> Option<Finding> {
    let name = |i: usize| stream.files.get(i).map(|f| f.file.name.as_str()).unwrap_or("?");
    let (loc, message) = match (predicted, rejected) {
        (None, None) => return None,
        (Some(p), None) => (
            p.loc,
            format!(
                "nova predicts `{}` fails here ({}), but PostgreSQL applied every migration",
                name(p.loc.file),
                p.reason
            ),
        ),
        (None, Some((file, at, msg))) => (
            Loc { file, start: at.unwrap_or(0), end: at.unwrap_or(0) },
            format!("PostgreSQL rejected `{}` ({msg}), but nova predicted the stream applies", name(file)),
        ),
        (Some(p), Some((file, at, msg))) => {
            let same_statement = at.is_none_or(|a| a >= p.loc.start && a <= p.loc.end);
            if p.loc.file == file && same_statement {
                return None;
            }
            (
                p.loc,
                format!(
                    "nova predicts the first failure here ({}); PostgreSQL stopped at {} in `{}` ({msg})",
                    p.reason,
                    if p.loc.file == file { "another statement" } else { "a different file" },
                    name(file)
                ),
            )
        }
    };
    Some(
        Finding::new(&rules::verify_mismatch::RULE, loc, message)
            .help("nova's MIGRATION_WOULD_FAIL and PostgreSQL disagree; report it with the migration"),
    )
}

/// The scratch database's schema, as SQL PostgreSQL itself wrote.
fn catalog_script(client: &mut Client) -> Result<String, NovaError> {
    const USER_NS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
    let q = |client: &mut Client, sql: &str| -> Result<Vec<postgres::Row>, NovaError> {
        client.query(sql, &[]).map_err(|e| pg_err("cannot read the catalog", &e))
    };
    let qualified = "CASE WHEN n.nspname = 'public' THEN quote_ident(c.relname) ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END";
    let mut sql = String::new();
    let cols = q(
        client,
        &format!(
            "SELECT {qualified}, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.relkind IN ('r', 'p') AND {USER_NS}
             ORDER BY 1, a.attnum"
        ),
    )?;
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in cols {
        let t: String = r.get(0);
        let entry = tables.entry(t).or_default();
        let Some(col) = r.get::<_, Option<String>>(1) else { continue };
        let ty: String = r.get(2);
        let not_null: bool = r.get(3);
        let has_def: bool = r.get(4);
        entry.push(format!(
            "{col} {ty}{}{}",
            if not_null { " NOT NULL" } else { "" },
            if has_def { " DEFAULT NULL" } else { "" }
        ));
    }
    for (t, cols) in &tables {
        sql.push_str(&format!("CREATE TABLE {t} ({});\n", cols.join(", ")));
    }
    let cons = q(
        client,
        &format!(
            "SELECT {qualified}, quote_ident(k.conname), pg_get_constraintdef(k.oid)
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE k.contype IN ('c', 'u', 'p', 'f', 'x') AND {USER_NS} ORDER BY 1, 2"
        ),
    )?;
    for r in cons {
        let (t, name, def): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        sql.push_str(&format!("ALTER TABLE {t} ADD CONSTRAINT {name} {def};\n"));
    }
    // Indexes (but those a constraint above already brings), functions and triggers: PostgreSQL
    // prints each one's whole definition.
    let definitions = [
        format!(
            "SELECT pg_get_indexdef(i.indexrelid)
             FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE {USER_NS} AND NOT EXISTS (
                 SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
             ORDER BY 1"
        ),
        format!(
            "SELECT pg_get_functiondef(p.oid)
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE {USER_NS} AND p.prokind IN ('f', 'p')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
             ORDER BY 1"
        ),
        format!(
            "SELECT pg_get_triggerdef(t.oid)
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND {USER_NS} ORDER BY 1"
        ),
    ];
    for query in &definitions {
        for r in q(client, query)? {
            let def: String = r.get(0);
            sql.push_str(&def);
            sql.push_str(";\n");
        }
    }
    let views = q(
        client,
        &format!(
            "SELECT {qualified} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('v', 'm') AND {USER_NS} ORDER BY 1"
        ),
    )?;
    for r in views {
        let v: String = r.get(0);
        sql.push_str(&format!("CREATE VIEW {v} AS SELECT 1;\n"));
    }
    Ok(sql)
}

fn kind_name(k: &ConstraintKind) -> String {
    match k {
        ConstraintKind::Check { .. } => "CHECK".into(),
        ConstraintKind::Unique { columns } => format!("UNIQUE ({})", columns.join(", ")),
        ConstraintKind::PrimaryKey { columns } => format!("PRIMARY KEY ({})", columns.join(", ")),
        ConstraintKind::ForeignKey { columns, ref_table, on_delete, .. } => {
            format!("FOREIGN KEY ({}) REFERENCES {ref_table} ON DELETE {}", columns.join(", "), on_delete.as_sql())
        }
        ConstraintKind::Exclude => "EXCLUDE".into(),
    }
}

/// Every disagreement between the model nova replayed and the catalog PostgreSQL built.
fn compare(stream: &Stream, model: &Schema, actual: &Schema, settings: &Settings, out: &mut Vec<Finding>) {
    let last = Loc { file: stream.files.len().saturating_sub(1), start: 0, end: 0 };
    let mut mismatch = |loc: Option<Loc>, msg: String| {
        let mut f = Finding::new(&rules::verify_mismatch::RULE, loc.unwrap_or(last), msg);
        f.whole_file = loc.is_none();
        out.push(f);
    };
    for (name, t) in &model.tables {
        let Some(a) = actual.tables.get(name) else {
            mismatch(Some(t.created), format!("nova's model has table `{name}`, PostgreSQL does not"));
            continue;
        };
        for c in &t.columns {
            match a.column(&c.name) {
                None => {
                    mismatch(Some(c.loc), format!("nova's model has column `{name}.{}`, PostgreSQL does not", c.name))
                }
                Some(ac) => {
                    if ac.ty != c.ty {
                        mismatch(
                            Some(c.loc),
                            format!("`{name}.{}`: nova's model says `{}`, PostgreSQL says `{}`", c.name, c.ty, ac.ty),
                        );
                    }
                    if ac.not_null != c.not_null {
                        mismatch(
                            Some(c.loc),
                            format!(
                                "`{name}.{}`: nova's model says {}, PostgreSQL says {}",
                                c.name,
                                if c.not_null { "NOT NULL" } else { "nullable" },
                                if ac.not_null { "NOT NULL" } else { "nullable" }
                            ),
                        );
                    }
                }
            }
        }
        for ac in &a.columns {
            if t.column(&ac.name).is_none() {
                mismatch(Some(t.created), format!("PostgreSQL has column `{name}.{}`, nova's model does not", ac.name));
            }
        }
        for c in &t.constraints {
            match a.constraints.iter().find(|x| x.name == c.name) {
                None => mismatch(
                    Some(c.loc),
                    format!("nova's model has constraint `{}` on `{name}`, PostgreSQL does not", c.name),
                ),
                Some(ac) => {
                    let (mk, ak) = (kind_name(&c.kind), kind_name(&ac.kind));
                    if mk != ak {
                        mismatch(
                            Some(c.loc),
                            format!(
                                "constraint `{}` on `{name}`: nova's model says {mk}, PostgreSQL says {ak}",
                                c.name
                            ),
                        );
                    }
                }
            }
        }
        for ac in &a.constraints {
            if !t.constraints.iter().any(|x| x.name == ac.name) {
                mismatch(
                    Some(t.created),
                    format!("PostgreSQL has constraint `{}` on `{name}`, nova's model does not", ac.name),
                );
            }
        }
    }
    for name in actual.tables.keys() {
        if !model.tables.contains_key(name) {
            mismatch(None, format!("PostgreSQL has table `{name}`, nova's model does not"));
        }
    }
    for (name, i) in &model.indexes {
        match actual.indexes.get(name) {
            None => mismatch(Some(i.loc), format!("nova's model has index `{name}`, PostgreSQL does not")),
            Some(a) => {
                if a.unique != i.unique || a.predicate.is_some() != i.predicate.is_some() || a.table != i.table {
                    mismatch(
                        Some(i.loc),
                        format!(
                            "index `{name}`: nova's model and PostgreSQL disagree on its table, uniqueness or predicate"
                        ),
                    );
                }
            }
        }
    }
    for name in actual.indexes.keys() {
        if !model.indexes.contains_key(name) {
            mismatch(None, format!("PostgreSQL has index `{name}`, nova's model does not"));
        }
    }
    let mt: BTreeSet<_> = model.triggers.keys().collect();
    let at: BTreeSet<_> = actual.triggers.keys().collect();
    for (t, n) in mt.difference(&at) {
        let loc = model.triggers.get(&(t.clone(), n.clone())).map(|x| x.loc);
        mismatch(loc, format!("nova's model has trigger `{n}` on `{t}`, PostgreSQL does not"));
    }
    for (t, n) in at.difference(&mt) {
        mismatch(None, format!("PostgreSQL has trigger `{n}` on `{t}`, nova's model does not"));
    }
    // The same invariants, judged on both schemas.
    let judge = |s: &Schema| {
        let cx = rules::Cx::new(s, settings);
        let mut v = Vec::new();
        rules::check_schema(&cx, &mut v, &|_| true);
        v
    };
    let from_model = judge(model);
    let from_pg = judge(actual);
    let keys = |v: &[Finding]| v.iter().map(|f| (f.rule, f.message.clone())).collect::<BTreeSet<_>>();
    let (km, kp) = (keys(&from_model), keys(&from_pg));
    for f in &from_model {
        if !kp.contains(&(f.rule, f.message.clone())) {
            mismatch(Some(f.loc), format!("on nova's model only ({}): {}", f.rule, f.message));
        }
    }
    for f in &from_pg {
        if !km.contains(&(f.rule, f.message.clone())) {
            mismatch(None, format!("on PostgreSQL's catalog only, nova's model missed it ({}): {}", f.rule, f.message));
        }
    }
}
