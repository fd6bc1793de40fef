//! Conditional DDL in `DO` blocks: `IF [NOT] EXISTS (SELECT 1 FROM information_schema.columns
//! WHERE table_name = 't' AND column_name = 'c') THEN ... ELSE ... END IF;`. PostgreSQL runs one
//! branch, chosen against the schema as it stands; the model does the same. Each statement of a
//! body carries the conditions of the branches it sits in (its guard); replay evaluates them on
//! the cumulative schema and skips the statement when one is known to be false. A condition nova
//! cannot evaluate (anything but the catalog existence checks below) leaves the statement applied,
//! as before.
//!
//! Recognised: `[NOT] EXISTS (SELECT .. FROM <catalog> WHERE <name> = '<literal>' [AND ...])` with
//! `information_schema.columns` (table_name, column_name), `information_schema.tables` /
//! `pg_tables` (table_name / tablename), `information_schema.table_constraints` / `pg_constraint`
//! (constraint_name / conname), `pg_indexes` (indexname), `pg_class` (relname); other `AND` terms
//! (`table_schema = 'public'`) are ignored.
use crate::sql::model::Schema;
use crate::sql::parse::name_of;
use squawk_syntax::{SyntaxKind as K, SyntaxNode};
use std::collections::HashMap;

/// What a branch condition asks of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Table(String),
    Column(String, String),
    Constraint(String),
    Index(String),
    /// A table, view or index of that name.
    Relation(String),
    Unknown,
}

/// One branch condition a statement depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Byte offset of the condition in the file: PostgreSQL evaluates it once, when the IF is
    /// reached, so replay evaluates it once too (later statements of the IF do not change it).
    pub at: usize,
    pub cond: Cond,
    /// The value that lets the statement run.
    pub value: bool,
}

/// The conditions a statement runs under, outermost IF first.
pub type Guard = Vec<Term>;

/// The guard of a statement node inside a PL/pgSQL body: for each enclosing IF, the condition of
/// the statement's branch true and those of the earlier branches false. `offset` maps a node of
/// the body to its byte offset in the file.
pub fn of(stmt: &SyntaxNode, offset: &dyn Fn(&SyntaxNode) -> usize) -> Guard {
    let mut levels: Vec<Vec<Term>> = Vec::new();
    for body in stmt.ancestors().filter(|a| a.kind() == K::PLPGSQL_BODY) {
        let Some(parent) = body.parent() else { continue };
        let if_stmt = match parent.kind() {
            K::PLPGSQL_IF_STMT => parent.clone(),
            K::PLPGSQL_ELSIF_CLAUSE | K::PLPGSQL_ELSE_CLAUSE => match parent.parent() {
                Some(p) if p.kind() == K::PLPGSQL_IF_STMT => p,
                _ => continue,
            },
            _ => continue,
        };
        // The branches in order: (condition, body) with `None` for ELSE.
        let mut branches: Vec<(Option<SyntaxNode>, Option<SyntaxNode>)> = Vec::new();
        branches.push((child(&if_stmt, K::PLPGSQL_EXPR), child(&if_stmt, K::PLPGSQL_BODY)));
        for c in if_stmt.children() {
            match c.kind() {
                K::PLPGSQL_ELSIF_CLAUSE => branches.push((child(&c, K::PLPGSQL_EXPR), child(&c, K::PLPGSQL_BODY))),
                K::PLPGSQL_ELSE_CLAUSE => branches.push((None, child(&c, K::PLPGSQL_BODY))),
                _ => {}
            }
        }
        let mut level = Vec::new();
        for (cond, b) in branches {
            let mine = b.as_ref() == Some(&body);
            if let Some(c) = cond {
                let (cond, value) = condition(&c);
                level.push(Term { at: offset(&c), cond, value: if mine { value } else { !value } });
            }
            if mine {
                break;
            }
        }
        levels.push(level);
    }
    levels.into_iter().rev().flatten().collect()
}

fn child(n: &SyntaxNode, kind: K) -> Option<SyntaxNode> {
    n.children().find(|c| c.kind() == kind)
}

/// A branch condition as (what it asks, the answer that makes it true).
fn condition(expr: &SyntaxNode) -> (Cond, bool) {
    // PLPGSQL_EXPR > TARGET_LIST > TARGET > [PREFIX_EXPR(NOT)] > CALL_EXPR > EXISTS_FN > SELECT
    let Some(target) = expr.descendants().find(|n| n.kind() == K::TARGET) else { return (Cond::Unknown, true) };
    let Some(mut e) = target.first_child() else { return (Cond::Unknown, true) };
    let mut value = true;
    while e.kind() == K::PREFIX_EXPR && e.children_with_tokens().any(|t| t.kind() == K::NOT_KW) {
        value = !value;
        let Some(inner) = e.first_child() else { return (Cond::Unknown, true) };
        e = inner;
    }
    if e.kind() == K::PAREN_EXPR
        && let Some(inner) = e.first_child()
    {
        e = inner;
    }
    let exists = (e.kind() == K::CALL_EXPR).then(|| child(&e, K::EXISTS_FN)).flatten();
    let Some(select) = exists.and_then(|x| child(&x, K::SELECT)) else { return (Cond::Unknown, true) };
    (catalog_query(&select), value)
}

/// `SELECT .. FROM <catalog> WHERE a = 'x' AND b = 'y'`.
fn catalog_query(select: &SyntaxNode) -> Cond {
    let from: Vec<SyntaxNode> = select.descendants().filter(|n| n.kind() == K::RELATION_FROM_ITEM).collect();
    let [item] = from.as_slice() else { return Cond::Unknown };
    let catalog = name_of(item).to_ascii_lowercase();
    let Some(filter) = child(select, K::WHERE_CLAUSE) else { return Cond::Unknown };
    let mut eq: Vec<(String, String)> = Vec::new();
    for bin in filter.descendants().filter(|n| n.kind() == K::BIN_EXPR) {
        let is_eq = bin.children_with_tokens().any(|t| t.kind() == K::EQ);
        let (Some(col), Some(lit)) = (child(&bin, K::NAME_REF), child(&bin, K::LITERAL)) else { continue };
        if is_eq && let Some(v) = string_literal(&lit) {
            eq.push((name_of(&col).to_ascii_lowercase(), v));
        }
    }
    let get = |k: &str| eq.iter().find(|(c, _)| c == k).map(|(_, v)| v.clone());
    match catalog.as_str() {
        "information_schema.columns" => match (get("table_name"), get("column_name")) {
            (Some(t), Some(c)) => Cond::Column(t, c),
            _ => Cond::Unknown,
        },
        "information_schema.tables" => get("table_name").map_or(Cond::Unknown, Cond::Table),
        "pg_tables" | "pg_catalog.pg_tables" => get("tablename").map_or(Cond::Unknown, Cond::Table),
        "information_schema.table_constraints" => get("constraint_name").map_or(Cond::Unknown, Cond::Constraint),
        "pg_constraint" | "pg_catalog.pg_constraint" => get("conname").map_or(Cond::Unknown, Cond::Constraint),
        "pg_indexes" | "pg_catalog.pg_indexes" => get("indexname").map_or(Cond::Unknown, Cond::Index),
        "pg_class" | "pg_catalog.pg_class" => get("relname").map_or(Cond::Unknown, Cond::Relation),
        _ => Cond::Unknown,
    }
}

fn string_literal(lit: &SyntaxNode) -> Option<String> {
    let t = lit.first_token()?;
    (t.kind() == K::STRING).then(|| t.text().trim_matches('\'').replace("''", "'"))
}

/// Whether `guard` holds on `schema`: `Some(false)` when a condition is known to have the other
/// value, `None` when one cannot be evaluated (the statement is then applied, as before). Each
/// condition is evaluated the first time it is asked, keyed by (file, offset) in `seen`, as
/// PostgreSQL evaluates it once when it reaches the IF; terms are taken outermost first and the
/// first false one decides.
pub fn holds(
    schema: &Schema,
    file: usize,
    guard: &Guard,
    seen: &mut HashMap<(usize, usize), Option<bool>>,
) -> Option<bool> {
    let mut unknown = false;
    for t in guard {
        let has = *seen.entry((file, t.at)).or_insert_with(|| evaluate(schema, &t.cond));
        match has {
            None => unknown = true,
            Some(h) if h != t.value => return Some(false),
            Some(_) => {}
        }
    }
    (!unknown).then_some(true)
}

fn evaluate(schema: &Schema, c: &Cond) -> Option<bool> {
    Some(match c {
        Cond::Table(t) => schema.tables.contains_key(t),
        Cond::Column(t, col) => schema.tables.get(t).is_some_and(|t| t.columns.iter().any(|c| &c.name == col)),
        Cond::Constraint(n) => schema.tables.values().any(|t| t.constraints.iter().any(|c| &c.name == n)),
        Cond::Index(n) => schema.indexes.contains_key(n),
        Cond::Relation(n) => {
            schema.tables.contains_key(n) || schema.indexes.contains_key(n) || schema.views.contains_key(n)
        }
        Cond::Unknown => return None,
    })
}
