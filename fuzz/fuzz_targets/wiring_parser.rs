//! Arbitrary bytes as a service's `src/main.rs`, through the `nova wiring check` entry point and
//! the JSON renderer (the checker reads a Cargo workspace, so one is written into a temp dir).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nova::diagnostics::render::{Format, RenderOptions, render};

const WORKSPACE: &str = "[workspace]\nmembers = [\"svc\"]\nresolver = \"2\"\n";
const MEMBER: &str = "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(tmp) = tempfile::tempdir() else { return };
    let root = tmp.path().join("ws");
    if std::fs::create_dir_all(root.join("svc/src")).is_err()
        || std::fs::write(tmp.path().join("nova.toml"), "").is_err()
        || std::fs::write(root.join("Cargo.toml"), WORKSPACE).is_err()
        || std::fs::write(root.join("svc/Cargo.toml"), MEMBER).is_err()
        || std::fs::write(root.join("svc/src/main.rs"), data).is_err()
    {
        return;
    }
    let Ok(ctx) = nova::cli::Ctx::for_dir(tmp.path().to_path_buf(), Format::Json) else { return };
    let args = nova::wiring::WiringArgs { roots: vec![root], ..Default::default() };
    if let Ok(report) = nova::wiring::run(&ctx, &args) {
        let _ = render(&report, Format::Json, &RenderOptions::default());
    }
});
