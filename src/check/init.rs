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
    /// GitHub Actions: `.github/workflows/nova.yml`.
    Github,
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
    /// The git URL the generated workflow installs nova from (default: the repository nova was
    /// built from, when it says so).
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
    let inv = inventory::scan(root);
    let mut config = render_config(&inv);
    // The registry is judged against the repository's default branch: write down which one was
    // found, so a `master` or `develop` repository reads it from the file, not from a guess.
    if config.contains("\n[proto]\n")
        && let Ok(repo) = crate::gitutil::discover(root)
    {
        config.push_str(&render_check_base(crate::gitutil::default_branch(&repo).as_deref()));
    }
    let mut files = vec![("nova.toml".to_string(), config)];
    if ci == Some(CiKind::Github) {
        files.push((".github/workflows/nova.yml".to_string(), render_github_workflow(root, nova_git)));
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

/// The `[check]` section naming the base branch `nova init` found (commented out when none).
fn render_check_base(base: Option<&str>) -> String {
    let mut out = String::from("\n");
    match base {
        Some(b) => {
            let _ = writeln!(out, "[check]");
            let _ =
                writeln!(out, "# The branch the registry is compared with when no --base / --changed-since is given");
            let _ = writeln!(out, "# (found: the repository's default branch).");
            let _ = writeln!(out, "base = {}", toml_str(b));
        }
        None => {
            let _ =
                writeln!(out, "# No default branch found (origin/HEAD, main, master, trunk); name the base branch:");
            let _ = writeln!(out, "# [check]");
            let _ = writeln!(out, "# base = \"origin/develop\"");
        }
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
        let _ = writeln!(out, "# sqlx migration directories; each is replayed as its own database.");
        let _ = writeln!(out, "dirs = {}", toml_list(&dirs));
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

/// The GitHub Actions workflow: the PR gate with SARIF upload and annotations.
pub fn render_github_workflow(root: &Path, nova_git: Option<&str>) -> String {
    let submodules = if root.join(".gitmodules").is_file() { "\n          submodules: recursive" } else { "" };
    // The crate called `nova` on crates.io is another project: CI installs this one from git, at
    // the version that wrote the workflow.
    let git = nova_git.or(option_env!("CARGO_PKG_REPOSITORY")).unwrap_or("").trim();
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"# nova pull-request gate, written by `nova init --ci github`.
# On a pull request it reports only what the change touched (`--changed-since` the base branch,
# still judged against the whole tree); on the default branch it checks everything, which gives
# code scanning its baseline.
name: nova

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  security-events: write # upload SARIF to code scanning

env:
  # Where nova is installed from: its git repository, at the version that wrote this file. (The
  # crate named `nova` on crates.io is an unrelated project; `cargo install nova` is not this.)
  NOVA_GIT: "{git}"
  NOVA_VERSION: "{version}"

jobs:
  nova:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # --changed-since and the proto breaking check read the base ref's history.
          fetch-depth: 0{submodules}
      - uses: dtolnay/rust-toolchain@stable
      - name: Install nova
        shell: bash
        run: |
          if [ -z "$NOVA_GIT" ]; then
            echo "::error file=.github/workflows/nova.yml::set NOVA_GIT in this workflow to the git URL of nova's repository"
            exit 1
          fi
          cargo install --locked --git "$NOVA_GIT" --tag "v$NOVA_VERSION" nova
      - name: nova check
        id: nova
        shell: bash
        run: |
          set +e
          args=()
          if [ "${{{{ github.event_name }}}}" = "pull_request" ]; then
            args=(--changed-since "origin/${{{{ github.base_ref }}}}")
          fi
          # One run: annotations on the diff (stdout) and the SARIF file for code scanning.
          nova check "${{args[@]}}" --format github --report-file sarif=nova.sarif
          echo "exit_code=$?" >> "$GITHUB_OUTPUT"
      - name: Upload SARIF
        if: always() && hashFiles('nova.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: nova.sarif
          category: nova
      - name: Fail on findings
        if: steps.nova.outputs.exit_code != '0'
        run: exit ${{{{ steps.nova.outputs.exit_code }}}}
"#
    )
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
    let planned = plan(&root, args.ci, args.nova_git.as_deref())?;
    let conflicts: Vec<&Planned> = planned.iter().filter(|p| p.action == Action::Conflict).collect();
    if !conflicts.is_empty() && !args.force && !args.dry_run {
        let names: Vec<&str> = conflicts.iter().map(|p| p.rel.as_str()).collect();
        return Err(NovaError::new(format!(
            "{} already exist(s) with other contents; nothing was written",
            names.join(", ")
        ))
        .at(&conflicts[0].path, None, None)
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
    if !args.dry_run {
        for p in planned.iter().filter(|p| p.action != Action::Identical) {
            if let Some(dir) = p.path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| NovaError::new(format!("cannot create {}: {e}", dir.display())).at(dir, None, None))?;
            }
            crate::fsutil::write_atomic(&p.path, p.contents.as_bytes())?;
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
    fn workflow_is_valid_yaml_with_the_gate_steps() {
        let d = tempfile::tempdir().unwrap();
        let text = render_github_workflow(d.path(), Some("https://example.com/nova.git"));
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        let steps = &y["jobs"]["nova"]["steps"];
        assert_eq!(steps[0]["with"]["fetch-depth"], serde_yaml_ng::Value::from(0));
        assert!(steps[0]["with"].get("submodules").is_none());
        let run = steps[3]["run"].as_str().unwrap();
        assert!(run.contains("--changed-since \"origin/${{ github.base_ref }}\""), "{run}");
        assert!(run.contains("--format github --report-file sarif=nova.sarif"), "{run}");
        assert_eq!(run.matches("nova check").count(), 1, "one run serves both outputs: {run}");
        let install = steps[2]["run"].as_str().unwrap();
        assert!(
            install.contains("cargo install --locked --git \"$NOVA_GIT\" --tag \"v$NOVA_VERSION\" nova"),
            "{install}"
        );
        assert_eq!(y["env"]["NOVA_GIT"].as_str(), Some("https://example.com/nova.git"));
        assert_eq!(y["env"]["NOVA_VERSION"].as_str(), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(steps[4]["uses"].as_str(), Some("github/codeql-action/upload-sarif@v3"));
        assert!(y["on"].get("pull_request").is_some());

        std::fs::write(d.path().join(".gitmodules"), "").unwrap();
        let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&render_github_workflow(d.path(), None)).unwrap();
        assert_eq!(y["jobs"]["nova"]["steps"][0]["with"]["submodules"].as_str(), Some("recursive"));
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
