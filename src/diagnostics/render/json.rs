//! `--format json`: one document, `{"diagnostics":[...],"summary":{...}}` plus checker extras.
use crate::diagnostics::{Diagnostic, Report};
use rayon::prelude::*;
use serde_json::{Value, json};

pub fn diagnostic_value(d: &Diagnostic) -> Value {
    let mut v = json!({
        "rule": d.rule,
        "checker": d.checker,
        "severity": d.severity.as_str(),
        "kind": d.kind,
        "message": d.message,
        "path": d.file.as_ref().map(|f| f.path.clone()),
        "line": d.span.map(|s| s.line),
        "column": d.span.map(|s| s.column),
        "end_line": d.span.map(|s| s.end_line),
        "end_column": d.span.map(|s| s.end_column),
    });
    let Some(obj) = v.as_object_mut() else { return v };
    if !d.labels.is_empty() {
        obj.insert(
            "labels".into(),
            d.labels
                .iter()
                .map(|l| {
                    json!({
                        "message": l.message,
                        "path": l.file.as_ref().map(|f| f.path.clone()),
                        "line": l.span.map(|s| s.line),
                        "column": l.span.map(|s| s.column),
                        "end_line": l.span.map(|s| s.end_line),
                        "end_column": l.span.map(|s| s.end_column),
                    })
                })
                .collect(),
        );
    }
    if !d.notes.is_empty() {
        obj.insert("notes".into(), json!(d.notes));
    }
    if let Some(h) = &d.help {
        obj.insert("help".into(), json!(h));
    }
    if let Some(f) = &d.fix {
        let edits: Vec<Value> = f
            .edits
            .iter()
            .map(|e| json!({"path": e.file.path, "start_byte": e.start, "end_byte": e.end, "replacement": e.replacement}))
            .collect();
        obj.insert("fix".into(), json!({"description": f.description, "safe": f.safe, "edits": edits}));
    }
    v
}

pub fn render(report: &Report) -> String {
    let mut doc = json!({
        "diagnostics": [],
        "summary": {
            "errors": report.errors(),
            "warnings": report.warnings(),
            "infos": report.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Info).count(),
            "input_errors": report.diagnostics.iter().filter(|d| d.kind == crate::diagnostics::Kind::InputError).count(),
            "files": report.files_checked,
            "exit_code": report.exit_code(),
        },
    });
    if let Some(obj) = doc.as_object_mut() {
        // Extras never replace the two members every consumer relies on.
        for (k, v) in &report.extras {
            if k != "diagnostics" && k != "summary" {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    // Serialising a `Value` cannot fail: every map key is a string.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    if report.diagnostics.is_empty() {
        return s;
    }
    // The diagnostics (90,000 on googleapis) are rendered in parallel, each as serde_json's
    // pretty printer would inside the document, and spliced in for the empty array: the bytes
    // are those of rendering the whole document at once.
    const EMPTY: &str = "\n  \"diagnostics\": []";
    let Some(at) = s.find(EMPTY) else { return s };
    let mut out = String::with_capacity(s.len() + 400 * report.diagnostics.len());
    out.push_str(&s[..at + EMPTY.len() - 1]);
    // In chunks, so that only one chunk's strings exist besides the document.
    for (c, chunk) in report.diagnostics.chunks(4096).enumerate() {
        let items: Vec<String> = chunk.par_iter().map(|d| nested_pretty(&diagnostic_value(d))).collect();
        for (i, item) in items.iter().enumerate() {
            out.push_str(if c == 0 && i == 0 { "\n    " } else { ",\n    " });
            out.push_str(item);
        }
    }
    out.push_str("\n  ]");
    out.push_str(&s[at + EMPTY.len()..]);
    out
}

/// `v` pretty-printed as an element of the document's top-level array: every line after the
/// first indented by two more levels (JSON strings hold no raw newline, so every `\n` is a line).
fn nested_pretty(v: &Value) -> String {
    let flat = serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::with_capacity(flat.len() + 4 * flat.bytes().filter(|&b| b == b'\n').count());
    for (i, line) in flat.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\n    ");
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, FileRef, Severity, Span};

    /// The spliced rendering is byte for byte the one of the whole document, with extras before
    /// and after `diagnostics`, nested labels, notes and fixes, and strings holding JSON syntax.
    #[test]
    fn splicing_gives_the_bytes_of_rendering_the_whole_document() {
        let mut report = Report::new();
        let file = FileRef { path: "a/b.proto".into(), abs: None };
        for i in 0..4100 {
            let mut d = Diagnostic::new("proto", "R", Severity::Error, format!("m{i} \"diagnostics\": []\n{{x}}"))
                .at(file.clone(), Some(Span::new(1, 2, 3, 4)));
            if i == 1 {
                d = d.with_note("note").with_help("help");
                d.labels.push(crate::diagnostics::Label {
                    message: "l".into(),
                    file: Some(file.clone()),
                    span: Some(Span::new(5, 6, 7, 8)),
                });
            }
            report.push(d);
        }
        report.extras.insert("aaa".into(), json!({"x": [1, {"y": []}], "diagnostics": []}));
        report.extras.insert("zzz".into(), json!([]));
        let whole = {
            let mut doc = json!({
                "diagnostics": report.diagnostics.iter().map(diagnostic_value).collect::<Vec<_>>(),
                "summary": {
                    "errors": report.errors(),
                    "warnings": report.warnings(),
                    "infos": 0,
                    "input_errors": 0,
                    "files": report.files_checked,
                    "exit_code": report.exit_code(),
                },
            });
            for (k, v) in &report.extras {
                doc.as_object_mut().unwrap().insert(k.clone(), v.clone());
            }
            let mut s = serde_json::to_string_pretty(&doc).unwrap();
            s.push('\n');
            s
        };
        assert_eq!(render(&report), whole);
        report.diagnostics.clear();
        assert!(render(&report).contains("\"diagnostics\": [],"));
    }
}
