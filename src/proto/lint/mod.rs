//! `nova proto lint`.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use crate::rules::RuleInfo;
use std::path::PathBuf;

pub mod rules;

/// Arguments of `nova proto lint`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LintArgs {
    /// Roots to lint (default: the registry from nova.toml, else the current directory).
    pub paths: Vec<PathBuf>,
    /// Rule IDs or categories to use instead of the configured set (comma-separated or repeated).
    #[arg(long = "use", value_delimiter = ',')]
    pub use_: Vec<String>,
    /// Rule IDs or categories to leave out (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub except: Vec<String>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    rules::ALL.to_vec()
}

pub fn run(_ctx: &Ctx, _args: &LintArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova proto lint` is not implemented yet"))
}
