//! `--format checkstyle`: Checkstyle XML (`<checkstyle version="4.3">`), which Jenkins'
//! warnings-ng, SonarQube, reviewdog (`-f=checkstyle`) and many CI tools read.
//!
//! - One `<file>` per file, in report order (diagnostics are sorted by path, so each file appears
//!   once); one `<error>` per diagnostic with `line`, `column` (1-based, characters), `severity`
//!   (`error`, `warning`, `info`), `message` and `source` (`nova.<checker>.<RULE>`).
//! - Paths are repository-relative, like SARIF and GitHub annotations. A diagnostic about no file
//!   is listed under the checked input root (`.` when that is the repository root), without a
//!   line; one with a file but no span has no `line` either.
//! - Everything is XML-escaped; characters XML cannot carry become U+FFFD.
use super::junit::attr;
use super::location::RepoPaths;
use crate::diagnostics::{Diagnostic, Report};

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let mut files: Vec<(String, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        let name = paths.rel_or_root(d.file.as_ref(), report.root.as_deref());
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(d),
            None => files.push((name, vec![d])),
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (name, diags) in files {
        out.push_str(&format!("  <file name=\"{}\">\n", attr(&name)));
        for d in diags {
            out.push_str(&error(d));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

fn error(d: &Diagnostic) -> String {
    let mut at = String::new();
    if let Some(s) = d.span {
        at = format!(" line=\"{}\" column=\"{}\"", s.line.max(1), s.column.max(1));
    }
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    format!(
        "    <error{at} severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
        d.severity.as_str(),
        attr(&message),
        attr(&format!("nova.{}.{}", d.checker, d.rule))
    )
}
