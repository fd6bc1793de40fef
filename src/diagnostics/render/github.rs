//! `--format github`: GitHub Actions workflow commands (`::error file=...,line=...::message`).
use crate::diagnostics::{Report, Severity};

/// Escape a workflow-command message (data part).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow-command property value.
fn escape_prop(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!("file={}", escape_prop(&f.path)));
        }
        if let Some(s) = d.span {
            props.push(format!("line={}", s.line));
            props.push(format!("col={}", s.column));
            props.push(format!("endLine={}", s.end_line));
            if s.end_line == s.line {
                props.push(format!("endColumn={}", s.end_column));
            }
        }
        props.push(format!("title={}", escape_prop(&d.rule)));
        out.push_str(&format!("::{level} {}::{}\n", props.join(","), escape_data(&d.message)));
    }
    out
}
