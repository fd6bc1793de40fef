//! Which directories hold migrations, and which files in them run, in which order: the way
//! `sqlx::migrate!` reads a directory.
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `<v>_<name>.sql`
    Simple,
    /// `<v>_<name>.up.sql`
    Up,
    /// `<v>_<name>.down.sql`: not applied going up.
    Down,
}

/// A migration file as named on disk.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub abs: PathBuf,
    pub name: String,
    /// `None` when the prefix before the first `_` is not an integer (sqlx refuses the directory).
    pub version: Option<i64>,
    pub prefix: String,
    pub kind: FileKind,
}

/// The files of one directory: those applied going up, in order, and those sqlx would refuse.
#[derive(Debug, Clone, Default)]
pub struct DirListing {
    pub applied: Vec<MigrationFile>,
    pub bad_version: Vec<MigrationFile>,
}

/// List a migrations directory like sqlx: top-level `*.sql` named `<version>_<description>`,
/// ordered by version (then name, so duplicates are stable); `.down.sql` left out.
pub fn list_dir(dir: &Path) -> std::io::Result<DirListing> {
    let mut out = DirListing::default();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // A directory is not a migration; an entry whose metadata cannot be read (a dangling
        // symlink, a symlink loop) still is one to sqlx, so keep it and let the read report it.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        let Some((prefix, rest)) = name.split_once('_') else { continue };
        if !rest.ends_with(".sql") {
            continue;
        }
        let kind = if rest.ends_with(".down.sql") {
            FileKind::Down
        } else if rest.ends_with(".up.sql") {
            FileKind::Up
        } else {
            FileKind::Simple
        };
        let file = MigrationFile {
            abs: path.clone(),
            name: name.clone(),
            version: prefix.parse().ok(),
            prefix: prefix.into(),
            kind,
        };
        if file.version.is_none() {
            out.bad_version.push(file);
        } else if kind != FileKind::Down {
            out.applied.push(file);
        }
    }
    out.applied.sort_by(|a, b| (a.version, &a.name).cmp(&(b.version, &b.name)));
    out.bad_version.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// sqlx runs a file outside a transaction only when its text starts with this.
pub fn is_no_transaction(text: &str) -> bool {
    text.starts_with("-- no-transaction")
}

/// The walk discovery does: hidden entries and whatever `.gitignore` (and `.ignore`,
/// `.git/info/exclude`, the global gitignore) excludes are skipped; links are not followed.
fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(root);
    b.hidden(true).git_ignore(true);
    b
}

/// A file name sqlx runs as a migration: `<integer>_<name>.sql`.
pub fn is_migration_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".sql") else { return false };
    match stem.split_once('_') {
        Some((v, rest)) => !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty(),
        None => false,
    }
}

/// Discover migration directories below `root`, the one discovery `nova migrations check`,
/// `nova check` and `nova init` share (see [`super::discover`]: what the code runs, else
/// sqlx-style file names; other dialects left out). The walk honours `.gitignore` and skips
/// hidden entries.
pub fn discover(root: &Path) -> Vec<PathBuf> {
    discover_in(root, None)
}

/// [`discover`], reading the file list from `tree` (the walk `nova check` shares) when it can
/// answer exactly as discovery's own walk would.
pub fn discover_in(root: &Path, tree: Option<&crate::walk::Tree>) -> Vec<PathBuf> {
    survey_in(root, tree).run
}

/// The whole survey: the directories to check and why every other `.sql` directory is not one.
pub fn survey_in(root: &Path, tree: Option<&crate::walk::Tree>) -> super::discover::Survey {
    let walk = walker(root);
    let relevant = |p: &Path| {
        p.file_name().is_some_and(|n| n == "Cargo.toml") || p.extension().is_some_and(|e| e == "rs" || e == "sql")
    };
    let files: Vec<PathBuf> = match tree.and_then(|t| t.unignored_files_under(root, &walk, relevant)) {
        Some(files) => files,
        None => walk
            .build()
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && relevant(e.path()))
            .map(|e| e.into_path())
            .collect(),
    };
    super::discover::survey(root, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_file_names_follow_sqlx() {
        assert!(is_migration_file("0001_init.sql"));
        assert!(is_migration_file("20240101120000_add_users.up.sql"));
        assert!(!is_migration_file("init.sql"));
        assert!(!is_migration_file("v1_init.sql"));
        assert!(!is_migration_file("0001.sql"));
    }

    #[test]
    fn file_names_decide_only_when_the_code_names_no_directory() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        for f in [
            "db/migrations/0001_a.sql",
            "clickhouse/0001_events.sql",
            "tests/fixtures/m/0001_x.sql",
            "vendor/v/0001_v.sql",
        ] {
            crate::testutil::write(&root, f, "SELECT 1;\n");
        }
        let rel = |dirs: Vec<PathBuf>| -> Vec<String> {
            dirs.iter().map(|d| d.strip_prefix(&root).unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(rel(discover(&root)), ["clickhouse", "db/migrations"]);
        // A crate that runs `sqlx::migrate!("db/migrations")`: only that directory.
        crate::testutil::write(&root, "Cargo.toml", "[package]\nname = \"svc\"\n");
        crate::testutil::write(&root, "src/main.rs", "static M: Migrator = sqlx::migrate!(\"db/migrations\");\n");
        assert_eq!(rel(discover(&root)), ["db/migrations"]);
    }

    #[test]
    fn sqlx_ordering_and_filtering() {
        let d = tempfile::tempdir().unwrap();
        for n in ["10_b.sql", "2_a.up.sql", "2_a.down.sql", "abc_x.sql", "README.md", "schema.sql", "1_first.sql"] {
            std::fs::write(d.path().join(n), "").unwrap();
        }
        std::fs::create_dir(d.path().join("3_nested.sql")).unwrap();
        let l = list_dir(d.path()).unwrap();
        let names: Vec<&str> = l.applied.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["1_first.sql", "2_a.up.sql", "10_b.sql"]);
        assert_eq!(l.bad_version.len(), 1);
        assert!(is_no_transaction("-- no-transaction\nCREATE INDEX CONCURRENTLY x ON t (a);"));
        assert!(!is_no_transaction("\n-- no-transaction"));
    }
}

#[cfg(test)]
mod shared_walk_tests {
    use super::*;
    use crate::testutil::write;
    use crate::walk::Tree;

    /// Crates with migrations, some excluded by a root or nested .gitignore, one hidden, one in
    /// an ignored `target/`.
    fn backend(root: &Path) {
        write(root, "Cargo.toml", "[workspace]\n");
        for svc in ["svc-a", "svc-b", "svc-c", ".hidden/h", "target/debug/t"] {
            write(root, &format!("{svc}/Cargo.toml"), "[package]\n[dependencies]\nsqlx = \"0.8\"\n");
            write(root, &format!("{svc}/migrations/0001_init.sql"), "SELECT 1;\n");
        }
        write(root, "svc-c/src/db.rs", "static M: Migrator = sqlx::migrate!(\"schema\");\n");
        write(root, "svc-c/schema/0001_init.sql", "SELECT 1;\n");
        write(root, "svc-c/src/gen/mod.rs", "static M: Migrator = sqlx::migrate!(\"gen-migrations\");\n");
        write(root, "svc-c/gen-migrations/0001_init.sql", "SELECT 1;\n");
        write(root, "svc-c/src/.old.rs", "static M: Migrator = sqlx::migrate!(\"old-migrations\");\n");
        write(root, "svc-c/old-migrations/0001_init.sql", "SELECT 1;\n");
        write(root, ".gitignore", "/svc-b/\ntarget/\n*.log\n");
        write(root, "svc-c/.gitignore", "src/gen/\n");
    }

    fn git_init(root: &Path) {
        let out = std::process::Command::new("git").args(["init", "-q"]).current_dir(root).output().unwrap();
        assert!(out.status.success());
    }

    fn names(root: &Path, dirs: &[PathBuf]) -> Vec<String> {
        dirs.iter().map(|d| d.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")).collect()
    }

    /// What the shared walk answers for `dir` (None: it cannot), after checking that discovery
    /// through it equals discovery by its own walk, and that its unfiltered answer is exactly
    /// the file list of discovery's own walk.
    fn compare(tree: &Tree, dir: &Path) -> Option<Vec<String>> {
        let own = discover(dir);
        let shared = discover_in(dir, Some(tree));
        assert_eq!(own, shared, "{}", dir.display());
        let walk = walker(dir);
        let mut all_own: Vec<PathBuf> = walk
            .build()
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .collect();
        all_own.sort();
        let mut all_shared = tree.unignored_files_under(dir, &walk, |_| true)?;
        all_shared.sort();
        assert_eq!(all_own, all_shared, "{}", dir.display());
        Some(names(&tree.root, &shared))
    }

    #[test]
    fn the_shared_walk_discovers_exactly_what_discoverys_own_walk_does() {
        // In a git repository the .gitignore files apply: svc-b (root file) and svc-c's
        // generated module (nested file) are out, as are the hidden crate, the hidden module
        // and everything in target/.
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        backend(&root);
        git_init(&root);
        let tree = Tree::scan(&root);
        assert_eq!(compare(&tree, &root).unwrap(), ["svc-a/migrations", "svc-c/migrations", "svc-c/schema"]);
        // From a directory below the root, the root's .gitignore still applies.
        assert_eq!(compare(&tree, &root.join("svc-c")).unwrap(), ["svc-c/migrations", "svc-c/schema"]);
        // A walk started inside an excluded directory walks it: the rule names the directory,
        // and the root of a walk is never filtered.
        assert_eq!(compare(&tree, &root.join("svc-b")).unwrap(), ["svc-b/migrations"]);

        // Outside a git repository, .gitignore means nothing to that walk; the hidden entries
        // stay out, and target/ is now walked by discovery but skipped by the tree, so the tree
        // cannot answer and discovery walks by itself.
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        backend(&root);
        let tree = Tree::scan(&root);
        assert_eq!(compare(&tree, &root), None);
        assert_eq!(
            names(&root, &discover_in(&root, Some(&tree))),
            [
                "svc-a/migrations",
                "svc-b/migrations",
                "svc-c/gen-migrations",
                "svc-c/migrations",
                "svc-c/schema",
                "target/debug/t/migrations"
            ]
        );
        std::fs::remove_dir_all(root.join("target")).unwrap();
        let tree = Tree::scan(&root);
        assert_eq!(
            compare(&tree, &root).unwrap(),
            ["svc-a/migrations", "svc-b/migrations", "svc-c/gen-migrations", "svc-c/migrations", "svc-c/schema"]
        );

        // A .gitignore that excludes no crate, and one that re-includes a hidden directory:
        // the walk descends `.hidden`, which the tree skipped, so the tree cannot answer.
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        backend(&root);
        git_init(&root);
        write(&root, ".gitignore", "target/\n*.log\n");
        write(&root, "svc-c/.gitignore", "");
        let tree = Tree::scan(&root);
        assert_eq!(
            compare(&tree, &root).unwrap(),
            ["svc-a/migrations", "svc-b/migrations", "svc-c/gen-migrations", "svc-c/migrations", "svc-c/schema"]
        );
        write(&root, ".gitignore", "target/\n!.hidden/\n");
        let tree = Tree::scan(&root);
        assert_eq!(compare(&tree, &root), None);
        assert_eq!(
            names(&root, &discover_in(&root, Some(&tree))),
            [
                ".hidden/h/migrations",
                "svc-a/migrations",
                "svc-b/migrations",
                "svc-c/gen-migrations",
                "svc-c/migrations",
                "svc-c/schema"
            ]
        );
    }
}
