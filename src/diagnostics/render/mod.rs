//! One renderer per output format.
use super::Report;

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod location;
pub mod sarif;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source excerpts (colour only on a terminal).
    #[default]
    Human,
    /// One JSON document: `{"diagnostics":[...],"summary":{...}}`.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML for CI test reporters.
    Junit,
}

impl Format {
    /// Machine formats never get progress bars or colour.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human)
    }
}

/// Options every renderer may use.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Directory SARIF URIs are relative to (the repository root, else the cwd).
    pub repo_root: Option<std::path::PathBuf>,
}

/// Render a report in a format.
pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, opts),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, opts),
        Format::Github => github::render(report, opts),
        Format::Junit => junit::render(report),
    }
}
