//! Turn parsed statements (syntax trees) into owned model operations (`model::Op`).
use crate::sql::model::*;
use crate::sql::parse::{self, Mapper, RawStmt, child, children, compact_text, has_token, name_of};
use squawk_syntax::{SyntaxKind as K, SyntaxNode};

/// Everything one file contributes, in statement order.
pub struct Extracted {
    pub stmts: Vec<Stmt>,
}

pub fn extract_file(file: usize, parsed: &parse::ParsedFile) -> Extracted {
    let mut stmts = Vec::new();
    let mut do_iter = parsed.do_stmts.iter().peekable();
    for raw in &parsed.top {
        let loc = Loc { file, start: raw.start, end: raw.end };
        let op = extract(file, raw);
        stmts.push(Stmt { op, loc, origin: Origin::TopLevel, opaque: is_opaque(&raw.node), guard: Vec::new() });
        // The statements of a DO block run when the block does: right after its position.
        while let Some(d) = do_iter.peek() {
            if d.start >= raw.start && d.start <= raw.end {
                let loc = Loc { file, start: d.start, end: d.end };
                stmts.push(Stmt {
                    op: extract(file, d),
                    loc,
                    origin: Origin::DoBlock,
                    opaque: false,
                    guard: d.guard.clone(),
                });
                do_iter.next();
            } else {
                break;
            }
        }
    }
    Extracted { stmts }
}

/// Whether a top-level statement may change what exists in ways the model does not follow.
fn is_opaque(n: &SyntaxNode) -> bool {
    let by_kind = matches!(
        n.kind(),
        K::CREATE_EXTENSION
            | K::DROP_EXTENSION
            | K::CREATE_SCHEMA
            | K::ALTER_SCHEMA
            | K::DROP_SCHEMA
            | K::DROP_OWNED
            | K::IMPORT_FOREIGN_SCHEMA
            | K::CREATE_FOREIGN_TABLE
            | K::ALTER_FOREIGN_TABLE
            | K::ALTER_VIEW
            | K::ALTER_MATERIALIZED_VIEW
            | K::ALTER_SEQUENCE
            | K::CREATE_RULE
            | K::SELECT_INTO
            | K::CALL
    );
    // `SELECT some_function()` may run DDL; `DROP ... CASCADE` drops dependants nova does not
    // track; a DO block's dynamic `EXECUTE` is opaque.
    by_kind
        || (n.kind() == K::SELECT && n.descendants().any(|d| d.kind() == K::CALL_EXPR))
        || n.descendants_with_tokens().any(|t| t.kind() == K::CASCADE_KW)
        || (n.kind() == K::DO && n.text().to_string().to_ascii_lowercase().contains("execute"))
        // `ALTER TYPE ... RENAME` / `SET SCHEMA` move a type (ADD VALUE and the like do not).
        || (n.kind() == K::ALTER_TYPE && {
            let t = compact_text(n).to_ascii_lowercase();
            t.contains("rename") || t.contains("set schema")
        })
}

fn loc_of(file: usize, map: &Mapper, node: &SyntaxNode) -> Loc {
    let (start, end) = map.map_trimmed(node);
    Loc { file, start, end }
}

pub fn extract(file: usize, raw: &RawStmt) -> Op {
    let n = &raw.node;
    let map = &raw.map;
    match n.kind() {
        K::CREATE_TABLE => create_table(file, map, n),
        K::ALTER_TABLE => alter_table(file, map, n),
        K::CREATE_TABLE_AS => {
            let name = child(n, K::TABLE_NAME).map(|t| name_of(&t)).unwrap_or_default();
            // Only `SELECT * FROM one_table` says which columns the new table has.
            let source = child(n, K::SELECT).and_then(|sel| {
                let star =
                    child(&sel, K::SELECT_CLAUSE).is_some_and(|c| compact_text(&c).eq_ignore_ascii_case("select *"));
                let from = child(&sel, K::FROM_CLAUSE)?;
                let items: Vec<_> = from.children().collect();
                match (star, items.as_slice()) {
                    (true, [item]) if item.kind() == K::RELATION_FROM_ITEM && item.children().count() == 1 => {
                        child(item, K::RELATION_NAME_REF).map(|r| name_of(&r))
                    }
                    _ => None,
                }
            });
            Op::CreateTableAs { name, source }
        }
        K::DROP_TABLE => Op::DropTable {
            names: children(n, K::TABLE_NAME_REF).map(|c| name_of(&c)).collect(),
            if_exists: child(n, K::IF_EXISTS).is_some(),
        },
        K::CREATE_INDEX => create_index(n),
        K::DROP_INDEX => Op::DropIndex {
            names: children(n, K::INDEX_REF).map(|c| name_of(&c)).collect(),
            concurrently: has_token(n, K::CONCURRENTLY_KW),
            if_exists: child(n, K::IF_EXISTS).is_some(),
        },
        K::ALTER_INDEX => {
            let from = child(n, K::INDEX_REF).map(|c| name_of(&c));
            let to = child(n, K::INDEX_RENAME_TO).and_then(|r| child(&r, K::INDEX)).map(|c| name_of(&c));
            match (from, to) {
                // The index stays in its schema.
                (Some(from), Some(to)) => Op::RenameIndex { to: in_schema_of(&from, to), from },
                _ => Op::Other,
            }
        }
        K::CREATE_VIEW | K::CREATE_MATERIALIZED_VIEW => match child(n, K::VIEW) {
            Some(v) => Op::CreateView { name: name_of(&v), or_replace: child(n, K::OR_REPLACE).is_some() },
            None => Op::Other,
        },
        K::DROP_VIEW | K::DROP_MATERIALIZED_VIEW => {
            Op::DropView { names: children(n, K::VIEW_REF).map(|c| name_of(&c)).collect() }
        }
        K::CREATE_FUNCTION | K::CREATE_PROCEDURE => create_function(file, n, raw.body.clone()),
        K::DROP_FUNCTION | K::DROP_PROCEDURE => {
            let names = n.descendants().filter(|d| d.kind() == K::FUNCTION_NAME_REF).map(|d| name_of(&d)).collect();
            Op::DropFunction { names }
        }
        K::CREATE_TRIGGER => create_trigger(n),
        K::CREATE_TYPE => match child(n, K::TYPE_NAME) {
            Some(t) => Op::CreateType { name: name_of(&t) },
            None => Op::Other,
        },
        K::DROP_TYPE => Op::DropType { names: children(n, K::TYPE_NAME_REF).map(|c| name_of(&c)).collect() },
        K::CREATE_SEQUENCE => match child(n, K::SEQUENCE) {
            Some(s) => Op::CreateSequence { name: name_of(&s), if_not_exists: child(n, K::IF_NOT_EXISTS).is_some() },
            None => Op::Other,
        },
        K::DROP_SEQUENCE => Op::DropSequence { names: children(n, K::SEQUENCE_REF).map(|c| name_of(&c)).collect() },
        K::DROP_TRIGGER => {
            let name = child(n, K::TRIGGER_REF).map(|c| name_of(&c)).unwrap_or_default();
            let table = child(n, K::ON_RELATION)
                .and_then(|r| child(&r, K::RELATION_NAME_REF))
                .map(|c| name_of(&c))
                .unwrap_or_default();
            Op::DropTrigger { name, table }
        }
        _ => Op::Other,
    }
}

fn type_node(n: &SyntaxNode) -> Option<SyntaxNode> {
    n.children().find(|c| {
        matches!(
            c.kind(),
            K::PATH_TYPE
                | K::VARCHAR_TYPE
                | K::TIMESTAMP_TYPE
                | K::TIME_TYPE
                | K::CHARACTER_TYPE
                | K::DOUBLE_TYPE
                | K::BIT_TYPE
                | K::BIT_VARYING_TYPE
                | K::ARRAY_TYPE
                | K::INTERVAL_TYPE
                | K::PERCENT_TYPE
        )
    })
}

fn column_def(file: usize, map: &Mapper, col: &SyntaxNode, table: &str) -> Option<ColumnDef> {
    let name = name_of(&child(col, K::COLUMN_NAME)?);
    let raw_ty = type_node(col).map(|t| compact_text(&t)).unwrap_or_default();
    // A serial column is NOT NULL with a sequence default, as PostgreSQL creates it.
    let serial = is_serial(&raw_ty);
    let mut def = ColumnDef {
        name: name.clone(),
        ty: normalize_type(&raw_ty),
        not_null: serial,
        has_default: serial,
        constraints: Vec::new(),
        loc: loc_of(file, map, col),
    };
    for c in col.children() {
        match c.kind() {
            K::NOT_NULL_CONSTRAINT => def.not_null = true,
            K::DEFAULT_CONSTRAINT => def.has_default = true,
            // `GENERATED ... AS IDENTITY`: NOT NULL with a default (a stored generated column is not).
            K::GENERATED_CONSTRAINT if c.descendants_with_tokens().any(|t| t.kind() == K::IDENTITY_KW) => {
                def.not_null = true;
                def.has_default = true;
            }
            K::PRIMARY_KEY_CONSTRAINT => {
                def.not_null = true;
                def.constraints.push(ConstraintDef {
                    name: constraint_name(&c),
                    kind: ConstraintKind::PrimaryKey { columns: vec![name.clone()] },
                    mentioned: vec![name.clone()],
                    loc: loc_of(file, map, &c),
                });
            }
            K::UNIQUE_CONSTRAINT => def.constraints.push(ConstraintDef {
                name: constraint_name(&c),
                kind: ConstraintKind::Unique { columns: vec![name.clone()] },
                mentioned: vec![name.clone()],
                loc: loc_of(file, map, &c),
            }),
            K::REFERENCES_CONSTRAINT => {
                let ref_table = child(&c, K::TABLE_NAME_REF).map(|t| name_of(&t)).unwrap_or_default();
                let ref_columns = children(&c, K::COLUMN_NAME_REF).map(|t| name_of(&t)).collect();
                def.constraints.push(ConstraintDef {
                    name: constraint_name(&c),
                    kind: ConstraintKind::ForeignKey {
                        columns: vec![name.clone()],
                        ref_table,
                        ref_columns,
                        on_delete: on_delete(&c),
                    },
                    mentioned: vec![name.clone()],
                    loc: loc_of(file, map, &c),
                });
            }
            K::CHECK_CONSTRAINT => {
                let (expr, text, mentioned) = check_expr(&c);
                def.constraints.push(ConstraintDef {
                    name: constraint_name(&c),
                    kind: ConstraintKind::Check { expr, text },
                    mentioned,
                    loc: loc_of(file, map, &c),
                });
            }
            _ => {}
        }
    }
    let _ = table;
    Some(def)
}

fn constraint_name(c: &SyntaxNode) -> Option<String> {
    child(c, K::CONSTRAINT_NAME_CLAUSE).and_then(|cl| child(&cl, K::CONSTRAINT_NAME)).map(|n| name_of(&n))
}

fn on_delete(c: &SyntaxNode) -> FkAction {
    let Some(a) = child(c, K::ON_DELETE_ACTION) else { return FkAction::NoAction };
    for k in a.children() {
        match k.kind() {
            K::CASCADE => return FkAction::Cascade,
            K::SET_NULL_COLUMNS => return FkAction::SetNull,
            K::SET_DEFAULT_COLUMNS => return FkAction::SetDefault,
            K::RESTRICT => return FkAction::Restrict,
            K::NO_ACTION => return FkAction::NoAction,
            _ => {}
        }
    }
    FkAction::NoAction
}

fn column_list(n: &SyntaxNode) -> Vec<String> {
    n.descendants().filter(|d| d.kind() == K::COLUMN_NAME_REF).map(|d| name_of(&d)).collect()
}

/// A table-level constraint (`CONSTRAINT x CHECK (...)`, `UNIQUE (a, b)`, `FOREIGN KEY ...`).
fn table_constraint(file: usize, map: &Mapper, c: &SyntaxNode) -> Option<ConstraintDef> {
    let name = constraint_name(c);
    let loc = loc_of(file, map, c);
    let (kind, mentioned) = match c.kind() {
        K::CHECK_CONSTRAINT => {
            let (expr, text, mentioned) = check_expr(c);
            (ConstraintKind::Check { expr, text }, mentioned)
        }
        K::UNIQUE_CONSTRAINT => {
            let cols = child(c, K::INDEX_PARAMETERS).map(|p| column_list(&p)).unwrap_or_default();
            (ConstraintKind::Unique { columns: cols.clone() }, cols)
        }
        K::PRIMARY_KEY_CONSTRAINT => {
            let cols = child(c, K::INDEX_PARAMETERS).map(|p| column_list(&p)).unwrap_or_default();
            (ConstraintKind::PrimaryKey { columns: cols.clone() }, cols)
        }
        K::FOREIGN_KEY_CONSTRAINT => {
            let mut lists = children(c, K::FOREIGN_KEY_COLUMN_LIST);
            let columns = lists.next().map(|l| column_list(&l)).unwrap_or_default();
            let ref_columns = lists.next().map(|l| column_list(&l)).unwrap_or_default();
            let ref_table = child(c, K::TABLE_NAME_REF).map(|t| name_of(&t)).unwrap_or_default();
            (
                ConstraintKind::ForeignKey {
                    columns: columns.clone(),
                    ref_table,
                    ref_columns,
                    on_delete: on_delete(c),
                },
                columns,
            )
        }
        K::EXCLUDE_CONSTRAINT => (ConstraintKind::Exclude, Vec::new()),
        _ => return None,
    };
    Some(ConstraintDef { name, kind, mentioned, loc })
}

fn check_expr(c: &SyntaxNode) -> (Expr, String, Vec<String>) {
    // The expression is the node between the parentheses of CHECK ( ... ).
    let e = c.children().find(|k| !matches!(k.kind(), K::CONSTRAINT_NAME_CLAUSE | K::NO_INHERIT | K::NOT_VALID));
    match e {
        Some(e) => {
            // The columns the expression uses, as PostgreSQL counts them to name the constraint
            // (`pull_var_clause`): not the names of the functions it calls (`length(content)`
            // uses one column) nor of the types it casts to.
            let mentioned: Vec<String> = std::iter::once(e.clone())
                .chain(e.descendants())
                .filter(|d| d.kind() == K::NAME_REF && !is_callee_or_type(d, &e))
                .map(|d| name_of(&d))
                .collect();
            (expr(&e), compact_text(&e), mentioned)
        }
        None => (Expr::Other, String::new(), Vec::new()),
    }
}

/// Whether `n` (below `top`) names a called function or lies in a type: the first child of a call,
/// directly or as part of `schema.func`, or anything inside a type.
fn is_callee_or_type(n: &SyntaxNode, top: &SyntaxNode) -> bool {
    use squawk_syntax::ast::{AstNode, Type};
    if n.ancestors().take_while(|a| a != top).any(|a| Type::can_cast(a.kind())) {
        return true;
    }
    let mut cur = n.clone();
    while let Some(parent) = cur.parent() {
        if parent.kind() == K::CALL_EXPR {
            return parent.first_child().as_ref() == Some(&cur);
        }
        if parent.kind() != K::FIELD_EXPR || &cur == top {
            return false;
        }
        cur = parent;
    }
    false
}

/// Convert an expression tree into the model's boolean expression.
pub fn expr(n: &SyntaxNode) -> Expr {
    match n.kind() {
        K::PAREN_EXPR => n.children().next().map(|c| expr(&c)).unwrap_or(Expr::Other),
        K::PREFIX_EXPR if has_token(n, K::NOT_KW) => {
            n.children().next().map(|c| Expr::Not(Box::new(expr(&c)))).unwrap_or(Expr::Other)
        }
        K::LITERAL => {
            let t = n.text().to_string().to_ascii_lowercase();
            match t.trim() {
                "true" => Expr::Bool(true),
                "false" => Expr::Bool(false),
                _ => Expr::Other,
            }
        }
        K::POSTFIX_EXPR => {
            // `x ISNULL` / `x NOTNULL`
            let operand = n.children().next();
            let col = operand.filter(|o| o.kind() == K::NAME_REF).map(|o| name_of(&o));
            match col {
                Some(c) if has_token(n, K::ISNULL_KW) => Expr::IsNull(c),
                Some(c) if has_token(n, K::NOTNULL_KW) => Expr::Not(Box::new(Expr::IsNull(c))),
                _ => Expr::Other,
            }
        }
        K::BIN_EXPR => bin_expr(n),
        _ => Expr::Other,
    }
}

fn bin_expr(n: &SyntaxNode) -> Expr {
    let operands: Vec<SyntaxNode> = n.children().filter(|c| !is_operator_node(c.kind())).collect();
    if operands.len() != 2 {
        return Expr::Other;
    }
    let (l, r) = (&operands[0], &operands[1]);
    // The operator is the first non-trivia element after the left operand.
    let op = n
        .children_with_tokens()
        .skip_while(|e| e.as_node() != Some(l))
        .skip(1)
        .find(|e| !e.kind().is_trivia())
        .map(|e| e.kind());
    let is_null_lit = |x: &SyntaxNode| x.kind() == K::LITERAL && x.text().to_string().eq_ignore_ascii_case("null");
    let col = |x: &SyntaxNode| if x.kind() == K::NAME_REF { Some(name_of(x)) } else { None };
    match op {
        Some(K::AND_KW) => Expr::And(Box::new(expr(l)), Box::new(expr(r))),
        Some(K::OR_KW) => Expr::Or(Box::new(expr(l)), Box::new(expr(r))),
        Some(K::IS_KW) if is_null_lit(r) => col(l).map(Expr::IsNull).unwrap_or(Expr::Other),
        Some(K::IS_NOT) if is_null_lit(r) => {
            col(l).map(|c| Expr::Not(Box::new(Expr::IsNull(c)))).unwrap_or(Expr::Other)
        }
        Some(K::EQ) | Some(K::IS_NOT_DISTINCT_FROM) => cmp(l, r, CmpOp::Eq),
        Some(K::NEQ) | Some(K::NEQB) | Some(K::IS_DISTINCT_FROM) => cmp(l, r, CmpOp::Ne),
        Some(K::L_ANGLE) => cmp(l, r, CmpOp::Lt),
        Some(K::R_ANGLE) => cmp(l, r, CmpOp::Gt),
        Some(K::LTEQ) => cmp(l, r, CmpOp::Le),
        Some(K::GTEQ) => cmp(l, r, CmpOp::Ge),
        _ => Expr::Other,
    }
}

fn is_operator_node(k: K) -> bool {
    matches!(k, K::IS_NOT | K::IS_DISTINCT_FROM | K::IS_NOT_DISTINCT_FROM | K::NEQ | K::NEQB | K::LTEQ | K::GTEQ)
}

fn cmp(l: &SyntaxNode, r: &SyntaxNode, op: CmpOp) -> Expr {
    if let Some(e) = count_nulls(l, r, op) {
        return e;
    }
    let flip = |op| match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    };
    if let Some(e) = count_nulls(r, l, flip(op)) {
        return e;
    }
    match op {
        CmpOp::Eq => Expr::Eq(Box::new(expr(l)), Box::new(expr(r))),
        CmpOp::Ne => Expr::Ne(Box::new(expr(l)), Box::new(expr(r))),
        _ => Expr::Other,
    }
}

/// `num_nulls(a, b) = 1`-style comparisons.
fn count_nulls(call: &SyntaxNode, lit: &SyntaxNode, op: CmpOp) -> Option<Expr> {
    if call.kind() != K::CALL_EXPR || lit.kind() != K::LITERAL {
        return None;
    }
    let fname = name_of(&call.children().next()?);
    let nulls = match fname.as_str() {
        "num_nulls" => true,
        "num_nonnulls" => false,
        _ => return None,
    };
    let value: i64 = lit.text().to_string().trim().parse().ok()?;
    let args = child(call, K::ARG_LIST)?;
    let mut columns = Vec::new();
    for a in args.children() {
        let inner = a.children().next().unwrap_or(a.clone());
        if inner.kind() != K::NAME_REF {
            return None;
        }
        columns.push(name_of(&inner));
    }
    Some(Expr::CountNulls { nulls, columns, op, value })
}

fn create_table(file: usize, map: &Mapper, n: &SyntaxNode) -> Op {
    let name = child(n, K::TABLE_NAME).map(|t| name_of(&t)).unwrap_or_default();
    let mut columns = Vec::new();
    let mut constraints = Vec::new();
    let mut like = Vec::new();
    if let Some(args) = child(n, K::TABLE_ARG_LIST) {
        for a in args.children() {
            if a.kind() == K::LIKE_CLAUSE {
                let Some(src) = child(&a, K::RELATION_NAME_REF) else { continue };
                let mut src = LikeSource { table: name_of(&src), constraints: false, indexes: false };
                for p in a.children() {
                    let text = compact_text(&p).to_ascii_lowercase();
                    let including = text.starts_with("including");
                    for word in text.split_whitespace().skip(1) {
                        match word {
                            "all" => (src.constraints, src.indexes) = (including, including),
                            "constraints" => src.constraints = including,
                            "indexes" => src.indexes = including,
                            _ => {}
                        }
                    }
                }
                like.push(src);
            } else if a.kind() == K::COLUMN {
                if let Some(c) = column_def(file, map, &a, &name) {
                    columns.push(c);
                }
            } else if let Some(c) = table_constraint(file, map, &a) {
                constraints.push(c);
            }
        }
    }
    Op::CreateTable { name, if_not_exists: child(n, K::IF_NOT_EXISTS).is_some(), columns, constraints, like }
}

fn alter_table(file: usize, map: &Mapper, n: &SyntaxNode) -> Op {
    let rel = child(n, K::TABLE_RELATION_NAME);
    let name = rel.as_ref().and_then(|r| child(r, K::TABLE_NAME_REF)).map(|t| name_of(&t)).unwrap_or_default();
    let if_exists = child(n, K::IF_EXISTS).is_some();
    let mut actions = Vec::new();
    for a in n.children() {
        let action = match a.kind() {
            K::ADD_COLUMN => match column_def(file, map, &a, &name) {
                Some(col) => AlterAction::AddColumn { col, if_not_exists: child(&a, K::IF_NOT_EXISTS).is_some() },
                None => AlterAction::Other,
            },
            K::DROP_COLUMN => AlterAction::DropColumn {
                name: child(&a, K::COLUMN_NAME_REF).map(|c| name_of(&c)).unwrap_or_default(),
                if_exists: child(&a, K::IF_EXISTS).is_some(),
            },
            K::RENAME_COLUMN => {
                let from = child(&a, K::COLUMN_NAME_REF).map(|c| name_of(&c)).unwrap_or_default();
                let to = child(&a, K::COLUMN_NAME).map(|c| name_of(&c)).unwrap_or_default();
                AlterAction::RenameColumn { from, to }
            }
            K::ALTER_COLUMN => {
                let col = child(&a, K::COLUMN_NAME_REF).map(|c| name_of(&c)).unwrap_or_default();
                let mut act = AlterAction::Other;
                for o in a.children() {
                    act = match o.kind() {
                        K::SET_TYPE => AlterAction::AlterType {
                            name: col.clone(),
                            ty: normalize_type(&type_node(&o).map(|t| compact_text(&t)).unwrap_or_default()),
                        },
                        K::SET_NOT_NULL => AlterAction::SetNotNull(col.clone()),
                        K::DROP_NOT_NULL => AlterAction::DropNotNull(col.clone()),
                        K::SET_DEFAULT => AlterAction::SetDefault(col.clone()),
                        K::DROP_DEFAULT => AlterAction::DropDefault(col.clone()),
                        _ => continue,
                    };
                }
                act
            }
            K::ADD_CONSTRAINT => {
                match a.children().find_map(|c| table_constraint(file, map, &c)) {
                    Some(mut c) => {
                        // Point at the whole `ADD CONSTRAINT ...` clause.
                        c.loc = loc_of(file, map, &a);
                        AlterAction::AddConstraint(c)
                    }
                    None => AlterAction::Other,
                }
            }
            K::DROP_CONSTRAINT => AlterAction::DropConstraint {
                name: child(&a, K::CONSTRAINT_NAME_REF).map(|c| name_of(&c)).unwrap_or_default(),
                if_exists: child(&a, K::IF_EXISTS).is_some(),
            },
            K::RENAME_CONSTRAINT => {
                let from = child(&a, K::CONSTRAINT_NAME_REF).map(|c| name_of(&c)).unwrap_or_default();
                let to = child(&a, K::CONSTRAINT_NAME).map(|c| name_of(&c)).unwrap_or_default();
                AlterAction::RenameConstraint { from, to }
            }
            K::TABLE_RENAME_TO => {
                AlterAction::RenameTo(child(&a, K::TABLE_NAME).map(|c| name_of(&c)).unwrap_or_default())
            }
            K::TABLE_RELATION_NAME | K::IF_EXISTS => continue,
            _ => AlterAction::Other,
        };
        actions.push(action);
    }
    Op::AlterTable { name, if_exists, actions }
}

/// An index's (or a renamed index's) name as PostgreSQL files it: in the schema of its table
/// (`CREATE INDEX idx ON apalis.workers` creates `apalis.idx`), unless written qualified.
pub fn in_schema_of(table: &str, name: String) -> String {
    match table.rsplit_once('.') {
        Some((schema, _)) if !name.contains('.') && schema != "public" => format!("{schema}.{name}"),
        _ => name,
    }
}

fn create_index(n: &SyntaxNode) -> Op {
    let table = child(n, K::TABLE_RELATION_NAME)
        .and_then(|r| child(&r, K::TABLE_NAME_REF))
        .map(|t| name_of(&t))
        .unwrap_or_default();
    let columns = child(n, K::PARTITION_ITEM_LIST)
        .map(|l| children(&l, K::PARTITION_ITEM).map(|i| compact_text(&i).to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let where_ = child(n, K::WHERE_CLAUSE).and_then(|w| w.children().next());
    Op::CreateIndex {
        name: child(n, K::INDEX).map(|i| in_schema_of(&table, name_of(&i))),
        table,
        unique: has_token(n, K::UNIQUE_KW),
        columns,
        predicate: where_.as_ref().map(expr),
        predicate_text: where_.as_ref().map(compact_text),
        concurrently: has_token(n, K::CONCURRENTLY_KW),
        if_not_exists: child(n, K::IF_NOT_EXISTS).is_some(),
    }
}

fn create_function(file: usize, n: &SyntaxNode, parsed_body: Option<std::rc::Rc<parse::Body>>) -> Op {
    let name = child(n, K::FUNCTION_NAME).map(|f| name_of(&f)).unwrap_or_default();
    let language = n
        .descendants()
        .find(|d| d.kind() == K::LANGUAGE_FUNC_OPTION)
        .and_then(|l| l.children().next())
        .map(|l| name_of(&l))
        .unwrap_or_default();
    let mut body = FunctionBody::default();
    if let Some(tree) = parsed_body.or_else(|| parse::function_body(n).map(|t| t.body)) {
        let map = Mapper::Plpgsql(tree.clone());
        let root = tree.syntax();
        for d in root.descendants() {
            match d.kind() {
                K::INSERT => {
                    if let Some(t) = child(&d, K::RELATION_NAME_REF).or_else(|| child(&d, K::RELATION_NAME)) {
                        body.inserts.push(name_of(&t));
                    }
                }
                // `NEW.x := ...` / `NEW.x = ...`
                K::PLPGSQL_ASSIGN_TARGET => {
                    let (Some(rec), Some(acc)) = (child(&d, K::PLPGSQL_VAR_NAME_REF), child(&d, K::FIELD_ACCESSOR))
                    else {
                        continue;
                    };
                    let rec_name = rec.text().to_string().to_ascii_lowercase();
                    if rec_name == "new" || rec_name == "old" {
                        body.row_refs.push(RowRef {
                            record: rec_name.to_ascii_uppercase(),
                            column: name_of(&acc).trim_start_matches('.').to_string(),
                            loc: loc_of(file, &map, &d),
                        });
                    }
                }
                K::FIELD_EXPR => {
                    let mut parts = d.children();
                    let (Some(rec), Some(col)) = (parts.next(), parts.next()) else { continue };
                    let rec_name = rec.text().to_string().to_ascii_lowercase();
                    if (rec_name == "new" || rec_name == "old") && col.kind() == K::NAME_REF {
                        body.row_refs.push(RowRef {
                            record: rec_name.to_ascii_uppercase(),
                            column: name_of(&col),
                            loc: loc_of(file, &map, &d),
                        });
                    }
                }
                _ => {}
            }
        }
        // `EXECUTE format('INSERT INTO outbox_events ...')`: dynamic SQL is only text to the parser.
        let flat = tree.text().to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
        let mut rest = flat.as_str();
        while let Some(i) = rest.find("insert into ") {
            let after = &rest[i + "insert into ".len()..];
            let tname: String = after
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let tname = normalize_name(&tname);
            if !tname.is_empty() && !body.inserts.contains(&tname) {
                body.inserts.push(tname);
            }
            rest = after;
        }
    }
    Op::CreateFunction { name, language, body }
}

fn create_trigger(n: &SyntaxNode) -> Op {
    let name = child(n, K::TRIGGER).map(|t| name_of(&t)).unwrap_or_default();
    let timing = if child(n, K::TIMING_AFTER).is_some() {
        "after"
    } else if child(n, K::TIMING_BEFORE).is_some() {
        "before"
    } else {
        "instead of"
    }
    .to_string();
    let mut events = Vec::new();
    if let Some(list) = child(n, K::TRIGGER_EVENT_LIST) {
        for e in list.children() {
            let kind = match e.kind() {
                K::TRIGGER_EVENT_UPDATE => "update",
                K::TRIGGER_EVENT_INSERT => "insert",
                K::TRIGGER_EVENT_DELETE => "delete",
                K::TRIGGER_EVENT_TRUNCATE => "truncate",
                _ => continue,
            };
            events.push(TriggerEvent { kind: kind.into(), columns: column_list(&e) });
        }
    }
    let table = child(n, K::ON_RELATION).and_then(|r| r.children().next()).map(|t| name_of(&t)).unwrap_or_default();
    let function = child(n, K::CALL_EXPR).and_then(|c| c.children().next()).map(|f| name_of(&f)).unwrap_or_default();
    Op::CreateTrigger { name, table, timing, events, function, or_replace: child(n, K::OR_REPLACE).is_some() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(sql: &str) -> Vec<Op> {
        let p = parse::parse(sql);
        extract_file(0, &p).stmts.into_iter().map(|s| s.op).collect()
    }

    fn check_of(sql: &str) -> Expr {
        match &ops(sql)[0] {
            Op::CreateTable { constraints, .. } => match &constraints[0].kind {
                ConstraintKind::Check { expr, .. } => expr.clone(),
                k => panic!("{k:?}"),
            },
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn check_forms_are_understood() {
        let e = check_of("CREATE TABLE t (a int, CHECK ((deleted_at IS NULL) = (deleted_by IS NULL)));");
        assert_eq!(
            e,
            Expr::Eq(Box::new(Expr::IsNull("deleted_at".into())), Box::new(Expr::IsNull("deleted_by".into())))
        );
        let e = check_of("CREATE TABLE t (a int, CHECK (num_nonnulls(deleted_at, deleted_by) <> 1));");
        assert!(matches!(e, Expr::CountNulls { nulls: false, op: CmpOp::Ne, value: 1, .. }), "{e:?}");
    }

    #[test]
    fn function_body_facts() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN INSERT INTO public.outbox_events (a) VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql;";
        match &ops(sql)[0] {
            Op::CreateFunction { name, language, body } => {
                assert_eq!(name, "f");
                assert_eq!(language, "plpgsql");
                assert_eq!(body.inserts, vec!["outbox_events".to_string()]);
                assert_eq!(body.row_refs.len(), 1);
                let r = &body.row_refs[0];
                assert_eq!(&sql[r.loc.start..r.loc.end], "NEW.id");
            }
            o => panic!("{o:?}"),
        }
    }
}
