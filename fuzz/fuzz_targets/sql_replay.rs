//! Arbitrary bytes as one migration file, through the `nova migrations check` entry point and the
//! JSON renderer (the checker reads a directory, so the input is written into a temp dir).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nova::diagnostics::render::{Format, RenderOptions, render};

fuzz_target!(|data: &[u8]| {
    let Ok(tmp) = tempfile::tempdir() else { return };
    let dir = tmp.path().join("migrations");
    if std::fs::create_dir(&dir).is_err()
        || std::fs::write(tmp.path().join("nova.toml"), "").is_err()
        || std::fs::write(dir.join("0001_fuzz.sql"), data).is_err()
    {
        return;
    }
    let Ok(ctx) = nova::cli::Ctx::for_dir(tmp.path().to_path_buf(), Format::Json) else { return };
    let args = nova::sql::MigrationsArgs { dirs: vec![dir], ..Default::default() };
    if let Ok(report) = nova::sql::run(&ctx, &args) {
        let _ = render(&report, Format::Json, &RenderOptions::default());
    }
});
