//! PostgreSQL's own parser (libpg_query through pglast) as the oracle of what is valid SQL and
//! PL/pgSQL: over every migration fixture, nova reports `SQL_SYNTAX_ERROR` (and even the
//! `PLPGSQL_NOT_ANALYSED` warning) only in files libpg_query rejects, and the PL/pgSQL fixtures nova
//! must accept are ones libpg_query accepts.
//!
//! Needs `python3` with `pglast` (`.ci/run` installs pglast 8.8, PostgreSQL 18's parser). Without
//! it the test says it was skipped, except under `NOVA_REQUIRE_PGLAST` (set by `.ci/run`).
use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations")
}

fn pglast_available() -> bool {
    std::process::Command::new("python3").args(["-c", "import pglast"]).output().is_ok_and(|o| o.status.success())
}

/// libpg_query's verdict per file: true when it accepts the file.
fn verdicts(files: &[PathBuf]) -> BTreeMap<PathBuf, bool> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pglast/verdicts.py");
    let out = std::process::Command::new("python3").arg(script).args(files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (path, v) = l.rsplit_once(' ').unwrap();
            (PathBuf::from(path), v == "OK")
        })
        .collect()
}

/// (file, rule) of every `SQL_SYNTAX_ERROR` / `PLPGSQL_NOT_ANALYSED` nova reports, over every
/// fixture directory.
fn nova_syntax_errors(dirs: &[PathBuf]) -> BTreeSet<(PathBuf, String)> {
    let mut out = BTreeSet::new();
    for d in dirs {
        let o = Command::cargo_bin("nova")
            .unwrap()
            .args(["--format", "json", "migrations", "check"])
            .arg(d)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        for diag in json["diagnostics"].as_array().unwrap() {
            let rule = diag["rule"].as_str().unwrap();
            if rule == "SQL_SYNTAX_ERROR" || rule == "PLPGSQL_NOT_ANALYSED" {
                let file = d.join(Path::new(diag["path"].as_str().unwrap()).file_name().unwrap());
                out.insert((file, rule.to_string()));
            }
        }
    }
    out
}

#[test]
fn syntax_errors_only_where_postgres_rejects() {
    if !pglast_available() {
        assert!(std::env::var_os("NOVA_REQUIRE_PGLAST").is_none(), "NOVA_REQUIRE_PGLAST is set but pglast is missing");
        println!("skipped: python3 with pglast not found (pip install pglast==8.8)");
        return;
    }
    let mut files = Vec::new();
    let mut dirs = BTreeSet::new();
    for e in walkdir::WalkDir::new(root()).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "sql") {
            files.push(e.path().to_path_buf());
            dirs.insert(e.path().parent().unwrap().to_path_buf());
        }
    }
    let ok = verdicts(&files);
    assert_eq!(ok.len(), files.len());
    let dirs: Vec<PathBuf> = dirs.into_iter().collect();
    let reported = nova_syntax_errors(&dirs);
    for (f, rule) in &reported {
        assert_eq!(ok.get(f), Some(&false), "nova reports {rule} in {}, which PostgreSQL accepts", f.display());
    }
    assert!(reported.len() >= 3, "the failing fixtures are reported: {reported:?}");
    // The PL/pgSQL forms nova must accept are valid, the broken bodies are not.
    let r = root();
    for (f, valid) in [
        ("sql_syntax_error/pass/0002_plpgsql_forms.sql", true),
        ("sql_syntax_error/pass/0003_select_into.sql", true),
        ("plpgsql_not_analysed/pass/0001_do.sql", true),
        ("sql_syntax_error/fail/0002_plpgsql.sql", false),
        ("plpgsql_not_analysed/fail/0001_do.sql", false),
    ] {
        assert_eq!(ok.get(&r.join(f)), Some(&valid), "{f}");
    }
}
