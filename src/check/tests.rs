//! `nova check` logic with fake checkers: selection, merging, exit codes, the change filter.
use super::changed::ChangeSet;
use super::*;
use crate::diagnostics::render::{Format, RenderOptions};
use crate::diagnostics::{Diagnostic, FileRef, Label, Severity, Span};
use crate::testutil::{copy_tree, write};
use std::collections::BTreeSet;

fn ctx(cwd: &Path) -> Ctx {
    let config = crate::config::load(cwd, None).unwrap();
    Ctx::new(cwd.to_path_buf(), config, Format::Json, RenderOptions::default())
}

fn loaded(sections: &[&str]) -> LoadedConfig {
    LoadedConfig { sections: sections.iter().map(|s| s.to_string()).collect(), ..Default::default() }
}

fn inv_with(proto: bool, migrations: bool, cargo: bool) -> inventory::Inventory {
    let mut inv = inventory::Inventory::default();
    if proto {
        inv.registry = Some("nova-protos".into());
    }
    if migrations {
        inv.migration_dirs = BTreeSet::from(["migrations".to_string()]);
    }
    if cargo {
        inv.packages = BTreeSet::from([".".to_string()]);
    }
    inv
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn plan_runs_configured_sections_only() {
    let p = plan(&loaded(&["proto", "wiring"]), &inv_with(true, true, true), &[], &[]).unwrap();
    assert_eq!(p.run, vec![Checker::Proto, Checker::Wiring]);
    assert_eq!(
        p.not_run,
        vec![
            (Checker::Migrations, "no [migrations] section in nova.toml".to_string()),
            (Checker::K8s, "no [k8s] section in nova.toml".to_string())
        ]
    );
}

#[test]
fn plan_without_config_runs_what_is_found() {
    let p = plan(&loaded(&[]), &inv_with(false, true, true), &[], &[]).unwrap();
    assert_eq!(p.run, vec![Checker::Migrations, Checker::Wiring]);
    assert_eq!(p.not_run.len(), 2);
    assert_eq!(p.not_run[0].0, Checker::Proto);
    assert_eq!(p.not_run[1], (Checker::K8s, "no Kubernetes manifests found".to_string()));
    // A nova.toml with only unrelated sections counts as "no checker configured".
    let p = plan(&loaded(&["scaffold"]), &inv_with(true, false, false), &[], &[]).unwrap();
    assert_eq!(p.run, vec![Checker::Proto]);
}

#[test]
fn only_and_skip_select_and_unknown_names_fail() {
    let inv = inv_with(true, true, true);
    let p = plan(&loaded(&["proto"]), &inv, &s(&["migrations,wiring"]), &[]).unwrap();
    assert_eq!(p.run, vec![Checker::Migrations, Checker::Wiring], "--only forces unconfigured checkers");
    let p = plan(&loaded(&[]), &inv, &[], &s(&["wiring"])).unwrap();
    assert_eq!(p.run, vec![Checker::Proto, Checker::Migrations]);
    assert!(p.not_run.contains(&(Checker::Wiring, "skipped".to_string())));
    let p = plan(&loaded(&[]), &inv, &s(&["proto", "wiring"]), &s(&["WIRING"])).unwrap();
    assert_eq!(p.run, vec![Checker::Proto]);
    let err = plan(&loaded(&[]), &inv, &s(&["proto", "lint"]), &[]).unwrap_err();
    assert!(err.message.contains("unknown checker `lint` in --only"), "{}", err.message);
    let err = plan(&loaded(&[]), &inv, &[], &s(&["sql"])).unwrap_err();
    assert!(err.message.contains("`sql` in --skip"), "{}", err.message);
}

#[test]
fn check_section_of_the_config_applies_when_the_cli_says_nothing() {
    let mut l = loaded(&["proto", "migrations", "wiring", "check"]);
    l.config.check.skip = s(&["wiring"]);
    let inv = inv_with(true, true, true);
    assert_eq!(plan(&l, &inv, &[], &[]).unwrap().run, vec![Checker::Proto, Checker::Migrations]);
    // The command line replaces [check], it does not add to it.
    assert_eq!(plan(&l, &inv, &s(&["wiring"]), &[]).unwrap().run, vec![Checker::Wiring]);
    l.config.check.only = s(&["bogus"]);
    assert!(plan(&l, &inv, &[], &[]).unwrap_err().message.contains("[check] only"));
}

fn finding(checker: &'static str, rule: &str, sev: Severity, root: &Path, rel: &str, line: usize) -> Diagnostic {
    Diagnostic::new(checker, rule, sev, format!("{rule} here"))
        .at(FileRef::new(root, &root.join(rel)), Some(Span::new(line, 1, line, 2)))
}

/// A backend with all three kinds of input and a nova.toml turning all checkers on.
fn backend() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "nova.toml", "[proto]\nregistry = \"nova-protos\"\n[migrations]\ndirs = [\"migrations\"]\n[wiring]\n");
    write(r, "nova-protos/protos/a/v1/a.proto", "syntax = \"proto3\";\n");
    write(r, "migrations/0001_init.sql", "CREATE TABLE t (id INT);\n");
    write(r, "migrations/0002_more.sql", "SELECT 1;\n");
    write(r, "Cargo.toml", "[workspace]\nmembers = [\"svc-a\", \"svc-b\"]\n");
    write(r, "svc-a/Cargo.toml", "[package]\nname = \"svc-a\"\n");
    write(r, "svc-a/src/main.rs", "fn main() {}\n");
    write(r, "svc-a/src/http.rs", "\n");
    write(r, "svc-b/Cargo.toml", "[package]\nname = \"svc-b\"\n");
    write(r, "svc-b/src/main.rs", "fn main() {}\n");
    d
}

/// Fake checkers: proto reports relative to the registry, migrations to its directory, wiring
/// relative to the root; `fail` makes one checker stop with an input error.
fn fake(fail: Option<Checker>) -> impl Fn(Checker, &Ctx) -> Result<Report, NovaError> + Sync {
    move |c, ctx| {
        if Some(c) == fail {
            return Err(NovaError::new(format!("{} input is broken", c.name())).at(
                ctx.cwd.join("nova.toml"),
                Some(3),
                None,
            ));
        }
        let root = &ctx.cwd;
        let mut r = Report::new();
        match c {
            Checker::Proto => {
                let reg = root.join("nova-protos");
                r.root = Some(reg.clone());
                r.push(finding("proto", "FIELD_LOWER_SNAKE_CASE", Severity::Error, &reg, "protos/a/v1/a.proto", 4));
                // A finding on a file that exists only in git (a deleted file): no abs path.
                r.push(
                    Diagnostic::new("proto-breaking", "FILE_NO_DELETE", Severity::Error, "deleted")
                        .at(FileRef::virtual_path("protos/b/v1/b.proto"), None),
                );
                r.files_checked = 1;
            }
            Checker::Migrations => {
                let dir = root.join("migrations");
                r.root = Some(dir.clone());
                r.push(finding("migrations", "SOFT_DELETE_X", Severity::Error, &dir, "0001_init.sql", 1));
                r.push(finding("migrations", "SOFT_DELETE_Y", Severity::Warning, &dir, "0001_init.sql", 1).with_label(
                    Some(FileRef::new(&dir, &dir.join("0002_more.sql"))),
                    None,
                    "later altered here",
                ));
                r.files_checked = 2;
            }
            Checker::Wiring => {
                r.root = Some(root.clone());
                r.push(finding("wiring", "HTTP_X", Severity::Error, root, "svc-a/src/main.rs", 7));
                r.push(finding("wiring", "KAFKA_X", Severity::Warning, root, "svc-b/src/main.rs", 9));
                r.extras.insert("matrix".into(), serde_json::json!(["svc-a", "svc-b"]));
                r.files_checked = 3;
            }
            Checker::K8s => {
                r.root = Some(root.clone());
                r.push(finding("k8s", "K8S_WS_REPLICAS", Severity::Error, root, "k8s/chat.yaml", 8));
                r.files_checked = 1;
            }
        }
        Ok(r)
    }
}

fn paths(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| format!("{}:{}", d.file.as_ref().map(|f| f.path.as_str()).unwrap_or("-"), d.rule))
        .collect()
}

#[test]
fn merges_every_checker_under_one_root_with_one_exit_code() {
    let d = backend();
    let c = ctx(d.path());
    let mut r = run_with(&c, &CheckAllArgs::default(), &fake(None)).unwrap();
    r.sort();
    assert_eq!(
        paths(&r),
        [
            "migrations/0001_init.sql:SOFT_DELETE_X",
            "migrations/0001_init.sql:SOFT_DELETE_Y",
            "nova-protos/protos/a/v1/a.proto:FIELD_LOWER_SNAKE_CASE",
            "nova-protos/protos/b/v1/b.proto:FILE_NO_DELETE",
            "svc-a/src/main.rs:HTTP_X",
            "svc-b/src/main.rs:KAFKA_X",
        ]
    );
    let label = &r.diagnostics[1].labels[0];
    assert_eq!(label.file.as_ref().unwrap().path, "migrations/0002_more.sql");
    assert_eq!(r.files_checked, 6);
    assert_eq!(r.exit_code(), 1);
    assert_eq!(r.extras["matrix"], serde_json::json!(["svc-a", "svc-b"]));
    let checks = r.extras["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 4);
    assert_eq!((&checks[3]["checker"], &checks[3]["status"]), (&"k8s".into(), &"not_run".into()));
    assert_eq!(checks[0]["checker"], "proto");
    assert_eq!(checks[0]["errors"], 2);
    assert_eq!(checks[2]["warnings"], 1);
    assert!(
        r.human_sections.last().unwrap().text.starts_with("nova check: proto 2 error(s), 0 warning(s); migrations")
    );
}

#[test]
fn one_checker_failing_does_not_hide_the_others() {
    let d = backend();
    let c = ctx(d.path());
    let mut r = run_with(&c, &CheckAllArgs::default(), &fake(Some(Checker::Migrations))).unwrap();
    r.sort();
    assert_eq!(r.exit_code(), 2);
    let broken: Vec<_> = r.diagnostics.iter().filter(|d| d.kind == crate::diagnostics::Kind::InputError).collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].checker, "migrations");
    assert_eq!(broken[0].file.as_ref().unwrap().path, "nova.toml");
    assert_eq!(broken[0].span.unwrap().line, 3);
    assert!(broken[0].message.contains("migrations input is broken"));
    assert_eq!(r.diagnostics.len(), 5, "proto and wiring findings are still there: {:?}", paths(&r));
    let checks = r.extras["checks"].as_array().unwrap();
    assert_eq!(checks[1]["status"], "failed");
}

#[test]
fn exit_code_is_zero_when_only_warnings_remain() {
    let d = backend();
    let c = ctx(d.path());
    let warn_only = |ch: Checker, ctx: &Ctx| -> Result<Report, NovaError> {
        let mut r = Report::new();
        if ch == Checker::Wiring {
            r.push(finding("wiring", "W", Severity::Warning, &ctx.cwd, "svc-a/src/main.rs", 1));
        }
        Ok(r)
    };
    let r = run_with(&c, &CheckAllArgs::default(), &warn_only).unwrap();
    assert_eq!(r.exit_code(), 0);
    assert_eq!(r.warnings(), 1);
}

#[test]
fn path_argument_uses_that_trees_config_and_rejects_missing_dirs() {
    let d = backend();
    let outside = tempfile::tempdir().unwrap();
    let c = ctx(outside.path());
    let args = CheckAllArgs { path: Some(d.path().to_path_buf()), only: s(&["wiring"]), ..Default::default() };
    let seen = std::sync::Mutex::new(None);
    let spy = |_: Checker, ctx: &Ctx| -> Result<Report, NovaError> {
        *seen.lock().unwrap() = Some((ctx.cwd.clone(), ctx.config.path.clone()));
        Ok(Report::new())
    };
    run_with(&c, &args, &spy).unwrap();
    let (cwd, cfg) = seen.lock().unwrap().clone().unwrap();
    assert_eq!(cwd, d.path().canonicalize().unwrap());
    assert_eq!(cfg, Some(d.path().canonicalize().unwrap().join("nova.toml")));

    let args = CheckAllArgs { path: Some(d.path().join("nope")), ..Default::default() };
    assert!(run_with(&c, &args, &fake(None)).unwrap_err().message.contains("is not a directory"));
    // An empty directory has nothing to check: a usage error, not a clean pass.
    let err = run_with(&c, &CheckAllArgs::default(), &fake(None)).unwrap_err();
    assert!(err.message.contains("nothing to check"), "{}", err.message);
}

#[test]
fn relative_paths_climb_out_of_the_root() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "reg/protos/a.proto", "");
    std::fs::create_dir_all(d.path().join("examples/backend")).unwrap();
    let root = d.path().join("examples/backend");
    assert_eq!(merge::relative(&root, &d.path().join("reg/protos/a.proto")), "../../reg/protos/a.proto");
    assert_eq!(merge::relative(&root, &root), ".");
    assert_eq!(merge::normalize(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
}

/// Parts as the filter sees them: one diagnostic per (checker, file, label).
fn parts_for(root: &Path, items: &[(Checker, &str, Option<&str>)]) -> Vec<merge::Part> {
    items
        .iter()
        .map(|(c, file, label)| {
            let mut d = finding(c.name(), "R", Severity::Error, root, file, 1);
            if let Some(l) = label {
                d.labels.push(Label { file: Some(FileRef::new(root, &root.join(l))), span: None, message: "x".into() });
            }
            let mut report = Report::new();
            report.push(d);
            merge::Part { checker: *c, report, failed: false, outside_change: 0, outside_root: 0, baselined: 0 }
        })
        .collect()
}

#[test]
fn change_filter_keeps_changed_files_labels_and_touched_crates() {
    let d = backend();
    let root = d.path().canonicalize().unwrap();
    let cs = ChangeSet::from_paths(&root, ["svc-a/src/http.rs".to_string(), "migrations/0002_more.sql".to_string()]);
    let mut parts = parts_for(
        &root,
        &[
            (Checker::Wiring, "svc-a/src/main.rs", None), // same crate as a changed file
            (Checker::Wiring, "svc-b/src/main.rs", None), // untouched crate
            (Checker::Migrations, "migrations/0001_init.sql", None), // untouched file
            (Checker::Migrations, "migrations/0001_init.sql", Some("migrations/0002_more.sql")), // label changed
            (Checker::Migrations, "migrations/0002_more.sql", None), // changed file
            (Checker::Proto, "nova-protos/protos/a/v1/a.proto", None),
        ],
    );
    let mut input_error = Report::new();
    input_error.push(Diagnostic::input_error("proto", "INPUT_ERROR", "broken"));
    parts.push(merge::Part {
        checker: Checker::Proto,
        report: input_error,
        failed: true,
        outside_change: 0,
        outside_root: 0,
        baselined: 0,
    });
    cs.filter(&root, None, &mut parts);
    let kept: Vec<usize> = parts.iter().map(|p| p.report.diagnostics.len()).collect();
    assert_eq!(kept, [1, 0, 0, 1, 1, 0, 1]);
    let dropped: Vec<usize> = parts.iter().map(|p| p.outside_change).collect();
    assert_eq!(dropped, [0, 1, 1, 0, 0, 1, 0]);
}

#[test]
fn change_filter_judges_the_registry_as_a_whole() {
    let d = backend();
    let root = d.path().canonicalize().unwrap();
    write(&root, "nova-protos/CHANGELOG.md", "## [1.0.0]\n");
    write(&root, "nova-protos/protos/a/v1/a.proto", "");
    write(&root, "nova-protos/protos/b/v1/b.proto", "");
    let registry = root.join("nova-protos");
    let items = [
        (Checker::Proto, "nova-protos/CHANGELOG.md", None), // the semver verdict
        (Checker::Proto, "nova-protos/protos/b/v1/b.proto", None), // lint on an untouched file
        (Checker::Proto, "svc-a/proto/a.proto", None),      // a drifted copy
        (Checker::Wiring, "svc-b/src/main.rs", None),       // other checkers keep their rules
    ];
    // A proto file of the registry changed (the CHANGELOG did not): all proto findings stay.
    let cs = ChangeSet::from_paths(&root, ["nova-protos/protos/a/v1/a.proto".to_string()]);
    let mut parts = parts_for(&root, &items);
    cs.filter(&root, Some(&registry), &mut parts);
    let kept: Vec<usize> = parts.iter().map(|p| p.report.diagnostics.len()).collect();
    assert_eq!(kept, [1, 1, 1, 0]);
    // The registry as a changed submodule (its pointer moved): the same.
    let cs = ChangeSet::from_paths(&root, ["nova-protos".to_string()]);
    assert!(cs.dirs.contains(&registry) && cs.touches(&registry.join("protos/b/v1/b.proto")));
    let mut parts = parts_for(&root, &items);
    cs.filter(&root, Some(&registry), &mut parts);
    let kept: Vec<usize> = parts.iter().map(|p| p.report.diagnostics.len()).collect();
    assert_eq!(kept, [1, 1, 1, 0]);
    // Only service code changed: the registry's findings are outside the change; the copy is not.
    let cs = ChangeSet::from_paths(&root, ["svc-a/proto/a.proto".to_string()]);
    let mut parts = parts_for(&root, &items);
    cs.filter(&root, Some(&registry), &mut parts);
    let kept: Vec<usize> = parts.iter().map(|p| p.report.diagnostics.len()).collect();
    assert_eq!(kept, [0, 0, 1, 0]);
    // A registry outside the worktree cannot be judged by the diff: it counts as changed.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut parts = parts_for(&root, &items);
    cs.filter(&root, Some(&elsewhere.path().canonicalize().unwrap()), &mut parts);
    let kept: Vec<usize> = parts.iter().map(|p| p.report.diagnostics.len()).collect();
    assert_eq!(kept, [1, 1, 1, 0]);
}

#[test]
fn change_filter_does_not_treat_a_virtual_workspace_as_a_crate() {
    let d = backend();
    let root = d.path().canonicalize().unwrap();
    // Cargo.toml at the root is a [workspace] only: changing it revives no service's findings.
    let cs = ChangeSet::from_paths(&root, ["Cargo.toml".to_string()]);
    let mut parts = parts_for(&root, &[(Checker::Wiring, "svc-a/src/main.rs", None)]);
    cs.filter(&root, None, &mut parts);
    assert!(parts[0].report.diagnostics.is_empty());
    // Changing the crate's own manifest does.
    let cs = ChangeSet::from_paths(&root, ["svc-a/Cargo.toml".to_string()]);
    let mut parts = parts_for(&root, &[(Checker::Wiring, "svc-a/src/main.rs", None)]);
    cs.filter(&root, None, &mut parts);
    assert_eq!(parts[0].report.diagnostics.len(), 1);
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn changed_since_reads_git_and_filters_end_to_end() {
    let d = backend();
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-qm", "base"]);
    write(d.path(), "svc-b/src/main.rs", "fn main() { /* edited */ }\n");
    let c = ctx(d.path());
    let args = CheckAllArgs { changed_since: Some("main".into()), ..Default::default() };
    let mut r = run_with(&c, &args, &fake(None)).unwrap();
    r.sort();
    assert_eq!(paths(&r), ["svc-b/src/main.rs:KAFKA_X"]);
    assert_eq!(r.exit_code(), 0, "only a warning is left");
    let checks = r.extras["checks"].as_array().unwrap();
    assert_eq!(checks[2]["outside_change"], 1, "{checks:?}");
    assert!(
        r.human_sections[0].text.contains("wiring 0 error(s), 1 warning(s) (1 more outside the change)"),
        "{:?}",
        r.human_sections
    );
    // The worktree was not touched by reading history.
    let status =
        std::process::Command::new("git").args(["status", "--porcelain"]).current_dir(d.path()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout).trim(), "M svc-b/src/main.rs");

    let args = CheckAllArgs { changed_since: Some("no-such-ref".into()), ..Default::default() };
    let err = run_with(&c, &args, &fake(None)).unwrap_err();
    assert!(err.message.contains("no-such-ref"), "{}", err.message);
}

#[test]
fn findings_outside_the_tree_are_dropped_unless_in_the_registry() {
    let d = tempfile::tempdir().unwrap();
    let top = d.path().canonicalize().unwrap();
    write(&top, "backend/nova.toml", "[proto]\nregistry = \"../registry\"\n");
    write(&top, "registry/protos/a/v1/a.proto", "");
    write(&top, "tests/fixtures/x.proto", "");
    write(&top, "backend/svc/x.proto", "");
    let c = ctx(&top);
    let spread = |_: Checker, _: &Ctx| -> Result<Report, NovaError> {
        let mut r = Report::new();
        r.root = Some(top.clone());
        for f in ["registry/protos/a/v1/a.proto", "tests/fixtures/x.proto", "backend/svc/x.proto"] {
            r.push(finding("proto", "PROTO_X", Severity::Error, &top, f, 1));
        }
        r.push(
            Diagnostic::input_error("proto", "INPUT_ERROR", "outside but never hidden")
                .at(FileRef::new(&top, &top.join("tests/fixtures/x.proto")), None),
        );
        // Drift diffs: a copy outside the tree, a copy inside it, and a block about no file.
        let registry = top.join("registry/protos/a/v1/a.proto");
        for copy in ["tests/fixtures/x.proto", "backend/svc/x.proto"] {
            let about = vec![top.join(copy), registry.clone()];
            r.human_sections.push(crate::diagnostics::Section::about(format!("drift: {copy}"), about));
        }
        r.human_sections.push("semver: minor".into());
        Ok(r)
    };
    let args = CheckAllArgs { path: Some(top.join("backend")), ..Default::default() };
    let mut r = run_with(&c, &args, &spread).unwrap();
    r.sort();
    assert_eq!(
        paths(&r),
        ["../registry/protos/a/v1/a.proto:PROTO_X", "../tests/fixtures/x.proto:INPUT_ERROR", "svc/x.proto:PROTO_X"]
    );
    assert_eq!(r.extras["checks"][0]["outside_root"], 1);
    let texts: Vec<&str> = r.human_sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts[..2], ["drift: backend/svc/x.proto", "semver: minor"], "{texts:?}");
    assert!(texts[2].contains("(1 about files outside the checked tree not shown)"), "{texts:?}");
}

#[test]
fn change_filter_keeps_sections_about_changed_files_only() {
    let d = backend();
    let root = d.path().canonicalize().unwrap();
    let cs = ChangeSet::from_paths(&root, ["svc-a/src/copy.proto".to_string()]);
    let mut parts = parts_for(&root, &[(Checker::Proto, "svc-a/src/copy.proto", None)]);
    let registry = root.join("nova-protos/protos/a/v1/a.proto");
    let report = &mut parts[0].report;
    report.human_sections.push(crate::diagnostics::Section::about(
        "drift: changed copy",
        vec![root.join("svc-a/src/copy.proto"), registry.clone()],
    ));
    report.human_sections.push(crate::diagnostics::Section::about(
        "drift: untouched copy",
        vec![root.join("svc-b/src/copy.proto"), registry],
    ));
    report.human_sections.push("semver: minor".into());
    cs.filter(&root, None, &mut parts);
    let texts: Vec<&str> = parts[0].report.human_sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["drift: changed copy", "semver: minor"]);
}

/// The real checkers under `--changed-since`: the change filter, the registry baseline (the
/// registry lies outside the checked root, inside the same repository) and the migrations
/// `--since` filter all read git, through one handle that opens the repository once.
#[test]
fn changed_since_with_the_real_checkers_opens_the_repository_once() {
    let d = tempfile::tempdir().unwrap();
    let top = d.path().canonicalize().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&src.join("examples/backend"), &top.join("examples/backend"));
    copy_tree(&src.join("nova-protos"), &top.join("nova-protos"));
    git(&top, &["init", "-q", "-b", "main"]);
    git(&top, &["add", "-A"]);
    git(&top, &["commit", "-qm", "base"]);
    let mig = top.join("examples/backend/migrations/0005_notification_comment_fk.sql");
    let text = std::fs::read_to_string(&mig).unwrap();
    std::fs::write(&mig, format!("{text}-- edited\n")).unwrap();

    let root = top.join("examples/backend");
    let c = ctx(&root);
    let args = CheckAllArgs { changed_since: Some("main".into()), ..Default::default() };
    let mut r = run_with(&c, &args, &real_runner(args.changed_since.clone())).unwrap();
    r.sort();
    let checks = r.extras["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 4, "{checks:?}");
    assert!(!r.has_input_errors(), "{:?}", r.diagnostics);
    assert_eq!(
        paths(&r),
        [
            "migrations/0005_notification_comment_fk.sql:SOFT_DELETE_FK_ACTION",
            // squawk's rules judge the statement inside the DO block too.
            "migrations/0005_notification_comment_fk.sql:constraint-missing-not-valid",
            "migrations/0005_notification_comment_fk.sql:adding-foreign-key-constraint",
        ]
    );
    assert_eq!(c.git.opens(), 1, "the command's handle opened the repository once");
    assert_eq!(crate::gitutil::test_hooks::discoveries_of(&top), 1, "nothing else discovered it");
}
