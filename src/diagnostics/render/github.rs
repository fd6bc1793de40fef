//! `--format github`: GitHub Actions workflow commands (`::error file=...,line=...::message`).
//!
//! GitHub maps `file` onto the checkout, so paths are repository-relative (like SARIF), not
//! relative to the input root.
use super::location::RepoPaths;
use crate::diagnostics::{Report, Severity};

/// Escape a workflow-command message (data part), as the Actions toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow-command property value.
fn escape_prop(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!("file={}", escape_prop(&paths.rel(f))));
            if let Some(s) = d.span {
                props.push(format!("line={}", s.line));
                props.push(format!("col={}", s.column));
                props.push(format!("endLine={}", s.end_line.max(s.line)));
                // GitHub only honours endColumn on single-line annotations.
                if s.end_line == s.line && s.end_column > s.column {
                    props.push(format!("endColumn={}", s.end_column));
                }
            }
        }
        props.push(format!("title={}", escape_prop(&d.rule)));
        // The annotation body is all GitHub shows: keep notes and help with the message.
        let mut message = d.message.clone();
        for l in &d.labels {
            let at = match (&l.file, l.span) {
                (Some(f), Some(s)) => format!(" ({}:{})", paths.rel(f), s.line),
                (None, Some(s)) => format!(" (line {})", s.line),
                _ => String::new(),
            };
            message.push_str(&format!("\n{}{at}", l.message));
        }
        for n in &d.notes {
            message.push_str(&format!("\nnote: {n}"));
        }
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!("::{level} {}::{}\n", props.join(","), escape_data(&message)));
    }
    out
}
