//! `nova migrations check`: replay SQL migrations into a schema model and check the soft-delete
//! and outbox invariants plus migration safety.
use crate::cli::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use crate::rules::RuleInfo;
use std::path::PathBuf;

pub mod config;
pub mod extract;
pub mod model;
pub mod parse;
pub mod replay;

/// Arguments of `nova migrations check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MigrationsArgs {
    /// Migration directories (default: `[migrations]` in nova.toml, else discovered).
    pub dirs: Vec<PathBuf>,
    /// Report only on migration files added or changed since this git ref.
    #[arg(long)]
    pub since: Option<String>,
    /// Also apply the migrations to a scratch database on this PostgreSQL server and compare.
    #[arg(long, value_name = "POSTGRES_URL")]
    pub verify_with: Option<String>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}

pub fn run(_ctx: &Ctx, _args: &MigrationsArgs) -> Result<Report, NovaError> {
    Err(NovaError::new("`nova migrations check` is not implemented yet"))
}
