//! A first run on a generated monorepo shaped like the one issue 17 describes: one Cargo workspace
//! whose services run sqlx migrations (`sqlx::migrate!` relative to each crate, `Migrator::new`
//! from the workspace root, a sqlx crate's default `migrations/`), next to ClickHouse schema
//! directories, SQL scripts and seed data, a registry, and `master` as the default branch.
//! `nova init` must choose what the code runs and say why it left the rest out; `nova check`
//! must then give a sensible result.
mod common;

use assert_cmd::Command;
use common::{copy_dir, git, repo_root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.env("NO_COLOR", "1").current_dir(dir);
    c
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const PG_TABLE: &str = "CREATE TABLE {t} (\n    id UUID PRIMARY KEY,\n    name TEXT NOT NULL\n);\n";

/// The generated monorepo, committed on `master`.
fn monorepo(root: &Path) {
    let services = ["users", "orders", "billing", "search"];
    let members: Vec<String> = services
        .iter()
        .map(|s| format!("\"backend/services/{s}\""))
        .chain(["\"backend/clickhouse-client\"".to_string(), "\"backend/jobs\"".to_string()])
        .collect();
    write(
        root,
        "Cargo.toml",
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[workspace.dependencies]\nsqlx = {{ version = \"0.8\", features = [\"postgres\"] }}\n",
            members.join(", ")
        ),
    );
    for (i, s) in services.iter().enumerate() {
        let dir = format!("backend/services/{s}");
        write(
            root,
            &format!("{dir}/Cargo.toml"),
            &format!("[package]\nname = \"{s}\"\n\n[dependencies]\nsqlx = {{ workspace = true }}\n"),
        );
        let main = match i {
            // The sqlx-cli default next to a crate that uses sqlx (no migrate! call).
            3 => "fn main() {}\n".to_string(),
            _ => "static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!(\"./migrations\");\n\nfn main() {}\n"
                .to_string(),
        };
        write(root, &format!("{dir}/src/main.rs"), &main);
        write(root, &format!("{dir}/migrations/0001_init.sql"), &PG_TABLE.replace("{t}", s));
        write(root, &format!("{dir}/migrations/0002_more.sql"), &PG_TABLE.replace("{t}", &format!("{s}_more")));
    }
    // Legacy debt in a migration sqlx runs: a soft-deletable table without deleted_by.
    write(
        root,
        "backend/services/billing/migrations/0003_legacy.sql",
        "CREATE TABLE invoices (\n    id UUID PRIMARY KEY,\n    deleted_at TIMESTAMPTZ\n);\n",
    );
    // ClickHouse DDL under a sqlx service's migrations (sqlx reads only the top level).
    write(
        root,
        "backend/services/orders/migrations/clickhouse/0001_order_events.sql",
        "CREATE TABLE order_events (id UUID, at DateTime)\nENGINE = MergeTree\nORDER BY at;\n",
    );
    // A job runner whose migrations are read at run time from the workspace root.
    write(
        root,
        "backend/jobs/Cargo.toml",
        "[package]\nname = \"jobs\"\n\n[dependencies]\nsqlx = { workspace = true }\n",
    );
    write(
        root,
        "backend/jobs/src/main.rs",
        "use std::path::Path;\n\nasync fn migrate() {\n    let m = sqlx::migrate::Migrator::new(Path::new(\"backend/jobs/db\")).await.unwrap();\n}\n\nfn main() {}\n",
    );
    write(root, "backend/jobs/db/0001_jobs.sql", &PG_TABLE.replace("{t}", "jobs"));
    // A ClickHouse client crate with a migrations/ directory sqlx never runs.
    write(
        root,
        "backend/clickhouse-client/Cargo.toml",
        "[package]\nname = \"clickhouse-client\"\n\n[dependencies]\nclickhouse = \"0.13\"\n",
    );
    write(root, "backend/clickhouse-client/src/lib.rs", "pub fn connect() {}\n");
    write(
        root,
        "backend/clickhouse-client/migrations/0001_events.sql",
        "CREATE TABLE events (id UInt64, name LowCardinality(String))\nENGINE = ReplacingMergeTree\nORDER BY id;\n",
    );
    write(
        root,
        "backend/clickhouse/0001_schema.sql",
        "CREATE TABLE hits (id UInt64) ENGINE = MergeTree ORDER BY id;\n",
    );
    // Scripts and seed data: SQL, some with sqlx-style names, none of it migrations.
    write(root, "backend/migrations/scripts/0001_backfill.sql", "UPDATE users SET name = 'x' WHERE name IS NULL;\n");
    write(root, "scripts/027_docs/0001_docs.sql", "SELECT 1;\n");
    write(root, "scripts/pending_review/0002_drop.sql", "DROP TABLE users;\n");
    write(
        root,
        "backend/scripts/seed_data/users.sql",
        "INSERT INTO users (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'a');\n",
    );
    copy_dir(&repo_root().join("nova-protos"), &root.join("nova-protos"));
    git(root, &["init", "-q", "-b", "master"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "init"]);
}

/// The migration with the repository's legacy debt.
const LEGACY: &str = "backend/services/billing/migrations/0003_legacy.sql";

fn paths_of(doc: &Value) -> BTreeSet<String> {
    doc["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["path"].as_str().map(str::to_string)).collect()
}

#[test]
fn init_then_check_on_a_monorepo() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().canonicalize().unwrap();
    monorepo(&root);

    // Without a nova.toml, discovery already picks what the code runs.
    let out = nova(&root).args(["--format", "json", "check", "--only", "migrations"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["checks"][0]["files"], 10, "{doc:#}");
    assert_eq!(paths_of(&doc), BTreeSet::from([LEGACY.to_string()]), "{doc:#}");

    let out = nova(&root).arg("init").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!("monorepo_init_stdout", stdout);
    let toml_text = std::fs::read_to_string(root.join("nova.toml")).unwrap();
    let loaded = nova::config::load_file(&root.join("nova.toml")).unwrap();
    let dirs: Vec<String> = loaded.config.migrations.dirs.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        dirs,
        [
            "backend/jobs/db",
            "backend/services/billing/migrations",
            "backend/services/orders/migrations",
            "backend/services/search/migrations",
            "backend/services/users/migrations",
        ],
        "{toml_text}"
    );
    assert_eq!(loaded.config.check.base.as_deref(), Some("master"), "{toml_text}");
    let dialects: Vec<(&str, &str)> =
        loaded.config.migrations.dialect.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        dialects,
        [
            ("backend/clickhouse", "clickhouse"),
            ("backend/clickhouse-client/migrations", "clickhouse"),
            ("backend/services/orders/migrations/clickhouse", "clickhouse"),
        ],
        "{toml_text}"
    );
    let skip: Vec<String> = loaded.config.migrations.skip.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        skip,
        ["backend/migrations/scripts", "backend/scripts/seed_data", "scripts/027_docs", "scripts/pending_review"],
        "{toml_text}"
    );
    insta::assert_snapshot!("monorepo_nova_toml_migrations", migrations_section(&toml_text));

    // The first check: every checker runs, no input error, findings only about the legacy
    // migration (none about ClickHouse DDL, scripts or seed data).
    let out = nova(&root).args(["--format", "json", "check"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    let statuses: Vec<(&str, &str)> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["checker"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    // No Kubernetes manifests in this monorepo: init wrote `[k8s]` commented out.
    assert_eq!(statuses, [("proto", "ok"), ("migrations", "errors"), ("wiring", "ok"), ("k8s", "not_run")], "{doc:#}");
    assert_eq!(paths_of(&doc), BTreeSet::from([LEGACY.to_string()]), "{doc:#}");
    let legacy = doc["diagnostics"].as_array().unwrap().len();

    // `nova init --baseline` accepts today's findings: the gate passes.
    let out = nova(&root).args(["init", "--baseline", "--force"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(&format!("created nova-baseline.json ({legacy} findings accepted")), "{stdout}");
    let loaded = nova::config::load_file(&root.join("nova.toml")).unwrap();
    assert_eq!(loaded.config.check.baseline.as_deref(), Some(Path::new("nova-baseline.json")));
    assert_eq!(loaded.config.check.base.as_deref(), Some("master"));
    nova(&root).arg("check").assert().code(0);
    // Again without --force: the baseline is not overwritten.
    let out = nova(&root).args(["init", "--baseline"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nova-baseline.json"));

    // A new violation in a migration sqlx runs fails the gate.
    write(
        &root,
        "backend/services/users/migrations/0003_soft.sql",
        "ALTER TABLE users ADD COLUMN deleted_at TIMESTAMPTZ;\n",
    );
    let out = nova(&root).args(["--format", "json", "check"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    assert!(paths_of(&doc).iter().all(|p| p.starts_with("backend/services/users/migrations/")), "{doc:#}");
}

/// The `[migrations]` part of a nova.toml (up to the next top-level section).
fn migrations_section(text: &str) -> String {
    let start = text.find("[migrations]").unwrap();
    let rest = &text[start..];
    let end = rest.find("\n[wiring]").or_else(|| rest.find("\n# No Cargo")).unwrap_or(rest.len());
    rest[..end].trim_end().to_string()
}
