//! Which directories of a repository are sqlx migrations, from what the code runs, and why each
//! other directory of `.sql` files is not: the one discovery `nova migrations check`, `nova check`
//! and `nova init` share (`files::discover_in` is its list of directories to check).
//!
//! 1. What the code runs: directories named in `sqlx::migrate!("...")` (relative to the calling
//!    crate's manifest directory; a bare `migrate!()` means `migrations`), in
//!    `Migrator::new(Path::new("..."))` (a run-time path: the manifest directory, else the nearest
//!    directory above it where it exists), and sqlx-cli's default `migrations/` beside a
//!    `Cargo.toml` that depends on sqlx (its own dependencies, or a workspace's
//!    `[workspace.dependencies]`).
//! 2. When the code names none: every directory that directly holds sqlx-style files
//!    (`<integer>_<name>.sql`), outside build output, dependencies and test data.
//!
//! Either way, a directory whose SQL is another dialect (ClickHouse `ENGINE = MergeTree`, MySQL
//! `ENGINE = InnoDB` / `AUTO_INCREMENT`) is not checked; it is reported with the evidence. Every
//! other directory holding `.sql` files is reported with the reason it is not a migrations
//! directory, so `nova init` can say why it left it out.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a directory of `.sql` files is not checked as migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotMigrations {
    /// Another SQL dialect: its name (`clickhouse`, `mysql`) and the evidence (`file:line: text`).
    Dialect { dialect: &'static str, evidence: String },
    /// Named like scripts (`scripts`, `script`).
    Scripts,
    /// Named like seed or sample data.
    SeedData,
    /// The code runs other directories, not this one.
    NotReferenced,
    /// No code names a directory and this one has no `<integer>_<name>.sql` file.
    NoMigrationFiles,
}

impl NotMigrations {
    /// The reason as `nova init` writes it.
    pub fn describe(&self) -> String {
        match self {
            NotMigrations::Dialect { dialect, evidence } => format!("{} DDL: {evidence}", dialect_title(dialect)),
            NotMigrations::Scripts => "scripts, not migrations".into(),
            NotMigrations::SeedData => "seed data, not migrations".into(),
            NotMigrations::NotReferenced => {
                "not referenced by any sqlx::migrate!, Migrator::new or a sqlx crate's migrations/".into()
            }
            NotMigrations::NoMigrationFiles => "no <integer>_<name>.sql files (sqlx would run none)".into(),
        }
    }
}

fn dialect_title(d: &str) -> &'static str {
    match d {
        "clickhouse" => "ClickHouse",
        "mysql" => "MySQL",
        _ => "non-PostgreSQL",
    }
}

/// What discovery found below a root (absolute, canonical paths, sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    /// Directories to check.
    pub run: Vec<PathBuf>,
    /// Whether the code named them (else they were found by file names).
    pub from_code: bool,
    /// Directories holding `.sql` files that are not checked, with the reason.
    pub other: Vec<(PathBuf, NotMigrations)>,
}

/// Directories that hold build output, dependencies or test data, never a service's migrations.
pub const NOT_MIGRATIONS: &[&str] =
    &["target", "node_modules", "vendor", "dist", "build", "fixtures", "testdata", "test_data"];

/// Survey `files` (every file of the walk below `root` that is a `Cargo.toml`, a `.rs` or a `.sql`).
pub fn survey(root: &Path, files: &[PathBuf]) -> Survey {
    let mut from_code: Vec<PathBuf> = Vec::new();
    // Directory -> whether it holds a sqlx-named file.
    let mut sql_dirs: BTreeMap<PathBuf, bool> = BTreeMap::new();
    let migrate = regex::Regex::new(r#"(?:sqlx::)?migrate!\s*\(\s*(?:"([^"]*)")?\s*\)"#).ok();
    let migrator = regex::Regex::new(
        r#"Migrator::new\s*\(\s*&?\s*(?:(?:std::)?path::)?(?:Path::new|PathBuf::from)\s*\(\s*"([^"]*)"\s*\)"#,
    )
    .ok();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        if name == "Cargo.toml" {
            let Some(dir) = path.parent() else { continue };
            let m = dir.join("migrations");
            if m.is_dir() && uses_sqlx(path) {
                from_code.push(m);
            }
        } else if name.ends_with(".sql") {
            let below = path.strip_prefix(root).unwrap_or(path);
            let test_data =
                below.components().any(|c| NOT_MIGRATIONS.contains(&c.as_os_str().to_string_lossy().as_ref()));
            if let (Some(dir), false) = (path.parent(), test_data) {
                *sql_dirs.entry(dir.to_path_buf()).or_default() |= super::files::is_migration_file(&name);
            }
        } else {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            let has_migrate = text.contains("migrate!");
            let has_migrator = text.contains("Migrator::new");
            if !has_migrate && !has_migrator {
                continue;
            }
            let Some(manifest_dir) = manifest_dir_of(path) else { continue };
            if let (Some(re), true) = (&migrate, has_migrate) {
                for cap in re.captures_iter(&text) {
                    let d = manifest_dir.join(cap.get(1).map(|m| m.as_str()).unwrap_or("migrations"));
                    if d.is_dir() {
                        from_code.push(d);
                    }
                }
            }
            if let (Some(re), true) = (&migrator, has_migrator) {
                for cap in re.captures_iter(&text) {
                    if let Some(d) = runtime_dir(root, &manifest_dir, &cap[1]) {
                        from_code.push(d);
                    }
                }
            }
        }
    }
    let canon = |p: PathBuf| p.canonicalize().unwrap_or(p);
    let mut candidates: Vec<PathBuf> = from_code.into_iter().map(canon).collect();
    candidates.sort();
    candidates.dedup();
    let code_named = !candidates.is_empty();
    if !code_named {
        candidates = sql_dirs.iter().filter(|(_, named)| **named).map(|(d, _)| canon(d.clone())).collect();
        candidates.sort();
        candidates.dedup();
    }
    let mut survey = Survey { from_code: code_named, ..Default::default() };
    for d in candidates {
        match sniff_dialect(&d) {
            Some((dialect, evidence)) => survey.other.push((d, NotMigrations::Dialect { dialect, evidence })),
            None => survey.run.push(d),
        }
    }
    for (dir, named) in sql_dirs {
        let dir = canon(dir);
        if survey.run.contains(&dir) || survey.other.iter().any(|(d, _)| *d == dir) {
            continue;
        }
        let reason = if let Some((dialect, evidence)) = sniff_dialect(&dir) {
            NotMigrations::Dialect { dialect, evidence }
        } else if let Some(kind) = named_kind(dir.strip_prefix(root).unwrap_or(&dir)) {
            kind
        } else if code_named || named {
            NotMigrations::NotReferenced
        } else {
            NotMigrations::NoMigrationFiles
        };
        survey.other.push((dir, reason));
    }
    survey.other.sort_by(|a, b| a.0.cmp(&b.0));
    survey
}

/// Scripts or seed data by name: the innermost directory name that says which
/// (`backend/scripts/seed_data` is seed data).
fn named_kind(below: &Path) -> Option<NotMigrations> {
    below.components().rev().find_map(|c| {
        let n = c.as_os_str().to_string_lossy().to_ascii_lowercase();
        if n.contains("seed") || n.contains("sample") {
            Some(NotMigrations::SeedData)
        } else if n.contains("script") {
            Some(NotMigrations::Scripts)
        } else {
            None
        }
    })
}

/// A `Migrator::new` path: relative to the process's working directory at run time, which is
/// the crate's directory under `cargo run` and often the workspace root in a container. The
/// manifest directory first, then each directory above it up to `root`, where it exists.
fn runtime_dir(root: &Path, manifest_dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.is_absolute() {
        return None;
    }
    let mut dir = Some(manifest_dir);
    while let Some(d) = dir {
        let candidate = d.join(rel);
        if candidate.is_dir() {
            return Some(candidate);
        }
        if d == root || !d.starts_with(root) {
            break;
        }
        dir = d.parent();
    }
    None
}

/// Whether a manifest depends on sqlx: in `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` (also per target), or, for a workspace root, `[workspace.dependencies]`
/// (the migrations beside a workspace manifest belong to the workspace's sqlx crates).
fn uses_sqlx(manifest: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(manifest) else { return false };
    let Ok(t) = text.parse::<toml::Table>() else { return false };
    let names_sqlx = |deps: Option<&toml::Value>| {
        deps.and_then(|d| d.as_table()).is_some_and(|d| {
            d.iter().any(|(k, v)| k == "sqlx" || v.get("package").and_then(|p| p.as_str()) == Some("sqlx"))
        })
    };
    let tables = |t: &toml::Table| {
        ["dependencies", "dev-dependencies", "build-dependencies"].iter().any(|k| names_sqlx(t.get(*k)))
    };
    tables(&t)
        || t.get("target")
            .and_then(|x| x.as_table())
            .is_some_and(|targets| targets.values().filter_map(|v| v.as_table()).any(tables))
        || names_sqlx(t.get("workspace").and_then(|w| w.get("dependencies")))
}

/// Another SQL dialect in a directory's top-level `.sql` files: `(dialect, "file:line: text")` of
/// the first line that says so.
pub fn sniff_dialect(dir: &Path) -> Option<(&'static str, String)> {
    let clickhouse = regex::Regex::new(
        r"(?i)\bENGINE\s*=\s*(?:Replicated|Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite)?MergeTree\b|\bENGINE\s*=\s*(?:Distributed|Kafka|TinyLog|StripeLog|Log|Memory|Buffer|Null)\b|\bLowCardinality\s*\(",
    )
    .ok()?;
    let mysql = regex::Regex::new(r"(?i)\bENGINE\s*=\s*(?:InnoDB|MyISAM|Aria)\b|\bAUTO_INCREMENT\b").ok()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql") && p.is_file())
        .collect();
    files.sort();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        for (i, line) in text.lines().enumerate() {
            let code = line.split("--").next().unwrap_or("");
            let hit = if clickhouse.is_match(code) {
                Some("clickhouse")
            } else if mysql.is_match(code) {
                Some("mysql")
            } else {
                None
            };
            if let Some(d) = hit {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                return Some((d, format!("{name}:{}: {}", i + 1, line.trim())));
            }
        }
    }
    None
}

fn manifest_dir_of(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d.join("Cargo.toml").is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    fn rel(root: &Path, dirs: &[PathBuf]) -> Vec<String> {
        dirs.iter().map(|d| d.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")).collect()
    }

    fn files(root: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    }

    /// A temporary tree with these files: (guard, canonical root).
    fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        for (f, text) in files {
            write(&root, f, text);
        }
        (d, root)
    }

    #[test]
    fn the_code_decides_and_every_other_sql_directory_says_why() {
        let (_d, root) = tree(&[]);
        write(&root, "Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\", \"c\", \"ch\"]\n");
        // migrate! relative to the crate; Migrator::new at run time from the workspace root.
        write(&root, "a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nsqlx = \"0.8\"\n");
        write(&root, "a/src/main.rs", "static M: sqlx::migrate::Migrator = sqlx::migrate!(\"db\");\n");
        write(&root, "a/db/0001_init.sql", "CREATE TABLE t (id INT);\n");
        write(&root, "b/Cargo.toml", "[package]\nname = \"b\"\n");
        write(&root, "b/src/lib.rs", "let m = Migrator::new(Path::new(\"b/schema\")).await?;\n");
        write(&root, "b/schema/0001_init.sql", "CREATE TABLE u (id INT);\n");
        // A crate using sqlx: its migrations/ is sqlx-cli's default.
        write(&root, "c/Cargo.toml", "[package]\nname = \"c\"\n[dependencies]\nsqlx = { workspace = true }\n");
        write(&root, "c/migrations/0001_init.sql", "CREATE TABLE v (id INT);\n");
        // A ClickHouse client crate's migrations/ (no sqlx), a ClickHouse subdirectory, scripts, seeds.
        write(&root, "ch/Cargo.toml", "[package]\nname = \"ch\"\n[dependencies]\nclickhouse = \"0.13\"\n");
        write(&root, "ch/migrations/0001_events.sql", "CREATE TABLE e (id UInt64)\nENGINE = MergeTree ORDER BY id;\n");
        write(&root, "c/migrations/clickhouse/0001_x.sql", "CREATE TABLE x (a String) ENGINE = ReplacingMergeTree;\n");
        write(&root, "scripts/027_docs/0001_fix.sql", "UPDATE t SET id = 1;\n");
        write(&root, "backend/scripts/seed_data/users.sql", "INSERT INTO t VALUES (1);\n");
        write(&root, "old/0001_legacy.sql", "CREATE TABLE l (id INT);\n");
        let s = survey(&root, &files(&root));
        assert!(s.from_code);
        assert_eq!(rel(&root, &s.run), ["a/db", "b/schema", "c/migrations"]);
        let other: Vec<(String, String)> =
            s.other.iter().map(|(d, r)| (rel(&root, std::slice::from_ref(d))[0].clone(), r.describe())).collect();
        assert_eq!(
            other,
            [
                ("backend/scripts/seed_data".to_string(), "seed data, not migrations".to_string()),
                (
                    "c/migrations/clickhouse".into(),
                    "ClickHouse DDL: 0001_x.sql:1: CREATE TABLE x (a String) ENGINE = ReplacingMergeTree;".into()
                ),
                ("ch/migrations".into(), "ClickHouse DDL: 0001_events.sql:2: ENGINE = MergeTree ORDER BY id;".into()),
                ("old".into(), NotMigrations::NotReferenced.describe()),
                ("scripts/027_docs".into(), "scripts, not migrations".into()),
            ]
        );
    }

    #[test]
    fn without_code_file_names_decide_and_other_dialects_are_left_out() {
        let (_d, root) = tree(&[
            ("db/0001_a.sql", "CREATE TABLE t (id INT);\n"),
            ("analytics/0001_a.sql", "CREATE TABLE t (id INT) ENGINE=InnoDB AUTO_INCREMENT=3;\n"),
            ("seed/users.sql", "INSERT INTO t VALUES (1);\n"),
            ("queries/report.sql", "SELECT 1;\n"),
        ]);
        let s = survey(&root, &files(&root));
        assert!(!s.from_code);
        assert_eq!(rel(&root, &s.run), ["db"]);
        let reasons: Vec<String> = s.other.iter().map(|(_, r)| r.describe()).collect();
        assert_eq!(
            reasons,
            [
                "MySQL DDL: 0001_a.sql:1: CREATE TABLE t (id INT) ENGINE=InnoDB AUTO_INCREMENT=3;",
                "no <integer>_<name>.sql files (sqlx would run none)",
                "seed data, not migrations",
            ]
        );
    }
}
