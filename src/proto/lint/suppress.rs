//! Comment ignores: a leading-comment line `buf:lint:ignore RULE_ID [reason]` or
//! `nova:ignore RULE_ID reason` on an element suppresses RULE_ID for the element and everything
//! nested in it. A `buf:lint:ignore` line names one ID (as in buf); a `nova:ignore` line may name
//! several (`nova:ignore A, B reason`, the grammar of `crate::suppress`). File-level findings honour
//! directives on the `syntax` and `package` statements. Directives that suppress nothing are
//! reported (ruff's unused-noqa is the model).
use super::ctx::{Cx, LintFile, tag};
use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::rules::Selection;
use std::collections::HashSet;

pub use crate::suppress::UNUSED_IGNORE;

const PREFIXES: [&str; 2] = ["buf:lint:ignore", "nova:ignore"];

/// (file index, location path, rule ID) of one directive.
pub type DirectiveKey = (usize, Vec<i32>, String);

/// The rule IDs named by directive lines of a comment: one per `buf:lint:ignore` line (buf's
/// grammar), every ID of a `nova:ignore` line (the grammar all checkers share, `crate::suppress`).
pub fn directive_ids(comment: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in comment.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(PREFIXES[0])
            && rest.starts_with(char::is_whitespace)
            && let Some(id) = rest.split_whitespace().next()
        {
            out.push(id);
        }
        if let Some(rest) = line.strip_prefix(crate::suppress::KEYWORD)
            && let Some(d) = crate::suppress::parse(rest)
        {
            out.extend(d.ids);
        }
    }
    out
}

/// Whether a directive on the finding's element, one of its ancestors, or (for file-level
/// findings) the syntax/package statement suppresses `rule`. Records the directive as used.
pub fn suppressed(file: &LintFile, fi: usize, path: &[i32], rule: &str, used: &mut HashSet<DirectiveKey>) -> bool {
    let mut cands: Vec<&[i32]> = (1..=path.len()).rev().map(|n| &path[..n]).collect();
    let element_level = matches!(path.first(), Some(&t) if t == tag::FILE_MESSAGE || t == tag::FILE_ENUM || t == tag::FILE_SERVICE || t == tag::FILE_EXTENSION);
    if !element_level {
        cands.push(&[tag::FILE_PACKAGE]);
        cands.push(&[tag::FILE_SYNTAX]);
    }
    for c in cands {
        let comment = file.leading_comment(c);
        if comment.is_empty() {
            continue;
        }
        if directive_ids(comment).contains(&rule) {
            used.insert((fi, c.to_vec(), rule.to_string()));
            return true;
        }
    }
    false
}

/// Directives in the module's files that suppressed nothing.
pub fn unused(cx: &Cx, selection: &Selection, used: &HashSet<DirectiveKey>, severity: Severity) -> Vec<Diagnostic> {
    let known: HashSet<&str> = super::rules().iter().map(|r| r.id).collect();
    let mut out = Vec::new();
    for (fi, file) in cx.files.iter().enumerate() {
        for loc in file.commented_locations() {
            let comment = loc.leading_comments.as_deref().unwrap_or("");
            for id in directive_ids(comment) {
                if used.contains(&(fi, loc.path.clone(), id.to_string())) {
                    continue;
                }
                let message = if !known.contains(id) {
                    format!("ignore comment names `{id}`, which is not a proto lint rule")
                } else if !selection.is_enabled(id)
                    || selection.is_ignored(id, &file.src.file.path)
                    || selection.is_ignored(id, file.name)
                {
                    continue;
                } else {
                    format!("ignore comment for `{id}` suppresses nothing here")
                };
                let span = directive_span(&file.src.text, loc.span.first().copied().unwrap_or(0) as usize, id);
                out.push(
                    Diagnostic::new("proto", UNUSED_IGNORE.id, severity, message)
                        .at(file.src.file.clone(), Some(span))
                        .with_help("delete the comment or name the rule that fires here"),
                );
            }
        }
    }
    out
}

/// The directive's own line: search upwards from the element's first line (0-based).
fn directive_span(text: &str, element_line: usize, id: &str) -> Span {
    let lines: Vec<&str> = text.lines().collect();
    let start = element_line.min(lines.len().saturating_sub(1));
    for l in (start.saturating_sub(200)..=start).rev() {
        let line = lines.get(l).copied().unwrap_or("");
        for p in PREFIXES {
            if let Some(col) = line.find(p)
                && line[col..].contains(id)
            {
                let c = line[..col].chars().count() + 1;
                let end = c + line[col..].trim_end().chars().count();
                return Span::new(l + 1, c, l + 1, end);
            }
        }
    }
    Span::new(element_line + 1, 1, element_line + 1, 1)
}
