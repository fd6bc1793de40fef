//! `nova wiring check`, end to end: fixtures are small real crates under tests/fixtures/wiring/.
mod common;

use assert_cmd::Command;
use common::copy_dir;
use std::path::{Path, PathBuf};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wiring").join(case)
}

fn nova(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("nova")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["wiring", "check"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let (code, out, err) = nova(dir, &a);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad json ({e}): {out}\n{err}"));
    (code, v)
}

/// (rule, path, line) of every diagnostic, in report order.
fn findings(v: &serde_json::Value) -> Vec<(String, String, u64)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn check(case: &str) -> (i32, Vec<(String, String, u64)>, serde_json::Value) {
    let dir = fixture(case);
    let (code, v) = json(&dir, &[]);
    if case.ends_with("_bad") {
        // What users see, per failing fixture: findings (message, excerpt, span, labels, help)
        // and the fleet matrix.
        let (_, human, _) = nova(&dir, &["--color", "never"]);
        insta::with_settings!({ snapshot_path => "snapshots/rules/wiring", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(case, human);
        });
    }
    (code, findings(&v), v)
}

fn f(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}

fn matrix_row(v: &serde_json::Value, service: &str) -> serde_json::Value {
    v["matrix"].as_array().unwrap().iter().find(|r| r["service"] == service).cloned().unwrap_or_default()
}

// ---- one wired and one unwired fixture per rule ------------------------------------------------

#[test]
fn http_middleware() {
    let (code, got, v) = check("http_ok");
    assert_eq!((code, got), (0, vec![]));
    assert_eq!(matrix_row(&v, "http-ok")["http"], "ok");
    let (code, got, v) = check("http_bad");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 12)]);
    let d = &v["diagnostics"][0];
    assert_eq!(d["labels"][0]["line"], 11, "label points at HttpServer::new");
    assert_eq!(matrix_row(&v, "http-bad")["http"], "missing (1)");
}

#[test]
fn axum_layer() {
    let (code, got, _) = check("axum_ok");
    assert_eq!((code, got), (0, vec![]));
    let (code, got, v) = check("axum_bad");
    assert_eq!(code, 1);
    // The router is built in `routes()`; the finding points at its `Router::new()`.
    assert_eq!(got, vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 5)]);
    assert_eq!(v["diagnostics"][0]["labels"][0]["line"], 11);
}

#[test]
fn grpc_server_interceptor() {
    let (code, got, v) = check("grpc_server_ok");
    assert_eq!((code, got), (0, vec![]), "health service is exempt, interceptor reads a const key");
    assert_eq!(matrix_row(&v, "grpc-server-ok")["grpc_server"], "ok");
    let (code, got, v) = check("grpc_server_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("GRPC_SERVER_INTERCEPTOR", "src/main.rs", 22), f("GRPC_SERVER_INTERCEPTOR", "src/main.rs", 23)]
    );
    assert!(v["diagnostics"][1]["message"].as_str().unwrap().contains("never touches"));
    assert_eq!(matrix_row(&v, "grpc-server-bad")["grpc_server"], "missing (2)");
}

#[test]
fn grpc_metadata_key() {
    let (code, got, _) = check("grpc_key_ok");
    assert_eq!((code, got), (0, vec![]));
    let (code, got, v) = check("grpc_key_bad");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("GRPC_METADATA_KEY_MISMATCH", "src/main.rs", 11)]);
    assert_eq!(v["diagnostics"][0]["labels"][0]["line"], 12, "label at the literal");
}

#[test]
fn grpc_client_interceptor() {
    let (code, got, v) = check("grpc_client_ok");
    assert_eq!((code, got), (0, vec![]));
    assert_eq!(matrix_row(&v, "grpc-client-ok")["grpc_clients"], "ok");
    let (code, got, _) = check("grpc_client_bad");
    assert_eq!(code, 1);
    // reqwest::Client::new() is not a gRPC client.
    assert_eq!(
        got,
        vec![f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 7), f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 9)]
    );
}

#[test]
fn kafka_header() {
    let (code, got, v) = check("kafka_ok");
    assert_eq!((code, got), (0, vec![]), "helper and explicit insert, builder split across lets");
    assert_eq!(matrix_row(&v, "kafka-ok")["kafka"], "ok");
    let (code, got, v) = check("kafka_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("KAFKA_CORRELATION_HEADER", "src/main.rs", 8), f("KAFKA_CORRELATION_HEADER", "src/main.rs", 14)]
    );
    // A correlation value is in scope and the helper is imported: the first one has a safe fix.
    assert_eq!(v["diagnostics"][0]["fix"]["safe"], true);
    assert_eq!(v["diagnostics"][1]["fix"], serde_json::Value::Null);
}

#[test]
fn kafka_header_key() {
    let (code, got, _) = check("kafka_key_ok");
    assert_eq!((code, got), (0, vec![]));
    let (code, got, v) = check("kafka_key_bad");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("KAFKA_HEADER_KEY_MISMATCH", "src/main.rs", 6)]);
    assert_eq!(v["diagnostics"][0]["labels"][0]["line"], 5);
}

#[test]
fn kafka_fresh_id() {
    let (code, got, _) = check("kafka_fresh_ok");
    assert_eq!((code, got), (0, vec![]));
    let (code, got, v) = check("kafka_fresh_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("KAFKA_FRESH_CORRELATION_ID", "src/main.rs", 9), f("KAFKA_FRESH_CORRELATION_ID", "src/main.rs", 16)]
    );
    // Labels follow the `let` to the `Uuid::new_v4()` call.
    assert_eq!(v["diagnostics"][0]["labels"][0]["line"], 8);
    assert_eq!(v["diagnostics"][1]["labels"][0]["line"], 14);
}

#[test]
fn circuit_breakers() {
    let (code, got, _) = check("breaker_ok");
    assert_eq!((code, got), (0, vec![]));
    let (code, got, v) = check("breaker_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("CIRCUIT_BREAKER_CONFIG", "src/main.rs", 13), f("CIRCUIT_BREAKER_MISSING", "src/main.rs", 23)]
    );
    assert_eq!(v["diagnostics"][1]["severity"], "warning", "missing breaker is a warning by default");
}

// ---- tricky cases ------------------------------------------------------------------------------

#[test]
fn split_builder_with_aliases() {
    let (code, got, v) = check("split_builder");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("GRPC_SERVER_INTERCEPTOR", "src/main.rs", 21)]);
    let labels = v["diagnostics"][0]["labels"].as_array().unwrap();
    let lines: Vec<u64> = labels.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    // Registered through `router.add_service(orders)`; the builder is traced back through two lets.
    assert_eq!(lines, vec![24, 22]);
    assert_eq!(matrix_row(&v, "split-builder")["grpc_server"], "missing (1)");
}

#[test]
fn closure_factory_and_helper_in_other_module() {
    let (code, got, v) = check("closure_factory");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/app.rs", 10), f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 8)]
    );
    let d = &v["diagnostics"][0];
    assert_eq!((d["labels"][0]["path"].as_str(), d["labels"][0]["line"].as_u64()), (Some("src/main.rs"), Some(7)));
}

#[test]
fn test_code_is_not_service_code() {
    let (code, got, v) = check("test_module");
    assert_eq!((code, got), (0, vec![]));
    assert_eq!(v["summary"]["files"], 1, "tests/ and examples/ are not read");
}

#[test]
fn syntax_error_is_reported_and_the_rest_checked() {
    let (code, got, _) = check("syntax_error");
    assert_eq!(code, 2, "unusable input is an input error (exit 2); the rest is still checked");
    assert_eq!(got, vec![f("PARSE_ERROR", "src/broken.rs", 5), f("KAFKA_CORRELATION_HEADER", "src/kafka.rs", 4)]);
}

#[test]
fn nested_workspaces_members_exclude_and_target() {
    let (code, got, v) = check("nested_workspaces");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("KAFKA_CORRELATION_HEADER", "platform/notifier/src/main.rs", 4),
            f("HTTP_CORRELATION_MIDDLEWARE", "services/gateway/src/main.rs", 5),
        ]
    );
    let services: Vec<&str> = v["matrix"].as_array().unwrap().iter().map(|r| r["service"].as_str().unwrap()).collect();
    assert_eq!(services, vec!["gateway", "notifier"], "legacy is excluded, target/ is skipped");
}

#[test]
fn binary_targets_and_library() {
    let (code, got, v) = check("bin_targets");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("EDITOR_JUNK", "src/bin/.#api.rs", 0),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/bin/api.rs", 4),
            f("GRPC_CLIENT_INTERCEPTOR", "src/grpc.rs", 4),
            f("EDITOR_JUNK", "src/main.rs~", 0),
        ]
    );
    let m = &v["matrix"];
    assert_eq!(
        m.as_array().unwrap().len(),
        3,
        "admin ([[bin]]), api (src/bin/api.rs), worker (src/bin/worker/main.rs)"
    );
    assert_eq!(matrix_row(&v, "admin")["http"], "ok");
    assert_eq!(matrix_row(&v, "admin")["binary"], "tools/admin.rs");
    assert_eq!(matrix_row(&v, "worker")["grpc_clients"], "missing (1)", "the worker uses the crate's library");
    assert_eq!(matrix_row(&v, "api")["grpc_clients"], "n/a", "api does not use the library");
}

#[test]
fn autobins_false_only_declared_bins() {
    let (code, got, v) = check("autobins_off");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/bin/real.rs", 3)]);
    assert_eq!(v["matrix"].as_array().unwrap().len(), 1);
}

// ---- output ------------------------------------------------------------------------------------

#[test]
fn human_output_with_matrix_snapshot() {
    let (code, out, _) = nova(&fixture("bin_targets"), &["--format", "human"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("human_bin_targets", out);
}

#[test]
fn json_matrix_snapshot() {
    let (_, v) = json(&fixture("nested_workspaces"), &[]);
    insta::assert_json_snapshot!("json_matrix_nested_workspaces", v["matrix"]);
}

#[test]
fn several_roots_at_once() {
    let base = fixture("");
    let (code, v) = json(&base, &["http_ok", "kafka_bad"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![
            f("KAFKA_CORRELATION_HEADER", "kafka_bad/src/main.rs", 8),
            f("KAFKA_CORRELATION_HEADER", "kafka_bad/src/main.rs", 14)
        ]
    );
    assert_eq!(v["matrix"].as_array().unwrap().len(), 2);
}

// ---- configuration -----------------------------------------------------------------------------

#[test]
fn config_names_and_severities() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("http_ok"), tmp.path());
    // A different middleware name: the fixture's wrap no longer counts.
    std::fs::write(tmp.path().join("nova.toml"), "[wiring]\nmiddleware = [\"tracing_mw::RequestIdMiddleware\"]\n")
        .unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 11)]);
    std::fs::write(
        tmp.path().join("nova.toml"),
        "[wiring]\nmiddleware = [\"tracing_mw::RequestIdMiddleware\"]\n[wiring.severity]\nHTTP_CORRELATION_MIDDLEWARE = \"warning\"\n",
    )
    .unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    std::fs::write(tmp.path().join("nova.toml"), "[wiring]\nbogus = 1\n").unwrap();
    let (code, _, err) = nova(tmp.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("bogus"), "{err}");
}

#[test]
fn config_roots() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("http_bad"), &tmp.path().join("backend/api"));
    std::fs::write(tmp.path().join("nova.toml"), "[wiring]\nroots = [\"backend\"]\n").unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("HTTP_CORRELATION_MIDDLEWARE", "api/src/main.rs", 12)]);
}

#[test]
fn config_grpc_key_and_exemptions() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("grpc_key_bad"), tmp.path());
    std::fs::write(tmp.path().join("nova.toml"), "[wiring]\ngrpc_metadata_key = \"x-correlation-id\"\n").unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, findings(&v)), (0, vec![]));
    std::fs::write(tmp.path().join("nova.toml"), "[wiring]\nignore = [\"src\"]\n").unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, findings(&v)), (0, vec![]));
}

// ---- --fix / --diff ----------------------------------------------------------------------------

#[test]
fn diff_shows_and_fix_applies_safe_edits() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("http_bad"), tmp.path());
    let main = tmp.path().join("src/main.rs");
    let before = std::fs::read_to_string(&main).unwrap();
    let (code, out, _) = nova(tmp.path(), &["--diff"]);
    assert_eq!(code, 1);
    assert!(out.contains("+        App::new().wrap(CorrelationIdMiddleware)"), "{out}");
    assert_eq!(std::fs::read_to_string(&main).unwrap(), before, "--diff never writes");
    let (code, out, _) = nova(tmp.path(), &["--fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Applied 1 safe fix(es) in 1 file(s)"), "{out}");
    let after = std::fs::read_to_string(&main).unwrap();
    assert!(
        after.contains("App::new().wrap(CorrelationIdMiddleware)\n            .wrap(Logger::default())"),
        "{after}"
    );
}

#[test]
fn fix_adds_kafka_headers_only_when_safe() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("kafka_bad"), tmp.path());
    let (code, v) = json(tmp.path(), &["--fix"]);
    assert_eq!(code, 1);
    // The record with a correlation value in scope is fixed; the other one is only suggested.
    assert_eq!(findings(&v), vec![f("KAFKA_CORRELATION_HEADER", "src/main.rs", 14)]);
    let text = std::fs::read_to_string(tmp.path().join("src/main.rs")).unwrap();
    assert!(
        text.contains(
            r#"FutureRecord::to("users").headers(inject_headers(OwnedHeaders::new(), &correlation_id)).key("k")"#
        ),
        "{text}"
    );
}

#[test]
fn unimported_middleware_is_only_suggested() {
    let (code, out, _) = nova(&fixture("closure_factory"), &["--diff"]);
    assert_eq!(code, 1);
    assert!(out.contains("No safe fixes to show."), "{out}");
}

// ---- bad input ---------------------------------------------------------------------------------

fn write(p: &Path, text: &[u8]) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const BAD_APP: &str =
    "use actix_web::{App, HttpServer};\nfn main() {\n    let _ = HttpServer::new(|| App::new());\n}\n";

#[test]
fn broken_cargo_toml_is_reported_and_others_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("a/Cargo.toml"), b"[package\nname = \"a\"\n");
    write(&tmp.path().join("a/src/main.rs"), BAD_APP.as_bytes());
    write(&tmp.path().join("b/Cargo.toml"), b"[package]\nname = \"b\"\n");
    write(&tmp.path().join("b/src/main.rs"), BAD_APP.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2, "unusable input is an input error (exit 2); the rest is still checked");
    assert_eq!(
        findings(&v),
        vec![f("CARGO_TOML_INVALID", "a/Cargo.toml", 1), f("HTTP_CORRELATION_MIDDLEWARE", "b/src/main.rs", 3)]
    );
}

#[test]
fn only_broken_manifest_means_nothing_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package\n");
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(findings(&v), vec![f("CARGO_TOML_INVALID", "Cargo.toml", 1)]);
}

#[test]
fn missing_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, v) = json(tmp.path(), &["does-not-exist"]);
    assert_eq!(code, 2);
    assert_eq!(v["diagnostics"][0]["rule"], "MISSING_PATH");
    // With another root that works, the missing one is reported and the rest checked.
    write(&tmp.path().join("ok/Cargo.toml"), b"[package]\nname = \"ok\"\n");
    write(&tmp.path().join("ok/src/main.rs"), BAD_APP.as_bytes());
    let (code, v) = json(tmp.path(), &["does-not-exist", "ok"]);
    assert_eq!(code, 2, "unusable input is an input error (exit 2); the rest is still checked");
    let rules: Vec<String> = findings(&v).into_iter().map(|x| x.0).collect();
    assert_eq!(rules, vec!["MISSING_PATH", "HTTP_CORRELATION_MIDDLEWARE"]);
}

#[test]
fn empty_directory_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(v["diagnostics"][0]["rule"], "NO_WORKSPACE");
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("svc/Cargo.toml"), b"[package]\nname = \"svc\"\n");
    write(&tmp.path().join("svc/src/main.rs"), BAD_APP.as_bytes());
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("svc/loop")).unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    let got = findings(&v);
    assert_eq!(got[0].0, "SYMLINK_LOOP");
    assert_eq!(got[1], f("HTTP_CORRELATION_MIDDLEWARE", "svc/src/main.rs", 3));
}

#[test]
fn huge_generated_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"svc\"\n");
    write(&tmp.path().join("src/main.rs"), format!("mod generated;\n{BAD_APP}").as_bytes());
    let mut big = String::with_capacity(10 * 1024 * 1024 + 100);
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!("pub const C{i}: &str = \"FutureRecord HttpServer {i}\";\n"));
        i += 1;
    }
    write(&tmp.path().join("src/generated.rs"), big.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2, "unusable input is an input error (exit 2); the rest is still checked");
    assert_eq!(
        findings(&v),
        vec![f("FILE_TOO_LARGE", "src/generated.rs", 1), f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 4)]
    );
}

#[test]
fn non_utf8_file_and_missing_module() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"svc\"\n");
    write(&tmp.path().join("src/main.rs"), format!("mod latin1;\nmod gone;\n{BAD_APP}").as_bytes());
    write(&tmp.path().join("src/latin1.rs"), b"// caf\xe9\nfn f() {}\n");
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2, "unusable input is an input error (exit 2); the rest is still checked");
    assert_eq!(
        findings(&v),
        vec![
            f("MISSING_MODULE", "src/gone/mod.rs", 0),
            f("NOT_UTF8", "src/latin1.rs", 1),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 5),
        ]
    );
}

#[test]
fn deeply_nested_expression_does_not_crash() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"svc\"\n");
    // Deep but parseable: checked. Deeper than the limit: skipped and reported as an input error
    // (exit 2, the rest still checked). Never a crash.
    let app = "fn main() { let _ = HttpServer::new(|| App::new()); }\n";
    let (open, close) = ("(".repeat(30_000), ")".repeat(30_000));
    let deep = format!("mod deeper;\nmod chain;\nmod longer;\n{app}fn f() {{ let x = {open}1{close}; }}\n");
    write(&tmp.path().join("src/main.rs"), deep.as_bytes());
    let (open, close) = ("(".repeat(150_000), ")".repeat(150_000));
    let deeper = format!("fn g() {{ let _ = HttpServer::new(|| {open}App::new(){close}); }}\n");
    write(&tmp.path().join("src/deeper.rs"), deeper.as_bytes());
    let chain = format!("fn h() {{ let _ = HttpServer::new(|| App::new()); let y = 1{}; }}\n", "+1".repeat(100_000));
    write(&tmp.path().join("src/chain.rs"), chain.as_bytes());
    let longer = format!("fn h() {{ let _ = HttpServer::new(|| App::new()); let y = 1{}; }}\n", "+1".repeat(1_500_000));
    write(&tmp.path().join("src/longer.rs"), longer.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(
        findings(&v),
        vec![
            f("HTTP_CORRELATION_MIDDLEWARE", "src/chain.rs", 1),
            f("FILE_TOO_COMPLEX", "src/deeper.rs", 1),
            f("FILE_TOO_COMPLEX", "src/longer.rs", 1),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 4),
        ]
    );
}

/// `nova explain RULE`'s text; the rule must be registered.
fn explain(rule: &str) -> String {
    let out = Command::cargo_bin("nova").unwrap().args(["explain", rule]).output().unwrap();
    assert!(out.status.success(), "{rule} is not registered");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn rules_are_registered_and_explained() {
    assert!(explain("KAFKA_FRESH_CORRELATION_ID").contains("Uuid::new_v4"));
}

#[test]
fn interceptors_defined_in_another_module() {
    let (code, got, v) = check("interceptor_module");
    assert_eq!(code, 1);
    assert_eq!(got, vec![f("GRPC_METADATA_KEY_MISMATCH", "src/main.rs", 15)]);
    let l = &v["diagnostics"][0]["labels"][0];
    assert_eq!((l["path"].as_str(), l["line"].as_u64()), (Some("src/interceptors.rs"), Some(5)));
    assert_eq!(matrix_row(&v, "interceptor-module")["grpc_clients"], "ok");
    assert_eq!(matrix_row(&v, "interceptor-module")["grpc_server"], "missing (1)");
}

#[test]
fn inline_suppression() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("grpc_client_bad"), tmp.path());
    let main = tmp.path().join("src/main.rs");
    let text = std::fs::read_to_string(&main).unwrap().replace(
        "    let _auth = AuthServiceClient::connect",
        "    // nova:ignore GRPC_CLIENT_INTERCEPTOR -- the auth probe runs before any request exists\n    let _auth = AuthServiceClient::connect",
    );
    std::fs::write(&main, text).unwrap();
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 10)]);
}

// ---- no silent limits (issue 15) ---------------------------------------------------------------

/// How often `needle` occurs in a fixture's main.rs: the fixtures are generated
/// (gen_long_chains.py), and a regenerated, shorter one must not pass unnoticed.
fn occurrences(case: &str, needle: &str) -> usize {
    std::fs::read_to_string(fixture(case).join("src/main.rs")).unwrap().matches(needle).count()
}

/// `<case>_bad` has exactly the `want` finding and one missing construction in the matrix
/// `column`; `<case>_ok` is clean and `ok` there. Returns the bad fixture's report.
fn bad_and_ok(case: &str, column: &str, want: (&str, u64)) -> serde_json::Value {
    let service = case.replace('_', "-");
    let (code, got, v) = check(&format!("{case}_bad"));
    assert_eq!((code, got), (1, vec![f(want.0, "src/main.rs", want.1)]), "{case}_bad");
    assert_eq!(matrix_row(&v, &format!("{service}-bad"))[column], "missing (1)");
    let (code, got, ok) = check(&format!("{case}_ok"));
    assert_eq!((code, got), (0, vec![]), "{case}_ok");
    assert_eq!(matrix_row(&ok, &format!("{service}-ok"))[column], "ok");
    v
}

#[test]
fn actix_app_with_300_routes() {
    for case in ["http_long_chain_bad", "http_long_chain_ok"] {
        assert_eq!(occurrences(case, ".route("), 300, "{case}");
    }
    // At App::new(); in the ok fixture the middleware is the innermost of 307 links.
    let v = bad_and_ok("http_long_chain", "http", ("HTTP_CORRELATION_MIDDLEWARE", 13));
    assert_eq!(v["diagnostics"][0]["labels"][0]["line"], 12, "label at HttpServer::new");
}

#[test]
fn axum_router_with_300_layers() {
    for case in ["axum_long_chain_bad", "axum_long_chain_ok"] {
        assert!(occurrences(case, ".layer(") >= 600, "{case}: 300 on the router, 300 in the ServiceBuilder");
    }
    // At Router::new(); in the ok fixture the layer is the innermost of the innermost ServiceBuilder.
    bad_and_ok("axum_long_chain", "http", ("HTTP_CORRELATION_MIDDLEWARE", 10));
}

#[test]
fn tonic_client_built_through_100_calls() {
    for case in ["grpc_client_long_chain_bad", "grpc_client_long_chain_ok"] {
        assert!(occurrences(case, "\n        .") >= 200, "{case}: 100 endpoint calls, 100 client calls");
    }
    bad_and_ok("grpc_client_long_chain", "grpc_clients", ("GRPC_CLIENT_INTERCEPTOR", 118));
}

/// A one-crate service `gw` whose src/main.rs is `main`.
fn gateway(main: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"gw\"\n");
    write(&tmp.path().join("src/main.rs"), main.as_bytes());
    tmp
}

#[test]
fn actix_app_with_2000_routes_built_in_the_test() {
    let routes: String =
        (0..2_000).map(|i| format!("            .route(\"/r{i}\", web::get().to(health))\n")).collect();
    let main = format!(
        "use actix_web::{{middleware::Logger, web, App, HttpServer}};\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {{\n    HttpServer::new(move || {{\n        App::new()\n            .wrap(Logger::default())\n{routes}    }})\n    .bind(\"0.0.0.0:8080\")?\n    .run()\n    .await\n}}\n"
    );
    let tmp = gateway(&main);
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/main.rs", 5)]);
    assert_eq!(matrix_row(&v, "gw")["http"], "missing (1)");
}

#[test]
fn recursive_app_helpers_are_reported_not_skipped() {
    let (code, got, v) = check("not_analysed_bad");
    assert_eq!(code, 0, "a warning");
    assert_eq!(got, vec![f("WIRING_NOT_ANALYSED", "src/main.rs", 14)]);
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(v["summary"]["warnings"], 1);
    assert!(explain("WIRING_NOT_ANALYSED").contains("call each other in a cycle"));
    let (code, got, v) = check("not_analysed_ok");
    assert_eq!((code, got), (0, vec![]), "two helpers deep, no cycle");
    assert_eq!(matrix_row(&v, "not-analysed-ok")["http"], "ok");
}

// ---- gRPC clients by construction, not by name -------------------------------------------------

#[test]
fn http_sdk_clients_are_not_grpc_clients() {
    let (code, got, v) = check("grpc_client_sdk_ok");
    assert_eq!((code, got), (0, vec![]), "ClickHouse, Elasticsearch, FCM, APNs, Matrix SDK clients");
    assert_eq!(matrix_row(&v, "grpc-client-sdk-ok")["grpc_clients"], "ok", "only the tonic client is counted");
}

#[test]
fn tonic_clients_recognised_by_construction() {
    let (code, got, v) = check("grpc_client_structural_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 10), // new(param typed Channel)
            f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 16), // new(Channel::..connect())
            f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 18), // new(Endpoint::..connect_lazy())
            f("GRPC_CLIENT_INTERCEPTOR", "src/main.rs", 19), // connect(url) in a tonic file
        ]
    );
    assert_eq!(matrix_row(&v, "grpc-client-structural-bad")["grpc_clients"], "missing (4)");
}

#[test]
fn app_factory_through_helpers_in_several_modules() {
    let tmp = gateway(
        "mod app;\nmod routes;\nuse actix_web::HttpServer;\nfn main() {\n    let _ = HttpServer::new(app::make);\n}\n",
    );
    write(&tmp.path().join("src/app.rs"), b"pub fn make() -> actix_web::App<()> {\n    crate::routes::build()\n}\n");
    let routes =
        "use actix_web::{web, App};\npub fn build() -> App<()> {\n    App::new().route(\"/\", web::get().to(h))\n}\n";
    write(&tmp.path().join("src/routes.rs"), routes.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/routes.rs", 3)]);
    assert_eq!(v["diagnostics"][0]["labels"][0]["path"], "src/main.rs", "served there");
    // Helpers in two modules that call each other: reported, not dropped.
    write(&tmp.path().join("src/routes.rs"), b"pub fn build() -> actix_web::App<()> {\n    crate::app::make()\n}\n");
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&v), vec![f("WIRING_NOT_ANALYSED", "src/main.rs", 5)]);
}

#[test]
fn axum_router_built_in_another_module() {
    let main = "mod routes;\n#[tokio::main]\nasync fn main() {\n    let l = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();\n    axum::serve(l, routes::app()).await.unwrap();\n}\n";
    let tmp = gateway(main);
    let routes = "use axum::{routing::get, Router};\npub fn app() -> Router {\n    Router::new().route(\"/\", get(|| async { \"ok\" }))\n}\n";
    write(&tmp.path().join("src/routes.rs"), routes.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/routes.rs", 3)]);
    assert_eq!(v["diagnostics"][0]["labels"][0]["path"], "src/main.rs", "served there");
    assert_eq!(matrix_row(&v, "gw")["http"], "missing (1)");
    // The caller adds the layer: wired.
    write(
        &tmp.path().join("src/main.rs"),
        main.replace("routes::app()", "routes::app().layer(CorrelationIdLayer::new())").as_bytes(),
    );
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, findings(&v)), (0, vec![]));
    assert_eq!(matrix_row(&v, "gw")["http"], "ok");
}

#[test]
fn interceptor_helpers_in_other_modules_are_read() {
    let main = r#"mod ctx;
mod interceptors;
use tonic::{Request, Status};
fn check(req: Request<()>) -> Result<Request<()>, Status> {
    ctx::read(&req);
    Ok(req)
}
fn audit(req: Request<()>) -> Result<Request<()>, Status> {
    audit_log::record(&req);
    Ok(req)
}
async fn run(ch: tonic::transport::Channel) {
    let _c = AuthServiceClient::with_interceptor(ch, interceptors::inject);
    Server::builder().add_service(FooServer::with_interceptor(Foo, check)).add_service(BarServer::with_interceptor(Bar, audit));
}
fn main() {}
"#;
    let tmp = gateway(main);
    let inject = "// the client interceptor\npub fn inject(mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {\n    crate::ctx::stamp(&mut req);\n    Ok(req)\n}\n";
    write(&tmp.path().join("src/interceptors.rs"), inject.as_bytes());
    let ctx = "pub fn stamp(req: &mut tonic::Request<()>) {\n    req.metadata_mut().insert(\"correlation-id\", id());\n}\npub fn read(req: &tonic::Request<()>) {\n    let _ = req.metadata().get(\"x-correlation-id\");\n}\n";
    write(&tmp.path().join("src/ctx.rs"), ctx.as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(code, 1);
    // inject -> ctx::stamp sets the key; check -> ctx::read uses the HTTP header name; audit calls a
    // function from another crate and never touches the key.
    assert_eq!(
        findings(&v),
        vec![f("GRPC_METADATA_KEY_MISMATCH", "src/main.rs", 14), f("GRPC_SERVER_INTERCEPTOR", "src/main.rs", 14)]
    );
    let labels = |i: usize| -> Vec<(String, u64)> {
        v["diagnostics"][i]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["path"].as_str().unwrap().to_string(), l["line"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(labels(0)[0], ("src/ctx.rs".to_string(), 5), "the key's literal in the helper");
    assert!(labels(0).contains(&("src/main.rs".to_string(), 14)), "registered here: {:?}", labels(0));
    assert_eq!(labels(1)[0], ("src/main.rs".to_string(), 8), "audit is defined here");
    assert_eq!(matrix_row(&v, "gw")["grpc_clients"], "ok");
}

/// The fleet matrix respects suppressions: a service whose only missing wiring is silenced by a
/// `nova:ignore` comment (or a path ignore) shows `ignored (N)`, not `missing (N)`.
#[test]
fn matrix_shows_suppressed_wiring_as_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"admin\"\n");
    let main = |comment: &str| {
        format!(
            "use actix_web::{{App, HttpServer}};\nfn main() {{\n    let _ = HttpServer::new(|| {{\n        {comment}\n        App::new()\n    }});\n}}\n"
        )
    };
    let http = |v: &serde_json::Value| v["matrix"][0]["http"].as_str().unwrap_or_default().to_string();
    write(
        &tmp.path().join("src/main.rs"),
        main("// nova:ignore HTTP_CORRELATION_MIDDLEWARE internal admin port").as_bytes(),
    );
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, http(&v)), (0, "ignored (1)".to_string()), "{v}");
    write(&tmp.path().join("src/main.rs"), main("// no suppression").as_bytes());
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, http(&v)), (1, "missing (1)".to_string()), "{v}");
    // A path ignore in nova.toml is a suppression too.
    write(&tmp.path().join("nova.toml"), b"[wiring]\nignore = [\"src/main.rs\"]\n");
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!((code, http(&v)), (0, "ignored (1)".to_string()), "{v}");
}

/// Wiring reports the `nova:ignore` comments that silenced nothing (one rule, NOVA_UNUSED_IGNORE,
/// for every checker): a stale one and a misspelt one, not one naming another checker's rule or a
/// rule switched off.
#[test]
fn unused_ignores_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Cargo.toml"), b"[package]\nname = \"admin\"\n");
    write(
        &tmp.path().join("src/main.rs"),
        b"use actix_web::{App, HttpServer};\n\
          // nova:ignore GRPC_SERVER_INTERCEPTOR no gRPC server here\n\
          fn main() {\n\
          \x20   // nova:ignore HTTP_CORRELATION_MIDDLEWARE internal admin port\n\
          \x20   let _ = HttpServer::new(|| App::new());\n\
          \x20   // nova:ignore HTTP_CORELATION_MIDDLEWARE typo\n\
          \x20   // nova:ignore SOFT_DELETE_CHECK another checker's rule\n\
          \x20   // nova:ignore KAFKA_FRESH_CORRELATION_ID switched off below\n\
          }\n",
    );
    let unused = |v: &serde_json::Value| -> Vec<(u64, String)> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "NOVA_UNUSED_IGNORE")
            .map(|d| (d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_string()))
            .collect()
    };
    write(&tmp.path().join("nova.toml"), b"[wiring.severity]\nKAFKA_FRESH_CORRELATION_ID = \"off\"\n");
    let (code, v) = json(tmp.path(), &[]);
    assert_eq!(
        unused(&v),
        [
            (2, "`nova:ignore GRPC_SERVER_INTERCEPTOR` suppresses nothing here".to_string()),
            (6, "`nova:ignore HTTP_CORELATION_MIDDLEWARE`: no rule has this ID".to_string()),
        ],
        "{v}"
    );
    assert_eq!(code, 0, "warnings only: {v}");
}

/// Correlation middleware as real services register it: a function middleware
/// (`middleware::from_fn(f)`, f handling the ID) and scopes that each wrap the middleware. A timing
/// function middleware, or a route outside the wrapped scope, is still reported.
#[test]
fn http_function_middleware_and_wrapped_scopes() {
    let (code, got, v) = check("http_breadth_ok");
    assert_eq!((code, got), (0, vec![]), "{v}");
    assert_eq!(matrix_row(&v, "fn-mw")["http"], "ok");
    assert_eq!(matrix_row(&v, "scoped")["http"], "ok");
    let (code, got, _) = check("http_breadth_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("HTTP_CORRELATION_MIDDLEWARE", "src/fn_mw.rs", 20),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/scoped.rs", 12)
        ]
    );
}

/// Code inside macro invocations is judged: records built in `tokio::select!` branches and
/// `tokio::join!` futures; a macro body that is not Rust but mentions a record is reported as
/// WIRING_NOT_ANALYSED instead of being skipped silently.
#[test]
fn records_inside_macros() {
    let (code, got, v) = check("kafka_macros_ok");
    assert_eq!((code, got), (0, vec![]), "{v}");
    assert_eq!(matrix_row(&v, "kafka-macros-ok")["kafka"], "ok");
    let (code, got, _) = check("kafka_macros_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("KAFKA_CORRELATION_HEADER", "src/main.rs", 11),
            f("KAFKA_CORRELATION_HEADER", "src/main.rs", 22),
            f("KAFKA_CORRELATION_HEADER", "src/main.rs", 23),
            f("WIRING_NOT_ANALYSED", "src/main.rs", 25),
        ]
    );
}

/// axum Routers merged and nested under one outer layer, and a tonic server whose correlation
/// mechanism is a configured tower layer on `Server::builder()`; without them both are reported.
#[test]
fn merged_routers_and_tower_layers_on_tonic() {
    let (code, got, v) = check("tower_layers_ok");
    assert_eq!((code, got), (0, vec![]), "{v}");
    assert_eq!(matrix_row(&v, "gateway")["http"], "ok");
    assert_eq!(matrix_row(&v, "orders")["grpc_server"], "ok");
    let (code, got, _) = check("tower_layers_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![f("HTTP_CORRELATION_MIDDLEWARE", "src/gateway.rs", 14), f("GRPC_SERVER_INTERCEPTOR", "src/orders.rs", 14)]
    );
}

/// Routes registered through `App::new().configure(f)`, where the correlation middleware (or its
/// absence) is only inside the configured function: in the same file, in another module (which
/// configures a function of its own in turn; two modules each define a `config`, and
/// `routes::config` is judged by `routes.rs`'s), or a closure; and the axum layer applied with
/// `route_layer`. A route configured outside the wrapped scope, a nested scope with another
/// middleware, a bare configured route and a `route_layer` without the layer are reported.
#[test]
fn http_configure_functions_and_route_layer() {
    let (code, got, v) = check("http_configure_ok");
    assert_eq!((code, got), (0, vec![]), "{v}");
    for s in ["local", "split", "closure", "route-layer"] {
        assert_eq!(matrix_row(&v, s)["http"], "ok", "{s}");
    }
    let (code, got, v) = check("http_configure_bad");
    assert_eq!(code, 1);
    assert_eq!(
        got,
        vec![
            f("HTTP_CORRELATION_MIDDLEWARE", "src/closure.rs", 11),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/local.rs", 18),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/route_layer.rs", 8),
            f("HTTP_CORRELATION_MIDDLEWARE", "src/split/main.rs", 9),
        ]
    );
    for s in ["local", "split", "closure", "route-layer"] {
        assert_eq!(matrix_row(&v, s)["http"], "missing (1)", "{s}");
    }
}
