//! Standalone checkers and `nova check` see the same files: on a tree with hidden files, hidden
//! directories, `target/`, `vendor/` and symbolic links, each checker run alone reports exactly
//! the findings `nova check` reports for it, and a proto tree read from git history holds the
//! same files as the worktree walk (so an unchanged tree never "deletes" a file).
mod common;

use assert_cmd::Command;
use common::{git_commit_all, git_init};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// (checker, rule, path, line, column) of a diagnostic.
type Finding = (String, String, String, u64, u64);

/// Every diagnostic of a JSON report, and the exit code.
fn findings(dir: &Path, args: &[&str]) -> (BTreeSet<Finding>, i32) {
    let out =
        Command::cargo_bin("nova").unwrap().current_dir(dir).arg("--format").arg("json").args(args).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    let set = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["checker"].as_str().unwrap_or("").to_string(),
                d["rule"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (set, out.status.code().unwrap())
}

fn of(
    set: &BTreeSet<(String, String, String, u64, u64)>,
    checkers: &[&str],
) -> BTreeSet<(String, String, String, u64, u64)> {
    set.iter().filter(|f| checkers.contains(&f.0.as_str())).cloned().collect()
}

const BAD_PROTO: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage lower_case { string badName = 1; }\n";

fn tree(root: &Path) {
    write(root, "nova-protos/buf.yaml", "version: v2\n");
    write(
        root,
        "nova-protos/acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A { string bad_Name = 1; }\n",
    );
    // A hidden file is read (buf reads it too); hidden directories and target/ are skipped.
    write(root, "nova-protos/acme/v1/.hidden.proto", BAD_PROTO);
    write(root, "nova-protos/acme/v1/.cache/c.proto", BAD_PROTO);
    write(root, "nova-protos/acme/v1/target/t.proto", BAD_PROTO);
    for (dir, name) in [("services/orders", "orders"), ("vendor/dep", "dep"), ("target/gen", "gen"), (".hidden/h", "h")]
    {
        write(
            root,
            &format!("{dir}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nactix-web = \"4\"\n"
            ),
        );
        write(
            root,
            &format!("{dir}/src/main.rs"),
            "use actix_web::{App, HttpServer, web};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new().route(\"/\", web::get().to(|| async { \"ok\" })))\n        .bind(\"0.0.0.0:8080\")?\n        .run()\n        .await\n}\n",
        );
        write(
            root,
            &format!("{dir}/k8s/deployment.yaml"),
            &format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {name}\n          image: r/{name}\n"
            ),
        );
        write(
            root,
            &format!("{dir}/migrations/0001_init.sql"),
            "CREATE TABLE items (id bigint PRIMARY KEY, deleted_at timestamptz);\nCREATE UNIQUE INDEX items_name ON items (id);\n",
        );
    }
    write(root, "services/orders/migrations/.0002_hidden.sql", "ALTER TABLE items ADD COLUMN x int NOT NULL;\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("services/orders/src"), root.join("services/orders/src-link")).unwrap();
}

#[test]
fn standalone_checkers_and_nova_check_see_the_same_files() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    tree(root);
    // `nova check` judges the registry against the base branch too: commit the tree.
    git_init(root);
    git_commit_all(root, "init");
    let (all, _) = findings(root, &["check", "--only", "proto,migrations,wiring,k8s"]);
    // Lint names files below the directory it was given, as buf does.
    let (lint, _) = findings(root, &["proto", "lint", "nova-protos"]);
    let lint: BTreeSet<_> = lint.into_iter().map(|(c, r, p, l, k)| (c, r, format!("nova-protos/{p}"), l, k)).collect();
    assert_eq!(of(&all, &["proto"]), lint, "proto lint alone vs nova check");
    assert!(lint.iter().any(|f| f.2.ends_with(".hidden.proto")), "the hidden file is linted: {lint:?}");
    assert!(!lint.iter().any(|f| f.2.contains(".cache/") || f.2.contains("target/")), "{lint:?}");
    let (wiring, _) = findings(root, &["wiring", "check"]);
    assert_eq!(of(&all, &["wiring"]), of(&wiring, &["wiring"]), "wiring alone vs nova check");
    assert!(wiring.iter().any(|f| f.2.starts_with("services/orders/")), "{wiring:?}");
    assert!(!wiring.iter().any(|f| f.2.starts_with("vendor/") || f.2.starts_with("target/")), "{wiring:?}");
    let (migrations, _) = findings(root, &["migrations", "check"]);
    assert_eq!(of(&all, &["migrations"]), of(&migrations, &["migrations"]), "migrations alone vs nova check");
    assert!(migrations.iter().any(|f| f.2.starts_with("services/orders/migrations/")), "{migrations:?}");
    let (k8s, _) = findings(root, &["k8s", "check"]);
    assert_eq!(of(&all, &["k8s"]), of(&k8s, &["k8s"]), "k8s alone vs nova check");
    assert!(k8s.iter().any(|f| f.2 == "services/orders/k8s/deployment.yaml"), "{k8s:?}");
    assert!(
        !k8s.iter().any(|f| f.2.starts_with("vendor/") || f.2.starts_with("target/") || f.2.starts_with(".hidden/")),
        "{k8s:?}"
    );
}

#[test]
fn a_committed_tree_compared_with_itself_loses_no_file() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    tree(root);
    git_init(root);
    git_commit_all(root, "init");
    let (breaking, code) = findings(root, &["proto", "breaking", "nova-protos", "--against", "HEAD"]);
    assert_eq!((breaking.clone(), code), (BTreeSet::new(), 0), "{breaking:?}");
    // A directory baseline holding the same tree agrees.
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(&root.join("nova-protos"), copy.path());
    let against = copy.path().to_str().unwrap();
    let (breaking, code) = findings(root, &["proto", "breaking", "nova-protos", "--against", against]);
    assert_eq!((breaking.clone(), code), (BTreeSet::new(), 0), "{breaking:?}");
}
