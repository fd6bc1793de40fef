//! The schema model: what the migrations build, object by object, and the statements (operations)
//! that build it. Operations are plain owned data so files can be parsed in parallel and replayed
//! in order on one thread.
use std::collections::BTreeMap;

/// A byte range in one migration file (`file` indexes the stream's file list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: usize,
    pub start: usize,
    pub end: usize,
}

/// What a foreign key does when the referenced row is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn as_sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A boolean expression reduced to what the invariants need: null tests on columns and the
/// connectives between them. Anything else is `Other` and evaluates to "unknown".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    IsNull(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Ne(Box<Expr>, Box<Expr>),
    Bool(bool),
    /// `num_nulls(a, b, ...) <op> n` / `num_nonnulls(...)`: count of (non-)nulls compared to a constant.
    CountNulls {
        nulls: bool,
        columns: Vec<String>,
        op: CmpOp,
        value: i64,
    },
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Expr {
    /// Evaluate with `is_null(col)` giving whether a column is NULL (`None`: not a column we vary).
    /// `None` means the value cannot be known from the null-ness of the given columns alone.
    pub fn eval(&self, is_null: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
        match self {
            Expr::IsNull(c) => is_null(c),
            Expr::Not(e) => e.eval(is_null).map(|v| !v),
            Expr::And(a, b) => match (a.eval(is_null), b.eval(is_null)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Expr::Or(a, b) => match (a.eval(is_null), b.eval(is_null)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Expr::Eq(a, b) => Some(a.eval(is_null)? == b.eval(is_null)?),
            Expr::Ne(a, b) => Some(a.eval(is_null)? != b.eval(is_null)?),
            Expr::Bool(v) => Some(*v),
            Expr::CountNulls { nulls, columns, op, value } => {
                let mut n = 0i64;
                for c in columns {
                    let null = is_null(c)?;
                    if null == *nulls {
                        n += 1;
                    }
                }
                Some(match op {
                    CmpOp::Eq => n == *value,
                    CmpOp::Ne => n != *value,
                    CmpOp::Lt => n < *value,
                    CmpOp::Le => n <= *value,
                    CmpOp::Gt => n > *value,
                    CmpOp::Ge => n >= *value,
                })
            }
            Expr::Other => None,
        }
    }

    /// Whether the expression is false whenever `column` is NOT NULL, whatever else holds: a
    /// predicate that implies `column IS NULL`.
    pub fn implies_null(&self, column: &str) -> bool {
        self.eval(&|c| if c == column { Some(false) } else { None }) == Some(false)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    Check { expr: Expr, text: String },
    Unique { columns: Vec<String> },
    PrimaryKey { columns: Vec<String> },
    ForeignKey { columns: Vec<String>, ref_table: String, ref_columns: Vec<String>, on_delete: FkAction },
    Exclude,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintDef {
    pub name: Option<String>,
    pub kind: ConstraintKind,
    /// Columns a CHECK mentions (for PostgreSQL's default name).
    pub mentioned: Vec<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    /// Normalised type (`timestamptz`, `integer`, `varchar(255)`, ...).
    pub ty: String,
    pub not_null: bool,
    pub has_default: bool,
    pub constraints: Vec<ConstraintDef>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterAction {
    AddColumn { col: ColumnDef, if_not_exists: bool },
    DropColumn { name: String, if_exists: bool },
    RenameColumn { from: String, to: String },
    AlterType { name: String, ty: String },
    SetNotNull(String),
    DropNotNull(String),
    SetDefault(String),
    DropDefault(String),
    AddConstraint(ConstraintDef),
    DropConstraint { name: String, if_exists: bool },
    RenameConstraint { from: String, to: String },
    RenameTo(String),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerEvent {
    /// `insert`, `update`, `delete`, `truncate`.
    pub kind: String,
    /// `UPDATE OF a, b`.
    pub columns: Vec<String>,
}

/// A `NEW.x` / `OLD.x` reference inside a function body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    pub record: String,
    pub column: String,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionBody {
    /// Tables the body inserts into (static SQL, plus `EXECUTE` strings recognised textually).
    pub inserts: Vec<String>,
    pub row_refs: Vec<RowRef>,
}

/// `LIKE source [INCLUDING ...]` inside `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikeSource {
    pub table: String,
    pub constraints: bool,
    pub indexes: bool,
}

/// One schema-changing operation extracted from a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    CreateTable {
        name: String,
        if_not_exists: bool,
        columns: Vec<ColumnDef>,
        constraints: Vec<ConstraintDef>,
        like: Vec<LikeSource>,
    },
    /// `CREATE TABLE x AS SELECT ...`: columns copied from `SELECT * FROM <source>`, else unknown.
    CreateTableAs {
        name: String,
        source: Option<String>,
    },
    AlterTable {
        name: String,
        if_exists: bool,
        actions: Vec<AlterAction>,
    },
    DropTable {
        names: Vec<String>,
        if_exists: bool,
    },
    CreateIndex {
        name: Option<String>,
        table: String,
        unique: bool,
        columns: Vec<String>,
        predicate: Option<Expr>,
        predicate_text: Option<String>,
        concurrently: bool,
        if_not_exists: bool,
    },
    DropIndex {
        names: Vec<String>,
        concurrently: bool,
        if_exists: bool,
    },
    RenameIndex {
        from: String,
        to: String,
    },
    CreateView {
        name: String,
        or_replace: bool,
    },
    DropView {
        names: Vec<String>,
    },
    CreateFunction {
        name: String,
        language: String,
        body: FunctionBody,
    },
    DropFunction {
        names: Vec<String>,
    },
    CreateTrigger {
        name: String,
        table: String,
        timing: String,
        events: Vec<TriggerEvent>,
        function: String,
        or_replace: bool,
    },
    DropTrigger {
        name: String,
        table: String,
    },
    CreateType {
        name: String,
    },
    DropType {
        names: Vec<String>,
    },
    CreateSequence {
        name: String,
        if_not_exists: bool,
    },
    DropSequence {
        names: Vec<String>,
    },
    Other,
}

/// Where a statement came from: run as written, inside a `DO` block, or inside a function body
/// (which is not executed by the migration itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    TopLevel,
    DoBlock,
    FunctionBody,
}

/// One extracted statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub op: Op,
    pub loc: Loc,
    pub origin: Origin,
    /// A statement that may create, drop or rename objects nova does not follow (`CREATE
    /// EXTENSION`, `CALL`, `... CASCADE`, a `DO` block with dynamic `EXECUTE`, ...): after it the
    /// model no longer knows what exists (`MIGRATION_WOULD_FAIL` stops judging).
    pub opaque: bool,
    /// For a statement inside IF branches of a `DO` block: the conditions it runs under
    /// (`crate::sql::guard`); empty elsewhere.
    pub guard: crate::sql::guard::Guard,
}

// ---- the model ----

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: String,
    pub not_null: bool,
    pub has_default: bool,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    pub loc: Loc,
    /// Named in the SQL (not one of PostgreSQL's default names).
    pub explicit: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    /// The statement that created the table.
    pub created: Loc,
    /// Later statements that altered it.
    pub touched: Vec<Loc>,
}

impl Table {
    /// A table without columns or constraints, created by the statement at `created`.
    pub fn empty(name: &str, created: Loc) -> Table {
        Table { name: name.to_string(), columns: Vec::new(), constraints: Vec::new(), created, touched: Vec::new() }
    }
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub unique: bool,
    pub columns: Vec<String>,
    pub predicate: Option<Expr>,
    pub predicate_text: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub language: String,
    pub body: FunctionBody,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    pub timing: String,
    pub events: Vec<TriggerEvent>,
    pub function: String,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct View {
    pub name: String,
    pub loc: Loc,
}

/// The cumulative schema of one migrations directory.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub indexes: BTreeMap<String, Index>,
    pub views: BTreeMap<String, View>,
    pub functions: BTreeMap<String, Function>,
    /// Keyed by (table, trigger name): trigger names are per table in PostgreSQL.
    pub triggers: BTreeMap<(String, String), Trigger>,
    /// `CREATE TYPE` types (not the row types of tables), where they were created.
    pub types: BTreeMap<String, Loc>,
    /// `CREATE SEQUENCE` sequences (not those of serial and identity columns).
    pub sequences: BTreeMap<String, Loc>,
}

/// Normalise a type as written to PostgreSQL's canonical spelling (enough to compare types).
pub fn normalize_type(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase().replace('"', "");
    let mut t = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    t = t.replace(" (", "(").replace("( ", "(").replace(" )", ")").replace(", ", ",");
    for prefix in ["pg_catalog.", "public."] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    let (base, array) = match t.find('[') {
        Some(i) => (t[..i].trim().to_string(), t[i..].replace(' ', "")),
        None => (t.clone(), String::new()),
    };
    let (name, args) = match base.find('(') {
        Some(i) => {
            // `timestamp(3) with time zone`: the precision sits in the middle of the name.
            let close = base[i..].find(')').map(|j| i + j + 1).unwrap_or(base.len());
            let name = format!("{}{}", &base[..i], &base[close..]);
            (name.split_whitespace().collect::<Vec<_>>().join(" "), base[i..close].to_string())
        }
        None => (base, String::new()),
    };
    let canon = match name.as_str() {
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timetz" | "time with time zone" => "timetz",
        "time" | "time without time zone" => "time",
        "int" | "integer" | "int4" | "serial" | "serial4" => "integer",
        "bigint" | "int8" | "bigserial" | "serial8" => "bigint",
        "smallint" | "int2" | "smallserial" | "serial2" => "smallint",
        "varchar" | "character varying" => "varchar",
        "char" | "character" | "bpchar" => "char",
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" => "double precision",
        "float4" | "real" => "real",
        // `float` is float8; `float(p)` is real up to 24 bits of precision, double above.
        "float" => match args.trim_matches(|c| c == '(' || c == ')').parse::<u32>() {
            Ok(p) if p <= 24 => "real",
            _ => "double precision",
        },
        "decimal" | "numeric" => "numeric",
        other => other,
    };
    // Precision of timestamps does not change what the invariants care about; `float(p)` became
    // real or double precision above.
    let args = if canon.starts_with("timestamp") || canon.starts_with("time") || name == "float" {
        String::new()
    } else {
        args
    };
    format!("{canon}{args}{array}")
}

/// Whether `ty` is a `serial` type (which carries an implicit default).
pub fn is_serial(raw: &str) -> bool {
    matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2"
    )
}

/// Normalise an object name: `public.x` is `x`; identifiers are already case-folded by the parser adapter.
pub fn normalize_name(name: &str) -> String {
    name.strip_prefix("public.").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_is_stored_as_real_or_double() {
        assert_eq!(normalize_type("FLOAT"), "double precision");
        assert_eq!(normalize_type("float(10)"), "real");
        assert_eq!(normalize_type("float(24)"), "real");
        assert_eq!(normalize_type("float(25)"), "double precision");
        assert_eq!(normalize_type("float8"), "double precision");
        assert_eq!(normalize_type("float[]"), "double precision[]");
    }

    #[test]
    fn types_normalise() {
        assert_eq!(normalize_type("TIMESTAMP WITH TIME ZONE"), "timestamptz");
        assert_eq!(normalize_type("timestamptz"), "timestamptz");
        assert_eq!(normalize_type("timestamp(3) with time zone"), "timestamptz");
        assert_eq!(normalize_type("TIMESTAMP"), "timestamp");
        assert_eq!(normalize_type("int4"), "integer");
        assert_eq!(normalize_type("INT"), "integer");
        assert_eq!(normalize_type("character varying(255)"), "varchar(255)");
        assert_eq!(normalize_type("VARCHAR (255)"), "varchar(255)");
        assert_eq!(normalize_type("pg_catalog.uuid"), "uuid");
        assert_eq!(normalize_type("text[]"), "text[]");
    }

    fn isn(c: &str) -> Box<Expr> {
        Box::new(Expr::IsNull(c.into()))
    }

    #[test]
    fn predicate_implication() {
        let p = Expr::And(isn("deleted_at"), Box::new(Expr::Other));
        assert!(p.implies_null("deleted_at"));
        let q = Expr::Or(isn("deleted_at"), Box::new(Expr::Other));
        assert!(!q.implies_null("deleted_at"));
        assert!(!Expr::Not(isn("deleted_at")).implies_null("deleted_at"));
    }
}
