//! The differential test against buf: `buf lint` / `buf breaking --against` (with
//! `--error-format json`) and nova's JSON on the same projects must report the same set of
//! (rule, path, line, column), exactly, and agree on the exit status; on the editions breaking
//! cases, the messages too.
//!
//! Projects:
//! - every lint fixture (`tests/fixtures/proto/lint/<RULE>/<case>`) with a v2 buf.yaml that uses
//!   only `<RULE>` (options a case's nova.toml sets move into that buf.yaml);
//! - every breaking fixture (`tests/fixtures/proto/breaking/<RULE>`) with a v2 buf.yaml using only
//!   `<RULE>` on both sides;
//! - every editions breaking case (`tests/fixtures/proto/breaking-editions/<RULE>/<case>`) the
//!   same way, and its `MIGRATION/<case>` projects with every rule but FILE_SAME_SYNTAX;
//! - the front end's editions fixtures (`tests/fixtures/proto/editions`) linted with STANDARD and
//!   COMMENTS;
//! - the configuration projects of `tests/fixtures/buf-parity/` as they are (v1beta1, v1, v2
//!   single and multi-module, per-module sections, excludes, ignore / ignore_only by path and by
//!   category, except, ignore_unstable_packages, comment ignores, lint options).
//!
//! nova's own rules (`NOVA_*`) have no buf counterpart and are left out. A finding without a file
//! (FILE_NO_DELETE, PACKAGE_NO_DELETE) compares without line and column (buf prints 1:1 for it).
//! Deliberate differences are listed, each with its reason and the exact findings it allows, in
//! `tests/fixtures/buf-parity/allowlist.toml`; an entry that no longer matches fails the test.
//!
//! buf comes from PyPI (`pip install buf-bin==1.75.0`, done by `.ci/run`); without buf on PATH
//! the test prints that it was skipped, except under `NOVA_REQUIRE_BUF` (set by `.ci/run`).
mod common;

use common::{copy_dir, repo_root};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const BUF_VERSION: &str = "1.75.0";

/// (rule, path, line, column); `path` is empty and the position 0:0 for a finding without a file.
type Finding = (String, String, usize, usize);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Lint,
    Breaking,
}

struct Project {
    /// `lint/<RULE>/<case>`, `breaking/<RULE>`, `config/<name>` or `config/<name>@<module>`.
    name: String,
    /// Where buf and nova run: the project (lint) or its `current/` (breaking, `--against ../previous`).
    dir: PathBuf,
    kind: Kind,
    /// A module directory given to both (`buf lint <module>`), for a v2 workspace's modules.
    target: Option<String>,
}

/// The module paths of a v2 buf.yaml with `modules:` (a workspace).
fn workspace_modules(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("buf.yaml")) else { return Vec::new() };
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    doc["modules"]
        .as_sequence()
        .map(|ms| ms.iter().filter_map(|m| m["path"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn find_buf() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("buf")).find(|p| p.is_file())
}

fn toml_to_yaml(text: &str) -> String {
    let table: toml::Table = text.parse().expect("fixture nova.toml");
    let mut out = String::new();
    if let Some(toml::Value::Table(lint)) = table.get("proto").and_then(|p| p.get("lint")) {
        for (k, v) in lint {
            out.push_str(&format!("  {k}: {v}\n"));
        }
    }
    out
}

/// Every project, laid out under `tmp` (the fixture projects get their generated buf.yaml there).
fn projects(tmp: &Path) -> Vec<Project> {
    let fx = repo_root().join("tests/fixtures");
    let mut out = Vec::new();
    let sorted = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v.into_iter().filter(|p| p.is_dir()).collect()
    };
    for rule_dir in sorted(&fx.join("proto/lint")) {
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        if rule.starts_with("NOVA_") {
            continue;
        }
        for case in sorted(&rule_dir) {
            let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
            let dir = tmp.join(format!("lint-{rule}-{case_name}"));
            copy_dir(&case, &dir);
            let mut yaml = format!("version: v2\nlint:\n  use: [{rule}]\n");
            if let Ok(text) = std::fs::read_to_string(dir.join("nova.toml")) {
                yaml.push_str(&toml_to_yaml(&text));
                std::fs::remove_file(dir.join("nova.toml")).unwrap();
            }
            std::fs::write(dir.join("buf.yaml"), yaml).unwrap();
            std::fs::remove_file(dir.join("expected.txt")).ok();
            out.push(Project { name: format!("lint/{rule}/{case_name}"), dir, kind: Kind::Lint, target: None });
        }
    }
    for rule_dir in sorted(&fx.join("proto/breaking")) {
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        if rule.starts_with("NOVA_") {
            continue;
        }
        let dir = tmp.join(format!("breaking-{rule}"));
        copy_dir(&rule_dir, &dir);
        for side in ["current", "previous"] {
            std::fs::write(dir.join(side).join("buf.yaml"), format!("version: v2\nbreaking:\n  use: [{rule}]\n"))
                .unwrap();
        }
        out.push(Project {
            name: format!("breaking/{rule}"),
            dir: dir.join("current"),
            kind: Kind::Breaking,
            target: None,
        });
    }
    // The editions variants: one project per case; MIGRATION cases run every rule but
    // FILE_SAME_SYNTAX (converting to editions changes the syntax, nothing else).
    for rule_dir in sorted(&fx.join("proto/breaking-editions")) {
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        let yaml = if rule == "MIGRATION" {
            "version: v2\nbreaking:\n  use: [FILE, PACKAGE, WIRE, WIRE_JSON]\n  except: [FILE_SAME_SYNTAX]\n"
                .to_string()
        } else {
            format!("version: v2\nbreaking:\n  use: [{rule}]\n")
        };
        for case in sorted(&rule_dir) {
            let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
            let dir = tmp.join(format!("breaking-editions-{rule}-{case_name}"));
            copy_dir(&case, &dir);
            for side in ["current", "previous"] {
                std::fs::write(dir.join(side).join("buf.yaml"), &yaml).unwrap();
            }
            out.push(Project {
                name: format!("breaking-editions/{rule}/{case_name}"),
                dir: dir.join("current"),
                kind: Kind::Breaking,
                target: None,
            });
        }
    }
    // The editions fixtures of the front end (every feature at every level, 2024 visibility),
    // linted with every lint rule of buf's STANDARD and COMMENTS sets.
    let dir = tmp.join("lint-editions");
    copy_dir(&fx.join("proto/editions"), &dir);
    std::fs::write(dir.join("buf.yaml"), "version: v2\nlint:\n  use: [STANDARD, COMMENTS]\n").unwrap();
    out.push(Project { name: "editions/lint".into(), dir, kind: Kind::Lint, target: None });
    for p in sorted(&fx.join("buf-parity")) {
        let name = format!("config/{}", p.file_name().unwrap().to_string_lossy());
        if p.join("current").is_dir() {
            out.push(Project { name, dir: p.join("current"), kind: Kind::Breaking, target: None });
        } else {
            // Each module of a workspace linted on its own too, as `buf lint <module>`.
            for m in workspace_modules(&p) {
                let name = format!("{name}@{m}");
                out.push(Project { name, dir: p.clone(), kind: Kind::Lint, target: Some(m) });
            }
            out.push(Project { name, dir: p, kind: Kind::Lint, target: None });
        }
    }
    out
}

/// Exit status and findings of one tool on one project.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    code: i32,
    findings: BTreeSet<Finding>,
    /// The findings with their messages (`RULE path:line:column | message`).
    messages: BTreeSet<String>,
}

fn finding(rule: &str, path: Option<&str>, line: usize, column: usize) -> Finding {
    match path.filter(|p| !p.is_empty()) {
        Some(p) => (rule.to_string(), p.to_string(), line, column),
        None => (rule.to_string(), String::new(), 0, 0),
    }
}

fn run_buf(buf: &Path, p: &Project) -> Outcome {
    let mut cmd = Command::new(buf);
    match p.kind {
        Kind::Lint => cmd.args(["lint", "--error-format", "json"]),
        Kind::Breaking => cmd.args(["breaking", "--against", "../previous", "--error-format", "json"]),
    };
    cmd.args(&p.target);
    let out = cmd.current_dir(&p.dir).output().unwrap();
    let (mut findings, mut messages) = (BTreeSet::new(), BTreeSet::new());
    for line in String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: buf printed {line:?}: {e}", p.name));
        let n = |k: &str| v[k].as_u64().unwrap_or(0) as usize;
        let f = finding(v["type"].as_str().unwrap(), v["path"].as_str(), n("start_line"), n("start_column"));
        messages.insert(format!("{} | {}", show(&f), v["message"].as_str().unwrap_or("")));
        findings.insert(f);
    }
    Outcome { code: out.status.code().unwrap_or(-1), findings, messages }
}

fn run_nova(p: &Project) -> Outcome {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("nova"));
    cmd.args(["--format", "json", "proto"]);
    match p.kind {
        Kind::Lint => cmd.arg("lint"),
        Kind::Breaking => cmd.args(["breaking", "--against", "../previous"]),
    };
    cmd.args(&p.target);
    let out = cmd.current_dir(&p.dir).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: nova printed no JSON ({e}): {}", p.name, String::from_utf8_lossy(&out.stderr)));
    let (mut findings, mut messages) = (BTreeSet::new(), BTreeSet::new());
    for d in doc["diagnostics"].as_array().unwrap() {
        if d["rule"].as_str().unwrap_or("").starts_with("NOVA_") {
            continue;
        }
        let n = |k: &str| d[k].as_u64().unwrap_or(0) as usize;
        let f = finding(d["rule"].as_str().unwrap(), d["path"].as_str(), n("line"), n("column"));
        messages.insert(format!("{} | {}", show(&f), d["message"].as_str().unwrap_or("")));
        findings.insert(f);
    }
    Outcome { code: out.status.code().unwrap_or(-1), findings, messages }
}

/// buf's exit status as nova's: 0 clean, 100 findings (nova: 1, or 2 when some are COMPILE
/// input errors), anything else a refused input (nova: 2).
fn expected_nova_code(buf: &Outcome) -> i32 {
    match buf.code {
        0 => 0,
        100 if buf.findings.iter().any(|f| f.0 == "COMPILE") => 2,
        100 => 1,
        _ => 2,
    }
}

fn show(f: &Finding) -> String {
    if f.1.is_empty() { format!("{} -", f.0) } else { format!("{} {}:{}:{}", f.0, f.1, f.2, f.3) }
}

/// One allowlisted difference: the project and exactly the findings only buf / only nova report.
#[derive(Debug, serde::Deserialize)]
struct Allowed {
    project: String,
    #[serde(default)]
    buf_only: Vec<String>,
    #[serde(default)]
    nova_only: Vec<String>,
    reason: String,
}

#[derive(Debug, serde::Deserialize)]
struct Allowlist {
    #[serde(default)]
    allow: Vec<Allowed>,
}

#[test]
fn nova_reports_what_buf_reports_where_buf_reports_it() {
    let Some(buf) = find_buf() else {
        // .ci/run sets NOVA_REQUIRE_BUF: in CI a missing buf is a failure, never a skip.
        assert!(std::env::var_os("NOVA_REQUIRE_BUF").is_none(), "NOVA_REQUIRE_BUF is set but buf is not on PATH");
        println!("skipped: buf not on PATH (`pip install buf-bin=={BUF_VERSION}`; .ci/run installs it)");
        return;
    };
    let version = Command::new(&buf).arg("--version").output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    assert_eq!(version, BUF_VERSION, "the differential test is pinned to buf {BUF_VERSION}");

    let allowlist: Allowlist =
        toml::from_str(&std::fs::read_to_string(repo_root().join("tests/fixtures/buf-parity/allowlist.toml")).unwrap())
            .unwrap();
    let mut allowed: BTreeMap<&str, &Allowed> = BTreeMap::new();
    for a in &allowlist.allow {
        assert!(!a.reason.trim().is_empty(), "{}: an allowlist entry needs a reason", a.project);
        assert!(allowed.insert(a.project.as_str(), a).is_none(), "{} is listed twice", a.project);
    }

    let tmp = tempfile::tempdir().unwrap();
    let projects = projects(tmp.path());
    // Two workers: buf and nova each start a process per project.
    let results: Vec<(usize, Outcome, Outcome)> = std::thread::scope(|s| {
        let chunks: Vec<Vec<usize>> = (0..2).map(|w| (w..projects.len()).step_by(2).collect()).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|idx| {
                let (projects, buf) = (&projects, &buf);
                s.spawn(move || {
                    idx.into_iter().map(|i| (i, run_buf(buf, &projects[i]), run_nova(&projects[i]))).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<_> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
        all.sort_by_key(|r| r.0);
        all
    });

    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let (mut identical, mut allowlisted) = (0, 0);
    for (i, b, n) in &results {
        let p = &projects[*i];
        let buf_only: Vec<String> = b.findings.difference(&n.findings).map(show).collect();
        let nova_only: Vec<String> = n.findings.difference(&b.findings).map(show).collect();
        let code_ok = n.code == expected_nova_code(b);
        // A refused input (buf: a configuration error) is compared by exit status only.
        let refused = !matches!(b.code, 0 | 100);
        let same = refused || (buf_only.is_empty() && nova_only.is_empty());
        match allowed.get(p.name.as_str()) {
            Some(a) => {
                used.insert(p.name.clone());
                let (mut want_b, mut want_n) = (a.buf_only.clone(), a.nova_only.clone());
                want_b.sort();
                want_n.sort();
                if buf_only != want_b || nova_only != want_n {
                    failures.push(format!(
                        "{}: the allowlisted difference changed\n  buf only:  {buf_only:?} (allowed {want_b:?})\n  nova only: {nova_only:?} (allowed {want_n:?})",
                        p.name
                    ));
                } else {
                    allowlisted += 1;
                }
            }
            // The editions cases compare messages too: the feature-based rules word them as buf.
            None if same && code_ok && p.name.starts_with("breaking-editions/") && b.messages != n.messages => failures
                .push(format!(
                    "{}: messages differ\n  buf:  {:?}\n  nova: {:?}",
                    p.name,
                    b.messages.difference(&n.messages).collect::<Vec<_>>(),
                    n.messages.difference(&b.messages).collect::<Vec<_>>()
                )),
            None if same && code_ok => identical += 1,
            None => failures.push(format!(
                "{}: buf exit {} / nova exit {} (expected {})\n  buf only:  {buf_only:?}\n  nova only: {nova_only:?}",
                p.name,
                b.code,
                n.code,
                expected_nova_code(b)
            )),
        }
    }
    for a in &allowlist.allow {
        if !used.contains(&a.project) {
            failures.push(format!("{}: allowlisted but no such project", a.project));
        }
    }
    let count = |prefix: &str| projects.iter().filter(|p| p.name.starts_with(prefix)).count();
    println!(
        "buf parity against buf {version}: {} projects ({} lint fixtures, {} breaking fixtures, {} editions breaking cases, {} editions lint project, {} configuration projects); {identical} identical, {allowlisted} allowlisted",
        projects.len(),
        count("lint/"),
        count("breaking/"),
        count("breaking-editions/"),
        count("editions/"),
        count("config/")
    );
    assert!(failures.is_empty(), "{} project(s) differ from buf:\n{}", failures.len(), failures.join("\n"));
    assert!(projects.len() >= 120, "the corpus shrank to {} projects", projects.len());
}
