//! Generators: `nova new`, `nova gen outbox`, `nova gen circuit-breaker`, `nova templates`.
//!
//! Every generator works the same way: validate the input, render every file in memory into a
//! [`plan::Plan`] (create / identical / conflict / update per file), print it, and only then write
//! it, all or nothing.
use crate::context::Ctx;
use crate::error::NovaError;
use crate::rules::RuleInfo;
use std::path::PathBuf;

pub mod breaker;
pub mod config;
pub mod names;
pub mod new;
pub mod outbox;
pub mod plan;
pub mod templates;
pub mod workspace;

/// Arguments of `nova new`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NewArgs {
    /// Service name (kebab-case), e.g. `order-service`.
    pub name: String,
    /// An actix-web HTTP API (correlation middleware, /health/live, /health/ready).
    #[arg(long)]
    pub http: bool,
    /// A tonic gRPC server (correlation interceptor) with its proto in the registry.
    #[arg(long)]
    pub grpc: bool,
    /// A Kafka producer that carries the correlation id (and, with --db, the outbox publisher).
    #[arg(long)]
    pub kafka: bool,
    /// PostgreSQL via sqlx: soft-delete and outbox compliant first migrations, outbox writer.
    #[arg(long)]
    pub db: bool,
    /// WebSocket service: implies --http; sticky sessions and longer drain in the manifests.
    #[arg(long)]
    pub websocket: bool,
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
    /// The workspace member (directory or package name).
    #[arg(long)]
    pub service: String,
    /// Aggregate type the write helper is typed for (PascalCase or kebab-case; default: the service's record).
    #[arg(long)]
    pub aggregate: Option<String>,
    #[command(flatten)]
    pub plan: PlanArgs,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct GenCircuitBreakerArgs {
    /// The workspace member (directory or package name).
    #[arg(long)]
    pub service: String,
    /// The dependency the breaker guards (kebab-case), e.g. `auth-service`.
    #[arg(long)]
    pub dependency: String,
    /// grpc, database, redis, kafka or http (default grpc).
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
    Eject {
        /// Template name as `nova templates list` prints it.
        name: String,
        /// Overwrite an existing project template.
        #[arg(long)]
        force: bool,
    },
}

/// The generators report plans, not findings: they have no rules.
pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}

/// The project's template override directory: `[scaffold] templates`, else `templates/` next to nova.toml.
pub fn override_dir(ctx: &Ctx, fallback_root: Option<&std::path::Path>) -> PathBuf {
    match &ctx.config.config.scaffold.templates {
        Some(p) => ctx.config.resolve(p),
        None => match (&ctx.config.path, fallback_root) {
            (None, Some(root)) => root.join("templates"),
            _ => ctx.config.dir.join("templates"),
        },
    }
}

/// Print a plan, then write it unless this is a dry run.
pub(crate) fn finish_plan(ctx: &Ctx, what: &str, mut plan: plan::Plan, args: &PlanArgs) -> Result<u8, NovaError> {
    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
    let machine = ctx.format.is_machine();
    let mut text = String::new();
    if !machine {
        text.push_str(&format!("{what}:\n"));
        text.push_str(&plan.render(args.diff));
    }
    let written = if args.dry_run {
        if !machine {
            text.push_str("dry run: nothing written\n");
        }
        0
    } else {
        if !machine {
            // The plan is shown before the error so the user sees which files are in conflict.
            print_text(&text);
            text.clear();
        }
        let n = plan.apply(args.force)?;
        if !machine {
            if n == 0 {
                text.push_str("nothing to write: every file is up to date\n");
            } else {
                text.push_str(&format!("wrote {n} file(s)\n"));
            }
        }
        n
    };
    if machine {
        let json = serde_json::json!({
            "command": what,
            "dry_run": args.dry_run,
            "written": written,
            "files": plan.entries,
            "next_steps": plan.next_steps,
        });
        text = format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default());
    } else if !plan.next_steps.is_empty() {
        text.push_str("next steps:\n");
        for s in &plan.next_steps {
            text.push_str(&format!("  - {s}\n"));
        }
    }
    print_text(&text);
    Ok(0)
}

fn print_text(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe is not an error worth failing a generator over.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

pub fn run_new(ctx: &Ctx, args: &NewArgs) -> Result<u8, NovaError> {
    let (plan, title) = new::plan_new(ctx, args)?;
    finish_plan(ctx, &title, plan, &args.plan)
}

pub fn run_gen(ctx: &Ctx, cmd: &GenCommand) -> Result<u8, NovaError> {
    match cmd {
        GenCommand::Outbox(a) => {
            let plan = outbox::plan_outbox(ctx, a)?;
            finish_plan(ctx, &format!("nova gen outbox --service {}", a.service), plan, &a.plan)
        }
        GenCommand::CircuitBreaker(a) => {
            let plan = breaker::plan_breaker(ctx, a)?;
            finish_plan(
                ctx,
                &format!("nova gen circuit-breaker --service {} --dependency {}", a.service, a.dependency),
                plan,
                &a.plan,
            )
        }
    }
}

pub fn run_templates(ctx: &Ctx, cmd: &TemplatesCommand) -> Result<u8, NovaError> {
    let root = workspace::Workspace::discover(&ctx.cwd).ok().map(|w| w.root);
    let dir = override_dir(ctx, root.as_deref());
    match cmd {
        TemplatesCommand::List => {
            let t = templates::Templates::load(Some(&dir))?;
            let mut text = String::new();
            if ctx.format.is_machine() {
                let list: Vec<serde_json::Value> = t
                    .sources()
                    .iter()
                    .map(|s| serde_json::json!({"name": s.name, "overridden": s.override_path.is_some(), "path": s.override_path}))
                    .collect();
                text = format!("{}\n", serde_json::to_string_pretty(&list).unwrap_or_default());
            } else {
                text.push_str(&format!("templates (overrides from {}):\n", dir.display()));
                for s in t.sources() {
                    let state = if s.override_path.is_some() { "overridden" } else { "default" };
                    text.push_str(&format!("  {:<10}  {}\n", state, s.name));
                }
                // A misspelt override name silently changes nothing: say so.
                let known = templates::embedded_names();
                for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
                    if !e.file_type().is_file() {
                        continue;
                    }
                    let rel = crate::diagnostics::rel_path(&dir, e.path());
                    if !known.contains(&rel) {
                        text.push_str(&format!("  {:<10}  {rel} (no such template; ignored)\n", "unknown"));
                    }
                }
            }
            print_text(&text);
            Ok(0)
        }
        TemplatesCommand::Eject { name, force } => {
            let Some(source) = templates::embedded(name) else {
                return Err(NovaError::new(format!("no template named `{name}`"))
                    .with_help("`nova templates list` shows every template name"));
            };
            let target = dir.join(name);
            // `name` is an embedded template's own name, so it cannot climb out of `dir`.
            if target.exists() && !force {
                return Err(NovaError::new(format!("{} already exists", target.display()))
                    .at(&target, None, None)
                    .with_help("nothing was written; pass --force to overwrite it with the default"));
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    NovaError::new(format!("cannot create {}: {e}", parent.display())).at(parent, None, None)
                })?;
            }
            crate::fsutil::write_atomic(&target, source.as_bytes())?;
            print_text(&format!("ejected {name} to {}\n", target.display()));
            Ok(0)
        }
    }
}
