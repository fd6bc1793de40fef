//! Read-only guarantee: no checker, `--dry-run` generator or history-reading command touches the
//! user's repository. A real git repository (two branches, a tag, packed and loose refs, a staged
//! change, an unstaged change, an untracked file, a proto registry, migrations, a Cargo workspace)
//! is snapshotted (every file's content hash, size, mode and mtime, `.git` included: index bytes,
//! HEAD, refs, packed-refs, objects), then every read-only command runs and the snapshot must be
//! identical after each one.

mod common;

#[path = "hostile/support.rs"]
mod support;

use common::{git, git_commit_all, git_init};
use std::path::Path;
use std::time::Duration;
use support::*;

const PROTO_V1: &str = "syntax = \"proto3\";\npackage orders.v1;\n\n// An order.\nmessage Order {\n  // Its id.\n  string id = 1;\n  // Who placed it.\n  string customer_id = 2;\n}\n";
const PROTO_V2: &str = "syntax = \"proto3\";\npackage orders.v1;\n\n// An order.\nmessage Order {\n  // Its id.\n  string id = 1;\n  // Total in cents.\n  int64 total = 3;\n}\n";
const MAIN_RS: &str = "use actix_web::{App, HttpServer};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8080))?.run().await\n}\n";

/// The repository every command runs in; returns nothing, everything is on disk.
fn build_repo(d: &Path) {
    git_init(d);
    write(
        d,
        "nova.toml",
        "[proto]\nregistry = \"nova-protos\"\n\n[migrations]\ndirs = [\"services/orders/migrations\"]\n\n[wiring]\n",
    );
    write(d, "nova-protos/protos/orders/v1/orders.proto", PROTO_V1);
    write(d, "nova-protos/CHANGELOG.md", "# Changelog\n\n## [1.0.0] - 2026-01-01\n- First release.\n");
    write(d, "services/Cargo.toml", "[workspace]\nmembers = [\"orders\"]\nresolver = \"2\"\n");
    write(d, "services/orders/Cargo.toml", "[package]\nname = \"orders\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    write(d, "services/orders/src/main.rs", MAIN_RS);
    write(
        d,
        "services/orders/migrations/0001_init.sql",
        "CREATE TABLE orders (\n  id UUID PRIMARY KEY,\n  deleted_at TIMESTAMPTZ,\n  deleted_by UUID\n);\n",
    );
    git_commit_all(d, "initial backend");
    git(d, &["tag", "v1.0.0"]);
    git(d, &["pack-refs", "--all"]);
    git(d, &["checkout", "-q", "-b", "feature"]);
    write(d, "nova-protos/protos/orders/v1/orders.proto", PROTO_V2);
    write(
        d,
        "services/orders/migrations/0002_items.sql",
        "CREATE TABLE items (id UUID PRIMARY KEY, order_id UUID REFERENCES orders(id) ON DELETE CASCADE);\n",
    );
    git_commit_all(d, "feature: change order, add items");
    git(d, &["branch", "loose-branch"]);
    // Staged, unstaged and untracked changes: a command that rewrites the index or stashes would show.
    write(d, "services/orders/migrations/0003_staged.sql", "ALTER TABLE items ADD COLUMN deleted_at TIMESTAMP;\n");
    git(d, &["add", "services/orders/migrations/0003_staged.sql"]);
    write(d, "services/orders/src/main.rs", format!("{MAIN_RS}// unstaged edit\n"));
    write(d, "services/orders/src/untracked.rs", "pub fn helper() {}\n");
}

/// Every command that promises to write nothing.
const READ_ONLY: &[&[&str]] = &[
    &["proto", "lint"],
    &["--format", "json", "proto", "lint", "nova-protos"],
    &["proto", "breaking", "--against", "HEAD~1"],
    &["proto", "breaking", "nova-protos", "--against", "main", "--subdir", "nova-protos"],
    &["proto", "check"],
    &["--format", "sarif", "proto", "check", "--base", "main"],
    &["migrations", "check"],
    &["migrations", "check", "--since", "HEAD~1"],
    &["--format", "json", "migrations", "check", "services/orders/migrations", "--since", "v1.0.0"],
    &["wiring", "check"],
    &["wiring", "check", "--diff"],
    &["check"],
    &["check", "--changed-since", "HEAD~1"],
    &["--format", "junit", "check", "--changed-since", "main"],
    &["rules"],
    &["explain", "FIELD_LOWER_SNAKE_CASE"],
    &["new", "billing", "--http", "--grpc", "--kafka", "--db", "--dry-run"],
    &["new", "billing", "--http", "--dry-run", "--diff"],
    &["gen", "outbox", "--service", "orders", "--dry-run"],
    &["gen", "circuit-breaker", "--service", "orders", "--dependency", "auth", "--preset", "grpc", "--dry-run"],
    &["templates", "list"],
];

#[test]
fn read_only_commands_change_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    let repo = root.join("repo");
    std::fs::create_dir(&repo).expect("mkdir repo");
    build_repo(&repo);
    // Generators resolve the workspace from the cwd: run those in the Cargo workspace.
    let services = repo.join("services");

    let before = snapshot(root);
    for must in [
        "repo/.git/index",
        "repo/.git/HEAD",
        "repo/.git/packed-refs",
        "repo/.git/refs/heads/feature",
        "repo/.git/refs/heads/loose-branch",
    ] {
        assert!(
            before.contains_key(must),
            "the fixture repository lacks {must}: the test would prove nothing about it"
        );
    }

    let mut failures = Vec::new();
    for argv in READ_ONLY {
        let cwd = if matches!(argv.first(), Some(&"new" | &"gen" | &"templates")) { &services } else { &repo };
        let args: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let out = run_nova(cwd, &args, Duration::from_secs((60.0 * timeout_scale()) as u64));
        let mut problems = out.crash_problems();
        let changed = snapshot_diff(&before, &snapshot(root));
        if !changed.is_empty() {
            problems.push(format!("changed the repository: {changed:#?}"));
        }
        eprintln!(
            "{:<4} nova {} (exit {:?}, {:.2?})",
            if problems.is_empty() { "ok" } else { "FAIL" },
            argv.join(" "),
            out.code,
            out.elapsed
        );
        if !problems.is_empty() {
            failures.push(format!("## nova {}\n{}\n{}", argv.join(" "), problems.join("\n"), out.describe()));
        }
    }
    assert!(failures.is_empty(), "{} read-only command(s) misbehaved:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The snapshot must notice what it exists to notice, or the test above proves nothing.
#[test]
fn snapshot_detects_content_mtime_index_and_ref_changes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    build_repo(repo);
    let base = snapshot(repo);

    // Same bytes, new mtime: a rewrite with identical content is still a write.
    let main = repo.join("services/orders/src/main.rs");
    let bytes = std::fs::read(&main).expect("read");
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&main, &bytes).expect("rewrite");
    let d = snapshot_diff(&base, &snapshot(repo));
    assert!(d.iter().any(|l| l.contains("services/orders/src/main.rs")), "{d:?}");

    let base = snapshot(repo);
    git(repo, &["update-ref", "refs/heads/loose-branch", "HEAD~1"]);
    let d = snapshot_diff(&base, &snapshot(repo));
    assert!(d.iter().any(|l| l.contains(".git/refs/heads/loose-branch")), "{d:?}");

    let base = snapshot(repo);
    git(repo, &["reset", "-q", "services/orders/migrations/0003_staged.sql"]);
    let d = snapshot_diff(&base, &snapshot(repo));
    assert!(d.iter().any(|l| l.contains(".git/index")), "{d:?}");

    let base = snapshot(repo);
    write(repo, "services/orders/new_file.rs", "");
    let d = snapshot_diff(&base, &snapshot(repo));
    assert_eq!(d, vec!["created: services/orders/new_file.rs".to_string()]);
}
