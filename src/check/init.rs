//! `nova init`: inspect a repository and write a `nova.toml` that matches it (and, with
//! `--ci github`, a pull-request workflow). Planned in memory first, never over an existing file
//! without `--force`, each file written atomically.
use super::inventory::{self, Inventory};
use crate::context::Ctx;
use crate::error::NovaError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// CI systems `nova init --ci` writes a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiKind {
    /// GitHub Actions: `.github/workflows/nova.yml`, using nova's action.
    Github,
    /// GitLab CI: `.gitlab-ci.yml` with a job that publishes the Code Quality report.
    Gitlab,
}

/// Arguments of `nova init`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InitArgs {
    /// Repository to inspect (default: the current directory).
    pub path: Option<PathBuf>,
    /// Also write a CI workflow.
    #[arg(long, value_enum)]
    pub ci: Option<CiKind>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
    /// Print what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also accept every current finding: write `[check] baseline` and nova-baseline.json (as
    /// `nova check --write-baseline` does), so `nova check` fails only on new findings.
    #[arg(long)]
    pub baseline: bool,
    /// nova's git repository on GitHub, whose action and releases the CI file uses (default: the
    /// repository nova was built from, when it says so).
    #[arg(long, value_name = "URL")]
    pub nova_git: Option<String>,
}

/// What `nova init` would do to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Identical,
    /// The file exists with other contents.
    Conflict,
}

#[derive(Debug, Clone)]
pub struct Planned {
    /// Relative to the repository root.
    pub rel: String,
    pub path: PathBuf,
    pub contents: String,
    pub action: Action,
}

/// Plan the files for `root`.
pub fn plan(root: &Path, ci: Option<CiKind>, nova_git: Option<&str>) -> Result<Vec<Planned>, NovaError> {
    plan_for(&inventory::scan(root), ci, nova_git, false)
}

/// Plan the files for the repository `inv` describes.
pub fn plan_for(
    inv: &Inventory,
    ci: Option<CiKind>,
    nova_git: Option<&str>,
    baseline: bool,
) -> Result<Vec<Planned>, NovaError> {
    let root = inv.root.as_path();
    let mut config = render_config(inv);
    // The registry is judged against the repository's default branch: write down which one was
    // found, so a `master` or `develop` repository reads it from the file, not from a guess.
    let repo = crate::gitutil::discover(root).ok();
    let default_branch = repo.as_ref().and_then(crate::gitutil::default_branch);
    let base = (config.contains("\n[proto]\n") && repo.is_some()).then_some(default_branch.as_deref());
    config.push_str(&render_check(base, baseline));
    let mut files = vec![("nova.toml".to_string(), config)];
    let branch = default_branch.as_deref().map(|b| b.strip_prefix("origin/").unwrap_or(b)).unwrap_or("main");
    match ci {
        Some(CiKind::Github) => files.push((
            ".github/workflows/nova.yml".to_string(),
            super::ci::render_github_workflow(root, nova_git, branch),
        )),
        Some(CiKind::Gitlab) => files.push((".gitlab-ci.yml".to_string(), super::ci::render_gitlab_ci(nova_git))),
        None => {}
    }
    files
        .into_iter()
        .map(|(rel, contents)| {
            let path = root.join(&rel);
            let action = match std::fs::read(&path) {
                Ok(existing) if existing == contents.as_bytes() => Action::Identical,
                Ok(_) => Action::Conflict,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Create,
                Err(e) => return Err(NovaError::io(&path, &e)),
            };
            Ok(Planned { rel, path, contents, action })
        })
        .collect()
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(items: &[&str]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// The `[check]` section: the base branch `nova init` found when a registry needs one (`base`
/// is `Some`; commented out when no branch was found), and the baseline file with `--baseline`.
fn render_check(base: Option<Option<&str>>, baseline: bool) -> String {
    let mut out = String::new();
    if base.is_none() && !baseline {
        return out;
    }
    out.push('\n');
    if base == Some(None) {
        let _ = writeln!(out, "# No default branch found (origin/HEAD, main, master, trunk); name the base branch:");
        if !baseline {
            let _ = writeln!(out, "# [check]");
        }
        let _ = writeln!(out, "# base = \"origin/develop\"");
    }
    if baseline || matches!(base, Some(Some(_))) {
        let _ = writeln!(out, "[check]");
    }
    if let Some(Some(b)) = base {
        let _ = writeln!(out, "# The branch the registry is compared with when no --base / --changed-since is given");
        let _ = writeln!(out, "# (found: the repository's default branch).");
        let _ = writeln!(out, "base = {}", toml_str(b));
    }
    if baseline {
        let _ = writeln!(out, "# Findings accepted when nova was adopted; `nova check` fails only on new ones and");
        let _ = writeln!(out, "# reports entries that no longer match (rewrite with `nova check --write-baseline`).");
        let _ = writeln!(out, "baseline = {}", toml_str(super::baseline::DEFAULT_FILE));
    }
    out
}

/// A commented nova.toml for what `inv` found. Only keys the config structs accept.
pub fn render_config(inv: &Inventory) -> String {
    let mut out = String::new();
    out.push_str(
        "# nova configuration, written by `nova init`. `nova check` runs every checker that has a\n\
         # section here; `nova rules` lists the rules, `nova explain RULE` documents one.\n",
    );

    // proto
    let proto = find_proto_layout(inv);
    out.push('\n');
    match &proto {
        Some(layout) => {
            let reg = layout.registry.as_str();
            let _ = writeln!(out, "[proto]");
            let _ = writeln!(out, "# The central proto registry; `nova proto check` lints it, checks breaking changes");
            let _ =
                writeln!(out, "# against the base ref, the CHANGELOG version bump and drift of service-local copies.");
            let _ = writeln!(out, "registry = {}", toml_str(reg));
            if !layout.roots.is_empty() {
                let roots: Vec<&str> = layout.roots.iter().map(String::as_str).collect();
                let _ = writeln!(out, "# Import roots inside the registry (the module layout of {}).", layout.source);
                let _ = writeln!(out, "roots = {}", toml_list(&roots));
            }
            let inside = |d: &str| {
                let full: Vec<String> = if layout.roots.is_empty() {
                    vec![reg.to_string()]
                } else {
                    layout.roots.iter().map(|r| join_rel(reg, r)).collect()
                };
                full.iter().any(|p| under(d, p))
            };
            let local: Vec<&str> = inv.proto_dirs.iter().map(String::as_str).filter(|d| !inside(d)).collect();
            if !local.is_empty() {
                let _ = writeln!(out, "# .proto files outside the registry (drift candidates): {}", local.join(", "));
            }
            if let Some((from, lint)) = registry_lint(&inv.root, reg) {
                let _ = writeln!(out, "# Copied from {from}: nova reads one nova.toml per run, so the registry's");
                let _ = writeln!(out, "# own lint and breaking settings must be repeated here to apply from here.");
                out.push('\n');
                out.push_str(&lint);
            } else if let Some(buf) = &layout.buf_yaml {
                let _ = writeln!(out, "# Lint and breaking rules come from {buf}; a [proto.lint] or [proto.breaking]");
                let _ = writeln!(out, "# section here would take precedence.");
            } else {
                let _ = writeln!(out, "\n[proto.lint]");
                let _ =
                    writeln!(out, "# buf's STANDARD rules (the default). Per-rule levels go in [proto.lint.severity],");
                let _ =
                    writeln!(out, "# e.g. NOVA_FIELD_NUMBER_RANGE = \"error\" turns on nova's field-number ranges.");
                let _ = writeln!(out, "use = [\"STANDARD\"]");
            }
        }
        None => {
            let _ = writeln!(out, "# No proto registry found (nova-protos/, protos/ at the root, or a buf.yaml).");
            if !inv.proto_dirs.is_empty() {
                let dirs: Vec<&str> = inv.proto_dirs.iter().map(String::as_str).collect();
                let _ = writeln!(out, "# .proto files found in: {}", dirs.join(", "));
            }
            let _ = writeln!(out, "# [proto]");
            let _ = writeln!(out, "# registry = \"path/to/nova-protos\"");
        }
    }

    // migrations
    out.push('\n');
    if inv.migration_dirs.is_empty() {
        let _ = writeln!(out, "# No sqlx migrations directory found.");
        let _ = writeln!(out, "# [migrations]");
        let _ = writeln!(out, "# dirs = [\"migrations\"]");
    } else {
        let dirs: Vec<&str> = inv.migration_dirs.iter().map(String::as_str).collect();
        let _ = writeln!(out, "[migrations]");
        if inv.migrations_from_code {
            let _ = writeln!(out, "# The directories sqlx runs, found in the code (sqlx::migrate!, Migrator::new, the");
            let _ =
                writeln!(out, "# migrations/ of a crate that depends on sqlx); each is replayed as its own database.");
        } else {
            let _ =
                writeln!(out, "# Directories of <integer>_<name>.sql files (no code names a migrations directory);");
            let _ = writeln!(out, "# each is replayed as its own database.");
        }
        let _ = writeln!(out, "dirs = {}", toml_list(&dirs));
        out.push_str(&render_not_migrations(inv));
    }

    // wiring
    out.push('\n');
    if inv.workspaces.is_empty() && inv.packages.is_empty() {
        let _ = writeln!(out, "# No Cargo workspace found.");
        let _ = writeln!(out, "# [wiring]");
    } else {
        let _ = writeln!(out, "[wiring]");
        let _ =
            writeln!(out, "# Correlation-ID, interceptor and circuit-breaker wiring of every service binary in the");
        let mut where_ = Vec::new();
        if !inv.workspaces.is_empty() {
            let ws: Vec<&str> = inv.workspaces.iter().map(String::as_str).collect();
            where_.push(format!("workspaces: {}", ws.join(", ")));
        }
        where_.push(format!("{} package(s)", inv.packages.len()));
        let _ = writeln!(out, "# Cargo workspaces found here ({}).", where_.join("; "));
    }

    // k8s
    out.push('\n');
    if inv.k8s_dirs.is_empty() {
        let _ = writeln!(out, "# No Kubernetes manifests found.");
        let _ = writeln!(out, "# [k8s]");
        let _ = writeln!(out, "# paths = [\"k8s\"]");
    } else {
        let dirs: Vec<&str> = inv.k8s_dirs.iter().map(String::as_str).collect();
        let _ = writeln!(out, "[k8s]");
        let _ = writeln!(out, "# Kubernetes manifests (WebSocket affinity, graceful shutdown, probes, cross-checks");
        let _ = writeln!(out, "# with the services' code), found in: {}", dirs.join(", "));
        let _ = writeln!(out, "# websocket_services = []  # besides those found from the code");
        let _ = writeln!(out, "# drain_seconds = 30");
    }
    out
}

/// The `.sql` directories discovery left out: `skip` (with the reason on each line) and
/// `[migrations.dialect]` for other dialects, as docs/migrations.md documents them. With `dirs`
/// written they change nothing today; they say why each directory is not in `dirs` and keep it out
/// if `dirs` is later removed.
fn render_not_migrations(inv: &Inventory) -> String {
    use crate::sql::discover::NotMigrations;
    let mut out = String::new();
    let skip: Vec<&(String, NotMigrations)> =
        inv.other_sql_dirs.iter().filter(|(_, why)| !matches!(why, NotMigrations::Dialect { .. })).collect();
    if !skip.is_empty() {
        let _ = writeln!(out, "# Directories with .sql files that are not migrations sqlx runs here: never checked.");
        let _ = writeln!(out, "skip = [");
        for (dir, why) in skip {
            let _ = writeln!(out, "    {}, # {}", toml_str(dir), one_line(&why.describe()));
        }
        let _ = writeln!(out, "]");
    }
    let dialects: Vec<(&String, &'static str, String)> = inv
        .other_sql_dirs
        .iter()
        .filter_map(|(dir, why)| match why {
            NotMigrations::Dialect { dialect, .. } => Some((dir, *dialect, why.describe())),
            _ => None,
        })
        .collect();
    if !dialects.is_empty() {
        let _ = writeln!(out, "\n# Other SQL dialects: only PostgreSQL directories are checked.");
        let _ = writeln!(out, "[migrations.dialect]");
        for (dir, dialect, why) in dialects {
            let _ = writeln!(out, "# {}", one_line(&why));
            let _ = writeln!(out, "{} = {}", toml_str(dir), toml_str(dialect));
        }
    }
    out
}

/// Text fit for the rest of a TOML comment line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Run `nova check --write-baseline` with the nova.toml just written; the line to print.
fn write_baseline(ctx: &Ctx, root: &Path, verb: &str) -> Result<String, NovaError> {
    let config = crate::config::load(root, None)?;
    let sub = Ctx {
        cwd: root.to_path_buf(),
        config,
        format: ctx.format,
        render: ctx.render.clone(),
        git: ctx.git.for_path(root),
        nested: true,
        tree: None,
    };
    let args = super::CheckAllArgs { write_baseline: Some(None), ..Default::default() };
    let report = match super::run(&sub, &args) {
        Ok(r) => r,
        Err(e) => return Ok(format!("note: {} not written: {}", super::baseline::DEFAULT_FILE, e.message)),
    };
    let hidden = report.baseline.as_ref().map_or(0, |b| b.hidden.len());
    let mut line = format!(
        "{verb} {} ({hidden} finding{} accepted: `nova check` now fails only on new ones)",
        super::baseline::DEFAULT_FILE,
        if hidden == 1 { "" } else { "s" }
    );
    let inputs = report.diagnostics.iter().filter(|d| d.kind == crate::diagnostics::Kind::InputError).count();
    if inputs > 0 {
        line.push_str(&format!(
            "\nnote: {inputs} input error(s) are never accepted: `nova check` shows them; fix them, then rerun `nova check --write-baseline`"
        ));
    }
    Ok(line)
}

/// What `nova init` says about the directories it left out of `[migrations] dirs`.
pub fn notes(inv: &Inventory) -> Vec<String> {
    inv.other_sql_dirs
        .iter()
        .map(|(dir, why)| format!("note: {dir} is not in [migrations] dirs: {}", one_line(&why.describe())))
        .collect()
}

/// Where the protos nova should treat as the registry live.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ProtoLayout {
    /// Relative to the repository root (`.` for the root itself).
    registry: String,
    /// Import roots relative to the registry (empty: the default).
    roots: Vec<String>,
    /// Where the roots came from (for the comment).
    source: String,
    /// The buf.yaml whose lint/breaking settings nova honours, if any.
    buf_yaml: Option<String>,
}

fn under(path: &str, prefix: &str) -> bool {
    prefix == "." || path == prefix || path.starts_with(&format!("{prefix}/"))
}

fn join_rel(a: &str, b: &str) -> String {
    match (a, b) {
        (".", b) => b.to_string(),
        (a, ".") => a.to_string(),
        (a, b) => format!("{a}/{b}"),
    }
}

/// The `[proto.lint]` and `[proto.breaking]` tables of a registry's own nova.toml, serialised for
/// this file, when it has any. Only a file nova itself loads is copied, so the copy is valid too.
fn registry_lint(root: &Path, reg: &str) -> Option<(String, String)> {
    if reg == "." {
        return None;
    }
    let rel = join_rel(reg, crate::config::FILE_NAME);
    let path = root.join(&rel);
    let loaded = crate::config::load_file(&path).ok()?;
    if !loaded.has_section("proto.lint") && !loaded.has_section("proto.breaking") {
        return None;
    }
    let table: toml::Table = std::fs::read_to_string(&path).ok()?.parse().ok()?;
    let theirs = table.get("proto")?.as_table()?;
    let mut proto = toml::Table::new();
    for key in ["lint", "breaking"] {
        if let Some(t) = theirs.get(key) {
            proto.insert(key.into(), t.clone());
        }
    }
    let mut wrapper = toml::Table::new();
    wrapper.insert("proto".into(), toml::Value::Table(proto));
    Some((rel, toml::to_string(&wrapper).ok()?))
}

/// Module roots declared by a buf.yaml: v2 `modules[].path`, v1beta1 `build.roots`. `None` when the
/// file cannot be read (nova's proto checker reports that itself).
fn buf_roots(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
    let strings = |v: &serde_yaml_ng::Value| -> Vec<String> {
        v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    let mut roots: Vec<String> = match y.get("version").and_then(|v| v.as_str()) {
        Some("v2") => y
            .get("modules")
            .and_then(|m| m.as_sequence())
            .map(|mods| {
                mods.iter().filter_map(|m| m.get("path").and_then(|p| p.as_str()).map(str::to_string)).collect()
            })
            .unwrap_or_default(),
        Some("v1beta1") => y.get("build").and_then(|b| b.get("roots")).map(strings).unwrap_or_default(),
        _ => Vec::new(),
    };
    for r in &mut roots {
        *r = r.trim_start_matches("./").trim_end_matches('/').to_string();
    }
    roots.retain(|r| !r.is_empty() && r != ".");
    Some(roots)
}

/// The registry: `nova-protos/`, else the root when it has `protos/`, else the shallowest
/// directory with a `buf.yaml` (a buf module or workspace).
fn find_proto_layout(inv: &Inventory) -> Option<ProtoLayout> {
    let buf_in = |dir: &str| inv.buf_dirs.contains(dir).then(|| join_rel(dir, "buf.yaml"));
    if let Some(reg) = &inv.registry {
        let buf_yaml = buf_in(reg).or_else(|| buf_in("."));
        return Some(ProtoLayout { registry: reg.clone(), roots: Vec::new(), source: String::new(), buf_yaml });
    }
    if inv.proto_dirs.iter().any(|d| under(d, "protos")) {
        return Some(ProtoLayout {
            registry: ".".into(),
            roots: Vec::new(),
            source: String::new(),
            buf_yaml: buf_in("."),
        });
    }
    let dir = inv
        .buf_dirs
        .iter()
        .min_by_key(|d| (if d.as_str() == "." { 0 } else { d.matches('/').count() + 1 }, (*d).clone()))?;
    let buf_yaml = join_rel(dir, "buf.yaml");
    let roots = buf_roots(&inv.root.join(&buf_yaml)).unwrap_or_default();
    Some(ProtoLayout { registry: dir.clone(), roots, source: buf_yaml.clone(), buf_yaml: Some(buf_yaml) })
}

pub fn run_init(ctx: &Ctx, args: &InitArgs) -> Result<u8, NovaError> {
    let root = match &args.path {
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => ctx.cwd.join(p),
        None => ctx.cwd.clone(),
    };
    if !root.is_dir() {
        return Err(NovaError::new(format!("{} is not a directory", root.display())).at(&root, None, None));
    }
    let inv = inventory::scan(&root);
    let planned = plan_for(&inv, args.ci, args.nova_git.as_deref(), args.baseline)?;
    let conflicts: Vec<&Planned> = planned.iter().filter(|p| p.action == Action::Conflict).collect();
    // The baseline's contents are known only once the check ran; an existing one is a conflict.
    let baseline_path = root.join(super::baseline::DEFAULT_FILE);
    let baseline_exists = args.baseline && baseline_path.exists();
    if (!conflicts.is_empty() || baseline_exists) && !args.force && !args.dry_run {
        let mut names: Vec<&str> = conflicts.iter().map(|p| p.rel.as_str()).collect();
        if baseline_exists {
            names.push(super::baseline::DEFAULT_FILE);
        }
        let first = conflicts.first().map(|p| p.path.clone()).unwrap_or_else(|| baseline_path.clone());
        return Err(NovaError::new(format!(
            "{} already exist(s) with other contents; nothing was written",
            names.join(", ")
        ))
        .at(&first, None, None)
        .with_help("rerun with --force to overwrite, or --dry-run to see what nova init would write"));
    }
    let mut out = String::new();
    for p in &planned {
        let verb = match (p.action, args.dry_run) {
            (Action::Identical, _) => "unchanged",
            (Action::Create, true) => "would create",
            (Action::Conflict, true) => "would overwrite",
            (Action::Create, false) => "created",
            (Action::Conflict, false) => "overwrote",
        };
        let _ = writeln!(out, "{verb} {}", p.rel);
        if args.dry_run && p.action != Action::Identical {
            let _ = writeln!(out, "--- {} ---\n{}", p.rel, p.contents);
        }
    }
    for note in notes(&inv) {
        let _ = writeln!(out, "{note}");
    }
    if args.ci.is_some() && super::ci::nova_repository(args.nova_git.as_deref()).is_none() {
        let _ = writeln!(
            out,
            "note: nova's GitHub repository is not known: replace {} in the CI file, or rerun with --nova-git https://github.com/OWNER/REPO",
            super::ci::PLACEHOLDER
        );
    }
    if !args.dry_run {
        for p in planned.iter().filter(|p| p.action != Action::Identical) {
            if let Some(dir) = p.path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| NovaError::new(format!("cannot create {}: {e}", dir.display())).at(dir, None, None))?;
            }
            crate::fsutil::write_atomic(&p.path, p.contents.as_bytes())?;
        }
    }
    if args.baseline {
        let verb = match (args.dry_run, baseline_exists) {
            (true, false) => "would create",
            (true, true) => "would overwrite",
            (false, false) => "created",
            (false, true) => "overwrote",
        };
        if args.dry_run {
            let _ = writeln!(out, "{verb} {} (every current finding)", super::baseline::DEFAULT_FILE);
        } else {
            let _ = writeln!(out, "{}", write_baseline(ctx, &root, verb)?);
        }
    }
    let mut stdout = std::io::stdout().lock();
    match std::io::Write::write_all(&mut stdout, out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(NovaError::new(format!("cannot write output: {e}")))
        }
        _ => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    #[test]
    fn config_for_the_example_backend_loads_and_matches() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/backend");
        let text = render_config(&inventory::scan(&root));
        let (cfg, sections) = crate::config::parse_str(&text, Path::new("nova.toml")).unwrap();
        assert!(sections.contains("migrations") && sections.contains("wiring"), "{text}");
        assert!(sections.contains("k8s"), "{text}");
        assert!(text.contains("services/content-service/k8s, services/notification-service/k8s"), "{text}");
        // The example's registry lives outside it: init must not invent one.
        assert!(!sections.contains("proto"), "{text}");
        assert!(text.contains("# .proto files found in: services/content-service/proto"), "{text}");
        assert_eq!(cfg.migrations.dirs, vec![PathBuf::from("migrations")]);
    }

    #[test]
    fn config_for_a_repo_with_registry_and_buf_yaml() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "nova-protos/protos/a/v1/a.proto", "syntax = \"proto3\";\npackage a.v1;\n");
        write(d.path(), "nova-protos/buf.yaml", "version: v2\n");
        write(d.path(), "svc/proto/a.proto", "syntax = \"proto3\";\n");
        write(d.path(), "Cargo.toml", "[workspace]\nmembers = [\"svc\"]\n");
        write(d.path(), "svc/Cargo.toml", "[package]\nname = \"svc\"\n");
        write(d.path(), "svc/migrations/0001_init.sql", "CREATE TABLE t (id INT);\n");
        write(d.path(), "svc/migrations/0002_more.sql", "SELECT 1;\n");
        let text = render_config(&inventory::scan(d.path()));
        let p = d.path().join("nova.toml");
        std::fs::write(&p, &text).unwrap();
        let loaded = crate::config::load_file(&p).unwrap();
        assert_eq!(loaded.config.proto.registry, Some(PathBuf::from("nova-protos")));
        assert!(!loaded.has_section("proto.lint"), "buf.yaml configures lint: {text}");
        assert!(text.contains("drift candidates): svc/proto"), "{text}");
        assert_eq!(loaded.config.migrations.dirs, vec![PathBuf::from("svc/migrations")]);
        assert!(loaded.has_section("wiring"));
    }

    #[test]
    fn config_for_a_registry_repo_and_an_empty_repo() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "protos/a/v1/a.proto", "syntax = \"proto3\";\n");
        let text = render_config(&inventory::scan(d.path()));
        let (cfg, s) = crate::config::parse_str(&text, Path::new("nova.toml")).unwrap();
        assert_eq!(cfg.proto.registry, Some(PathBuf::from(".")));
        assert_eq!(cfg.proto.lint.use_, vec!["STANDARD".to_string()]);
        assert!(!s.contains("migrations") && !s.contains("wiring"), "{text}");

        let e = tempfile::tempdir().unwrap();
        let text = render_config(&inventory::scan(e.path()));
        let (_, s) = crate::config::parse_str(&text, Path::new("nova.toml")).unwrap();
        assert!(s.is_empty(), "an empty repo gets only comments: {text}");
    }

    #[test]
    fn config_for_a_buf_repository_takes_its_module_layout() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "buf.yaml",
            "version: v2\nmodules:\n  - path: proto\n  - path: ./vendor-protos/\nlint:\n  use: [STANDARD]\n",
        );
        write(d.path(), "proto/acme/v1/a.proto", "syntax = \"proto3\";\n");
        write(d.path(), "svc/proto/copy.proto", "syntax = \"proto3\";\n");
        let text = render_config(&inventory::scan(d.path()));
        let (cfg, s) = crate::config::parse_str(&text, Path::new("nova.toml")).unwrap();
        assert_eq!(cfg.proto.registry, Some(PathBuf::from(".")));
        assert_eq!(cfg.proto.roots, vec![PathBuf::from("proto"), PathBuf::from("vendor-protos")]);
        assert!(!s.contains("proto.lint"), "{text}");
        assert!(text.contains("rules come from buf.yaml"), "{text}");
        assert!(text.contains("drift candidates): svc/proto\n"), "{text}");

        // v1beta1 in a subdirectory; a broken buf.yaml still yields a loadable config.
        let e = tempfile::tempdir().unwrap();
        write(e.path(), "api/buf.yaml", "version: v1beta1\nbuild:\n  roots: [src]\n");
        write(e.path(), "api/src/a.proto", "syntax = \"proto3\";\n");
        write(e.path(), "other/deep/buf.yaml", ": : not yaml [");
        let text = render_config(&inventory::scan(e.path()));
        let (cfg, _) = crate::config::parse_str(&text, Path::new("nova.toml")).unwrap();
        assert_eq!(cfg.proto.registry, Some(PathBuf::from("api")));
        assert_eq!(cfg.proto.roots, vec![PathBuf::from("src")]);
        assert!(!text.contains("drift candidates"), "{text}");
    }

    #[test]
    fn registry_lint_settings_are_carried_over() {
        let d = tempfile::tempdir().unwrap();
        let reg = Path::new(env!("CARGO_MANIFEST_DIR")).join("nova-protos");
        for e in walkdir::WalkDir::new(&reg) {
            let e = e.unwrap();
            let dest = d.path().join("nova-protos").join(e.path().strip_prefix(&reg).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(dest).unwrap();
            } else {
                std::fs::copy(e.path(), dest).unwrap();
            }
        }
        let text = render_config(&inventory::scan(d.path()));
        let p = d.path().join("nova.toml");
        std::fs::write(&p, &text).unwrap();
        let here = crate::config::load_file(&p).unwrap().config.proto;
        let there = crate::config::load_file(&d.path().join("nova-protos/nova.toml")).unwrap().config.proto;
        assert_eq!(here.lint.use_, there.lint.use_, "{text}");
        assert_eq!(here.lint.severity, there.lint.severity, "{text}");
        assert_eq!(here.breaking.severity, there.breaking.severity, "{text}");
        assert!(!here.breaking.severity.is_empty(), "{text}");
        assert!(text.contains("# Copied from nova-protos/nova.toml"), "{text}");
    }

    #[test]
    fn check_section_with_base_and_baseline() {
        let parse = |text: &str| crate::config::parse_str(text, Path::new("nova.toml")).unwrap().0.check;
        assert_eq!(render_check(None, false), "");
        let c = parse(&render_check(Some(Some("master")), true));
        assert_eq!((c.base.as_deref(), c.baseline.as_deref()), (Some("master"), Some(Path::new("nova-baseline.json"))));
        let text = render_check(Some(None), true);
        let c = parse(&text);
        assert_eq!((c.base, c.baseline.as_deref()), (None, Some(Path::new("nova-baseline.json"))));
        assert!(text.contains("# base = \"origin/develop\""), "{text}");
        let text = render_check(Some(None), false);
        assert!(parse(&text).base.is_none() && text.contains("# [check]"), "{text}");
        let c = parse(&render_check(None, true));
        assert_eq!(c.baseline.as_deref(), Some(Path::new("nova-baseline.json")));
    }

    #[test]
    fn plan_marks_existing_files() {
        let d = tempfile::tempdir().unwrap();
        let first = plan(d.path(), Some(CiKind::Github), None).unwrap();
        assert!(first.iter().all(|p| p.action == Action::Create));
        std::fs::write(d.path().join("nova.toml"), &first[0].contents).unwrap();
        let again = plan(d.path(), Some(CiKind::Github), None).unwrap();
        assert_eq!(again[0].action, Action::Identical);
        std::fs::write(d.path().join("nova.toml"), "# mine\n").unwrap();
        assert_eq!(plan(d.path(), None, None).unwrap()[0].action, Action::Conflict);
    }
}
