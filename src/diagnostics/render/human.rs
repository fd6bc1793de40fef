//! `--format human`: rustc-style diagnostics with a source excerpt and a caret.
use crate::diagnostics::Report;

pub fn render(report: &Report, _opts: &super::RenderOptions) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&format!("{}[{}]: {}\n", d.severity.as_str(), d.rule, d.message));
        if let Some(f) = &d.file {
            match d.span {
                Some(s) => out.push_str(&format!("  --> {}:{}:{}\n", f.path, s.line, s.column)),
                None => out.push_str(&format!("  --> {}\n", f.path)),
            }
        }
    }
    for s in &report.human_sections {
        out.push_str(s);
    }
    out.push_str(&format!(
        "{} error(s), {} warning(s) in {} file(s)\n",
        report.errors(),
        report.warnings(),
        report.files_checked
    ));
    out
}
