//! `nova proto check`: lint + breaking + semver + drift against the registry, one report.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;

/// Arguments of `nova proto check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// The superproject's base ref (default `origin/main`, falling back to `main`).
    #[arg(long)]
    pub base: Option<String>,
}

pub fn run(_ctx: &Ctx, _args: &CheckArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova proto check` is not implemented yet"))
}
