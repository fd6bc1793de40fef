//! `--format json`: one document, `{"diagnostics":[...],"summary":{...}}` plus checker extras.
use crate::diagnostics::{Diagnostic, Report};
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
        "diagnostics": report.diagnostics.iter().map(diagnostic_value).collect::<Vec<_>>(),
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
    s
}
