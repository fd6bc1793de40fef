//! `nova k8s check`, end to end. Every rule has a failing and a passing fixture under
//! tests/fixtures/k8s/rules/<rule>/ (the same WebSocket Deployment `chat`, one property changed),
//! the exact (line, column) list the failing one must give, and a snapshot of the rendered
//! human diagnostic.
mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/k8s")
}

fn nova_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("nova").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1").args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_in(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut a = vec!["--format", "json", "k8s", "check"];
    a.extend_from_slice(args);
    let (code, out, err) = nova_in(dir, &a, None);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad json ({e}): {out}\n{err}"));
    (code, v)
}

/// (rule, path, line, column) of every diagnostic.
fn findings(v: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Every rule, and where its failing fixture must be reported (line, column).
const RULES: &[(&str, &[(u64, u64)])] = &[
    ("K8S_CLIENT_ENDPOINT", &[(34, 22), (87, 13)]),
    ("K8S_DATABASE_SECRET", &[(33, 22)]),
    ("K8S_IMAGE_TAG", &[(25, 11), (28, 11)]),
    ("K8S_KAFKA_BROKERS_ENV", &[(24, 11)]),
    ("K8S_LIVENESS_PROBE", &[(24, 11)]),
    ("K8S_PRESTOP_SLEEP", &[(43, 17)]),
    ("K8S_PROBE_ROUTE", &[(36, 15), (41, 15)]),
    ("K8S_READINESS_PROBE", &[(24, 11)]),
    ("K8S_RESOURCES", &[(44, 11)]),
    ("K8S_SERVICE_SELECTOR", &[(82, 3)]),
    ("K8S_SERVICE_TARGET_PORT", &[(61, 19)]),
    ("K8S_TERMINATION_GRACE", &[(22, 7)]),
    ("K8S_WS_MAX_UNAVAILABLE", &[(15, 7)]),
    ("K8S_WS_PDB", &[(4, 9)]),
    ("K8S_WS_REPLICAS", &[(8, 13)]),
    ("K8S_WS_SESSION_AFFINITY", &[(55, 1), (86, 7)]),
    // The unused-suppression rule every checker reports, here for `# nova:ignore` in manifests.
    ("NOVA_UNUSED_IGNORE", &[(8, 16), (76, 1)]),
];

#[test]
fn every_k8s_rule_has_a_case_here() {
    let (_, out, _) = nova_in(&fixtures(), &["--format", "json", "rules", "--checker", "k8s"], None);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The checker's input errors (YAML_SYNTAX, ...) are tested below and in tests/hostile.rs.
    let ids: Vec<&str> =
        v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).filter(|id| id.starts_with("K8S_")).collect();
    let mine: Vec<&str> = RULES.iter().map(|r| r.0).filter(|id| id.starts_with("K8S_")).collect();
    assert_eq!(ids, mine);
}

#[test]
fn failing_fixtures_give_exactly_their_locations_and_passing_ones_nothing() {
    for (rule, want) in RULES {
        let dir = fixtures().join("rules").join(rule.to_ascii_lowercase());
        let (code, v) = json_in(&dir, &["fail.yaml"]);
        let got: Vec<(u64, u64)> = findings(&v).into_iter().filter(|f| f.0 == *rule).map(|f| (f.2, f.3)).collect();
        assert_eq!(&got, want, "{rule}: {v:#}");
        let want_code = if *rule == "NOVA_UNUSED_IGNORE" { 0 } else { 1 };
        assert_eq!(code, want_code, "{rule}");
        let (code, v) = json_in(&dir, &["pass.yaml"]);
        assert_eq!(findings(&v), vec![], "{rule} pass.yaml");
        assert_eq!(code, 0, "{rule}");
    }
}

/// A nova.toml with every k8s rule but `rule` off: the snapshot shows that rule's diagnostics.
fn only(rule: &str, dir: &Path) -> PathBuf {
    let mut text = String::from("[k8s]\nwebsocket_services = [\"chat\"]\n\n[k8s.severity]\n");
    for (r, _) in RULES.iter().filter(|(r, _)| r != &rule) {
        text.push_str(&format!("{r} = \"off\"\n"));
    }
    let p = dir.join("nova.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn rendered_human_diagnostic_per_rule() {
    let tmp = tempfile::tempdir().unwrap();
    for (rule, _) in RULES {
        let dir = fixtures().join("rules").join(rule.to_ascii_lowercase());
        let cfg = only(rule, tmp.path());
        let (_, out, err) = nova_in(&dir, &["--config", cfg.to_str().unwrap(), "k8s", "check", "fail.yaml"], None);
        assert!(out.contains(rule), "{rule}: {out}\n{err}");
        insta::assert_snapshot!(format!("human_{}", rule.to_ascii_lowercase()), out);
    }
}

#[test]
fn explain_answers_for_every_rule() {
    for (rule, _) in RULES {
        let (code, out, _) = nova_in(&fixtures(), &["explain", rule], None);
        assert_eq!(code, 0, "{rule}");
        assert!(out.contains("## What it does") && out.contains("## Fix"), "{rule}: {out}");
    }
}

#[test]
fn stdin_multi_document_input_is_located() {
    let text = std::fs::read_to_string(fixtures().join("rules/k8s_ws_replicas/fail.yaml")).unwrap();
    let dir = fixtures().join("rules");
    let (code, out, err) = nova_in(&dir, &["--format", "json", "k8s", "check", "-"], Some(&text));
    assert_eq!(code, 1, "{out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(findings(&v), vec![("K8S_WS_REPLICAS".to_string(), "<stdin>".to_string(), 8, 13)]);
    // The human format shows the excerpt from standard input.
    let (_, out, _) = nova_in(&dir, &["k8s", "check", "-"], Some(&text));
    assert!(out.contains("<stdin>:8:13") && out.contains("replicas: 1"), "{out}");
}

#[test]
fn a_kind_list_contributes_its_items() {
    let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: chat\n    spec:\n      replicas: 1\n";
    let (code, out, _) = nova_in(&fixtures().join("rules"), &["--format", "json", "k8s", "check", "-"], Some(text));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 1);
    assert!(findings(&v).contains(&("K8S_WS_REPLICAS".to_string(), "<stdin>".to_string(), 9, 17)), "{v:#}");
}

#[test]
fn syntax_error_is_a_located_exit_2() {
    let (code, out, _) = nova_in(
        &fixtures().join("rules"),
        &["--format", "json", "k8s", "check", "-"],
        Some("apiVersion: v1\nkind: Service\nmetadata: {name: [a, b\n"),
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!((f[0].0.as_str(), f[0].1.as_str()), ("YAML_SYNTAX", "<stdin>"));
    assert!(f[0].2 >= 3, "{f:?}");
}

#[test]
fn websocket_services_are_found_from_the_code() {
    let dir = fixtures().join("ws-from-code");
    let (code, v) = json_in(&dir, &["deploy"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![("K8S_WS_REPLICAS".to_string(), "notify.yaml".to_string(), 8, 13)]);
    let help = v["diagnostics"][0]["help"].as_str().unwrap();
    assert!(help.contains("crate `notify`: src/main.rs:1 uses `WebSocketUpgrade`"), "{help}");
    let row = &v["k8s_fleet"][0];
    assert_eq!(
        (row["service"].as_str(), row["websocket"].as_bool(), row["crate"].as_str()),
        (Some("notify"), Some(true), Some("notify"))
    );
    assert_eq!((row["affinity"].as_str(), row["code"].as_str()), (Some("missing (1)"), Some("ok")));
}

#[test]
fn suppression_silences_and_the_fleet_says_ignored() {
    let dir = fixtures().join("rules/nova_unused_ignore");
    let (code, v) = json_in(&dir, &["pass.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(v["k8s_fleet"][0]["affinity"], "ignored (1)");
}

#[test]
fn machine_formats_render_k8s_findings() {
    let dir = fixtures().join("rules/k8s_ws_replicas");
    for format in ["sarif", "github", "junit", "checkstyle", "gitlab"] {
        let (code, out, err) = nova_in(&dir, &["--format", format, "k8s", "check", "fail.yaml"], None);
        assert_eq!(code, 1, "{format}: {err}");
        assert!(out.contains("K8S_WS_REPLICAS") && out.contains("fail.yaml"), "{format}: {out}");
    }
}

// ---------------------------------------------------------------------------------------------
// Kustomize, rendered by nova: tests/fixtures/k8s/kustomize/ has one base (the passing `chat`)
// and overlays that each exercise some fields. A finding points at the line that set the value.

fn kustomize(args: &[&str]) -> (i32, serde_json::Value) {
    json_in(&fixtures().join("kustomize"), args)
}

fn has(v: &serde_json::Value, rule: &str, path: &str, line: u64, col: u64) -> bool {
    findings(v).contains(&(rule.to_string(), path.to_string(), line, col))
}

#[test]
fn kustomize_images_replicas_and_strategic_merge_point_at_the_overlay() {
    let (code, v) = kustomize(&["overlays/prod"]);
    assert_eq!(code, 1, "{v:#}");
    // images: newTag: latest, at the overlay's entry.
    assert!(has(&v, "K8S_IMAGE_TAG", "overlays/prod/kustomization.yaml", 11, 13), "{v:#}");
    // replicas: count 1 for the renamed Deployment (matched by its base name).
    assert!(has(&v, "K8S_WS_REPLICAS", "overlays/prod/kustomization.yaml", 14, 12), "{v:#}");
    // patchesStrategicMerge: the grace period comes from the patch file.
    assert!(has(&v, "K8S_TERMINATION_GRACE", "overlays/prod/grace.yaml", 8, 7), "{v:#}");
    // Containers merge by name: the base's probes, preStop and resources survive the patch.
    assert_eq!(findings(&v).len(), 3, "{v:#}");
    let row = &v["k8s_fleet"][0];
    // namePrefix and namespace; the WebSocket list names the base's `chat`.
    assert_eq!((row["service"].as_str(), row["namespace"].as_str()), (Some("prod-chat"), Some("prod")));
    assert_eq!(row["websocket"], true);
    // commonLabels reached the selectors too: Service and PDB still select the pods.
    assert_eq!((row["pdb"].as_str(), row["hygiene"].as_str()), (Some("ok"), Some("missing (1)")));
    let note = v["diagnostics"][0]["notes"][0].as_str().unwrap();
    assert!(note.contains("overlays/prod"), "{note}");
}

#[test]
fn kustomize_patches_json6902_inline_and_labels() {
    let (code, v) = kustomize(&["overlays/staging"]);
    assert_eq!(code, 1);
    // `patches` with a JSON 6902 file: replace points at the patch's value, remove leaves the
    // base's container without the probe (reported at the base's line).
    assert!(has(&v, "K8S_WS_MAX_UNAVAILABLE", "overlays/staging/rollout.yaml", 3, 10), "{v:#}");
    assert!(has(&v, "K8S_LIVENESS_PROBE", "base/deployment.yaml", 24, 11), "{v:#}");
    // An inline strategic-merge patch: located inside the kustomization's block scalar.
    assert!(has(&v, "K8S_WS_SESSION_AFFINITY", "overlays/staging/kustomization.yaml", 19, 9), "{v:#}");
    assert_eq!(findings(&v).len(), 3, "labels with includeSelectors keep the selectors matching: {v:#}");
    assert_eq!(v["k8s_fleet"][0]["service"], "chat-staging", "nameSuffix");
    // patchesJson6902 with group/version/kind/name target and an `add` to a list's end.
    let (code, v) = kustomize(&["overlays/json-ops"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![("K8S_CLIENT_ENDPOINT".to_string(), "overlays/json-ops/ops.yaml".to_string(), 5, 12)]
    );
}

#[test]
fn kustomize_base_is_judged_per_overlay() {
    let (_, v) = kustomize(&["overlays/prod", "overlays/staging"]);
    let rows: Vec<(&str, &str)> = v["k8s_fleet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["service"].as_str().unwrap(), r["overlay"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [("prod-chat", "overlays/prod"), ("chat-staging", "overlays/staging")]);
    // A directory walk renders the overlays, not the base on its own.
    let (code, v) = kustomize(&["."]);
    assert_eq!(code, 2, "two overlays use what nova does not render");
    let rows = v["k8s_fleet"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["overlay"].as_str().unwrap().starts_with("overlays/")), "{rows:?}");
}

#[test]
fn kustomize_unsupported_fields_and_ops_are_located_input_errors() {
    // Nothing outside the overlay was read, so paths are relative to it; `bad-op` read its base.
    let (code, v) = kustomize(&["overlays/unsupported"]);
    assert_eq!(code, 2);
    assert_eq!(findings(&v), vec![("KUSTOMIZE_UNSUPPORTED".to_string(), "kustomization.yaml".to_string(), 3, 1)]);
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("configMapGenerator"));
    let (code, v) = kustomize(&["overlays/bad-op"]);
    assert_eq!(code, 2);
    assert_eq!(
        findings(&v),
        vec![("KUSTOMIZE_UNSUPPORTED".to_string(), "overlays/bad-op/kustomization.yaml".to_string(), 8, 9)]
    );
}

#[test]
fn a_helm_chart_in_a_walked_directory_is_named_not_read() {
    let d = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| {
        let p = d.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("deploy/chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    w(
        "deploy/chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n",
    );
    w("deploy/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  A: \"1\"\n");
    let (code, v) = json_in(d.path(), &["deploy"]);
    assert_eq!(code, 0, "the chart's templates are not a syntax error: {v:#}");
    assert_eq!(findings(&v), vec![("HELM_CHART_NOT_RENDERED".to_string(), "chart/Chart.yaml".to_string(), 0, 0)]);
    assert_eq!(v["diagnostics"][0]["severity"], "info");
}
