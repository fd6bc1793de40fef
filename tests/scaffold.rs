//! `nova new`, `nova gen outbox`, `nova gen circuit-breaker`, `nova templates`: generated files
//! (snapshots), plan / dry-run / diff / force, input validation, all-or-nothing writes.
mod common;

use assert_cmd::Command;
use common::copy_dir;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scaffold/workspace")
}

/// A fresh copy of the fixture workspace (four backend library stand-ins, commented manifest).
fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), d.path());
    d
}

/// Every file under `root` with its bytes and permission bits: "the tree exactly as before".
fn tree(root: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let mode = e.metadata().unwrap().permissions().mode();
        let bytes = if e.file_type().is_file() { std::fs::read(e.path()).unwrap() } else { Vec::new() };
        out.insert(rel, (bytes, mode));
    }
    out
}

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let o = nova(dir).args(args).output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Every file that is new or changed relative to the fixture, with its content.
fn generated_files(root: &Path) -> String {
    let before = tree(&fixture());
    let mut out = String::new();
    for (rel, (bytes, _)) in tree(root) {
        if bytes.is_empty() && root.join(&rel).is_dir() {
            continue;
        }
        if before.get(&rel).map(|(b, _)| b) == Some(&bytes) {
            continue;
        }
        out.push_str(&format!("===== {rel} =====\n{}\n", String::from_utf8_lossy(&bytes)));
    }
    out.replace(concat!("nova ", env!("CARGO_PKG_VERSION")), "nova [VERSION]")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots/scaffold", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

// ---------------------------------------------------------------- generated files, per combination

fn new_combo(flags: &[&str]) -> String {
    let ws = workspace();
    let mut args = vec!["new", "order-service"];
    args.extend_from_slice(flags);
    let o = run(ws.path(), &args);
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    generated_files(ws.path())
}

/// Dogfood: the manifests `nova new` writes pass `nova k8s check` with zero findings, for every
/// combination of flags (a `--websocket` service is found to serve WebSockets from its generated
/// `actix_ws` handler, without configuration, and judged as one: affinity, rollout, PDB).
#[test]
fn new_manifests_pass_nova_k8s_check_in_every_combination() {
    let flags = ["--http", "--grpc", "--kafka", "--db", "--websocket"];
    for mask in 0..(1u32 << flags.len()) {
        let chosen: Vec<&str> =
            flags.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, f)| *f).collect();
        let ws = workspace();
        let mut args = vec!["new", "order-service"];
        args.extend_from_slice(&chosen);
        let o = run(ws.path(), &args);
        assert_eq!(o.code, 0, "{chosen:?}: {}\n{}", o.stdout, o.stderr);
        let o = run(ws.path(), &["--format", "json", "k8s", "check"]);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout));
        assert_eq!(v["diagnostics"], serde_json::json!([]), "{chosen:?}");
        assert_eq!(o.code, 0, "{chosen:?}");
        let row = &v["k8s_fleet"][0];
        assert_eq!(row["service"], "order-service", "{chosen:?}: {v:#}");
        assert_eq!(row["crate"], "order-service", "{chosen:?}: the cross-checks read the generated code");
        assert_eq!(row["websocket"], chosen.contains(&"--websocket"), "{chosen:?}");
    }
}

#[test]
fn new_refuses_a_latest_image_tag() {
    let ws = workspace();
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nimage_tag = \"latest\"\n").unwrap();
    let o = run(ws.path(), &["new", "order-service"]);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("image_tag"), "{}", o.stderr);
    assert!(!ws.path().join("order-service").exists(), "nothing written");
}

#[test]
fn new_default_is_http_grpc_kafka_db() {
    let text = new_combo(&[]);
    assert_eq!(text, new_combo(&["--http", "--grpc", "--kafka", "--db"]), "no flags = --http --grpc --kafka --db");
    snapshot("new_default", &text);
}

#[test]
fn new_http_only() {
    snapshot("new_http", &new_combo(&["--http"]));
}

#[test]
fn new_grpc_only() {
    snapshot("new_grpc", &new_combo(&["--grpc"]));
}

#[test]
fn new_kafka_only_gets_http_health() {
    snapshot("new_kafka", &new_combo(&["--kafka"]));
}

#[test]
fn new_db_only() {
    snapshot("new_db", &new_combo(&["--db"]));
}

#[test]
fn new_websocket() {
    let text = new_combo(&["--websocket"]);
    assert!(text.contains("sessionAffinity: ClientIP"));
    assert!(text.contains("      timeoutSeconds: 10800"));
    assert!(text.contains("terminationGracePeriodSeconds: 45"));
    snapshot("new_websocket", &text);
}

#[test]
fn new_grpc_db() {
    snapshot("new_grpc_db", &new_combo(&["--grpc", "--db"]));
}

#[test]
fn new_http_kafka_db() {
    snapshot("new_http_kafka_db", &new_combo(&["--http", "--kafka", "--db"]));
}

#[test]
fn new_honours_services_dir_and_registry_config() {
    let ws = workspace();
    std::fs::write(
        ws.path().join("nova.toml"),
        "[proto]\nregistry = \"shared/nova-protos\"\n\n[scaffold]\nservices_dir = \"services\"\nnamespace = \"backend\"\n",
    )
    .unwrap();
    let o = run(ws.path(), &["new", "media-service", "--grpc"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let build = std::fs::read_to_string(ws.path().join("services/media-service/build.rs")).unwrap();
    assert!(build.contains("let include = \"../../shared/nova-protos/protos\";"), "{build}");
    assert!(ws.path().join("shared/nova-protos/protos/media/v1/media_service.proto").is_file());
    let manifest = std::fs::read_to_string(ws.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("    \"services/media-service\",\n]"), "{manifest}");
    let svc = std::fs::read_to_string(ws.path().join("services/media-service/Cargo.toml")).unwrap();
    assert!(svc.contains("resilience = { path = \"../../libs/resilience\" }"), "{svc}");
    let k8s = std::fs::read_to_string(ws.path().join("services/media-service/k8s/deployment.yaml")).unwrap();
    assert!(k8s.contains("namespace: backend"));
}

/// The Deployment's shutdown timing: the native preStop sleep by default (no shell needed in a
/// distroless image), `exec` sleep when nova.toml asks for it, and a grace period that covers the
/// preStop sleep plus the service's whole shutdown budget.
#[test]
fn deployment_prestop_sleep_and_grace_period() {
    let ws = workspace();
    for (flags, name) in [(&["--websocket"][..], "chat-service"), (&["--grpc"][..], "rpc-service")] {
        let mut args = vec!["new", name];
        args.extend(flags);
        assert_eq!(run(ws.path(), &args).code, 0);
        let k8s = std::fs::read_to_string(ws.path().join(format!("{name}/k8s/deployment.yaml"))).unwrap();
        assert!(
            k8s.contains("            preStop:\n")
                && k8s.contains("              sleep:\n                seconds: 10\n"),
            "{k8s}"
        );
        assert!(!k8s.contains("/bin/sh"), "{k8s}");
        let number = |key: &str| -> u64 {
            let line = k8s.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("no {key}"));
            line.rsplit([' ', '"']).find(|w| !w.is_empty()).unwrap().parse().unwrap()
        };
        let grace = number("terminationGracePeriodSeconds:");
        let budget: u64 = {
            let at = k8s.find("name: SHUTDOWN_GRACE_SECS").unwrap();
            k8s[at..].lines().nth(1).unwrap().trim().trim_start_matches("value: ").trim_matches('"').parse().unwrap()
        };
        assert!(grace >= 10 + budget + 5, "{name}: grace {grace} < preStop 10 + budget {budget} + 5");
    }
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nprestop_sleep = \"exec\"\n").unwrap();
    assert_eq!(run(ws.path(), &["new", "old-service"]).code, 0);
    let k8s = std::fs::read_to_string(ws.path().join("old-service/k8s/deployment.yaml")).unwrap();
    assert!(k8s.contains("command: [\"/bin/sh\", \"-c\", \"sleep 10\"]") && !k8s.contains("seconds: 10"), "{k8s}");
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nprestop_sleep = \"nap\"\n").unwrap();
    let before = tree(ws.path());
    let o = run(ws.path(), &["new", "new-service"]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("prestop_sleep `nap` must be `native` or `exec`"), "{}", o.stderr);
    assert_eq!(tree(ws.path()), before);
}

#[test]
fn new_keeps_manifest_comments_and_order() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--http"]).code, 0);
    let manifest = std::fs::read_to_string(ws.path().join("Cargo.toml")).unwrap();
    let original = std::fs::read_to_string(fixture().join("Cargo.toml")).unwrap();
    let expected = original.replace(
        "    \"libs/transactional-outbox\", # outbox library\n]",
        "    \"libs/transactional-outbox\", # outbox library\n    \"order-service\",\n]",
    );
    assert_ne!(expected, original);
    assert_eq!(manifest, expected);
}

// ---------------------------------------------------------------- gen outbox / gen circuit-breaker

#[test]
fn gen_outbox_into_service_without_db() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--http"]).code, 0);
    let before = tree(ws.path());
    let o = run(ws.path(), &["gen", "outbox", "--service", "order-service", "--aggregate", "Order"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    snapshot("gen_outbox_stdout", &o.stdout);
    let mut text = String::new();
    for (rel, (bytes, _)) in tree(ws.path()) {
        if before.get(&rel).map(|(b, _)| b) != Some(&bytes) && ws.path().join(&rel).is_file() {
            text.push_str(&format!("===== {rel} =====\n{}\n", String::from_utf8_lossy(&bytes)));
        }
    }
    snapshot("gen_outbox_files", &text);
}

#[test]
fn gen_outbox_rerun_is_identical_and_uses_next_version() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--http"]).code, 0);
    let mig = ws.path().join("order-service/migrations");
    std::fs::create_dir_all(&mig).unwrap();
    std::fs::write(mig.join("0007_users.sql"), "CREATE TABLE users (id uuid primary key);\n").unwrap();
    // A file whose name says nothing about the outbox: detection is by content.
    assert_eq!(run(ws.path(), &["gen", "outbox", "--service", "order-service"]).code, 0);
    assert!(mig.join("0008_outbox_events.sql").is_file());
    let after_first = tree(ws.path());
    let o = run(ws.path(), &["gen", "outbox", "--service", "order-service"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("identical  order-service/migrations/0008_outbox_events.sql"), "{}", o.stdout);
    assert!(!o.stdout.contains("create"), "{}", o.stdout);
    assert_eq!(tree(ws.path()), after_first);
    // An outbox table created by a hand-written migration under another name is recognised too.
    std::fs::rename(mig.join("0008_outbox_events.sql"), mig.join("0008_events.sql")).unwrap();
    let text = std::fs::read_to_string(mig.join("0008_events.sql")).unwrap();
    std::fs::write(mig.join("0008_events.sql"), format!("-- hand edited\n{text}")).unwrap();
    let o = run(ws.path(), &["gen", "outbox", "--service", "order-service"]);
    assert!(o.stdout.contains("exists     order-service/migrations/0008_events.sql"), "{}", o.stdout);
    assert!(!mig.join("0009_outbox_events.sql").exists());
}

#[test]
fn new_then_gen_outbox_is_identical() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service"]).code, 0);
    let before = tree(ws.path());
    let o = run(ws.path(), &["gen", "outbox", "--service", "order-service"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("nothing to write"), "{}", o.stdout);
    // Why: the outbox `nova new --db` wrote is the one `gen outbox` would write.
    assert!(
        o.stdout.contains("  - none: order-service already has this outbox (`nova new --db` wrote the same files"),
        "{}",
        o.stdout
    );
    for line in o.stdout.lines().skip(1).filter(|l| l.starts_with("  ") && !l.starts_with("  - ")) {
        assert!(line.trim_start().starts_with("identical"), "{line}");
    }
    assert_eq!(tree(ws.path()), before);
}

#[test]
fn gen_circuit_breaker_roadmap_defaults() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--grpc"]).code, 0);
    for (dep, f, s, open) in [("auth-service", 3, 3, 30), ("media-service", 5, 5, 60), ("search-service", 5, 3, 30)] {
        let o = run(ws.path(), &["gen", "circuit-breaker", "--service", "order-service", "--dependency", dep]);
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        let file = ws.path().join(format!("order-service/src/breakers/{}.rs", dep.replace('-', "_")));
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains(&format!("failure_threshold: {f},")), "{dep}");
        assert!(text.contains(&format!("success_threshold: {s},")), "{dep}");
        assert!(text.contains(&format!("open_timeout: Duration::from_secs({open}),")), "{dep}");
        assert!(text.contains("minimum_calls: 10,"), "{dep}");
        assert!(text.contains("tonic::Status::unavailable("), "{dep}");
    }
    let text = std::fs::read_to_string(ws.path().join("order-service/src/breakers/auth_service.rs")).unwrap();
    snapshot("gen_breaker_auth_service", &text);
    let m = std::fs::read_to_string(ws.path().join("order-service/src/breakers/mod.rs")).unwrap();
    assert!(m.ends_with("pub mod auth_service;\npub mod media_service;\npub mod search_service;\n"), "{m}");
}

#[test]
fn gen_circuit_breaker_presets() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--db"]).code, 0);
    let o = run(
        ws.path(),
        &["gen", "circuit-breaker", "--service", "order-service", "--dependency", "cache", "--preset", "redis"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    snapshot("gen_breaker_stdout", &o.stdout);
    let text = std::fs::read_to_string(ws.path().join("order-service/src/breakers/cache.rs")).unwrap();
    snapshot("gen_breaker_redis_cache", &text);
    let o = run(
        ws.path(),
        &["gen", "circuit-breaker", "--service", "order-service", "--dependency", "x", "--preset", "carrier-pigeon"],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown preset `carrier-pigeon`"), "{}", o.stderr);
    let o = run(ws.path(), &["gen", "circuit-breaker", "--service", "nope", "--dependency", "x"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no workspace member named `nope`"), "{}", o.stderr);
}

// ---------------------------------------------------------------- plan, dry run, diff, force

#[test]
fn dry_run_writes_nothing_and_prints_the_plan() {
    let ws = workspace();
    let before = tree(ws.path());
    let o = run(ws.path(), &["new", "order-service", "--http", "--dry-run"]);
    assert_eq!(o.code, 0);
    assert_eq!(tree(ws.path()), before);
    snapshot("dry_run_http", &o.stdout);
}

#[test]
fn dry_run_json_lists_the_plan() {
    let ws = workspace();
    let o = run(ws.path(), &["--format", "json", "new", "order-service", "--grpc", "--dry-run"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    let files = v["files"].as_array().unwrap();
    assert!(
        files.iter().any(|f| f["path"] == "nova-protos/protos/order/v1/order_service.proto" && f["action"] == "create")
    );
    assert!(files.iter().any(|f| f["path"] == "Cargo.toml" && f["action"] == "update"));
}

#[test]
fn conflict_needs_force_and_diff_shows_it() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--grpc"]).code, 0);
    let breaker = ws.path().join("order-service/src/breakers/auth_service.rs");
    let args = ["gen", "circuit-breaker", "--service", "order-service", "--dependency", "auth-service"];
    assert_eq!(run(ws.path(), &args).code, 0);
    let pristine = std::fs::read_to_string(&breaker).unwrap();
    let edited = pristine.replace("failure_threshold: 3,", "failure_threshold: 4,");
    std::fs::write(&breaker, &edited).unwrap();
    let before = tree(ws.path());

    let o = run(ws.path(), &args);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stdout.contains("conflict   order-service/src/breakers/auth_service.rs"), "{}", o.stdout);
    assert!(o.stderr.contains("already exist with different content"), "{}", o.stderr);
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(tree(ws.path()), before);

    let mut diff_args = args.to_vec();
    diff_args.extend(["--dry-run", "--diff"]);
    let o = run(ws.path(), &diff_args);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("--- a/order-service/src/breakers/auth_service.rs"), "{}", o.stdout);
    assert!(
        o.stdout.contains("-            failure_threshold: 4,\n+            failure_threshold: 3,"),
        "{}",
        o.stdout
    );
    assert_eq!(tree(ws.path()), before);

    let mut force = args.to_vec();
    force.push("--force");
    assert_eq!(run(ws.path(), &force).code, 0);
    assert_eq!(std::fs::read_to_string(&breaker).unwrap(), pristine);
}

// ---------------------------------------------------------------- bad input: exit 2, tree untouched

fn assert_rejected(dir: &Path, args: &[&str], needle: &str) -> String {
    let before = tree(dir);
    let o = run(dir, args);
    assert_eq!(o.code, 2, "{args:?}\nstdout: {}\nstderr: {}", o.stdout, o.stderr);
    assert!(o.stderr.contains(needle), "{args:?}: expected `{needle}` in\n{}", o.stderr);
    assert_eq!(tree(dir), before, "{args:?} changed the tree");
    o.stderr
}

#[test]
fn invalid_names_are_rejected() {
    let ws = workspace();
    for (name, why) in [
        ("Order", "must start with a lowercase letter"),
        ("order_service", "only lowercase ASCII letters"),
        ("../evil", "path separator or `..`"),
        ("a/b", "path separator or `..`"),
        ("order--service", "`-` must separate words"),
        ("order-", "`-` must separate words"),
        ("fn", "Rust keyword"),
        ("self", "Rust keyword"),
        ("test", "reserved"),
        ("", "it is empty"),
    ] {
        assert_rejected(ws.path(), &["new", name], why);
    }
    assert_rejected(
        ws.path(),
        &["gen", "circuit-breaker", "--service", "x", "--dependency", "Auth"],
        "invalid dependency name",
    );
}

#[test]
fn existing_member_or_directory_is_rejected() {
    let ws = workspace();
    std::fs::create_dir(ws.path().join("order-service")).unwrap();
    assert_rejected(ws.path(), &["new", "order-service"], "already exists");
    assert_rejected(ws.path(), &["new", "resilience"], "already a member");
}

#[test]
fn broken_workspace_manifest_points_at_its_line() {
    let ws = workspace();
    let manifest = ws.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("resolver = \"2\"", "resolver = \"2")).unwrap();
    let err = assert_rejected(ws.path(), &["new", "order-service"], "does not parse");
    assert!(err.contains("Cargo.toml:3:14"), "{err}");
}

#[test]
fn not_a_workspace_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"x\"\nversion = \"0.1.0\"\n").unwrap();
    assert_rejected(d.path(), &["new", "order-service"], "is not inside a Cargo workspace");
}

#[test]
fn undefined_template_variable_names_the_template_line() {
    let ws = workspace();
    let over = ws.path().join("templates/service/k8s");
    std::fs::create_dir_all(&over).unwrap();
    std::fs::write(over.join("service.yaml.j2"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ nmae }}\n")
        .unwrap();
    let err = assert_rejected(ws.path(), &["new", "order-service"], "undefined");
    assert!(err.contains("templates/service/k8s/service.yaml.j2:4"), "{err}");
}

#[test]
fn template_syntax_error_names_the_template_line() {
    let ws = workspace();
    let over = ws.path().join("templates/proto");
    std::fs::create_dir_all(&over).unwrap();
    std::fs::write(over.join("service.proto.j2"), "syntax = \"proto3\";\n{% if grpc %}\n").unwrap();
    let err = assert_rejected(ws.path(), &["new", "order-service", "--http"], "template error");
    assert!(err.contains("templates/proto/service.proto.j2:"), "{err}");
}

#[test]
fn services_dir_outside_the_workspace_is_refused() {
    let ws = workspace();
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nservices_dir = \"../elsewhere\"\n").unwrap();
    assert_rejected(ws.path(), &["new", "order-service"], "inside the workspace");
    // A symlink inside the workspace that leads out of it is refused too.
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path().join("services")).unwrap();
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nservices_dir = \"services\"\n").unwrap();
    assert_rejected(ws.path(), &["new", "order-service"], "outside the workspace");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

/// Make `dir` unwritable even for root (CI containers often run as root): chmod, then the
/// immutable attribute. Returns false when neither works here.
fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = |d: &Path| tempfile::tempfile_in(d).is_ok();
    if !writable(dir) {
        return true;
    }
    let ok = std::process::Command::new("chattr").arg("+i").arg(dir).status().is_ok_and(|s| s.success());
    ok && !writable(dir)
}

fn undo_read_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::process::Command::new("chattr").arg("-i").arg(dir).status();
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

#[test]
fn read_only_directory_writes_nothing() {
    let ws = workspace();
    let services = ws.path().join("services");
    std::fs::create_dir(&services).unwrap();
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\nservices_dir = \"services\"\n").unwrap();
    if !make_read_only(&services) {
        undo_read_only(&services);
        eprintln!("skipped: cannot make a directory read-only here");
        return;
    }
    let before = tree(ws.path());
    let o = run(ws.path(), &["new", "order-service"]);
    let after = tree(ws.path());
    undo_read_only(&services);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("cannot write in"), "{}", o.stderr);
    assert!(o.stderr.contains("services"), "{}", o.stderr);
    assert_eq!(after, before, "the registry proto or the manifest was written although the service could not be");
}

// ---------------------------------------------------------------- templates list / eject

#[test]
fn templates_list_and_eject() {
    let ws = workspace();
    let o = run(ws.path(), &["templates", "list"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("  default     service/src/main.rs.j2"), "{}", o.stdout);
    let o = run(ws.path(), &["templates", "eject", "service/src/main.rs.j2"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let ejected = ws.path().join("templates/service/src/main.rs.j2");
    assert!(ejected.is_file());
    let o = run(ws.path(), &["templates", "list"]);
    assert!(o.stdout.contains("  overridden  service/src/main.rs.j2"), "{}", o.stdout);
    assert!(o.stdout.contains("  default     service/src/http.rs.j2"), "{}", o.stdout);
    std::fs::write(ws.path().join("templates/service/src/mian.rs.j2"), "typo").unwrap();
    let o = run(ws.path(), &["templates", "list"]);
    assert!(o.stdout.contains("  unknown     service/src/mian.rs.j2 (no such template; ignored)"), "{}", o.stdout);
    std::fs::remove_file(ws.path().join("templates/service/src/mian.rs.j2")).unwrap();

    // The override is what `nova new` renders.
    let text = std::fs::read_to_string(&ejected).unwrap();
    std::fs::write(&ejected, format!("// house style\n{text}")).unwrap();
    assert_eq!(run(ws.path(), &["new", "order-service", "--http"]).code, 0);
    let main = std::fs::read_to_string(ws.path().join("order-service/src/main.rs")).unwrap();
    assert!(main.starts_with("// house style\n"), "{main}");

    assert_rejected(ws.path(), &["templates", "eject", "service/src/main.rs.j2"], "already exists");
    assert_eq!(run(ws.path(), &["templates", "eject", "service/src/main.rs.j2", "--force"]).code, 0);
    assert_eq!(std::fs::read_to_string(&ejected).unwrap(), text);
    assert_rejected(ws.path(), &["templates", "eject", "../../etc/passwd"], "no template named");
}

#[test]
fn templates_dir_from_config() {
    let ws = workspace();
    std::fs::write(ws.path().join("nova.toml"), "[scaffold]\ntemplates = \"tools/tpl\"\n").unwrap();
    assert_eq!(run(ws.path(), &["templates", "eject", "breaker/mod.rs.j2"]).code, 0);
    assert!(ws.path().join("tools/tpl/breaker/mod.rs.j2").is_file());
    let o = run(ws.path(), &["--format", "json", "templates", "list"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let entry = v.as_array().unwrap().iter().find(|e| e["name"] == "breaker/mod.rs.j2").unwrap();
    assert_eq!(entry["overridden"], true);
}

// ---------------------------------------------------------------- dogfood: generated output passes nova's gates

#[test]
fn dogfood_migrations_check_is_clean() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service"]).code, 0);
    assert_eq!(run(ws.path(), &["gen", "outbox", "--service", "order-service"]).code, 0);
    // gen outbox into a service whose migrations do not have the outbox yet.
    assert_eq!(run(ws.path(), &["new", "user-service", "--http"]).code, 0);
    let mig = ws.path().join("user-service/migrations");
    std::fs::create_dir_all(&mig).unwrap();
    std::fs::write(mig.join("0001_users.sql"), "CREATE TABLE users (id UUID PRIMARY KEY);\n").unwrap();
    assert_eq!(run(ws.path(), &["gen", "outbox", "--service", "user-service"]).code, 0);
    assert!(mig.join("0002_outbox_events.sql").is_file());
    let o = run(ws.path(), &["migrations", "check", "user-service/migrations"]);
    assert_eq!(o.code, 0, "findings on gen outbox's migration:\n{}{}", o.stdout, o.stderr);
    let o = run(ws.path(), &["migrations", "check", "order-service/migrations"]);
    assert_eq!(o.code, 0, "findings on generated migrations:\n{}{}", o.stdout, o.stderr);
}

#[test]
fn dogfood_wiring_check_is_clean() {
    let ws = workspace();
    for (name, flags) in [("order-service", vec![]), ("chat-service", vec!["--websocket", "--grpc"])] {
        let mut args = vec!["new", name];
        args.extend(flags);
        assert_eq!(run(ws.path(), &args).code, 0);
    }
    let breaker = ["gen", "circuit-breaker", "--service", "order-service", "--dependency", "auth-service"];
    assert_eq!(run(ws.path(), &breaker).code, 0);
    let o = run(ws.path(), &["wiring", "check", "."]);
    assert_eq!(o.code, 0, "findings on generated services:\n{}{}", o.stdout, o.stderr);
}

#[test]
fn dogfood_proto_lint_is_clean() {
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-history-service", "--grpc"]).code, 0);
    let o = run(ws.path(), &["proto", "lint", "nova-protos/protos", "--use", "STANDARD"]);
    assert_eq!(o.code, 0, "findings on the generated proto:\n{}{}", o.stdout, o.stderr);
}

// ---------------------------------------------------------------- the publisher's claim SQL on a real PostgreSQL

/// The `pub const NAME: &str = r#"..."#;` string of a generated Rust file.
fn sql_const(source: &str, name: &str) -> String {
    let start = source.find(&format!("pub const {name}: &str = r#\"")).unwrap_or_else(|| panic!("no {name}"));
    let rest = &source[start..];
    let open = rest.find("r#\"").unwrap() + 3;
    let close = rest[open..].find("\"#;").unwrap();
    rest[open..open + close].to_string()
}

struct PgSchema {
    url: String,
    schema: String,
}

impl PgSchema {
    fn client(&self) -> postgres::Client {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to NOVA_TEST_PG_URL");
        c.batch_execute(&format!("SET search_path TO {}; SET statement_timeout TO '10s'", self.schema)).unwrap();
        c
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

/// Claim with the generated statement as `owner`; ids as text (the test client has no uuid support).
fn claim(
    c: &mut impl postgres::GenericClient,
    claim_sql: &str,
    limit: i64,
    lease_secs: f64,
    owner: &str,
) -> Vec<String> {
    let sql = format!("WITH claimed AS ({claim_sql}) SELECT id::text FROM claimed ORDER BY 1");
    c.query(sql.as_str(), &[&limit, &lease_secs, &owner]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect()
}

#[test]
fn outbox_claim_on_postgres() {
    let Some(url) = common::pg_url("") else { return };
    let ws = workspace();
    assert_eq!(run(ws.path(), &["new", "order-service", "--kafka", "--db"]).code, 0);
    let svc = ws.path().join("order-service");
    let migration = std::fs::read_to_string(svc.join("migrations/0001_outbox_events.sql")).unwrap();
    let table = std::fs::read_to_string(svc.join("migrations/0002_create_order_records.sql")).unwrap();
    let publisher = std::fs::read_to_string(svc.join("src/outbox/publisher.rs")).unwrap();
    let claim_sql = sql_const(&publisher, "CLAIM_SQL");
    let published_sql = sql_const(&publisher, "PUBLISHED_SQL");
    let retry_sql = sql_const(&publisher, "RETRY_SQL");
    let dead_letter_sql = sql_const(&publisher, "DEAD_LETTER_SQL");

    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let pg = PgSchema { url, schema: format!("nova_outbox_{}_{}", std::process::id(), nanos % 1_000_000_000) };
    {
        let mut admin = postgres::Client::connect(&pg.url, postgres::NoTls).expect("connect to NOVA_TEST_PG_URL");
        admin.batch_execute(&format!("CREATE SCHEMA {}", pg.schema)).unwrap();
    }
    let mut a = pg.client();
    let mut b = pg.client();
    a.batch_execute(&migration).expect("generated outbox migration applies");
    a.batch_execute(&table).expect("generated soft-delete migration applies");

    // The deletion trigger writes into the outbox in the deleting transaction.
    a.batch_execute(
        "INSERT INTO order_records (name) VALUES ('first');
         UPDATE order_records SET deleted_at = NOW(), deleted_by = gen_random_uuid() WHERE name = 'first';",
    )
    .unwrap();
    let deleted: i64 =
        a.query_one("SELECT count(*) FROM outbox_events WHERE event_type = 'OrderRecordDeleted'", &[]).unwrap().get(0);
    assert_eq!(deleted, 1);
    // The partial unique index lets a deleted name be used again.
    a.batch_execute("INSERT INTO order_records (name) VALUES ('first')").unwrap();
    a.batch_execute("DELETE FROM outbox_events").unwrap();

    a.batch_execute(
        "INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
         SELECT 'Order', gen_random_uuid(), 'OrderCreated', jsonb_build_object('n', g)
         FROM generate_series(1, 10) AS g",
    )
    .unwrap();

    // Two publishers at the same time: A's claim is still uncommitted (its row locks held) when B
    // claims; SKIP LOCKED gives B other rows instead of blocking or duplicating.
    let mut tx = a.transaction().unwrap();
    let first = claim(&mut tx, &claim_sql, 4, 30.0, "a");
    let second = claim(&mut b, &claim_sql, 4, 30.0, "b");
    tx.commit().unwrap();
    assert_eq!(first.len(), 4);
    assert_eq!(second.len(), 4);
    assert!(first.iter().all(|id| !second.contains(id)), "claims overlap: {first:?} {second:?}");
    // Leased rows stay claimed after commit: a third claim gets only the 2 rows left.
    let third = claim(&mut a, &claim_sql, 10, 30.0, "a");
    assert_eq!(third.len(), 2);
    assert!(third.iter().all(|id| !first.contains(id) && !second.contains(id)));
    assert!(claim(&mut b, &claim_sql, 10, 30.0, "b").is_empty());

    // A publisher that crashed after claiming: its rows come back once the lease expires.
    a.batch_execute("UPDATE outbox_events SET lease_until = NULL").unwrap();
    let crashed = claim(&mut a, &claim_sql, 3, 0.5, "a");
    assert_eq!(crashed.len(), 3);
    let others = claim(&mut b, &claim_sql, 10, 30.0, "b");
    assert_eq!(others.len(), 7);
    assert!(claim(&mut b, &claim_sql, 10, 30.0, "b").is_empty(), "a live lease must not be reclaimed");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let retried = claim(&mut b, &claim_sql, 10, 30.0, "b");
    assert_eq!(retried, crashed, "the crashed claim is retried after its lease");

    // Ack, retry with backoff, dead-letter: each statement takes arrays and the owner whose lease
    // must still hold; under another owner nothing changes.
    let one = |id: &str| format!("ARRAY['{id}']::uuid[]");
    let bind = |sql: &str, id: &str, owner: &str| sql.replace("$1", &one(id)).replace("$2", &format!("'{owner}'"));
    for sql in [&published_sql, &dead_letter_sql] {
        let stolen = bind(sql, &retried[0], "a").replace("$3", "ARRAY['x']");
        assert!(
            a.query(stolen.as_str(), &[]).unwrap().is_empty(),
            "a status update under a lapsed lease changed a row"
        );
    }
    a.batch_execute(&bind(&published_sql, &retried[0], "b")).unwrap();
    let retry =
        bind(&retry_sql, &retried[1], "b").replace("$3", "ARRAY['broker down']").replace("$4", "ARRAY[60]::float8[]");
    a.batch_execute(&retry).unwrap();
    let dead = bind(&dead_letter_sql, &retried[2], "b").replace("$3", "ARRAY['gave up']");
    a.batch_execute(&dead).unwrap();
    a.batch_execute("UPDATE outbox_events SET lease_until = NULL WHERE published_at IS NULL").unwrap();
    let again = claim(&mut a, &claim_sql, 20, 30.0, "a");
    assert_eq!(again.len(), 7, "published, backing-off and dead-lettered rows are not claimed");
    assert!(!again.contains(&retried[0]) && !again.contains(&retried[1]) && !again.contains(&retried[2]));
    let row = a
        .query_one(
            "SELECT retry_count, last_error, next_attempt_at > NOW() + interval '50 seconds' FROM outbox_events WHERE id = $1::text::uuid",
            &[&retried[1]],
        )
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 1);
    assert_eq!(row.get::<_, String>(1), "broker down");
    assert!(row.get::<_, bool>(2));
    let dl = a
        .query_one(
            "SELECT last_error, retry_count FROM outbox_events_dead_letter WHERE id = $1::text::uuid",
            &[&retried[2]],
        )
        .unwrap();
    assert_eq!(dl.get::<_, String>(0), "gave up");
    assert_eq!(dl.get::<_, i32>(1), 1);
}

#[test]
fn backend_libraries_come_from_workspace_dependencies_when_declared() {
    let ws = workspace();
    let manifest = ws.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // resilience declared centrally; crypto-core's member removed so nova cannot find it at all.
    let text = text.replace("    \"libs/crypto-core\",\n", "")
        + "\n[workspace.dependencies]\nresilience = { path = \"libs/resilience\" }\n";
    std::fs::write(&manifest, text).unwrap();
    let o = run(ws.path(), &["new", "order-service"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let svc = std::fs::read_to_string(ws.path().join("order-service/Cargo.toml")).unwrap();
    assert!(svc.contains("resilience = { workspace = true }"), "{svc}");
    assert!(svc.contains("actix-middleware = { path = \"../libs/actix-middleware\" }"), "{svc}");
    assert!(svc.contains("crypto-core = { workspace = true }"), "{svc}");
    assert!(o.stdout.contains("declare `crypto-core` in [workspace.dependencies]"), "{}", o.stdout);
}
