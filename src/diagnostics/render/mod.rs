//! One renderer per output format.
use super::Report;

pub mod checkstyle;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod location;
pub mod markdown;
pub mod rdjson;
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
    /// GitLab Code Quality report (JSON) for merge-request widgets.
    Gitlab,
    /// reviewdog's Diagnostic Format (rdjson).
    Rdjson,
    /// Checkstyle XML (Jenkins warnings-ng and others).
    Checkstyle,
    /// Markdown summary for $GITHUB_STEP_SUMMARY and merge-request comments.
    Markdown,
}

impl Format {
    /// Machine formats never get progress bars or colour.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human)
    }

    /// Formats whose paths are relative to the repository root (CI systems map them onto the
    /// checkout), so nova asks git for it.
    pub fn uses_repo_paths(self) -> bool {
        !matches!(self, Format::Human | Format::Json | Format::Junit)
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
        Format::Gitlab => gitlab::render(report, opts),
        Format::Rdjson => rdjson::render(report, opts),
        Format::Checkstyle => checkstyle::render(report, opts),
        Format::Markdown => markdown::render(report, opts),
    }
}
