//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), a JSON array
//! of issues with `description`, `check_name`, `fingerprint`, `severity` and `location`.
//!
//! - `fingerprint` is the value SARIF puts in `partialFingerprints["nova/v1"]` for the same finding
//!   (one shared function), so both CI systems track a finding the same way across pushes.
//! - Paths are repository-relative, like SARIF and GitHub annotations, because GitLab maps them
//!   onto the checkout.
//! - GitLab requires a path on every issue: a diagnostic about no file names the checked input
//!   root (`.` when that is the repository root) at line 1; one with a file but no span, line 1.
use super::fingerprint;
use super::location::{RepoPaths, Sources};
use crate::diagnostics::{Diagnostic, Kind, Report, Severity};
use serde_json::{Value, json};

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let sources = Sources::new(report);
    let hidden = fingerprint::hidden(report);
    let fingerprints = fingerprint::all_with_hidden(&sources, &paths, &report.diagnostics, &hidden);
    let issues: Vec<Value> =
        report.diagnostics.iter().zip(fingerprints).map(|(d, fp)| issue(report, d, fp, &paths)).collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_default();
    s.push('\n');
    s
}

/// Code Quality severities: `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(d: &Diagnostic) -> &'static str {
    match (d.kind, d.severity) {
        (Kind::InputError, _) => "critical",
        (_, Severity::Error) => "major",
        (_, Severity::Warning) => "minor",
        (_, Severity::Info) => "info",
    }
}

fn issue(report: &Report, d: &Diagnostic, fingerprint: String, paths: &RepoPaths) -> Value {
    let path = paths.rel_or_root(d.file.as_ref(), report.root.as_deref());
    let location = match d.span {
        Some(s) => json!({
            "path": path,
            "positions": {
                "begin": {"line": s.line.max(1), "column": s.column.max(1)},
                "end": {"line": s.end_line.max(s.line).max(1), "column": s.end_column.max(1)},
            },
        }),
        None => json!({"path": path, "lines": {"begin": 1}}),
    };
    let mut description = d.message.clone();
    if let Some(h) = &d.help {
        description.push_str(&format!("\nhelp: {h}"));
    }
    json!({
        "type": "issue",
        "description": description,
        "check_name": d.rule,
        "fingerprint": fingerprint,
        "severity": severity(d),
        "location": location,
    })
}
