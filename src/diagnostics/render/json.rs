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
    let obj = v.as_object_mut().expect("object");
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
        obj.insert("fix".into(), json!({"description": f.description, "safe": f.safe}));
    }
    v
}

pub fn render(report: &Report) -> String {
    let mut doc = json!({
        "diagnostics": report.diagnostics.iter().map(diagnostic_value).collect::<Vec<_>>(),
        "summary": {
            "errors": report.errors(),
            "warnings": report.warnings(),
            "files": report.files_checked,
        },
    });
    let obj = doc.as_object_mut().expect("object");
    for (k, v) in &report.extras {
        obj.insert(k.clone(), v.clone());
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}
