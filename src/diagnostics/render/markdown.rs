//! `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` and merge-request comments.
//!
//! A heading with the verdict, a table of counts per checker (`nova check`'s `checks` extra when
//! present, else counted from the diagnostics), the first findings with `path:line` and rule, and
//! the wiring fleet matrix (the `matrix` extra) when present. Paths are repository-relative.
//! Every table cell is escaped (`|`, backticks, `\`, `*`, `_`, `[`, `]`, `<`, `>`), so a message can
//! neither break a table nor inject markup.
use super::location::RepoPaths;
use crate::diagnostics::{Diagnostic, Kind, Report, Severity};
use serde_json::Value;

/// How many findings are listed before "and N more".
pub const TOP_FINDINGS: usize = 50;

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let mut out = format!("## nova: {}\n\n{}\n", verdict(report), totals(report));
    out.push_str(&checker_table(report));
    if !report.diagnostics.is_empty() {
        out.push_str("\n### Findings\n\n| severity | rule | location | message |\n| --- | --- | --- | --- |\n");
        for d in report.diagnostics.iter().take(TOP_FINDINGS) {
            let location = match (&d.file, d.span) {
                (Some(f), Some(s)) => format!("{}:{}", paths.rel(f), s.line),
                (Some(f), None) => paths.rel(f),
                (None, _) => String::new(),
            };
            let severity = if d.kind == Kind::InputError { "input error" } else { d.severity.as_str() };
            out.push_str(&row(&[severity, &d.rule, &location, &d.message]));
        }
        let more = report.diagnostics.len().saturating_sub(TOP_FINDINGS);
        if more > 0 {
            out.push_str(&format!("\nand {more} more\n"));
        }
    }
    if let Some(b) = &report.baseline {
        out.push_str(&baseline_section(b));
    }
    if let Some(Value::Array(rows)) = report.extras.get("matrix")
        && !rows.is_empty()
    {
        out.push_str("\n### Wiring matrix\n\n");
        out.push_str(&matrix_table(rows));
    }
    out
}

/// What the baseline hid: how many findings, per checker and rule, and how many entries are stale.
fn baseline_section(b: &crate::diagnostics::BaselineSummary) -> String {
    let mut out = format!(
        "\n### Baseline\n\n{} hidden by the baseline `{}`",
        plural(b.hidden.len(), "finding", "findings"),
        b.file.replace('`', "'")
    );
    if b.unused > 0 {
        let what = plural(b.unused, "entry no longer matches", "entries no longer match");
        out.push_str(&format!("; {what} a finding (`BASELINE_UNUSED`)"));
    }
    out.push_str(".\n");
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = std::collections::BTreeMap::new();
    for (d, _) in &b.hidden {
        *counts.entry((d.checker, d.rule.as_str())).or_default() += 1;
    }
    if !counts.is_empty() {
        out.push_str("\n| checker | rule | hidden |\n| --- | --- | --- |\n");
        for ((checker, rule), n) in counts {
            out.push_str(&row(&[checker, rule, &n.to_string()]));
        }
    }
    out
}

fn verdict(report: &Report) -> &'static str {
    match report.exit_code() {
        0 => "passed",
        1 => "failed",
        _ => "could not check everything",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn totals(report: &Report) -> String {
    let infos = report.diagnostics.iter().filter(|d| d.severity == Severity::Info).count();
    let inputs = report.diagnostics.iter().filter(|d| d.kind == Kind::InputError).count();
    let mut s = format!(
        "{}, {}, {} in {} checked.",
        plural(report.errors(), "error", "errors"),
        plural(report.warnings(), "warning", "warnings"),
        plural(infos, "info", "infos"),
        plural(report.files_checked, "file", "files"),
    );
    if inputs > 0 {
        s.push_str(&format!(" {} (input nova could not use).", plural(inputs, "input error", "input errors")));
    }
    s
}

/// Counts per checker: `nova check`'s own table when present, else counted from the diagnostics.
fn checker_table(report: &Report) -> String {
    let mut out = String::from("\n| checker | status | errors | warnings |\n| --- | --- | --- | --- |\n");
    if let Some(Value::Array(checks)) = report.extras.get("checks") {
        for c in checks {
            let field = |k: &str| match c.get(k) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let mut status = field("status");
            if let Some(reason) = c.get("reason").and_then(Value::as_str) {
                status = format!("{status} ({reason})");
            }
            out.push_str(&row(&[&field("checker"), &status, &field("errors"), &field("warnings")]));
        }
        return out;
    }
    if report.diagnostics.is_empty() {
        return String::new();
    }
    let mut checkers: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        match checkers.iter_mut().find(|(c, _)| *c == d.checker) {
            Some((_, v)) => v.push(d),
            None => checkers.push((d.checker, vec![d])),
        }
    }
    for (checker, diags) in checkers {
        let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
        let status = if diags.iter().any(|d| d.kind == Kind::InputError) {
            "input errors"
        } else if count(Severity::Error) > 0 {
            "errors"
        } else {
            "ok"
        };
        out.push_str(&row(&[
            checker,
            status,
            &count(Severity::Error).to_string(),
            &count(Severity::Warning).to_string(),
        ]));
    }
    out
}

/// The fleet matrix: one row per service. Known columns first, in the human table's order, then
/// any others the rows carry.
fn matrix_table(rows: &[Value]) -> String {
    const KNOWN: [(&str, &str); 7] = [
        ("service", "service"),
        ("crate", "crate"),
        ("http", "HTTP"),
        ("grpc_server", "gRPC server"),
        ("grpc_clients", "gRPC clients"),
        ("kafka", "Kafka"),
        ("binary", "binary"),
    ];
    let mut columns: Vec<(String, String)> = Vec::new();
    for (key, title) in KNOWN {
        if rows.iter().any(|r| r.get(key).is_some()) {
            columns.push((key.into(), title.into()));
        }
    }
    for r in rows {
        for k in r.as_object().into_iter().flat_map(|o| o.keys()) {
            if !columns.iter().any(|(c, _)| c == k) {
                columns.push((k.clone(), k.clone()));
            }
        }
    }
    if columns.is_empty() {
        // Rows that are not objects: one column of values.
        let mut out = String::from("| value |\n| --- |\n");
        for r in rows {
            out.push_str(&row(&[&cell_text(r)]));
        }
        return out;
    }
    let titles: Vec<&str> = columns.iter().map(|(_, t)| t.as_str()).collect();
    let mut out = row(&titles);
    out.push_str(&format!("|{}\n", " --- |".repeat(columns.len())));
    for r in rows {
        let cells: Vec<String> = columns.iter().map(|(k, _)| r.get(k).map(cell_text).unwrap_or_default()).collect();
        out.push_str(&row(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

fn row(cells: &[&str]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// Escape text for a GitHub-flavoured Markdown table cell: markup characters are backslash-escaped
/// (a literal backtick cannot open a code span), `<`/`>` become entities so no HTML gets through,
/// and line breaks become `<br>` so a multi-line message stays in its row.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(escape("a|b `c` <d>\n*e*"), "a\\|b \\`c\\` &lt;d&gt;<br>\\*e\\*");
        assert_eq!(row(&["x|y", "z"]), "| x\\|y | z |\n");
    }
}
