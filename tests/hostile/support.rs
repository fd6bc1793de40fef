//! Helpers shared by the hardening tests (`hostile.rs`, `readonly.rs`, `proptests.rs`): run the
//! `nova` binary under a deadline, snapshot a directory tree, corrupt git objects (repositories
//! are built with the git helpers of `tests/common`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// What one run of the binary did.
#[derive(Debug)]
pub struct Outcome {
    /// Exit code; `None` when the process died from a signal (stack overflow aborts) or was killed.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

impl Outcome {
    /// stdout and stderr together, for "is the file named anywhere" checks.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// The problems every run must be free of, whatever the input: a panic, a signal, a hang, an
    /// exit code outside 0/1/2.
    pub fn crash_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.timed_out {
            p.push(format!("did not finish within its deadline (killed after {:.1?})", self.elapsed));
        } else {
            match self.code {
                None => p.push("died from a signal (stack overflow or abort?)".to_string()),
                Some(101) => p.push("exit 101: panic".to_string()),
                Some(c) if !(0..=2).contains(&c) => p.push(format!("exit {c}: not one of 0, 1, 2")),
                Some(_) => {}
            }
        }
        if self.stderr.contains("panicked") {
            p.push("stderr reports a panic".to_string());
        }
        if self.stderr.contains("overflowed its stack") {
            p.push("stderr reports a stack overflow".to_string());
        }
        p
    }

    pub fn describe(&self) -> String {
        let cut = |s: &str| -> String {
            if s.len() > 1500 {
                let mut end = 1500;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}... [{} bytes]", &s[..end], s.len())
            } else {
                s.to_string()
            }
        };
        format!(
            "exit {:?}, {:.2?}{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            self.elapsed,
            if self.timed_out { " (TIMED OUT)" } else { "" },
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

pub fn nova_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_nova"))
}

/// Multiplier for every deadline (`NOVA_HOSTILE_TIMEOUT_SCALE=3` on a slow or busy machine).
pub fn timeout_scale() -> f64 {
    std::env::var("NOVA_HOSTILE_TIMEOUT_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v: &f64| *v > 0.0)
        .unwrap_or(1.0)
}

/// Run `nova ARGS` in `cwd`, killing it when `timeout` expires. Output goes to files, not pipes,
/// so a chatty child can never block on a full pipe while we wait for it.
pub fn run_nova(cwd: &Path, args: &[String], timeout: Duration) -> Outcome {
    let out_dir = tempfile::tempdir().expect("temp dir for output");
    let out_path = out_dir.path().join("stdout");
    let err_path = out_dir.path().join("stderr");
    let stdout = fs::File::create(&out_path).expect("stdout file");
    let stderr = fs::File::create(&err_path).expect("stderr file");
    let start = Instant::now();
    let mut child = Command::new(nova_bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .spawn()
        .expect("spawn nova");
    let deadline = start + timeout;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().expect("wait for nova") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let elapsed = start.elapsed();
    let read = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: read(&out_path),
        stderr: read(&err_path),
        elapsed,
        timed_out,
    }
}

/// One directory entry as seen by a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir {
        mode: u32,
    },
    File {
        len: u64,
        hash: u64,
        mtime: Option<SystemTime>,
        mode: u32,
    },
    /// A file this process cannot read (chmod 000 as a normal user): metadata only.
    UnreadableFile {
        len: u64,
        mtime: Option<SystemTime>,
        mode: u32,
    },
    Symlink {
        target: PathBuf,
    },
}

/// Every entry below `root` (symlinks not followed), keyed by `/`-separated relative path.
pub fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let Ok(e) = e else { continue };
        let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
        let Ok(meta) = fs::symlink_metadata(e.path()) else { continue };
        let mode = meta.permissions().mode();
        let entry = if meta.file_type().is_symlink() {
            Entry::Symlink { target: fs::read_link(e.path()).unwrap_or_default() }
        } else if meta.is_dir() {
            Entry::Dir { mode }
        } else {
            match fs::read(e.path()) {
                Ok(bytes) => {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    bytes.hash(&mut h);
                    Entry::File { len: meta.len(), hash: h.finish(), mtime: meta.modified().ok(), mode }
                }
                Err(_) => Entry::UnreadableFile { len: meta.len(), mtime: meta.modified().ok(), mode },
            }
        };
        out.insert(rel, entry);
    }
    out
}

/// Human-readable differences between two snapshots (empty when identical).
pub fn snapshot_diff(before: &BTreeMap<String, Entry>, after: &BTreeMap<String, Entry>) -> Vec<String> {
    let mut d = Vec::new();
    for (k, v) in before {
        match after.get(k) {
            None => d.push(format!("removed: {k}")),
            Some(w) if w != v => d.push(format!("changed: {k} ({v:?} -> {w:?})")),
            Some(_) => {}
        }
    }
    for k in after.keys() {
        if !before.contains_key(k) {
            d.push(format!("created: {k}"));
        }
    }
    d
}

/// Write `bytes` at `root/rel`, creating parent directories.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("create parent dirs");
    }
    fs::write(&p, bytes).expect("write test input");
    p
}

pub fn mkdir(root: &Path, rel: &str) -> PathBuf {
    let p = root.join(rel);
    fs::create_dir_all(&p).expect("mkdir");
    p
}

pub fn symlink(target: &str, root: &Path, rel: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("create parent dirs");
    }
    std::os::unix::fs::symlink(target, &p).expect("symlink");
}

pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Whether this process can read a file after `chmod 000` (true as root, e.g. in CI containers).
pub fn chmod_000_is_ignored() -> bool {
    let d = tempfile::tempdir().expect("temp dir");
    let p = write(d.path(), "probe", b"x");
    chmod(&p, 0o000);
    let readable = fs::read(&p).is_ok();
    chmod(&p, 0o644);
    readable
}

/// Deterministic bytes that are not valid UTF-8 (xorshift; no `rand` dependency needed).
pub fn garbage(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 2);
    v.extend_from_slice(&[0xff, 0xfe]);
    while v.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.extend_from_slice(&seed.to_le_bytes());
    }
    v.truncate(len.max(2));
    v
}

/// Overwrite a loose object with bytes that do not inflate: git (and git2) then fail to read it.
pub fn corrupt_loose_object(repo: &Path, oid: &str) {
    let p = repo.join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    assert!(p.is_file(), "object {oid} is not loose at {}", p.display());
    chmod(&p, 0o644);
    fs::write(&p, b"this is not a zlib stream").expect("corrupt object");
}
