//! The pull-request gate never passes what its parts fail: `nova check --changed-since REF` exits
//! 1 whenever a standalone command judging the same change (`nova proto check --base REF`, `nova
//! migrations check --since REF`, `nova wiring check`) reports an error the change introduced, and
//! it reports every finding the change introduced.
//!
//! Repositories are built from `tests/fixtures/change-gate/` (see its README): a superproject with
//! a proto registry (a git submodule or a plain directory), a migrations directory and a service
//! crate. A generated pull request edits any mix of them, committed or left in the worktree.
mod common;

use assert_cmd::Command;
use common::{copy_dir, git, git_commit_all, git_init, repo_root};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/change-gate")
}

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1").env("GIT_CONFIG_NOSYSTEM", "1").env("GIT_CONFIG_GLOBAL", "/dev/null");
    c
}

/// A finding as the user sees it, independent of line shifts: (rule, path, message).
type Finding = (String, String, String);

struct Run {
    code: i32,
    findings: BTreeSet<Finding>,
    errors: BTreeSet<Finding>,
}

/// Run nova with `--format json` in `dir` and collect its findings.
fn run(dir: &Path, args: &[&str]) -> Run {
    let out = nova(dir).args(["--format", "json"]).args(args).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "nova {args:?}: not JSON ({e}), exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let (mut findings, mut errors) = (BTreeSet::new(), BTreeSet::new());
    for d in doc["diagnostics"].as_array().unwrap() {
        let f = (
            d["rule"].as_str().unwrap_or_default().to_string(),
            d["path"].as_str().unwrap_or("-").to_string(),
            d["message"].as_str().unwrap_or_default().to_string(),
        );
        if d["severity"] == "error" {
            errors.insert(f.clone());
        }
        findings.insert(f);
    }
    Run { code, findings, errors }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// The base commit: the superproject with its registry, as a submodule (whose origin lives in
/// `tmp/registry-origin`) or as a plain directory. Returns the superproject.
fn base_repository(tmp: &Path, submodule: bool) -> PathBuf {
    let fx = fixture();
    let sup = tmp.join("super");
    std::fs::create_dir_all(&sup).unwrap();
    git_init(&sup);
    std::fs::copy(fx.join("nova.toml"), sup.join("nova.toml")).unwrap();
    copy_dir(&fx.join("service"), &sup.join("services/user-service"));
    copy_dir(&fx.join("migrations"), &sup.join("migrations"));
    if submodule {
        let origin = tmp.join("registry-origin");
        copy_dir(&fx.join("registry"), &origin);
        git_init(&origin);
        git_commit_all(&origin, "registry 1.0.0");
        git(&sup, &["submodule", "add", "-q", &format!("file://{}", origin.display()), "nova-protos"]);
    } else {
        copy_dir(&fx.join("registry"), &sup.join("nova-protos"));
    }
    git_commit_all(&sup, "base");
    sup
}

const USERS: &str = "nova-protos/protos/user/v1/users.proto";
const CHANGELOG: &str = "nova-protos/CHANGELOG.md";

fn delete_name_field(sup: &Path) {
    write(sup, USERS, &read(sup, USERS).replace("  string name = 3;\n", ""));
}

fn add_field(sup: &Path) {
    write(sup, USERS, &read(sup, USERS).replace("  string name = 3;\n", "  string name = 3;\n  string phone = 4;\n"));
}

fn add_camel_case_message(sup: &Path) {
    write(sup, USERS, &format!("{}\nmessage Session {{\n  string deviceId = 1;\n}}\n", read(sup, USERS)));
}

fn bump_changelog(sup: &Path, version: &str) {
    let text =
        read(sup, CHANGELOG).replace("## [1.0.0]", &format!("## [{version}] - 2026-02-01\n- change\n\n## [1.0.0]"));
    write(sup, CHANGELOG, &text);
}

/// Finish a pull request's registry edits: in a submodule, commit them there (or leave the
/// submodule's worktree dirty) and stage the moved pointer.
fn finish_registry(sup: &Path, submodule: bool, commit_in_submodule: bool) {
    if submodule && commit_in_submodule {
        let sub = sup.join("nova-protos");
        git(&sub, &["add", "-A"]);
        git(&sub, &["commit", "-q", "--allow-empty", "-m", "registry change"]);
        git(sup, &["add", "nova-protos"]);
    }
}

/// What a standalone command and the gate say about the change since `base`.
struct Verdicts {
    /// Findings each standalone command reports after the change and did not report before it.
    introduced: BTreeSet<Finding>,
    introduced_errors: BTreeSet<Finding>,
    gate: Run,
}

/// The standalone commands that judge a change since `base` (the wiring checker has no ref: it is
/// compared before and after).
fn standalone(sup: &Path, base: &str) -> Vec<Run> {
    vec![
        run(sup, &["proto", "check", "--base", base]),
        run(sup, &["migrations", "check", "--since", base]),
        run(sup, &["wiring", "check"]),
    ]
}

/// Run the standalone commands before `change`, apply it, run them and the gate after.
fn judge(sup: &Path, change: impl FnOnce(&Path)) -> Verdicts {
    let base = git(sup, &["rev-parse", "HEAD"]);
    let before = standalone(sup, &base);
    for r in &before {
        assert_ne!(r.code, 2, "the base repository is valid input: {:?}", r.findings);
    }
    change(sup);
    let after = standalone(sup, &base);
    let (mut introduced, mut introduced_errors) = (BTreeSet::new(), BTreeSet::new());
    for (b, a) in before.iter().zip(&after) {
        assert_ne!(a.code, 2, "the changed repository is valid input: {:?}", a.findings);
        introduced.extend(a.findings.difference(&b.findings).cloned());
        introduced_errors.extend(a.errors.difference(&b.errors).cloned());
    }
    let gate = run(sup, &["check", "--changed-since", &base]);
    Verdicts { introduced, introduced_errors, gate }
}

fn assert_gate_holds(v: &Verdicts) -> Result<(), TestCaseError> {
    let missing: Vec<&Finding> = v.introduced.difference(&v.gate.findings).collect();
    prop_assert!(missing.is_empty(), "the gate drops findings the change introduced: {missing:?}");
    if !v.introduced_errors.is_empty() {
        prop_assert_eq!(v.gate.code, 1, "errors introduced: {:?}", v.introduced_errors);
    }
    Ok(())
}

fn rules(findings: &BTreeSet<Finding>) -> BTreeSet<&str> {
    findings.iter().map(|f| f.0.as_str()).collect()
}

/// Issue 11, scenario 1: the pull request only moves the registry submodule to a commit that
/// deletes a field and bumps the CHANGELOG by a patch.
#[test]
fn a_submodule_bump_to_a_breaking_commit_fails_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = base_repository(tmp.path(), true);
    let v = judge(&sup, |sup| {
        delete_name_field(sup);
        bump_changelog(sup, "1.0.1");
        finish_registry(sup, true, true);
        git(sup, &["commit", "-qm", "bump the registry"]);
    });
    assert_eq!(rules(&v.introduced_errors), BTreeSet::from(["FIELD_NO_DELETE", "SEMVER_BUMP_TOO_SMALL"]));
    assert_eq!(v.gate.code, 1);
    assert!(v.introduced.is_subset(&v.gate.findings), "{:?} vs {:?}", v.introduced, v.gate.findings);
}

/// Issue 11, scenario 2: a plain-directory registry gains a field and the CHANGELOG is not touched.
#[test]
fn a_registry_change_without_a_changelog_bump_fails_the_gate() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = base_repository(tmp.path(), false);
    let v = judge(&sup, |sup| {
        add_field(sup);
        git_commit_all(sup, "add a field");
    });
    assert_eq!(rules(&v.introduced_errors), BTreeSet::from(["SEMVER_BUMP_TOO_SMALL"]));
    assert_eq!(v.gate.code, 1);
    assert!(v.introduced.is_subset(&v.gate.findings), "{:?} vs {:?}", v.introduced, v.gate.findings);
    // The finding sits on the CHANGELOG the change did not touch.
    assert!(v.gate.errors.iter().any(|f| f.0 == "SEMVER_BUMP_TOO_SMALL" && f.1 == CHANGELOG), "{:?}", v.gate.errors);
}

/// A change that touches none of the registry keeps its findings out of the gate (the rule is
/// not "report everything").
#[test]
fn a_service_only_change_leaves_the_registry_out() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = base_repository(tmp.path(), true);
    // Pre-existing registry debt: a camelCase field committed at the base.
    let sub = sup.join("nova-protos");
    add_camel_case_message(&sup);
    bump_changelog(&sup, "1.1.0");
    git_commit_all(&sub, "debt");
    git_commit_all(&sup, "debt");
    let v = judge(&sup, |sup| {
        std::fs::copy(fixture().join("pr/http_main.rs"), sup.join("services/user-service/src/main.rs")).unwrap();
    });
    assert_eq!(rules(&v.introduced_errors), BTreeSet::from(["HTTP_CORRELATION_MIDDLEWARE"]));
    assert_eq!(v.gate.code, 1);
    assert_eq!(rules(&v.gate.findings), BTreeSet::from(["HTTP_CORRELATION_MIDDLEWARE"]));
}

/// One generated pull request.
#[derive(Debug, Clone)]
struct Change {
    submodule: bool,
    /// 0 none, 1 delete a field, 2 add a field, 3 add a camelCase field.
    proto: u8,
    /// 0 none, else the CHANGELOG's new version: 1.0.1, 1.1.0, 2.0.0.
    changelog: u8,
    /// Registry edits committed inside the submodule (else its worktree is left dirty).
    commit_in_submodule: bool,
    /// 0 none, 1 a new migration with a finding, 2 an edit of the applied one.
    migration: u8,
    /// 0 none, 1 an HTTP server without correlation middleware, 2 a comment in clean code.
    service: u8,
    /// An identical service-local copy of the registry proto (PROTO_DRIFT_COPY).
    drift_copy: bool,
    /// Commit the superproject's change (else leave it staged and unstaged in the worktree).
    commit: bool,
}

fn change() -> impl Strategy<Value = Change> {
    (any::<bool>(), 0u8..4, 0u8..4, any::<bool>(), 0u8..3, 0u8..3, any::<bool>(), any::<bool>()).prop_map(
        |(submodule, proto, changelog, commit_in_submodule, migration, service, drift_copy, commit)| Change {
            submodule,
            proto,
            changelog,
            commit_in_submodule,
            migration,
            service,
            drift_copy,
            commit,
        },
    )
}

fn apply(sup: &Path, c: &Change) {
    match c.proto {
        1 => delete_name_field(sup),
        2 => add_field(sup),
        3 => add_camel_case_message(sup),
        _ => {}
    }
    match c.changelog {
        1 => bump_changelog(sup, "1.0.1"),
        2 => bump_changelog(sup, "1.1.0"),
        3 => bump_changelog(sup, "2.0.0"),
        _ => {}
    }
    finish_registry(sup, c.submodule, c.commit_in_submodule);
    let fx = fixture();
    match c.migration {
        1 => {
            std::fs::copy(fx.join("pr/0002_posts.sql"), sup.join("migrations/0002_posts.sql")).unwrap();
        }
        2 => write(sup, "migrations/0001_init.sql", &format!("{}-- reviewed\n", read(sup, "migrations/0001_init.sql"))),
        _ => {}
    }
    match c.service {
        1 => {
            std::fs::copy(fx.join("pr/http_main.rs"), sup.join("services/user-service/src/main.rs")).unwrap();
        }
        2 => write(sup, "services/user-service/src/main.rs", "// the user service\nfn main() {}\n"),
        _ => {}
    }
    if c.drift_copy {
        let copy = read(sup, USERS);
        write(sup, "services/user-service/proto/users.proto", &copy);
    }
    if c.commit {
        git(sup, &["add", "-A"]);
        git(sup, &["commit", "-q", "--allow-empty", "-m", "pull request"]);
    }
}

/// Cases: `NOVA_PROPTEST_CASES / 10` when set (each case runs nova seven times), else 24.
fn cases() -> u32 {
    std::env::var("NOVA_PROPTEST_CASES").ok().and_then(|v| v.parse::<u32>().ok()).map(|n| (n / 10).max(1)).unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_gate_never_passes_what_its_parts_fail(c in change()) {
        let tmp = tempfile::tempdir().unwrap();
        let sup = base_repository(tmp.path(), c.submodule);
        let v = judge(&sup, |sup| apply(sup, &c));
        assert_gate_holds(&v)?;
    }
}
