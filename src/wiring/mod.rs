//! `nova wiring check`: correlation-ID, interceptor and circuit-breaker wiring, per service.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use crate::rules::RuleInfo;
use std::path::PathBuf;

pub mod config;

/// Arguments of `nova wiring check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WiringArgs {
    /// Roots to search for Cargo workspaces (default: the current directory).
    pub roots: Vec<PathBuf>,
    /// Apply the safe fixes.
    #[arg(long)]
    pub fix: bool,
    /// Show the fixes as a unified diff instead of applying them.
    #[arg(long)]
    pub diff: bool,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}

pub fn run(_ctx: &Ctx, _args: &WiringArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova wiring check` is not implemented yet"))
}
