//! `nova proto breaking`.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use crate::rules::RuleInfo;
use std::path::PathBuf;

/// Arguments of `nova proto breaking`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BreakingArgs {
    /// The current tree (default: the registry from nova.toml, else the current directory).
    pub current: Option<PathBuf>,
    /// Baseline: a directory, a git ref of the current repository, or `registry`.
    #[arg(long)]
    pub against: String,
    /// Where the protos live inside a git baseline's tree.
    #[arg(long)]
    pub subdir: Option<String>,
    /// Rule IDs or categories to use instead of the configured set.
    #[arg(long = "use", value_delimiter = ',')]
    pub use_: Vec<String>,
    /// Rule IDs or categories to leave out.
    #[arg(long, value_delimiter = ',')]
    pub except: Vec<String>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}

pub fn run(_ctx: &Ctx, _args: &BreakingArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova proto breaking` is not implemented yet"))
}
