//! `nova check` (the combined pull-request gate) and `nova init`.
//!
//! `nova check` decides which checkers apply (`plan`), runs them against one root (`run_with`),
//! merges their reports under that root (`merge`) and, for a PR gate, keeps only the findings a
//! change touched (`changed`). Each step is a plain function so the logic is testable with fake
//! checkers while the real ones live in their own modules.
use crate::config::LoadedConfig;
use crate::context::Ctx;
use crate::diagnostics::Report;
use crate::error::NovaError;
use crate::walk::Tree;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod baseline;
pub mod changed;
pub mod ci;
pub mod init;
pub mod inventory;
pub mod merge;

pub use init::{InitArgs, run_init};

/// Arguments of `nova check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckAllArgs {
    /// Repository or backend root (default: the current directory).
    pub path: Option<PathBuf>,
    /// Limit findings to what changed since this git ref (files, migrations, service crates),
    /// still judged against the whole tree. Also the proto registry's breaking baseline.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Run only these checkers (proto, migrations, wiring, k8s).
    #[arg(long, value_delimiter = ',', value_name = "CHECKERS")]
    pub only: Vec<String>,
    /// Skip these checkers.
    #[arg(long, value_delimiter = ',', value_name = "CHECKERS")]
    pub skip: Vec<String>,
    /// Hide the findings this baseline file accepts (default: `[check] baseline` in nova.toml).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE (default: `[check] baseline`, else
    /// nova-baseline.json) and hide them: the gate then fails only on new findings.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub write_baseline: Option<Option<PathBuf>>,
}

/// The checkers `nova check` combines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Checker {
    Proto,
    Migrations,
    Wiring,
    K8s,
}

impl Checker {
    pub const ALL: [Checker; 4] = [Checker::Proto, Checker::Migrations, Checker::Wiring, Checker::K8s];

    pub fn name(self) -> &'static str {
        match self {
            Checker::Proto => "proto",
            Checker::Migrations => "migrations",
            Checker::Wiring => "wiring",
            Checker::K8s => "k8s",
        }
    }

    /// The nova.toml section that turns this checker on.
    pub fn section(self) -> &'static str {
        self.name()
    }

    pub fn parse(name: &str) -> Option<Checker> {
        let n = name.trim().to_ascii_lowercase();
        Checker::ALL.into_iter().find(|c| c.name() == n)
    }
}

/// Which checkers run and why the others do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub run: Vec<Checker>,
    /// Checkers left out, with the reason (shown in the human summary and the JSON `checks`).
    pub not_run: Vec<(Checker, String)>,
}

fn parse_names(names: &[String], flag: &str) -> Result<Vec<Checker>, NovaError> {
    let mut out = Vec::new();
    for raw in names.iter().flat_map(|n| n.split(',')) {
        if raw.trim().is_empty() {
            continue;
        }
        match Checker::parse(raw) {
            Some(c) if !out.contains(&c) => out.push(c),
            Some(_) => {}
            None => {
                return Err(NovaError::new(format!("unknown checker `{}` in {flag}", raw.trim()))
                    .with_help("checkers are: proto, migrations, wiring, k8s"));
            }
        }
    }
    Ok(out)
}

/// Decide which checkers run. `--only`/`--skip` from the command line win over `[check]` in
/// nova.toml. Without `--only`, a nova.toml that has any checker section runs exactly those;
/// otherwise every checker whose input `inv` found runs.
pub fn plan(
    loaded: &LoadedConfig,
    inv: &inventory::Inventory,
    only: &[String],
    skip: &[String],
) -> Result<Plan, NovaError> {
    let cfg = &loaded.config.check;
    let (only, skip) = if only.is_empty() && skip.is_empty() {
        (parse_names(&cfg.only, "[check] only")?, parse_names(&cfg.skip, "[check] skip")?)
    } else {
        (parse_names(only, "--only")?, parse_names(skip, "--skip")?)
    };
    let configured: Vec<Checker> = Checker::ALL.into_iter().filter(|c| loaded.has_section(c.section())).collect();
    let mut run = Vec::new();
    let mut not_run = Vec::new();
    for c in Checker::ALL {
        let reason = if skip.contains(&c) {
            Some("skipped".to_string())
        } else if !only.is_empty() {
            (!only.contains(&c)).then(|| "not selected by --only".to_string())
        } else if !configured.is_empty() {
            (!configured.contains(&c)).then(|| format!("no [{}] section in nova.toml", c.section()))
        } else {
            inv.why_not(c)
        };
        match reason {
            None => run.push(c),
            Some(r) => not_run.push((c, r)),
        }
    }
    Ok(Plan { run, not_run })
}

/// A checker as `nova check` calls it: the context of the checked root (with the walk of it
/// shared by all checkers, `Ctx::tree`) in, a report out.
pub type Runner<'a> = dyn Fn(Checker, &Ctx) -> Result<Report, NovaError> + Sync + 'a;

/// The real checkers, with the arguments `nova check` gives them.
pub fn real_runner(changed_since: Option<String>) -> impl Fn(Checker, &Ctx) -> Result<Report, NovaError> + Sync {
    move |checker, ctx| match checker {
        Checker::Proto => {
            crate::proto::check::run(ctx, &crate::proto::check::CheckArgs { base: changed_since.clone() })
        }
        Checker::Migrations => {
            crate::sql::run(ctx, &crate::sql::MigrationsArgs { since: changed_since.clone(), ..Default::default() })
        }
        Checker::Wiring => crate::wiring::run(ctx, &crate::wiring::WiringArgs::default()),
        Checker::K8s => crate::k8s::run(ctx, &crate::k8s::K8sArgs::default()),
    }
}

/// The configuration for `root`: an explicit `--config` stays; otherwise the nova.toml found
/// from `root` upwards (not from the working directory, which may be elsewhere).
fn config_for(ctx: &Ctx, root: &Path) -> Result<LoadedConfig, NovaError> {
    if let Some(p) = &ctx.config.path {
        let discovered = crate::config::discover(&ctx.cwd);
        if discovered.as_deref() != Some(p.as_path()) {
            return Ok(ctx.config.clone());
        }
    }
    crate::config::load(root, None)
}

fn resolve_root(ctx: &Ctx, path: Option<&Path>) -> Result<PathBuf, NovaError> {
    let root = match path {
        Some(p) if p.is_absolute() => p.to_path_buf(),
        Some(p) => ctx.cwd.join(p),
        None => ctx.cwd.clone(),
    };
    if !root.is_dir() {
        return Err(NovaError::new(format!("{} is not a directory", root.display())).at(&root, None, None));
    }
    Ok(root.canonicalize().unwrap_or(root))
}

pub fn run(ctx: &Ctx, args: &CheckAllArgs) -> Result<Report, NovaError> {
    let runner = real_runner(args.changed_since.clone());
    run_with(ctx, args, &runner)
}

/// `nova check` with the checkers supplied by the caller (tests pass fakes).
pub fn run_with(ctx: &Ctx, args: &CheckAllArgs, runner: &Runner<'_>) -> Result<Report, NovaError> {
    let root = resolve_root(ctx, args.path.as_deref())?;
    let config = config_for(ctx, &root)?;
    // One walk of the tree serves the plan and every checker that can use it.
    let tree = Arc::new(Tree::scan(&root));
    let inv = inventory::from_tree(&root, &tree);
    let plan = plan(&config, &inv, &args.only, &args.skip)?;
    if plan.run.is_empty() {
        let why: Vec<String> = plan.not_run.iter().map(|(c, r)| format!("{}: {r}", c.name())).collect();
        return Err(NovaError::new(format!("nothing to check in {} ({})", root.display(), why.join("; ")))
            .with_help("`nova init` writes a nova.toml for this repository; `--only` forces a checker"));
    }
    // One repository handle for the checked root, shared by the change filter and every checker.
    let git = ctx.git.for_path(&root);
    // Resolve the ref before running anything: a bad ref is a usage error, not a finding.
    let changed = match &args.changed_since {
        Some(r) => Some(changed::ChangeSet::since(&git, r)?),
        None => None,
    };
    let registry =
        config.resolve(config.config.proto.registry.as_deref().unwrap_or(Path::new(inventory::DEFAULT_REGISTRY)));
    // Where the baseline is read from or written to; a bad file stops the run before any checker.
    let configured_baseline = config.config.check.baseline.as_deref().map(|p| config.resolve(p));
    let write_baseline = args.write_baseline.as_ref().map(|file| match file {
        Some(f) => ctx.cwd.join(f),
        None => configured_baseline.clone().unwrap_or_else(|| ctx.cwd.join(baseline::DEFAULT_FILE)),
    });
    let read_baseline = match (&write_baseline, &args.baseline) {
        (Some(_), _) => None,
        (None, Some(f)) => Some(baseline::load(&ctx.cwd.join(f))?),
        (None, None) => configured_baseline.as_deref().map(baseline::load).transpose()?,
    };
    let repo_root = git.workdir();
    let sub = Ctx {
        cwd: root.clone(),
        config,
        format: ctx.format,
        render: ctx.render.clone(),
        git,
        nested: true,
        tree: Some(tree.clone()),
    };
    let pb = ctx.progress(plan.run.len() as u64, "nova check");
    // The bar names the checkers still running ("nova check: proto, migrations").
    let running = std::sync::Mutex::new(plan.run.iter().map(|c| c.name()).collect::<Vec<_>>());
    let show_running = |done: Option<Checker>| {
        let mut r = running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = done {
            r.retain(|n| *n != c.name());
        }
        pb.set_message(format!("nova check: {}", r.join(", ")));
    };
    show_running(None);
    // Each checker runs on a thread of its own; their parallel parts share rayon's pool. Running
    // the checkers as rayon jobs instead let a worker waiting inside one checker's `join` pick up a
    // whole other checker and hold the first one's critical path until it finished.
    let results: Vec<(Checker, Result<Report, NovaError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = plan
            .run
            .iter()
            .map(|&c| {
                let (sub, pb, show_running) = (&sub, &pb, &show_running);
                let h = std::thread::Builder::new().name(format!("nova-{}", c.name())).spawn_scoped(scope, move || {
                    let r = runner(c, sub);
                    show_running(Some(c));
                    pb.inc(1);
                    r
                });
                (c, h)
            })
            .collect();
        handles
            .into_iter()
            .map(|(c, h)| {
                let r = match h {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    Err(e) => Err(NovaError::new(format!("cannot start the {} checker: {e}", c.name()))),
                };
                (c, r)
            })
            .collect()
    });
    pb.finish_and_clear();
    let mut parts = merge::collect(&root, std::slice::from_ref(&registry), results);
    // The baseline is judged on every finding of the tree, before the change filter: an entry
    // about a file the change did not touch still matches its finding.
    let paths = crate::diagnostics::render::location::RepoPaths::new(repo_root.as_deref());
    let baseline = match write_baseline {
        Some(path) => Some(baseline::write(path, &parts, &paths)?),
        None => read_baseline,
    };
    let hidden = baseline.as_ref().map(|b| {
        // A change gate's checkers report only what the change may have caused (`nova migrations
        // check --since` reads changed files only), so only entries about changed files are judged.
        let judged = |file: &Path| changed.as_ref().is_none_or(|c| c.touches(&merge::canonical(file)));
        baseline::apply(&root, &mut parts, b, &paths, repo_root.as_deref().unwrap_or(&root), &judged)
    });
    if let Some(changed) = &changed {
        let registry = plan.run.contains(&Checker::Proto).then_some(registry.as_path());
        changed.filter(&root, registry, &mut parts);
    }
    let unused = baseline::count_unused(&parts);
    let mut report = merge::into_report(&root, parts, &plan.not_run);
    if let (Some(b), Some(hidden)) = (&baseline, hidden) {
        baseline::attach(&mut report, b, &root, hidden, unused);
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
