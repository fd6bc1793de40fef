//! Differential test against checkov (`--framework kubernetes`), the reference for the rules both
//! tools have: on every k8s rule fixture, each checkov failure of a mapped check must be a nova
//! finding of the mapped rule in the same file, inside the object checkov names (checkov locates
//! objects, nova keys), and the other way round. The allowlist records each deliberate difference.
//!
//! checkov comes from `NOVA_CHECKOV`, `checkov` on PATH, or bench/k8s.sh's virtualenv
//! (`bench/work/venv-checkov`). Without it the test says it was skipped; `NOVA_REQUIRE_CHECKOV=1`
//! makes that a failure (for CI, after `pip install checkov`).
use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// checkov check -> nova rule.
const MAPPING: &[(&str, &str)] = &[
    ("CKV_K8S_8", "K8S_LIVENESS_PROBE"),
    ("CKV_K8S_9", "K8S_READINESS_PROBE"),
    ("CKV_K8S_10", "K8S_RESOURCES"),
    ("CKV_K8S_12", "K8S_RESOURCES"),
    ("CKV_K8S_13", "K8S_RESOURCES"),
    ("CKV_K8S_14", "K8S_IMAGE_TAG"),
];

/// (file, checkov check, why the tools differ there).
const ALLOWLIST: &[(&str, &str, &str)] = &[
    (
        "k8s_image_tag/fail.yaml",
        "CKV_K8S_10",
        "checkov asks resources of init containers too; nova judges the containers that serve",
    ),
    ("k8s_image_tag/fail.yaml", "CKV_K8S_12", "same: the init container `migrate` has no memory request"),
    ("k8s_image_tag/fail.yaml", "CKV_K8S_13", "same: the init container `migrate` has no memory limit"),
    ("k8s_image_tag/pass.yaml", "CKV_K8S_10", "same, in the passing fixture's init container"),
    ("k8s_image_tag/pass.yaml", "CKV_K8S_12", "same"),
    ("k8s_image_tag/pass.yaml", "CKV_K8S_13", "same"),
];

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/k8s/rules")
}

fn checkov() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NOVA_CHECKOV") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::process::Command::new("checkov").arg("--version").output().is_ok_and(|o| o.status.success());
    if on_path {
        return Some(PathBuf::from("checkov"));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/work/venv-checkov/bin/checkov");
    venv.is_file().then_some(venv)
}

#[test]
fn nova_and_checkov_agree_on_the_rule_fixtures() {
    let Some(checkov) = checkov() else {
        assert!(
            std::env::var_os("NOVA_REQUIRE_CHECKOV").is_none(),
            "NOVA_REQUIRE_CHECKOV is set but checkov is not found"
        );
        eprintln!("skipped: checkov not found (pip install checkov, or set NOVA_CHECKOV)");
        return;
    };
    let dir = rules_dir();
    let checks: Vec<&str> = MAPPING.iter().map(|m| m.0).collect();
    let out = std::process::Command::new(&checkov)
        .current_dir(&dir)
        .args(["-d", ".", "--framework", "kubernetes", "--quiet", "--compact", "-o", "json", "--check"])
        .arg(checks.join(","))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("checkov output ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let runs = if v.is_array() { v.as_array().unwrap().clone() } else { vec![v] };
    // (file, check, first line, last line) of every checkov failure.
    let mut theirs: Vec<(String, String, u64, u64)> = Vec::new();
    for r in &runs {
        for c in r["results"]["failed_checks"].as_array().into_iter().flatten() {
            let range = &c["file_line_range"];
            theirs.push((
                c["file_path"].as_str().unwrap().trim_start_matches('/').to_string(),
                c["check_id"].as_str().unwrap().to_string(),
                range[0].as_u64().unwrap(),
                range[1].as_u64().unwrap(),
            ));
        }
    }
    assert!(!theirs.is_empty(), "checkov found nothing: {}", String::from_utf8_lossy(&out.stderr));
    // nova, one fixture file at a time (each is its own cluster).
    let mut ours: Vec<(String, String, u64)> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for f in ["fail.yaml", "pass.yaml"] {
            let rel = format!("{}/{f}", e.file_name().to_string_lossy());
            files.push(rel.clone());
            let out = Command::cargo_bin("nova")
                .unwrap()
                .current_dir(e.path())
                .args(["--format", "json", "k8s", "check", f])
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            for d in v["diagnostics"].as_array().unwrap() {
                ours.push((rel.clone(), d["rule"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap_or(0)));
            }
        }
    }
    let rule_of = |check: &str| MAPPING.iter().find(|m| m.0 == check).map(|m| m.1).unwrap();
    let allowed = |file: &str, check: &str| ALLOWLIST.iter().any(|a| a.0 == file && a.1 == check);
    let mut problems = Vec::new();
    let mut used_allow = BTreeSet::new();
    for (file, check, from, to) in &theirs {
        let rule = rule_of(check);
        let hit = ours.iter().any(|(f, r, l)| f == file && r == rule && (from..=to).contains(&l));
        if hit {
            continue;
        }
        if allowed(file, check) {
            used_allow.insert((file.clone(), check.clone()));
            continue;
        }
        problems.push(format!("checkov {check} at {file}:{from}-{to}, nova has no {rule} there"));
    }
    for (file, rule, line) in &ours {
        let mapped: Vec<&str> = MAPPING.iter().filter(|m| m.1 == rule).map(|m| m.0).collect();
        if mapped.is_empty() {
            continue;
        }
        let hit = theirs
            .iter()
            .any(|(f, c, from, to)| f == file && mapped.contains(&c.as_str()) && (from..=to).contains(&line));
        if !hit {
            problems.push(format!("nova {rule} at {file}:{line}, checkov has none of {mapped:?} there"));
        }
    }
    assert!(problems.is_empty(), "differences not in the allowlist:\n{}", problems.join("\n"));
    for (file, check, why) in ALLOWLIST {
        assert!(
            used_allow.contains(&(file.to_string(), check.to_string())),
            "allowlist entry {file} {check} ({why}) matches no difference: remove it"
        );
    }
    assert!(files.len() >= 30, "{files:?}");
}
