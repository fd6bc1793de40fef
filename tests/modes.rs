//! nova never damages the files it writes: every write (`nova new`, `nova gen`, `nova wiring check
//! --fix`, `nova init`, `--report-file`) is atomic and gives a new file the mode the umask gives
//! (0644 under 022, 0640 under 027), and a rewritten file keeps its mode.
#![cfg(unix)]
mod common;

use common::{copy_dir, repo_root};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// Run nova in `dir` under `umask`, through `sh` (the umask is a property of the process).
fn nova_under(umask: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("nova");
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o7777
}

fn set_mode(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Every regular file below `root` whose path (relative) `keep` accepts, with its mode.
fn modes_below(root: &Path, keep: impl Fn(&str) -> bool) -> Vec<(String, u32)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned(), mode(e.path())))
        .filter(|(p, _)| keep(p))
        .collect()
}

#[test]
fn nova_new_gives_new_files_the_umask_mode_and_keeps_the_manifest_mode() {
    for (umask, expected) in [("022", 0o644), ("027", 0o640)] {
        let d = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("tests/fixtures/scaffold/workspace"), d.path());
        let manifest = d.path().join("Cargo.toml");
        set_mode(&manifest, 0o664);
        let out = nova_under(umask, d.path(), &["new", "order-service", "--http", "--db"]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let created = modes_below(d.path(), |p| p.contains("order-service"));
        assert!(created.len() > 5, "{created:?}");
        let wrong: Vec<_> = created.iter().filter(|(_, m)| *m != expected).collect();
        assert!(wrong.is_empty(), "umask {umask}: expected {expected:o}, got {wrong:?}");
        assert_eq!(mode(&manifest), 0o664, "the edited workspace manifest keeps its mode");
        assert!(std::fs::read_to_string(&manifest).unwrap().contains("order-service"));
        // No temp file is left behind anywhere.
        assert!(modes_below(d.path(), |p| p.contains(".nova-tmp")).is_empty());
    }
}

#[test]
fn wiring_fix_keeps_an_executable_file_executable() {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/wiring/http_bad"), d.path());
    let main = d.path().join("src/main.rs");
    set_mode(&main, 0o755);
    let before = std::fs::read_to_string(&main).unwrap();
    let out = nova_under("077", d.path(), &["wiring", "check", ".", "--fix"]);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(std::fs::read_to_string(&main).unwrap(), before, "the fix was applied");
    assert_eq!(mode(&main), 0o755);
}

#[test]
fn init_and_report_files_get_the_umask_mode_and_keep_an_existing_mode() {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples/backend"), d.path());
    std::fs::remove_file(d.path().join("nova.toml")).ok();
    let out = nova_under("022", d.path(), &["init", "--ci", "github", "--nova-git", "https://example.invalid/nova"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&d.path().join("nova.toml")), 0o644);
    assert_eq!(mode(&d.path().join(".github/workflows/nova.yml")), 0o644);

    let out = nova_under("022", d.path(), &["migrations", "check", "--report-file", "sarif=nova.sarif"]);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let sarif = d.path().join("nova.sarif");
    assert_eq!(mode(&sarif), 0o644);
    // An existing report keeps the mode its owner gave it, under any umask.
    set_mode(&sarif, 0o640);
    let out = nova_under("077", d.path(), &["migrations", "check", "--report-file", "sarif=nova.sarif"]);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&sarif), 0o640);
    // A new one under umask 077 is private, as any new file would be.
    let out = nova_under("077", d.path(), &["migrations", "check", "--report-file", "json=nova.json"]);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&d.path().join("nova.json")), 0o600);
}
