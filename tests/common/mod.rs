//! Helpers several integration-test binaries share: the repository root, copying fixture trees
//! into temp dirs, and running git with a fixed identity and no user or system configuration.
//! Each test binary compiles this module on its own (`mod common;`), so helpers one binary does
//! not use are allowed to be dead there.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The nova repository (where `examples/`, `nova-protos/` and `tests/fixtures/` live).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy the tree at `from` to `to` (created as needed).
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Run git in `dir` and return its trimmed stdout; fail the test if git fails. The identity,
/// `main` as the first branch and file-URL submodules are fixed here, and the user's and the
/// system's configuration and any GIT_DIR-style variables of the outer process are ignored, so
/// results do not depend on the machine.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=nova-test", "-c", "user.email=nova@test.invalid", "-c", "commit.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `git init` on branch `main`.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
}

/// Stage everything, commit it, and return the new commit's id.
pub fn git_commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// The PostgreSQL the tests may use (`NOVA_TEST_PG_URL`, exported by `.ci/postgres.sh`), or `None`
/// after saying the test (or its `part`) is skipped. Under `NOVA_REQUIRE_PG` (set by `.ci/run`) a
/// missing URL fails the test instead: in CI a PostgreSQL test never passes by skipping.
pub fn pg_url(part: &str) -> Option<String> {
    match std::env::var("NOVA_TEST_PG_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var_os("NOVA_REQUIRE_PG").is_none(),
                "NOVA_REQUIRE_PG is set but NOVA_TEST_PG_URL is not"
            );
            println!("skipped{part}: NOVA_TEST_PG_URL unset");
            None
        }
    }
}
