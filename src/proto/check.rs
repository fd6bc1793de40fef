//! `nova proto check`: lint + breaking + semver + drift against the registry, one report.
use crate::context::Ctx;
use crate::diagnostics::{Diagnostic, Report};
use crate::error::NovaError;
use crate::proto::breaking::baseline::{self, RegistryKind};
use crate::proto::breaking::{self, Revision};
use crate::proto::lint::Linted;
use crate::proto::loader::{self, ProtoSet};
use crate::proto::{drift, semver};
use std::path::{Path, PathBuf};

/// Arguments of `nova proto check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// The superproject's base ref (default: `[check] base` in nova.toml, else the default branch:
    /// what `origin/HEAD` points at, else main, master or trunk).
    #[arg(long)]
    pub base: Option<String>,
}

/// Prefix the path of a registry-relative file reference so it reads from the superproject.
fn rebase_ref(f: &mut Option<crate::diagnostics::FileRef>, prefix: &str) {
    if let Some(f) = f.as_mut()
        && f.abs.is_some()
    {
        f.path = format!("{prefix}{}", f.path);
    }
}

fn rebase_diagnostic(d: &mut Diagnostic, prefix: &str) {
    rebase_ref(&mut d.file, prefix);
    for l in &mut d.labels {
        rebase_ref(&mut l.file, prefix);
    }
}

/// Merge the registry's lint report (paths relative to the registry) into `report` (paths
/// relative to the superproject).
fn add_lint(lint: Report, prefix: &str, report: &mut Report) {
    for mut d in lint.diagnostics {
        rebase_diagnostic(&mut d, prefix);
        report.diagnostics.push(d);
    }
    report.sources.extend(lint.sources);
    report.human_sections.extend(lint.human_sections);
    for (k, v) in lint.extras {
        report.extras.insert(k, v);
    }
}

/// The current revision for breaking and drift: the compilation lint already made when lint
/// read exactly the files a walk of `import_roots` gives, else a compilation of its own.
fn current_revision(
    linted: Linted,
    import_roots: &[PathBuf],
    excludes: &crate::proto::layout::Layout,
    display_root: &Path,
    prefix: &str,
    tree: Option<&crate::walk::Tree>,
) -> Result<Revision, NovaError> {
    if !(linted.whole && linted.import_roots == import_roots) {
        loader::drop_in_background(linted);
        let mut set = ProtoSet::from_disk_in(display_root, import_roots, tree)?;
        excludes.apply_excludes(&mut set);
        return Ok(Revision::compile(set, "current"));
    }
    let Linted { mut set, mut compiled, .. } = linted;
    set.root = display_root.to_path_buf();
    for src in set.files.values_mut() {
        if src.file.abs.is_some() {
            src.file.path = format!("{prefix}{}", src.file.path);
        }
    }
    for d in set.unreadable.iter_mut().chain(compiled.errors.iter_mut()) {
        rebase_diagnostic(d, prefix);
    }
    // Rules read `files`; the pool is a second copy of every descriptor.
    loader::drop_in_background(std::mem::replace(&mut compiled.pool, prost_reflect::DescriptorPool::new()));
    Ok(Revision { set, compiled, label: "current".into() })
}

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<Report, NovaError> {
    let registry = baseline::registry_root(ctx)?;
    // Reading and compiling the baseline overlaps with linting the registry: both are long and
    // each has stretches on one core (linking, reading git objects).
    let (base, lint) = rayon::join(
        || baseline::registry_baseline(ctx, args.base.as_deref()),
        || crate::proto::lint::lint_dir_keep(ctx, &registry, ctx.tree.as_deref()),
    );
    let base = base?;
    let (lint, linted) = lint?;
    let registry = base.root.clone();
    // Paths are shown relative to the superproject (`nova-protos/protos/...`).
    let display_root = base
        .superproject
        .as_ref()
        .and_then(|p| p.canonicalize().ok())
        .filter(|p| registry.starts_with(p))
        .unwrap_or_else(|| ctx.config.dir.canonicalize().unwrap_or_else(|_| ctx.config.dir.clone()));
    let layout = crate::proto::layout::on_disk(ctx, &registry)?;
    let import_roots = layout.import_roots(&registry);
    let prefix = {
        let rel = crate::diagnostics::rel_path(&display_root, &registry);
        if rel == "." { String::new() } else { format!("{rel}/") }
    };
    // Excludes are relative to the registry; the set's paths are relative to the display root.
    let excludes = crate::proto::layout::Layout {
        roots: Vec::new(),
        excludes: layout.excludes.iter().map(|e| format!("{prefix}{e}")).collect(),
    };
    let cur = current_revision(linted, &import_roots, &excludes, &display_root, &prefix, ctx.tree.as_deref())?;

    let mut report = Report::new();
    report.root = Some(display_root.clone());
    report.files_checked = cur.set.files.len();
    report.extras.insert(
        "registry".into(),
        serde_json::json!({
            "path": prefix.trim_end_matches('/'),
            "kind": match base.kind { RegistryKind::Submodule(_) => "submodule", RegistryKind::Directory(_) => "directory" },
            "base": base.base,
            "baseline": base.revision.label,
        }),
    );

    add_lint(lint, &prefix, &mut report);

    let mut errors = breaking::compile_errors(&cur, false);
    if let Some(buf) = crate::proto::bufconfig::load(&registry)? {
        errors = crate::proto::deps::explain_unfetched(&buf, &display_root, errors);
    }
    errors.extend(breaking::compile_errors(&base.revision, true));
    if !errors.is_empty() {
        report.diagnostics.extend(errors);
        return Ok(report);
    }

    let opts = breaking::options(ctx, &registry, &[], &[])?;
    let found = breaking::compare(&base.revision, &cur, &opts);
    let breaking_only: Vec<Diagnostic> = found.iter().filter(|d| d.checker == "proto-breaking").cloned().collect();
    report.diagnostics.extend(found);

    let changes = semver::changes(&base.revision, &cur, &breaking_only);
    let verdict = semver::verdict(&changes, &base.version_files, &registry, &prefix);
    report.diagnostics.extend(verdict.diagnostics);
    if !verdict.human.is_empty() {
        report.human_sections.push(verdict.human.into());
    }
    report.extras.insert("semver".into(), verdict.json);

    let overrides = ctx.config.config.proto.breaking.severity.clone();
    // Copies are searched below the directory nova.toml configures (the backend), not the whole
    // superproject it may sit in; without a config file, below the display root.
    let walk_root = ctx
        .config
        .path
        .as_ref()
        .and_then(|_| ctx.config.dir.canonicalize().ok())
        .filter(|d| d.starts_with(&display_root))
        .unwrap_or_else(|| display_root.clone());
    let d = drift::check(&display_root, &walk_root, &registry, &import_roots, &cur, &overrides, ctx.tree.as_deref());
    report.files_checked += d.files_checked;
    report.diagnostics.extend(d.diagnostics);
    report.human_sections.extend(d.human);
    report.extras.insert("drift".into(), serde_json::Value::Array(d.json));
    Ok(report)
}
