//! One walk over a repository that tells `nova check` which checkers apply and `nova init` what
//! to write: Cargo manifests, directories with `.proto` files, sqlx migration directories, the
//! registry, a `buf.yaml`.
use super::Checker;
use crate::walk::Tree;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Directory names never descended into: build output, dependencies, test fixtures (hidden
/// directories, VCS metadata among them, are skipped too).
const SKIP_DIRS: &[&str] = &["target", "node_modules", "vendor", "dist", "build", "fixtures", "testdata", "test_data"];
/// The registry's default location (`[proto] registry` default).
pub const DEFAULT_REGISTRY: &str = "nova-protos";

/// What a repository contains. Paths are relative to `root`, `/`-separated, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub root: PathBuf,
    /// Directories whose `Cargo.toml` has a `[workspace]` table.
    pub workspaces: BTreeSet<String>,
    /// Directories whose `Cargo.toml` has a `[package]` table.
    pub packages: BTreeSet<String>,
    /// Directories that directly contain `.proto` files.
    pub proto_dirs: BTreeSet<String>,
    /// Migration directories, as `nova migrations check` discovers them (`sql::files::discover`).
    pub migration_dirs: BTreeSet<String>,
    /// Whether the code named them (`sqlx::migrate!`, `Migrator::new`, a sqlx crate's
    /// `migrations/`), rather than sqlx-style file names.
    pub migrations_from_code: bool,
    /// Other directories with `.sql` files, and why they are not checked as migrations.
    pub other_sql_dirs: Vec<(String, crate::sql::discover::NotMigrations)>,
    /// `buf.yaml` files (their directories).
    pub buf_dirs: BTreeSet<String>,
    /// Directories holding Kubernetes manifests (YAML with `apiVersion:` and `kind:`) or a
    /// kustomization.
    pub k8s_dirs: BTreeSet<String>,
    /// The proto registry (`nova-protos/`), when present.
    pub registry: Option<String>,
}

fn rel(root: &Path, p: &Path) -> String {
    let s = p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".into() } else { s }
}

/// Walk `root` once. Unreadable entries are skipped: discovery is best-effort, the checkers
/// report their own input errors.
pub fn scan(root: &Path) -> Inventory {
    from_tree(root, &Tree::scan(root))
}

/// The inventory of `root` from a walk already done (the one `nova check` shares with the checkers).
pub fn from_tree(root: &Path, tree: &Tree) -> Inventory {
    let mut inv = Inventory { root: root.to_path_buf(), ..Default::default() };
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // What git ignores (build output, downloaded corpora, a local virtualenv) is not the
    // repository's own: it selects no checker and goes into no nova.toml. The matcher is the
    // `ignore` crate's own (`.gitignore` inside a repository, `.ignore`, `.git/info/exclude`, the
    // global excludes, ignore files above the root). The registry is found by its name whatever
    // git thinks of it (a registry cloned into the tree may well be ignored).
    let mut ignored = ignore::WalkBuilder::new(root).hidden(true).git_ignore(true).build_matchers().pop();
    for (path, below) in tree.files_under(root).unwrap_or_default() {
        let Some(dir) = below.parent() else { continue };
        // No depth limit: the shared walk already read every file, and a crate or a proto
        // directory 11 levels down is still the repository's own.
        if dir.components().any(|c| {
            let n = c.as_os_str().to_string_lossy();
            n.starts_with('.') || SKIP_DIRS.contains(&n.as_ref())
        }) {
            continue;
        }
        if ignored.as_mut().is_some_and(|m| m.matched(below, false).is_ignore()) {
            continue;
        }
        let name = below.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let dir_rel = rel(Path::new(""), dir);
        if name == "Cargo.toml" {
            if let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(table) = text.parse::<toml::Table>()
            {
                if table.contains_key("workspace") {
                    inv.workspaces.insert(dir_rel.clone());
                }
                if table.contains_key("package") {
                    inv.packages.insert(dir_rel);
                }
            }
        } else if name.ends_with(".proto") {
            inv.proto_dirs.insert(dir_rel);
        } else if name == "buf.yaml" {
            inv.buf_dirs.insert(dir_rel);
        } else if crate::k8s::input::KUSTOMIZATION_FILES.contains(&name.as_ref())
            || ((name.ends_with(".yaml") || name.ends_with(".yml"))
                && std::fs::read_to_string(&path).is_ok_and(|t| crate::k8s::input::looks_like_manifest(&t)))
        {
            inv.k8s_dirs.insert(dir_rel);
        }
    }
    // Migrations: the discovery `nova migrations check` itself uses, so that `nova check` runs
    // the checker exactly when the checker finds something to check.
    let survey = crate::sql::files::survey_in(root, Some(tree));
    inv.migration_dirs = survey.run.iter().map(|d| rel(&canonical_root, d)).collect();
    inv.migrations_from_code = survey.from_code;
    inv.other_sql_dirs = survey.other.into_iter().map(|(d, why)| (rel(&canonical_root, &d), why)).collect();
    if root.join(DEFAULT_REGISTRY).is_dir() {
        inv.registry = Some(DEFAULT_REGISTRY.to_string());
    }
    inv
}

impl Inventory {
    /// Why `checker` does not apply to this tree, or `None` when it does.
    pub fn why_not(&self, checker: Checker) -> Option<String> {
        match checker {
            Checker::Proto if self.registry.is_none() => {
                Some(format!("no proto registry ({DEFAULT_REGISTRY}/) and no [proto] section in nova.toml"))
            }
            Checker::Migrations if self.migration_dirs.is_empty() => Some("no migrations directory found".into()),
            Checker::Wiring if self.workspaces.is_empty() && self.packages.is_empty() => {
                Some("no Cargo.toml found".into())
            }
            Checker::K8s if self.k8s_dirs.is_empty() => Some("no Kubernetes manifests found".into()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_trees_are_inventoried_whole() {
        let d = tempfile::tempdir().unwrap();
        let deep = "a/b/c/d/e/f/g/h/i/j/k/svc";
        crate::testutil::write(d.path(), &format!("{deep}/Cargo.toml"), "[package]\nname = \"svc\"\n");
        crate::testutil::write(d.path(), &format!("{deep}/proto/x.proto"), "");
        let inv = scan(d.path());
        assert_eq!(inv.packages.iter().collect::<Vec<_>>(), [deep]);
        assert_eq!(inv.proto_dirs.iter().cloned().collect::<Vec<_>>(), [format!("{deep}/proto")]);
    }

    #[test]
    fn files_git_ignores_are_not_inventoried_but_the_registry_is_found() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        for (f, text) in [
            // A crate without migrations: the code names none, so sqlx-style file names decide.
            ("svc/Cargo.toml", "[package]\nname = \"svc\"\n"),
            ("migrations/0001_init.sql", ""),
            ("generated/migrations/0001_init.sql", ""),
            ("svc/proto/a.proto", ""),
            ("svc/proto/gen/b.proto", ""),
            ("nova-protos/protos/a/v1/a.proto", ""),
            (".gitignore", "/generated/\nnova-protos/\n"),
            ("svc/.gitignore", "proto/gen/\n"),
        ] {
            crate::testutil::write(&root, f, text);
        }
        // Outside a git repository `.gitignore` means nothing (to git, and so to nova).
        let inv = scan(&root);
        assert_eq!(inv.migration_dirs.iter().collect::<Vec<_>>(), ["generated/migrations", "migrations"]);
        let out = std::process::Command::new("git").args(["init", "-q"]).current_dir(&root).output().unwrap();
        assert!(out.status.success());
        let inv = scan(&root);
        assert_eq!(inv.migration_dirs.iter().collect::<Vec<_>>(), ["migrations"]);
        assert_eq!(inv.proto_dirs.iter().collect::<Vec<_>>(), ["svc/proto"], "nested .gitignore applies");
        assert_eq!(inv.registry.as_deref(), Some(DEFAULT_REGISTRY), "an ignored registry is still the registry");
        assert_eq!(inv.packages.iter().collect::<Vec<_>>(), ["svc"]);
    }

    #[test]
    fn scans_the_example_backend() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/backend");
        let inv = scan(&root);
        assert_eq!(inv.workspaces.iter().collect::<Vec<_>>(), ["."]);
        assert_eq!(
            inv.packages.iter().collect::<Vec<_>>(),
            ["libs/nova-common", "services/content-service", "services/notification-service", "services/user-service"]
        );
        assert_eq!(inv.migration_dirs.iter().collect::<Vec<_>>(), ["migrations"]);
        assert_eq!(inv.proto_dirs.iter().collect::<Vec<_>>(), ["services/content-service/proto"]);
        assert_eq!(inv.registry, None);
        assert!(inv.why_not(Checker::Proto).is_some());
        assert!(inv.why_not(Checker::Migrations).is_none());
        assert!(inv.why_not(Checker::Wiring).is_none());
    }
}
