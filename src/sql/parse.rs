//! The one place nova talks to `squawk-syntax`: parse a migration file, list its statements with
//! their byte ranges in the file, including the statements inside `DO` blocks and plpgsql function
//! bodies (ranges mapped back into the file), and collect syntax errors. The rest of the checker
//! works on the owned model (`model.rs`) built from here.
use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::plpgsql::Plpgsql;
use squawk_syntax::{SourceFile, SyntaxKind, SyntaxNode};
use text_size::{TextRange, TextSize};

/// A syntax error at a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxErr {
    pub start: usize,
    pub end: usize,
    pub message: String,
    /// In a PL/pgSQL body but outside its embedded SQL statements: PL/pgSQL nova's parser does
    /// not follow, reported as `PLPGSQL_NOT_ANALYSED` (a warning), not as a syntax error.
    pub plpgsql: bool,
}

/// A plpgsql body as squawk parsed it, after nova took the PL/pgSQL `INTO` clauses out of its
/// embedded SQL statements (`plpgsql::redact_into`; squawk 2.68 does not know them).
pub struct Body {
    tree: Plpgsql,
    /// When `tree` was parsed from the redacted text (wrapped in `DO $tag$...$tag$`): the original
    /// body, which maps into the file, and where the redacted text starts in the wrapper.
    orig: Option<(Plpgsql, u32)>,
}

impl Body {
    pub fn new(orig: Plpgsql) -> Body {
        let Some(redacted) = crate::sql::plpgsql::redact_into(orig.text()) else {
            return Body { tree: orig, orig: None };
        };
        let mut tag = String::from("nova");
        while redacted.contains(&format!("${tag}$")) {
            tag.push('x');
        }
        let wrapped = format!("DO ${tag}${redacted}${tag}$;");
        let prefix = (tag.len() + 5) as u32;
        let parsed = SourceFile::parse(&wrapped);
        match parsed.syntax_node().children().find_map(ast::Do::cast).and_then(|d| d.plpgsql()) {
            Some(tree) if tree.text() == redacted => Body { tree, orig: Some((orig, prefix)) },
            _ => Body { tree: orig, orig: None },
        }
    }

    pub fn syntax(&self) -> SyntaxNode {
        self.tree.syntax()
    }

    /// The body's text as parsed (with PL/pgSQL `INTO` clauses blanked).
    pub fn text(&self) -> &str {
        self.tree.text()
    }

    /// Map a range of the body's tree to a byte range of the file.
    pub fn source_range(&self, r: TextRange) -> TextRange {
        let r = self.tree.source_range(r);
        self.unwrap_range(r)
    }

    fn unwrap_range(&self, r: TextRange) -> TextRange {
        match &self.orig {
            None => r,
            Some((orig, shift)) => {
                let len = TextSize::of(orig.text());
                let s = (u32::from(r.start()).saturating_sub(*shift)).min(len.into());
                let e = (u32::from(r.end()).saturating_sub(*shift)).min(len.into()).max(s);
                orig.source_range(TextRange::new(s.into(), e.into()))
            }
        }
    }

    /// Syntax errors with file ranges, each marked whether it lies outside the embedded SQL.
    fn errors(&self) -> Vec<SyntaxErr> {
        let sql: Vec<TextRange> = self
            .syntax()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::PLPGSQL_EXEC_SQL_STMT)
            .map(|n| self.source_range(n.text_range()))
            .collect();
        self.tree
            .errors()
            .into_iter()
            .map(|e| {
                let r = self.unwrap_range(e.range());
                let in_sql = sql.iter().any(|s| s.start() <= r.start() && r.start() < s.end());
                SyntaxErr {
                    start: usize::from(r.start()),
                    end: usize::from(r.end()),
                    message: e.message().to_string(),
                    plpgsql: !in_sql,
                }
            })
            .collect()
    }
}

/// A statement node and where its text is in the file.
pub struct RawStmt {
    pub node: SyntaxNode,
    /// Byte range in the file (body statements are mapped through their dollar quote).
    pub start: usize,
    pub end: usize,
    /// Maps a range of the node's own tree to a byte range of the file.
    pub map: Mapper,
    /// The parsed plpgsql body of a top-level `CREATE FUNCTION` (parsed once, used twice).
    pub body: Option<std::rc::Rc<Body>>,
    /// The IF-branch conditions a body statement runs under (`crate::sql::guard`).
    pub guard: crate::sql::guard::Guard,
}

/// How to map a range of a (body) tree back into the file.
#[derive(Clone)]
pub enum Mapper {
    Identity,
    Plpgsql(std::rc::Rc<Body>),
    /// SQL parsed out of a string literal (`EXECUTE '...'`) that starts at this file offset.
    Offset(usize),
}

impl Mapper {
    pub fn map(&self, node: &SyntaxNode) -> (usize, usize) {
        let r = node.text_range();
        let r = match self {
            Mapper::Identity => r,
            Mapper::Plpgsql(b) => b.source_range(r),
            Mapper::Offset(base) => {
                return (base + usize::from(r.start()), base + usize::from(r.end()));
            }
        };
        (usize::from(r.start()), usize::from(r.end()))
    }
    /// Range of a node without its leading trivia.
    pub fn map_trimmed(&self, node: &SyntaxNode) -> (usize, usize) {
        let (s, e) = self.map(node);
        match first_token_start(node) {
            Some(off) => {
                let r = node.text_range();
                let delta = off - usize::from(r.start());
                (s + delta.min(e - s), e)
            }
            None => (s, e),
        }
    }
}

fn first_token_start(node: &SyntaxNode) -> Option<usize> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| !t.kind().is_trivia())
        .map(|t| usize::from(t.text_range().start()))
}

/// A parsed migration file.
pub struct ParsedFile {
    pub parse: squawk_syntax::Parse<SourceFile>,
    pub top: Vec<RawStmt>,
    /// Statements inside `DO` blocks (executed by the migration).
    pub do_stmts: Vec<RawStmt>,
    pub errors: Vec<SyntaxErr>,
}

/// A plpgsql function body found in a `CREATE FUNCTION`, with its statement's file range.
pub struct FunctionBodyTree {
    pub body: std::rc::Rc<Body>,
}

pub fn parse(text: &str) -> ParsedFile {
    let parse = SourceFile::parse(text);
    let root = parse.syntax_node();
    let mut errors: Vec<SyntaxErr> = parse
        .errors()
        .into_iter()
        .map(|e| {
            let r = e.range();
            SyntaxErr {
                start: usize::from(r.start()),
                end: usize::from(r.end()),
                message: e.message().to_string(),
                plpgsql: false,
            }
        })
        .collect();
    let mut top = Vec::new();
    let mut do_stmts = Vec::new();
    for child in root.children() {
        if child.kind() == SyntaxKind::ERROR {
            continue;
        }
        let map = Mapper::Identity;
        let (start, end) = map.map_trimmed(&child);
        if let Some(d) = ast::Do::cast(child.clone())
            && let Some(body) = d.plpgsql()
        {
            let body = std::rc::Rc::new(Body::new(body));
            push_body_errors(&body, &mut errors);
            do_stmts.extend(body_statements(&body));
            do_stmts.extend(execute_literal_statements(&body));
        }
        let body = function_body(&child).map(|b| b.body);
        if let Some(b) = &body {
            push_body_errors(b, &mut errors);
        }
        top.push(RawStmt { node: child, start, end, map, body, guard: Vec::new() });
    }
    do_stmts.sort_by_key(|s| s.start);
    errors.sort_by_key(|e| (e.start, e.end));
    errors.dedup();
    ParsedFile { parse, top, do_stmts, errors }
}

fn push_body_errors(body: &Body, errors: &mut Vec<SyntaxErr>) {
    errors.extend(body.errors());
}

/// SQL statements embedded in a plpgsql body, at any nesting depth (IF / LOOP / nested blocks).
pub fn body_statements(body: &std::rc::Rc<Body>) -> Vec<RawStmt> {
    let map = Mapper::Plpgsql(body.clone());
    body.syntax()
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::PLPGSQL_EXEC_SQL_STMT)
        .filter_map(|n| n.first_child())
        .map(|node| {
            let (start, end) = map.map_trimmed(&node);
            let guard = crate::sql::guard::of(&node, &|n| map.map_trimmed(n).0);
            RawStmt { node, start, end, map: map.clone(), body: None, guard }
        })
        .collect()
}

/// `EXECUTE 'ALTER TABLE ...'` with a constant string: the string is SQL that runs, so it is parsed
/// and its statements mapped into the file. Strings built at run time (`format(...)`, `||`) and
/// strings with escapes stay opaque; syntax errors inside the string are not reported (such
/// strings are often templates).
fn execute_literal_statements(body: &std::rc::Rc<Body>) -> Vec<RawStmt> {
    let mut out = Vec::new();
    for exec in body.syntax().descendants().filter(|n| n.kind() == SyntaxKind::PLPGSQL_DYN_EXECUTE_STMT) {
        let Some(lit) = exec
            .descendants()
            .find(|n| n.kind() == SyntaxKind::TARGET_LIST)
            .filter(|t| t.children().count() == 1)
            .and_then(|t| t.first_child())
            .and_then(|t| t.first_child())
            .filter(|l| l.kind() == SyntaxKind::LITERAL)
        else {
            continue;
        };
        let text = lit.text().to_string();
        let inner = match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            Some(i) if !i.contains('\'') => i.to_string(),
            _ => continue,
        };
        let (file_start, _) = Mapper::Plpgsql(body.clone()).map(&lit);
        let map = Mapper::Offset(file_start + 1);
        let parsed = SourceFile::parse(&inner);
        for node in parsed.syntax_node().children().filter(|c| c.kind() != SyntaxKind::ERROR) {
            let (start, end) = map.map_trimmed(&node);
            out.push(RawStmt { node, start, end, map: map.clone(), body: None, guard: Vec::new() });
        }
    }
    out
}

/// The plpgsql body of a `CREATE FUNCTION` / `CREATE PROCEDURE`, if it has one.
pub fn function_body(node: &SyntaxNode) -> Option<FunctionBodyTree> {
    let body = ast::CreateFunction::cast(node.clone())
        .and_then(|f| f.plpgsql())
        .or_else(|| ast::CreateProcedure::cast(node.clone()).and_then(|p| p.plpgsql()))?;
    Some(FunctionBodyTree { body: std::rc::Rc::new(Body::new(body)) })
}

// ---- small tree helpers used by the extractor ----

pub fn child(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxNode> {
    node.children().find(|c| c.kind() == kind)
}

pub fn children(node: &SyntaxNode, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode> + '_ {
    node.children().filter(move |c| c.kind() == kind)
}

pub fn has_token(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    node.children_with_tokens().any(|e| e.kind() == kind)
}

/// Case-fold one identifier the way PostgreSQL does: unquoted lower-cased, quoted kept.
pub fn fold_ident(text: &str) -> String {
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        text[1..text.len() - 1].replace("\"\"", "\"")
    } else {
        text.to_ascii_lowercase()
    }
}

/// The dotted name a node spells (`public.users` -> `users`), identifiers case-folded.
pub fn name_of(node: &SyntaxNode) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for t in node.descendants_with_tokens().filter_map(|e| e.into_token()) {
        let k = t.kind();
        if k.is_trivia() {
            continue;
        }
        if k == SyntaxKind::DOT {
            parts.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(&fold_ident(t.text()));
    }
    parts.push(cur);
    crate::sql::model::normalize_name(&parts.join("."))
}

/// Source text of a node with whitespace collapsed.
pub fn compact_text(node: &SyntaxNode) -> String {
    node.text().to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn do_block_statements_map_into_the_file() {
        let sql = "SELECT 1;\nDO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN\n  ALTER TABLE t ADD COLUMN deleted_by UUID;\nEND IF; END $$;\n";
        let p = parse(sql);
        assert_eq!(p.top.len(), 2);
        assert_eq!(p.do_stmts.len(), 1);
        let s = &p.do_stmts[0];
        assert_eq!(&sql[s.start..s.end], "ALTER TABLE t ADD COLUMN deleted_by UUID");
        assert!(p.errors.is_empty());
    }

    #[test]
    fn constant_execute_strings_are_parsed() {
        let sql = "DO $$ BEGIN\n  EXECUTE 'ALTER TABLE a ADD COLUMN note TEXT';\n  EXECUTE format('ALTER TABLE %I ADD x int', 'a');\nEND $$;";
        let p = parse(sql);
        assert_eq!(p.do_stmts.len(), 1);
        let s = &p.do_stmts[0];
        assert_eq!(&sql[s.start..s.end], "ALTER TABLE a ADD COLUMN note TEXT");
    }

    #[test]
    fn one_bad_statement_does_not_hide_the_rest() {
        let sql = "CREATE TABLE a (id int,, x);\nCREATE TABLE b (id int);\n";
        let p = parse(sql);
        assert!(!p.errors.is_empty());
        assert_eq!(p.top.len(), 2);
        assert_eq!(&sql[p.top[1].start..p.top[1].end], "CREATE TABLE b (id int);");
    }
}
