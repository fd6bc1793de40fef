//! `nova check --write-baseline` / `--baseline` / `[check] baseline`: accepted findings hidden by a
//! fingerprint that survives line moves, counted, marked in SARIF, stale entries reported, with
//! every checker and with `--changed-since`.
mod common;

use assert_cmd::Command;
use common::{copy_dir, git, git_commit_all, git_init, repo_root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.env("NO_COLOR", "1").current_dir(dir);
    c
}

/// The example backend with its registry two levels up (as in this repository), committed on
/// `main`: all three checkers have findings. Returns (tempdir, backend dir).
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().canonicalize().unwrap();
    copy_dir(&repo_root().join("examples/backend"), &root.join("examples/backend"));
    copy_dir(&repo_root().join("nova-protos"), &root.join("nova-protos"));
    git_init(&root);
    git_commit_all(&root, "init");
    let backend = root.join("examples/backend");
    (d, backend)
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn run(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = nova(dir).args(args).output().unwrap();
    (out.status.code().unwrap(), json_of(&out))
}

fn rules(doc: &Value) -> Vec<String> {
    doc["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
}

fn prepend_lines(file: &Path, lines: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, format!("{lines}{text}")).unwrap();
}

#[test]
fn written_baseline_hides_every_finding_of_every_checker_and_survives_line_moves() {
    let (_d, backend) = fixture();
    let (code, before) = run(&backend, &["--format", "json", "check"]);
    assert_eq!(code, 1);
    let total = before["diagnostics"].as_array().unwrap().len();
    let checkers: BTreeSet<&str> =
        before["checks"].as_array().unwrap().iter().map(|c| c["checker"].as_str().unwrap()).collect();
    assert_eq!(checkers, BTreeSet::from(["k8s", "migrations", "proto", "wiring"]));
    for c in before["checks"].as_array().unwrap() {
        assert!(c["errors"].as_u64().unwrap() + c["warnings"].as_u64().unwrap() > 0, "{c}");
    }

    let (code, written) = run(&backend, &["--format", "json", "check", "--write-baseline"]);
    assert_eq!(code, 0, "{written:#}");
    assert!(written["diagnostics"].as_array().unwrap().is_empty(), "{written:#}");
    assert_eq!(written["baseline"]["hidden"], total);
    assert_eq!(written["baseline"]["file"], "nova-baseline.json");
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(backend.join("nova-baseline.json")).unwrap()).unwrap();
    assert_eq!(file["findings"].as_array().unwrap().len(), total);
    let recorded: BTreeSet<&str> =
        file["findings"].as_array().unwrap().iter().map(|e| e["checker"].as_str().unwrap()).collect();
    assert_eq!(recorded, checkers, "entries of every checker");

    // Lines inserted above the findings move every line number; nothing becomes new.
    prepend_lines(&backend.join("migrations/0001_init.sql"), "-- moved\n\n\n");
    prepend_lines(&backend.join("services/content-service/src/main.rs"), "// moved\n\n");
    let out = nova(&backend).args(["check", "--baseline", "nova-baseline.json"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("nova check: {total} findings hidden by the baseline nova-baseline.json")),
        "{text}"
    );

    // Per checker counts in the JSON `checks`.
    let (_, doc) = run(&backend, &["--format", "json", "check", "--baseline", "nova-baseline.json"]);
    let hidden: u64 = doc["checks"].as_array().unwrap().iter().map(|c| c["baselined"].as_u64().unwrap_or(0)).sum();
    assert_eq!(hidden as usize, total);
}

#[test]
fn baseline_fingerprints_are_sarifs_and_gitlabs() {
    let (_d, backend) = fixture();
    let out = nova(&backend).args(["--format", "sarif", "check"]).output().unwrap();
    let sarif = json_of(&out);
    let from_sarif: BTreeSet<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["nova/v1"].as_str().unwrap().to_string())
        .collect();
    nova(&backend).args(["check", "--write-baseline", "b.json"]).assert().code(0);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(backend.join("b.json")).unwrap()).unwrap();
    let located: BTreeSet<String> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["path"].as_str().unwrap().is_empty())
        .map(|e| e["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(located, from_sarif);
    // Paths are repository-relative, like SARIF's URIs.
    assert!(
        file["findings"].as_array().unwrap().iter().any(|e| e["path"] == "examples/backend/migrations/0001_init.sql")
    );

    // A new finding in GitLab's report carries the fingerprint SARIF gives it in the same run.
    std::fs::write(
        backend.join("migrations/0006_new.sql"),
        "CREATE TABLE zz (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);\n",
    )
    .unwrap();
    let gl = json_of(&nova(&backend).args(["--format", "gitlab", "check", "--baseline", "b.json"]).output().unwrap());
    let sa = json_of(&nova(&backend).args(["--format", "sarif", "check", "--baseline", "b.json"]).output().unwrap());
    let new_in_sarif: BTreeSet<String> = sa["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .map(|r| r["partialFingerprints"]["nova/v1"].as_str().unwrap().to_string())
        .collect();
    let in_gitlab: BTreeSet<String> =
        gl.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect();
    assert_eq!(new_in_sarif.len(), 2, "{sa:#}");
    assert_eq!(in_gitlab, new_in_sarif);
}

#[test]
fn new_findings_fail_stale_entries_are_reported_and_sarif_marks_the_state() {
    let (_d, backend) = fixture();
    nova(&backend).args(["check", "--only", "migrations", "--write-baseline"]).assert().code(0);
    // Fix one accepted finding (the non-partial unique index) and add a new one.
    let init = backend.join("migrations/0001_init.sql");
    let text = std::fs::read_to_string(&init).unwrap();
    let fixed = text.replace(
        "CREATE UNIQUE INDEX idx_users_username ON users (username);",
        "CREATE UNIQUE INDEX idx_users_username ON users (username) WHERE deleted_at IS NULL;",
    );
    assert_ne!(fixed, text);
    std::fs::write(&init, fixed).unwrap();
    std::fs::write(
        backend.join("migrations/0006_new.sql"),
        "CREATE TABLE zz (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);\n",
    )
    .unwrap();

    let out =
        nova(&backend).args(["check", "--only", "migrations", "--baseline", "nova-baseline.json"]).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{human}");
    let baseline_text = std::fs::read_to_string(backend.join("nova-baseline.json")).unwrap();
    let file: Value = serde_json::from_str(&baseline_text).unwrap();
    let entry =
        file["findings"].as_array().unwrap().iter().find(|e| e["rule"] == "SOFT_DELETE_UNIQUE_NOT_PARTIAL").unwrap();
    let fp = entry["fingerprint"].as_str().unwrap();
    let entry_line = 1 + baseline_text.lines().position(|l| l.contains(fp)).unwrap();
    // The warning sits on the entry's line in the baseline file.
    assert!(human.contains(&format!("--> nova-baseline.json:{entry_line}:1")), "{human}");
    assert!(human.contains("warning[BASELINE_UNUSED]"), "{human}");
    assert!(
        human.contains("11 findings hidden by the baseline nova-baseline.json; 1 baseline entry matches no finding"),
        "{human}"
    );

    let (code, doc) =
        run(&backend, &["--format", "json", "check", "--only", "migrations", "--baseline", "nova-baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(rules(&doc), ["SOFT_DELETE_COLUMNS", "SOFT_DELETE_DELETION_TRIGGER", "BASELINE_UNUSED"], "{doc:#}");
    assert_eq!(doc["baseline"], serde_json::json!({"file": "nova-baseline.json", "hidden": 11, "unused": 1}));

    let out = nova(&backend)
        .args(["--format", "sarif", "check", "--only", "migrations", "--baseline", "nova-baseline.json"])
        .output()
        .unwrap();
    let sarif = json_of(&out);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("tests/fixtures/output/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let state = |s: &str| results.iter().filter(|r| r["baselineState"] == s).count();
    assert_eq!((state("new"), state("unchanged"), state("absent")), (2, 11, 1));
    for r in results.iter().filter(|r| r["baselineState"] == "unchanged") {
        assert_eq!(r["suppressions"][0]["kind"], "external", "{r:#}");
        assert_eq!(r["suppressions"][0]["status"], "accepted", "{r:#}");
    }
    let absent = results.iter().find(|r| r["baselineState"] == "absent").unwrap();
    assert_eq!(absent["ruleId"], "BASELINE_UNUSED");

    // The markdown summary says what the baseline hid.
    let out = nova(&backend)
        .args(["--format", "markdown", "check", "--only", "migrations", "--baseline", "nova-baseline.json"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout).to_string();
    let section = &md[md.find("### Baseline").expect("baseline section")..];
    insta::assert_snapshot!("markdown_baseline_section", section);

    // Rewriting the baseline accepts the new findings and drops the stale entry.
    nova(&backend).args(["check", "--only", "migrations", "--write-baseline"]).assert().code(0);
    let (code, doc) =
        run(&backend, &["--format", "json", "check", "--only", "migrations", "--baseline", "nova-baseline.json"]);
    assert_eq!((code, rules(&doc).len()), (0, 0), "{doc:#}");
    assert_eq!(doc["baseline"]["hidden"], 13, "eleven old and two new");
}

#[test]
fn configured_baseline_and_changed_since() {
    let (d, backend) = fixture();
    std::fs::write(
        backend.join("nova.toml"),
        format!(
            "{}\n[check]\nbaseline = \"debt/baseline.json\"\n",
            std::fs::read_to_string(backend.join("nova.toml")).unwrap()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(backend.join("debt")).unwrap();
    // No value: the configured file.
    nova(&backend).args(["check", "--write-baseline"]).assert().code(0);
    assert!(backend.join("debt/baseline.json").is_file());
    assert!(!backend.join("nova-baseline.json").exists());
    let root = d.path().canonicalize().unwrap();
    git_commit_all(&root, "baseline");

    // Configured: applied without a flag, from any working directory.
    nova(&root).args(["check", "examples/backend"]).assert().code(0);

    // A change that fixes nothing and adds one wiring finding in content-service: with
    // --changed-since, the new finding fails the gate, the old ones stay hidden, and entries
    // about untouched files are not reported as stale.
    let main = backend.join("services/notification-service/src/main.rs");
    let text = std::fs::read_to_string(&main).unwrap();
    let changed = text.replace("UserServiceClient::new(user_channel)", "UserServiceClient::new(user_channel.clone())");
    assert_ne!(changed, text);
    std::fs::write(&main, changed).unwrap();
    let (code, doc) = run(&root, &["--format", "json", "check", "examples/backend", "--changed-since", "main"]);
    // The changed call is a finding with new line text, so its old entry is stale and the finding new.
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(rules(&doc), ["BASELINE_UNUSED", "GRPC_CLIENT_INTERCEPTOR"], "{doc:#}");
    let stale = &doc["diagnostics"][0];
    assert_eq!(stale["path"], "debt/baseline.json", "{stale:#}");
    git(&root, &["checkout", "--", "."]);
    nova(&root).args(["check", "examples/backend", "--changed-since", "main"]).assert().code(0);

    // A later migration pays one debt (comments gets deleted_by): the entry about 0002 is stale.
    // The whole-tree run says so; the change gate, whose migrations checker reads only the
    // changed files, cannot judge entries about untouched files and stays quiet about them.
    std::fs::write(backend.join("migrations/0006_fix.sql"), "ALTER TABLE comments ADD COLUMN deleted_by UUID;\n")
        .unwrap();
    let (_, doc) = run(&root, &["--format", "json", "check", "examples/backend"]);
    let stale: Vec<&Value> =
        doc["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "BASELINE_UNUSED").collect();
    assert_eq!(stale.len(), 1, "{doc:#}");
    assert!(
        stale[0]["message"].as_str().unwrap().contains("SOFT_DELETE_COLUMNS in examples/backend/migrations/0002"),
        "{doc:#}"
    );
    // Even when the same change edits the baseline file itself.
    let b = backend.join("debt/baseline.json");
    std::fs::write(&b, format!("{}\n", std::fs::read_to_string(&b).unwrap())).unwrap();
    let (_, doc) = run(&root, &["--format", "json", "check", "examples/backend", "--changed-since", "main"]);
    assert!(!rules(&doc).contains(&"BASELINE_UNUSED".to_string()), "{doc:#}");
    assert_eq!(doc["baseline"]["unused"], 0, "{doc:#}");
}

#[test]
fn bad_baseline_files_are_input_errors_at_their_line() {
    let (_d, backend) = fixture();
    let stderr_of = |text: Option<&str>| {
        if let Some(t) = text {
            std::fs::write(backend.join("bad.json"), t).unwrap();
        }
        let out = nova(&backend).args(["check", "--baseline", "bad.json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = stderr_of(None);
    assert!(err.contains("baseline file") && err.contains("does not exist"), "{err}");
    std::fs::create_dir(backend.join("bad.json")).unwrap();
    let err = stderr_of(None);
    assert!(err.contains("bad.json is not a file"), "{err}");
    std::fs::remove_dir(backend.join("bad.json")).unwrap();
    let err = stderr_of(Some("{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": 3}\n  ]\n}\n"));
    assert!(err.contains("bad.json:4:"), "{err}");
    let err = stderr_of(Some(
        "{\"version\": 1, \"findings\": [\n{\"fingerprint\": \"x:1\", \"checker\": \"kube\", \"rule\": \"R\", \"message\": \"m\"}]}\n",
    ));
    assert!(err.contains("bad.json:2:1") && err.contains("unknown checker `kube`"), "{err}");
}
