//! The one grammar of `nova:ignore` comments, for every checker and comment syntax (`// ...` in
//! Rust and protos, `-- ...` / `/* ... */` in SQL):
//!
//! ```text
//! nova:ignore RULE[, RULE]... [RULE]... [reason words]
//! ```
//!
//! The first word is always a rule ID (an unknown one is still read, so it can be reported as a
//! suppression that matches nothing). After it, IDs may follow separated by commas (with or
//! without spaces) or by spaces; a comma always continues the list, and a space-separated word
//! continues it only when it is a rule nova knows, so the reason (`legacy JSON name`) is never
//! mistaken for IDs. `nova:ignore A, B reason`, `nova:ignore A,B`, `nova:ignore A B` all name A and
//! B. buf's `buf:lint:ignore ID` keeps buf's own grammar (one ID) and is read by the proto checker.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The one unused-suppression rule. Every checker reports it, with its own checker name on the
/// diagnostic, for the `nova:ignore` comments (and buf's `buf:lint:ignore`) in the files it read.
pub const UNUSED_IGNORE: RuleInfo = RuleInfo {
    categories: &["NOVA", "HYGIENE"],
    default_severity: Severity::Warning,
    summary: "A `nova:ignore` (or `buf:lint:ignore`) comment suppresses nothing",
    docs: r#"## What it does
Reports an ignore comment that suppressed no finding, or that names a rule ID nova does not know:
`// nova:ignore RULE reason` in Rust and protos (and buf's `// buf:lint:ignore RULE`), `-- nova:ignore
RULE reason` or `/* nova:ignore RULE */` in SQL. Every checker judges the comments in the files it
read, against the rules that run in the current configuration: a comment naming a rule that is
switched off, or ignored for that path, is left alone (it matters when the rule is switched on).
A Rust comment naming another checker's rule is left alone too.

## Why
A stale suppression silently hides the next real finding of that rule at that place; a misspelt
one never worked. Like ruff's unused-noqa, this keeps suppressions honest.

## Example
Failing:
```sql
-- nova:ignore SOFT_DELETE_CHEK legacy table
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```
Passing:
```sql
-- nova:ignore SOFT_DELETE_CHECK legacy table
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```

## Fix
Delete the comment, or correct the rule ID.
"#,
    ..RuleInfo::new("NOVA_UNUSED_IGNORE", "nova")
};

/// The keyword that starts a directive.
pub const KEYWORD: &str = "nova:ignore";

/// One parsed directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive<'a> {
    pub ids: Vec<&'a str>,
    pub reason: &'a str,
}

fn known(word: &str) -> bool {
    static IDS: OnceLock<HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| crate::rules::all().iter().map(|r| r.id.to_ascii_uppercase()).collect())
        .contains(&word.to_ascii_uppercase())
}

/// Parse the text after [`KEYWORD`] (`rest` must start with whitespace or be empty; `None` for
/// `nova:ignored` and the like, or when no ID follows).
pub fn parse(rest: &str) -> Option<Directive<'_>> {
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut ids = Vec::new();
    let mut pos = 0;
    let mut continued = true; // the first word is always an ID
    loop {
        let tail = &rest[pos..];
        let trimmed = tail.trim_start();
        let start = pos + (tail.len() - trimmed.len());
        if trimmed.starts_with(',') {
            pos = start + 1;
            continued = true;
            continue;
        }
        let len = trimmed.find(|c: char| c.is_whitespace() || c == ',').unwrap_or(trimmed.len());
        let word = trimmed[..len].trim_end_matches("*/");
        if word.is_empty() || !(continued || known(word)) {
            return (!ids.is_empty()).then(|| Directive { ids, reason: rest[start..].trim() });
        }
        ids.push(word);
        pos = start + len;
        continued = false;
    }
}

/// The directive in a comment's text (anything before the keyword is ignored).
pub fn in_comment(comment: &str) -> Option<Directive<'_>> {
    let at = comment.find(KEYWORD)?;
    parse(&comment[at + KEYWORD.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &str) -> Vec<&str> {
        in_comment(s).map(|d| d.ids).unwrap_or_default()
    }

    #[test]
    fn one_grammar() {
        assert_eq!(
            ids("-- nova:ignore constraint-missing-not-valid, adding-foreign-key-constraint"),
            ["constraint-missing-not-valid", "adding-foreign-key-constraint"]
        );
        assert_eq!(ids("-- nova:ignore a,b"), ["a", "b"]);
        assert_eq!(
            ids("// nova:ignore GRPC_CLIENT_INTERCEPTOR CIRCUIT_BREAKER_MISSING legacy client"),
            ["GRPC_CLIENT_INTERCEPTOR", "CIRCUIT_BREAKER_MISSING"]
        );
        let d = in_comment("// nova:ignore FIELD_LOWER_SNAKE_CASE legacy JSON name").unwrap();
        assert_eq!((d.ids, d.reason), (vec!["FIELD_LOWER_SNAKE_CASE"], "legacy JSON name"));
        // An unknown first ID is kept (reported as unused); a reason word never becomes an ID.
        assert_eq!(ids("-- nova:ignore not-a-rule because"), ["not-a-rule"]);
        assert_eq!(ids("/* nova:ignore ban-drop-column */"), ["ban-drop-column"]);
        assert_eq!(ids("-- nova:ignored ban-drop-column"), Vec::<&str>::new());
        assert_eq!(ids("-- nova:ignore"), Vec::<&str>::new());
        assert_eq!(ids("-- nova:ignore , "), Vec::<&str>::new());
    }
}
