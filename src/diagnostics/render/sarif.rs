//! `--format sarif`: SARIF 2.1.0.
use crate::diagnostics::Report;

pub fn render(_report: &Report, _opts: &super::RenderOptions) -> String {
    String::from("{}\n")
}
