//! `--format rdjson`: reviewdog's Diagnostic Format, one `DiagnosticResult` document
//! (`reviewdog -f=rdjson`).
//!
//! - Columns: rdjson counts columns in UTF-8 **bytes** (1-based; its `Position` says "byte count
//!   in UTF-8"), nova in characters. Each column is converted through the file's text; when the
//!   text cannot be read the range is given by lines only (rdjson's linewise form).
//! - Ranges end exclusively, like nova's spans.
//! - Paths are repository-relative (reviewdog runs at the repository root and matches them against
//!   the diff). A diagnostic about no file has no `location`.
//! - `suggestions` come from a fix only when the fix is safe (may be applied without review) and
//!   every edit is in the diagnostic's own file: reviewdog proposes them as one-click changes.
use super::location::{RepoPaths, Source, Sources};
use crate::diagnostics::{Diagnostic, Report, Severity, Span};
use serde_json::{Map, Value, json};

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let sources = Sources::new(report);
    let mut source = Map::new();
    source.insert("name".into(), json!("nova"));
    if let Some(uri) = super::sarif::information_uri() {
        source.insert("url".into(), json!(uri));
    }
    let diagnostics: Vec<Value> = report.diagnostics.iter().map(|d| diagnostic(&sources, &paths, d)).collect();
    let overall = if report.errors() > 0 {
        Severity::Error
    } else if report.warnings() > 0 {
        Severity::Warning
    } else {
        Severity::Info
    };
    let doc = json!({"source": source, "severity": severity(overall), "diagnostics": diagnostics});
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

/// An rdjson `Range` for a character span: byte columns when the text is known, lines otherwise.
fn range(src: Option<&Source>, s: Span) -> Value {
    let end_line = s.end_line.max(s.line);
    let columns =
        src.and_then(|src| Some((src.byte_column(s.line, s.column)?, src.byte_column(end_line, s.end_column)?)));
    match columns {
        Some((start, end)) => {
            let end = if end_line == s.line { end.max(start) } else { end };
            json!({"start": {"line": s.line, "column": start}, "end": {"line": end_line, "column": end}})
        }
        None => json!({"start": {"line": s.line}, "end": {"line": end_line}}),
    }
}

fn diagnostic(sources: &Sources, paths: &RepoPaths, d: &Diagnostic) -> Value {
    let mut message = d.message.clone();
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    let mut v = Map::new();
    v.insert("message".into(), json!(message));
    let src = d.file.as_ref().and_then(|f| sources.get(f));
    if let Some(f) = &d.file {
        let mut loc = Map::new();
        loc.insert("path".into(), json!(paths.rel(f)));
        if let Some(s) = d.span {
            loc.insert("range".into(), range(src.as_deref(), s));
        }
        v.insert("location".into(), Value::Object(loc));
    }
    v.insert("severity".into(), json!(severity(d.severity)));
    v.insert("code".into(), json!({"value": d.rule}));
    if let (Some(fix), Some(f), Some(src)) = (&d.fix, &d.file, &src)
        && fix.safe
        && !fix.edits.is_empty()
        && fix.edits.iter().all(|e| e.file == *f)
    {
        let suggestions: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (sl, sc) = src.byte_position(e.start);
                let (el, ec) = src.byte_position(e.end.max(e.start));
                json!({
                    "range": {"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}},
                    "text": e.replacement,
                })
            })
            .collect();
        v.insert("suggestions".into(), json!(suggestions));
    }
    Value::Object(v)
}
