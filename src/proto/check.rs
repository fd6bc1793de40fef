//! `nova proto check`: lint + breaking + semver + drift against the registry, one report.
use crate::cli::Ctx;
use crate::diagnostics::{Diagnostic, Report};
use crate::error::NovaError;
use crate::proto::breaking::baseline::{self, RegistryKind};
use crate::proto::breaking::{self, Revision};
use crate::proto::loader::ProtoSet;
use crate::proto::{drift, semver};

/// Arguments of `nova proto check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// The superproject's base ref (default `origin/main`, falling back to `main`).
    #[arg(long)]
    pub base: Option<String>,
    /// The tree `nova check` walked once for every checker (none when run standalone).
    #[arg(skip)]
    pub tree: Option<std::sync::Arc<crate::walk::Tree>>,
}

/// Lint the registry with `nova proto lint`'s configuration resolution (nova.toml, the registry's
/// own nova.toml, buf.yaml).
fn lint_registry(ctx: &Ctx, registry: &std::path::Path, prefix: &str, report: &mut Report) -> Result<(), NovaError> {
    let args = crate::proto::lint::LintArgs { paths: vec![registry.to_path_buf()], ..Default::default() };
    match crate::proto::lint::run(ctx, &args) {
        Ok(r) => {
            // Lint reports paths relative to the registry; the rest of this report is relative
            // to the superproject.
            let rebase = |f: &mut Option<crate::diagnostics::FileRef>| {
                if let Some(f) = f.as_mut()
                    && f.abs.is_some()
                {
                    f.path = format!("{prefix}{}", f.path);
                }
            };
            for mut d in r.diagnostics {
                rebase(&mut d.file);
                for l in &mut d.labels {
                    rebase(&mut l.file);
                }
                report.diagnostics.push(d);
            }
            report.sources.extend(r.sources);
            report.human_sections.extend(r.human_sections);
            for (k, v) in r.extras {
                report.extras.insert(k, v);
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<Report, NovaError> {
    let base = baseline::registry_baseline(ctx, args.base.as_deref())?;
    let registry = base.root.clone();
    // Paths are shown relative to the superproject (`nova-protos/protos/...`).
    let display_root = base
        .superproject
        .as_ref()
        .and_then(|p| p.canonicalize().ok())
        .filter(|p| registry.starts_with(p))
        .unwrap_or_else(|| ctx.config.dir.canonicalize().unwrap_or_else(|_| ctx.config.dir.clone()));
    let import_roots = breaking::import_roots(ctx, &registry);
    let cur = Revision::compile(ProtoSet::from_disk(&display_root, &import_roots)?, "current");
    let prefix = {
        let rel = crate::diagnostics::rel_path(&display_root, &registry);
        if rel == "." { String::new() } else { format!("{rel}/") }
    };

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

    lint_registry(ctx, &registry, &prefix, &mut report)?;

    let mut errors = breaking::compile_errors(&cur, false);
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
        report.human_sections.push(verdict.human);
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
    let d = drift::check(&display_root, &walk_root, &registry, &import_roots, &cur, &overrides, args.tree.as_deref());
    report.files_checked += d.files_checked;
    report.diagnostics.extend(d.diagnostics);
    report.human_sections.extend(d.human);
    report.extras.insert("drift".into(), serde_json::Value::Array(d.json));
    Ok(report)
}
