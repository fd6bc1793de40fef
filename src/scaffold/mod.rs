//! Generators: `nova new`, `nova gen outbox`, `nova gen circuit-breaker`, `nova templates`.
use crate::cli::Ctx;
use crate::error::NovaError;
use crate::rules::RuleInfo;

pub mod config;

/// Arguments of `nova new`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NewArgs {
    /// Service name (kebab-case).
    pub name: String,
    #[arg(long)]
    pub http: bool,
    #[arg(long)]
    pub grpc: bool,
    #[arg(long)]
    pub kafka: bool,
    #[arg(long)]
    pub db: bool,
    #[command(flatten)]
    pub plan: PlanArgs,
}

/// Flags every generator shares.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PlanArgs {
    /// Print the plan (create / identical / conflict per file) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Show unified diffs of conflicting files.
    #[arg(long)]
    pub diff: bool,
    /// Overwrite conflicting files.
    #[arg(long)]
    pub force: bool,
}

/// `nova gen ...`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum GenCommand {
    /// The outbox_events migration, a publisher module and a transactional write helper.
    Outbox(GenOutboxArgs),
    /// A circuit-breaker config section and a client wrapper for one dependency.
    CircuitBreaker(GenCircuitBreakerArgs),
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct GenOutboxArgs {
    #[arg(long)]
    pub service: String,
    #[arg(long)]
    pub aggregate: Option<String>,
    #[command(flatten)]
    pub plan: PlanArgs,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct GenCircuitBreakerArgs {
    #[arg(long)]
    pub service: String,
    #[arg(long)]
    pub dependency: String,
    /// grpc, database, redis, kafka or http.
    #[arg(long)]
    pub preset: Option<String>,
    #[command(flatten)]
    pub plan: PlanArgs,
}

/// `nova templates ...`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum TemplatesCommand {
    /// List the templates and which ones the project overrides.
    List,
    /// Copy a default template into the project's `templates/` to customise it.
    Eject { name: String },
}

pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}

pub fn run_new(_ctx: &Ctx, _args: &NewArgs) -> Result<u8, NovaError> {
    Err(NovaError::new("`nova new` is not implemented yet"))
}

pub fn run_gen(_ctx: &Ctx, _cmd: &GenCommand) -> Result<u8, NovaError> {
    Err(NovaError::new("`nova gen` is not implemented yet"))
}

pub fn run_templates(_ctx: &Ctx, _cmd: &TemplatesCommand) -> Result<u8, NovaError> {
    Err(NovaError::new("`nova templates` is not implemented yet"))
}
