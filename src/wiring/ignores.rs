//! `// nova:ignore RULE reason` comments in the analysed Rust files (the grammar of
//! `crate::suppress`): read once per file, matched against the findings on their own line or the
//! line below, and those that silenced nothing reported as `NOVA_UNUSED_IGNORE`.
use crate::diagnostics::{Diagnostic, FileRef, Span};
use crate::rules::Selection;
use crate::suppress::{KEYWORD, UNUSED_IGNORE};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One directive: its line, the span of its comment, the rule IDs it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    span: Span,
    ids: Vec<String>,
}

/// The directives of the files seen so far, and which (file, line, rule) silenced a finding.
#[derive(Default)]
pub struct Ignores {
    by_file: HashMap<PathBuf, BTreeMap<usize, Vec<Directive>>>,
    used: HashSet<(PathBuf, usize, String)>,
}

impl Ignores {
    /// Whether a directive on `line` or the line above it names `rule`; records it as used.
    pub fn suppresses(&mut self, path: &Path, text: &str, line: usize, rule: &str) -> bool {
        let dirs = self.by_file.entry(path.to_path_buf()).or_insert_with(|| directives(text));
        for l in [line, line.saturating_sub(1)] {
            let hit =
                dirs.get(&l).is_some_and(|ds| ds.iter().any(|d| d.ids.iter().any(|id| id.eq_ignore_ascii_case(rule))));
            if l > 0 && hit {
                self.used.insert((path.to_path_buf(), l, rule.to_ascii_uppercase()));
                return true;
            }
        }
        false
    }

    /// The directives in `files` (path -> text) that silenced nothing: an ID no rule has, or a
    /// wiring rule that runs here and had no finding on that line or the next. IDs of other
    /// checkers' rules, and wiring rules switched off or ignored for the path, are left alone.
    pub fn unused(
        &mut self,
        files: &BTreeMap<PathBuf, &str>,
        selection: &Selection,
        report_root: &Path,
    ) -> Vec<Diagnostic> {
        let Some(severity) = selection.severity(UNUSED_IGNORE.id) else { return Vec::new() };
        let known: BTreeSet<String> = crate::rules::all().iter().map(|r| r.id.to_ascii_uppercase()).collect();
        let wiring: BTreeSet<String> = super::rules().iter().map(|r| r.id.to_ascii_uppercase()).collect();
        let mut out = Vec::new();
        for (path, text) in files {
            let file = FileRef::new(report_root, path);
            let dirs = self.by_file.entry(path.clone()).or_insert_with(|| directives(text));
            for (line, ds) in dirs.iter() {
                for d in ds {
                    for id in &d.ids {
                        let upper = id.to_ascii_uppercase();
                        let message = if !known.contains(&upper) {
                            format!("`nova:ignore {id}`: no rule has this ID")
                        } else if !wiring.contains(&upper)
                            || !selection.is_enabled(&upper)
                            || selection.is_ignored(&upper, &file.path)
                            || self.used.contains(&(path.clone(), *line, upper.clone()))
                        {
                            continue;
                        } else {
                            format!("`nova:ignore {id}` suppresses nothing here")
                        };
                        out.push(
                            Diagnostic::new(super::CHECKER, UNUSED_IGNORE.id, severity, message)
                                .at(file.clone(), Some(d.span))
                                .with_help("remove the comment, or fix the rule ID (`nova rules --checker wiring`)"),
                        );
                    }
                }
            }
        }
        out
    }
}

/// Every `// nova:ignore ...` comment of a file, by 1-based line.
fn directives(text: &str) -> BTreeMap<usize, Vec<Directive>> {
    let mut out: BTreeMap<usize, Vec<Directive>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if !line.contains(KEYWORD) {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line[from..].find("//").map(|o| from + o) {
            from = at + 2;
            let comment = line[from..].trim_start();
            let Some(d) = comment.strip_prefix(KEYWORD).and_then(crate::suppress::parse) else { continue };
            let col = line[..at].chars().count() + 1;
            let end = line.trim_end().chars().count() + 1;
            let span = Span::new(i + 1, col, i + 1, end);
            out.entry(i + 1).or_default().push(Directive { span, ids: d.ids.iter().map(|s| s.to_string()).collect() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directive_covers_its_line_and_the_next() {
        let t = "a\n// nova:ignore HTTP_CORRELATION_MIDDLEWARE admin only\nb\nc // nova:ignore X, KAFKA_CORRELATION_HEADER\n";
        let p = Path::new("m.rs");
        let mut ig = Ignores::default();
        assert!(ig.suppresses(p, t, 3, "HTTP_CORRELATION_MIDDLEWARE"));
        assert!(!ig.suppresses(p, t, 3, "GRPC_SERVER_INTERCEPTOR"));
        assert!(!ig.suppresses(p, t, 1, "HTTP_CORRELATION_MIDDLEWARE"));
        assert!(ig.suppresses(p, t, 4, "KAFKA_CORRELATION_HEADER"));
        assert_eq!(directives(t)[&4][0].span, Span::new(4, 3, 4, 45));
    }
}
