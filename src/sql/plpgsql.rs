//! PL/pgSQL statement splitting, done the way PostgreSQL's `pl_gram.y` does it before any SQL is
//! parsed: find the embedded SQL statements of a body and take their PL/pgSQL `INTO [STRICT]
//! target` clause out, so the SQL parser sees plain SQL.
//!
//! squawk 2.68's plpgsql grammar does not know `SELECT ... INTO var` nor `INSERT/UPDATE/DELETE
//! ... RETURNING ... INTO var` (it reports "expected a statement"), although PostgreSQL accepts
//! both. PostgreSQL itself (`make_execsql_stmt`) replaces the `INTO` clause by as many spaces
//! before handing the statement to the SQL parser; nova does the same on the body text, so every
//! byte keeps its offset and locations stay right, and then lets squawk parse the redacted body.
//!
//! Iterative, one pass over the tokens: any nesting depth is fine.

/// A token of a PL/pgSQL body, as far as statement splitting needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// An unquoted word (keyword or identifier), lower-cased comparison via `word`.
    Word,
    /// `"quoted identifier"`.
    QuotedIdent,
    Semi,
    Comma,
    Dot,
    Open,
    Close,
    /// `:=` or `=` (an assignment when it follows the statement's first name).
    Assign,
    /// Anything else: literals, operators, parameters.
    Other,
}

struct Token {
    kind: Tok,
    start: usize,
    end: usize,
}

/// Lex `text` into the tokens statement splitting needs; strings, dollar quotes and comments are
/// skipped as single `Other` tokens (or dropped, for comments). Unterminated constructs run to the
/// end of the text (the parser reports them).
fn lex(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let n = b.len();
    let is_ident_start = |c: u8| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80;
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < n {
        let c = b[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i, n);
                continue;
            }
            b'\'' => {
                i = skip_quoted(b, i + 1, b'\'', false);
                Tok::Other
            }
            b'e' | b'E' if b.get(i + 1) == Some(&b'\'') => {
                i = skip_quoted(b, i + 2, b'\'', true);
                Tok::Other
            }
            b'"' => {
                i = skip_quoted(b, i + 1, b'"', false);
                Tok::QuotedIdent
            }
            b'$' => {
                // `$tag$ ... $tag$` (the tag may be empty), or a positional parameter `$1`.
                let mut j = i + 1;
                while j < n && b[j] != b'$' && is_ident(b[j]) {
                    j += 1;
                }
                let tag_ok = j < n && b[j] == b'$' && !b.get(i + 1).is_some_and(|d| d.is_ascii_digit());
                if tag_ok {
                    let tag = &text[i..=j];
                    i = match text[j + 1..].find(tag) {
                        Some(k) => j + 1 + k + tag.len(),
                        None => n,
                    };
                } else {
                    i = j.max(i + 1);
                }
                Tok::Other
            }
            b';' => {
                i += 1;
                Tok::Semi
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'(' | b'[' => {
                i += 1;
                Tok::Open
            }
            b')' | b']' => {
                i += 1;
                Tok::Close
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Assign
            }
            b'=' if !matches!(b.get(i + 1), Some(b'>') | Some(b'=')) => {
                i += 1;
                Tok::Assign
            }
            b'.' if b.get(i + 1) != Some(&b'.') && !b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                i += 1;
                Tok::Dot
            }
            c if is_ident_start(c) => {
                while i < n && is_ident(b[i]) {
                    i += 1;
                }
                Tok::Word
            }
            c if c.is_ascii_digit() => {
                while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                    // `1..10` is two numbers and a range.
                    if b[i] == b'.' && b.get(i + 1) == Some(&b'.') {
                        break;
                    }
                    i += 1;
                }
                Tok::Other
            }
            _ => {
                // Operators: one char at a time is enough here; keep UTF-8 boundaries.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Tok::Other
            }
        };
        out.push(Token { kind, start, end: i });
    }
    out
}

/// The end (exclusive) of the block comment starting at `i` (they nest in PostgreSQL).
pub(crate) fn skip_block_comment(b: &[u8], mut i: usize, end: usize) -> usize {
    let mut depth = 0usize;
    while i < end {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i.min(end)
}

/// The end (exclusive) of a quoted string or identifier whose body starts at `i`.
fn skip_quoted(b: &[u8], mut i: usize, quote: u8, backslash: bool) -> usize {
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// Words that start a PL/pgSQL statement (pl_gram.y's `proc_stmt`), so the statement is not
/// embedded SQL.
const PLPGSQL_STMT_WORDS: &[&str] = &[
    "assert",
    "begin",
    "call",
    "case",
    "close",
    "commit",
    "continue",
    "declare",
    "do",
    "else",
    "elseif",
    "elsif",
    "end",
    "exception",
    "execute",
    "exit",
    "fetch",
    "for",
    "foreach",
    "get",
    "if",
    "import",
    "loop",
    "move",
    "null",
    "open",
    "perform",
    "raise",
    "return",
    "rollback",
    "when",
    "while",
];

/// After these words a new statement starts (the statement lists of blocks, IF/CASE branches,
/// loops and exception handlers).
const STMT_LIST_STARTS: &[&str] = &["begin", "then", "else", "loop"];

/// `text` with the PL/pgSQL `INTO [STRICT] target[, ...]` clause of every embedded SQL statement
/// replaced by spaces (newlines kept), or `None` when there is none. Like PostgreSQL, an `INTO`
/// right after `INSERT` or `MERGE` belongs to the SQL, as does any `INTO` of `IMPORT`.
pub fn redact_into(text: &str) -> Option<String> {
    let toks = lex(text);
    let word = |i: usize| -> Option<String> {
        toks.get(i).filter(|t| t.kind == Tok::Word).map(|t| text[t.start..t.end].to_ascii_lowercase())
    };
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut in_declare = false;
    let mut at_start = true;
    let mut i = 0;
    while i < toks.len() {
        let w = word(i);
        if let Some(w) = w.as_deref() {
            match w {
                "declare" => in_declare = true,
                "begin" => in_declare = false,
                _ => {}
            }
        }
        let starts_sql = at_start
            && !in_declare
            && toks[i].kind == Tok::Word
            && w.as_deref().is_some_and(|w| !PLPGSQL_STMT_WORDS.contains(&w))
            // `x := ...`, `x = ...`, `x[1] := ...`, `rec.f := ...` are assignments.
            && !toks.get(i + 1).is_some_and(|t| {
                matches!(t.kind, Tok::Assign | Tok::Dot) || &text[t.start..t.end] == "["
            });
        if !starts_sql {
            at_start = match toks[i].kind {
                Tok::Semi => true,
                Tok::Word => w.as_deref().is_some_and(|w| STMT_LIST_STARTS.contains(&w)),
                _ => false,
            };
            // `<<label>>` before a loop or block: the label's `>>` is an `Other`; the word after it
            // is LOOP/WHILE/FOR/BEGIN/DECLARE, never SQL.
            i += 1;
            continue;
        }
        // An embedded SQL statement: up to the `;` outside parentheses.
        let first = w.unwrap_or_default();
        let mut depth = 0i32;
        let mut j = i;
        let mut prev: Option<String> = None;
        while j < toks.len() {
            let t = &toks[j];
            match t.kind {
                Tok::Open => depth += 1,
                Tok::Close => depth -= 1,
                Tok::Semi if depth <= 0 => break,
                Tok::Word => {
                    let wj = text[t.start..t.end].to_ascii_lowercase();
                    let into =
                        wj == "into" && !matches!(prev.as_deref(), Some("insert") | Some("merge")) && first != "import";
                    if into {
                        let end = into_target_end(text, &toks, j + 1);
                        let end_off = toks.get(end).map_or(text.len(), |t| t.start);
                        blanks.push((t.start, end_off));
                        j = end;
                        prev = None;
                        continue;
                    }
                    prev = Some(wj);
                }
                _ => prev = None,
            }
            if t.kind != Tok::Word {
                prev = None;
            }
            j += 1;
        }
        i = j;
        at_start = false;
    }
    if blanks.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for (s, e) in blanks {
        for b in &mut out[s..e] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced, by ASCII, and whole tokens at that.
    String::from_utf8(out).ok()
}

/// The index of the first token after `[STRICT] target[, target ...]` starting at token `i`
/// (a target is a possibly qualified name: `v`, `rec.f`, `NEW.col`).
fn into_target_end(text: &str, toks: &[Token], mut i: usize) -> usize {
    let is_name = |t: &Token| matches!(t.kind, Tok::Word | Tok::QuotedIdent);
    if toks.get(i).is_some_and(|t| t.kind == Tok::Word && text[t.start..t.end].eq_ignore_ascii_case("strict")) {
        i += 1;
    }
    loop {
        if !toks.get(i).is_some_and(is_name) {
            return i;
        }
        i += 1;
        while toks.get(i).is_some_and(|t| t.kind == Tok::Dot) && toks.get(i + 1).is_some_and(is_name) {
            i += 2;
        }
        if toks.get(i).is_some_and(|t| t.kind == Tok::Comma) && toks.get(i + 1).is_some_and(is_name) {
            i += 1;
            continue;
        }
        return i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn red(s: &str) -> String {
        redact_into(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn select_into_is_redacted_keeping_offsets() {
        let s = "BEGIN\n  SELECT COUNT(*) INTO attempt_count\n  FROM auth_logs;\n  RETURN attempt_count;\nEND;";
        let r = red(s);
        assert_eq!(r.len(), s.len());
        assert_eq!(r, "BEGIN\n  SELECT COUNT(*)                   \n  FROM auth_logs;\n  RETURN attempt_count;\nEND;");
    }

    #[test]
    fn strict_lists_and_returning() {
        assert_eq!(
            red("BEGIN SELECT a, b INTO STRICT x, r.y FROM t; END"),
            "BEGIN SELECT a, b                    FROM t; END"
        );
        assert_eq!(
            red("BEGIN INSERT INTO t (a) VALUES (1) RETURNING id INTO v; END"),
            "BEGIN INSERT INTO t (a) VALUES (1) RETURNING id       ; END"
        );
        assert_eq!(
            red("BEGIN SELECT * FROM t INTO v WHERE id = 1; END"),
            "BEGIN SELECT * FROM t        WHERE id = 1; END"
        );
    }

    #[test]
    fn what_is_not_an_into_target_stays() {
        for s in [
            "BEGIN INSERT INTO t VALUES (1); END",
            "BEGIN MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE; END",
            "BEGIN EXECUTE 'SELECT 1' INTO v; END",
            "BEGIN FETCH c INTO v; END",
            "DECLARE c CURSOR FOR SELECT 1; BEGIN NULL; END",
            "BEGIN x := 'SELECT a INTO b'; END",
            "BEGIN PERFORM 1; -- SELECT a INTO b;\nEND",
            "BEGIN RAISE NOTICE $q$ SELECT a INTO b $q$; END",
        ] {
            assert_eq!(redact_into(s), None, "{s}");
        }
    }

    #[test]
    fn nested_statement_lists() {
        let s = "BEGIN IF a THEN SELECT 1 INTO x; ELSE SELECT 2 INTO x; END IF; FOR r IN SELECT 1 LOOP SELECT 3 INTO y; END LOOP; END";
        let r = red(s);
        assert_eq!(r.matches("INTO").count(), 0, "{r}");
    }
}
