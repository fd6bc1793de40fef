//! The heavy one: generated services compile for real.
//!
//! Builds a workspace with one service per feature combination that matters (plus `nova gen`
//! output wired in the way its "next steps" say), against the backend library stand-ins in
//! `tests/fixtures/scaffold/workspace/libs/` and an rdkafka API stand-in (so librdkafka is not
//! built), and runs `cargo check --workspace --all-targets`. Third-party crates come from
//! crates.io. Run with `cargo test --test scaffold_compile -- --ignored`.
mod common;

use assert_cmd::Command;
use common::{copy_dir, repo_root as repo};
use std::path::Path;
use std::time::Instant;

fn nova(ws: &Path, args: &[&str]) -> String {
    let o = Command::cargo_bin("nova").unwrap().current_dir(ws).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "nova {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    stdout
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

fn replace(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

#[test]
#[ignore = "heavy: downloads and checks actix-web, tonic, sqlx; run by .ci/run explicitly"]
fn generated_services_cargo_check() {
    // A fixed place under target/ so dependency builds are reused between runs.
    let base = repo().join("target/scaffold-compile");
    let ws = base.join("ws");
    if ws.exists() {
        std::fs::remove_dir_all(&ws).unwrap();
    }
    copy_dir(&repo().join("tests/fixtures/scaffold/workspace"), &ws);
    copy_dir(&repo().join("tests/fixtures/scaffold/rdkafka-standin"), &ws.join("vendor/rdkafka"));
    append(&ws.join("Cargo.toml"), "\n[patch.crates-io]\nrdkafka = { path = \"vendor/rdkafka\" }\n");

    for args in [
        vec!["new", "full-service"],
        vec!["new", "api-service", "--http"],
        vec!["new", "rpc-service", "--grpc"],
        vec!["new", "worker-service", "--kafka", "--db"],
        vec!["new", "chat-service", "--websocket", "--grpc"],
        vec!["new", "store-service", "--db"],
    ] {
        nova(&ws, &args);
    }
    // gen circuit-breaker: one gRPC dependency with roadmap thresholds, one non-RPC preset.
    nova(&ws, &["gen", "circuit-breaker", "--service", "full-service", "--dependency", "auth-service"]);
    nova(&ws, &["gen", "circuit-breaker", "--service", "full-service", "--dependency", "cache", "--preset", "redis"]);
    replace(&ws.join("full-service/src/main.rs"), "mod clients;\n", "mod breakers;\nmod clients;\n");
    // gen outbox into a --db service without Kafka: adds the publisher and a second aggregate.
    let out = nova(&ws, &["gen", "outbox", "--service", "store-service", "--aggregate", "store-item", "--force"]);
    assert!(out.contains("add `rdkafka` to the service's [dependencies]"), "{out}");
    replace(
        &ws.join("store-service/Cargo.toml"),
        "[dependencies]\n",
        "[dependencies]\ncrypto-core = { path = \"../libs/crypto-core\" }\nrdkafka = \"0.37\"\n",
    );

    let started = Instant::now();
    let o = std::process::Command::new(env!("CARGO"))
        .args(["check", "--workspace", "--all-targets"])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", base.join("target"))
        .output()
        .unwrap();
    eprintln!("cargo check of the generated workspace took {:.1}s", started.elapsed().as_secs_f64());
    assert!(o.status.success(), "generated workspace does not compile:\n{}", String::from_utf8_lossy(&o.stderr));
    // What `nova new` writes is warning-free; only store-service, whose outbox publisher the
    // test does not start from main, may warn about unused code.
    let stderr = String::from_utf8_lossy(&o.stderr);
    let warned: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: `") && l.contains(" generated "))
        .filter(|l| !l.starts_with("warning: `store-service`"))
        .collect();
    assert!(warned.is_empty(), "generated code has warnings:\n{stderr}");
}
