//! Real migrations from crates on crates.io (`.ci/crates-corpus.sh` downloads them, pinned by
//! version and SHA-256, into `NOVA_CRATES_CORPUS`), used as published: nova's verdicts and model
//! agree with PostgreSQL on every stream (`--verify-with`): no SQL_SYNTAX_ERROR, no
//! MIGRATION_WOULD_FAIL, no VERIFY_APPLY_FAILED and no VERIFY_MISMATCH. Skipped without the corpus
//! or a server, unless NOVA_REQUIRE_CORPUS / NOVA_REQUIRE_PG say CI must run it.
mod common;

use assert_cmd::Command;
use std::path::PathBuf;

/// (crate directory, migrations directory inside it, files nova reads there).
const STREAMS: &[(&str, &str, usize)] = &[
    ("apalis-postgres-1.0.0", "migrations", 23),
    ("apalis-sql-0.7.4", "migrations/postgres", 10),
    // Reversible migrations: nova reads the `.up.sql` files, as `sqlx migrate run` does.
    ("sqlxmq-0.6.0", "migrations", 5),
    ("underway-0.2.0", "migrations", 6),
];

#[test]
fn crates_io_migrations_agree_with_postgres() {
    let Some(corpus) = std::env::var_os("NOVA_CRATES_CORPUS").map(PathBuf::from) else {
        assert!(
            std::env::var_os("NOVA_REQUIRE_CORPUS").is_none(),
            "NOVA_REQUIRE_CORPUS is set but NOVA_CRATES_CORPUS is not"
        );
        eprintln!("skipped: NOVA_CRATES_CORPUS unset (`. .ci/crates-corpus.sh` downloads the corpus)");
        return;
    };
    let Some(url) = common::pg_url("") else { return };
    for (krate, dir, files) in STREAMS {
        let path = corpus.join(krate).join(dir);
        assert!(path.is_dir(), "{} is missing: run `. .ci/crates-corpus.sh`", path.display());
        let out = Command::cargo_bin("nova")
            .unwrap()
            .args(["--format", "json", "migrations", "check"])
            .arg(&path)
            .args(["--verify-with", &url])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let bad: Vec<String> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                let r = d["rule"].as_str().unwrap_or("");
                r.starts_with("VERIFY_")
                    || r == "SQL_SYNTAX_ERROR"
                    || r == "MIGRATION_WOULD_FAIL"
                    || d["kind"] == "input_error"
            })
            .map(|d| format!("{} {}:{} {}", d["rule"], d["path"], d["line"], d["message"]))
            .collect();
        assert!(bad.is_empty(), "{krate}/{dir}:\n{}", bad.join("\n"));
        assert_eq!(doc["summary"]["files"].as_u64(), Some(*files as u64), "{krate}/{dir}");
    }
}
