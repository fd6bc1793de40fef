//! `nova check` (the combined pull-request gate) and `nova init`.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use std::path::PathBuf;

/// Arguments of `nova check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckAllArgs {
    /// Repository or backend root (default: the current directory).
    pub path: Option<PathBuf>,
    /// Limit findings to what changed since this git ref.
    #[arg(long)]
    pub changed_since: Option<String>,
    /// Run only these checkers (proto, migrations, wiring).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Skip these checkers.
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
}

/// Arguments of `nova init`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InitArgs {
    /// Repository to inspect (default: the current directory).
    pub path: Option<PathBuf>,
    /// Also write a CI workflow (`github`).
    #[arg(long)]
    pub ci: Option<String>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

pub fn run(_ctx: &Ctx, _args: &CheckAllArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova check` is not implemented yet"))
}

pub fn run_init(_ctx: &Ctx, _args: &InitArgs) -> Result<u8, NovaError> {
    Err(NovaError::new("`nova init` is not implemented yet"))
}
