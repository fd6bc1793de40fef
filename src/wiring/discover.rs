//! Finding services: Cargo workspaces under the roots, their member crates, and each crate's binary
//! targets. Every binary is one service. Broken manifests, editor junk and symlink loops become
//! diagnostics; discovery itself never fails.
use crate::diagnostics::{Diagnostic, FileRef, LineIndex, Severity, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Directories that never hold service code.
const SKIP_DIRS: &[&str] = &["target", ".git", "node_modules", "vendor", ".hg", ".svn"];

/// One binary target of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The binary's name (the service).
    pub name: String,
    /// The package name.
    pub crate_name: String,
    pub crate_dir: PathBuf,
    /// The binary's root file (`src/main.rs`, `src/bin/x.rs`, ...).
    pub root_file: PathBuf,
    /// The crate's library root and its name as used in paths (`my_lib`), when it has one.
    pub lib: Option<(PathBuf, String)>,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub services: Vec<Service>,
    pub diagnostics: Vec<Diagnostic>,
    /// Manifests that parsed (workspaces and packages).
    pub manifests: usize,
}

fn skip_dir(name: &str) -> bool {
    SKIP_DIRS.contains(&name) || (name.starts_with('.') && name != "." && name != "..")
}

/// Editor backup and lock files that look like sources but are not.
pub fn is_editor_junk(name: &str) -> bool {
    name.ends_with(".rs~")
        || (name.starts_with(".#") && name.contains(".rs"))
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".rs.swp")
        || name.ends_with(".rs.orig")
}

/// Discover every service under `roots`. `report_root` is what diagnostic paths are relative to.
/// `tree`, the walk `nova check` shares, stands in for this function's own walk of a root when it
/// can give the same manifests: no symbolic links to follow and no unreadable entries to report.
pub fn discover(roots: &[PathBuf], report_root: &Path, tree: Option<&crate::walk::Tree>) -> Discovery {
    let mut out = Discovery::default();
    let mut manifests: BTreeSet<PathBuf> = BTreeSet::new();
    for root in roots {
        let missing = |what: &str| {
            Diagnostic::input_error("wiring", "MISSING_PATH", format!("{} {what}", root.display()))
                .at(FileRef::new(report_root, root), None)
        };
        if !root.exists() {
            out.diagnostics.push(missing("does not exist"));
            continue;
        }
        if root.is_file() {
            if root.file_name().is_some_and(|n| n == "Cargo.toml") {
                manifests.insert(root.clone());
            } else {
                out.diagnostics.push(missing("is not a directory or a Cargo.toml"));
            }
            continue;
        }
        if let Some(shared) = tree.filter(|t| !t.has_symlinks && !t.has_errors).and_then(|t| t.files_under(root)) {
            // The shared walk skips hidden directories, `target` and `node_modules`; the rest of
            // this walk's skip list applies to the directories below the root.
            for (path, below) in shared {
                let in_skipped_dir =
                    below.parent().is_some_and(|d| d.components().any(|c| skip_dir(&c.as_os_str().to_string_lossy())));
                if !in_skipped_dir && below.file_name().is_some_and(|n| n == "Cargo.toml") {
                    manifests.insert(path);
                }
            }
            continue;
        }
        let walker =
            walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
                !(e.file_type().is_dir() && e.depth() > 0 && skip_dir(&e.file_name().to_string_lossy()))
            });
        for entry in walker {
            match entry {
                Ok(e) => {
                    if e.file_type().is_file() && e.file_name() == "Cargo.toml" {
                        manifests.insert(e.path().to_path_buf());
                    }
                }
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    let msg = match err.loop_ancestor() {
                        Some(anc) => format!("symlink loop: {} points back to {}", path.display(), anc.display()),
                        None => format!("cannot read {}: {}", path.display(), err),
                    };
                    let rule = if err.loop_ancestor().is_some() { "SYMLINK_LOOP" } else { "IO_ERROR" };
                    out.diagnostics.push(
                        Diagnostic::new("wiring", rule, Severity::Warning, msg)
                            .at(FileRef::new(report_root, &path), None)
                            .with_help("the directory was skipped; everything else was checked"),
                    );
                }
            }
        }
    }

    // Parse every manifest once.
    let mut parsed: BTreeMap<PathBuf, toml::Table> = BTreeMap::new();
    for m in &manifests {
        let text = match std::fs::read(m) {
            Ok(b) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(_) => {
                    out.diagnostics.push(
                        Diagnostic::input_error("wiring", "CARGO_TOML_INVALID", "Cargo.toml is not valid UTF-8")
                            .at(FileRef::new(report_root, m), Some(Span::file_start())),
                    );
                    continue;
                }
            },
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::input_error("wiring", "IO_ERROR", format!("cannot read Cargo.toml: {e}"))
                        .at(FileRef::new(report_root, m), None),
                );
                continue;
            }
        };
        match toml::from_str::<toml::Table>(&text) {
            Ok(t) => {
                parsed.insert(m.clone(), t);
            }
            Err(e) => {
                let span = e.span().map(|r| {
                    let idx = LineIndex::new(&text);
                    let (l, c) = idx.line_col(&text, r.start);
                    Span::new(l, c, l, c)
                });
                out.diagnostics.push(
                    Diagnostic::input_error(
                        "wiring",
                        "CARGO_TOML_INVALID",
                        format!("Cargo.toml does not parse: {}", e.message().trim()),
                    )
                    .at(FileRef::new(report_root, m), span.or(Some(Span::file_start())))
                    .with_help("this crate was skipped; the other crates were checked"),
                );
            }
        }
    }
    out.manifests = parsed.len();

    // Workspace exclusions, and members that live where the walk did not look.
    let mut excluded: BTreeSet<PathBuf> = BTreeSet::new();
    let mut extra_members: BTreeSet<PathBuf> = BTreeSet::new();
    for (m, t) in &parsed {
        let Some(ws) = t.get("workspace").and_then(|w| w.as_table()) else { continue };
        let dir = m.parent().unwrap_or(Path::new("."));
        for pat in str_list(ws.get("exclude")) {
            excluded.insert(normalize(&dir.join(pat)));
        }
        for pat in str_list(ws.get("members")) {
            for d in expand_member(dir, pat) {
                let manifest = d.join("Cargo.toml");
                if manifest.is_file() && !parsed.contains_key(&manifest) {
                    extra_members.insert(manifest);
                }
            }
        }
    }
    for m in extra_members {
        if let Ok(text) = std::fs::read_to_string(&m)
            && let Ok(t) = toml::from_str::<toml::Table>(&text)
        {
            parsed.insert(m, t);
        }
    }

    for (m, t) in &parsed {
        let Some(pkg) = t.get("package").and_then(|p| p.as_table()) else { continue };
        let dir = m.parent().unwrap_or(Path::new(".")).to_path_buf();
        let nd = normalize(&dir);
        if excluded.iter().any(|e| nd.starts_with(e)) {
            continue;
        }
        let Some(name) = pkg.get("name").and_then(|n| n.as_str()) else {
            out.diagnostics.push(
                Diagnostic::new("wiring", "CARGO_TOML_INVALID", Severity::Error, "[package] has no `name`")
                    .at(FileRef::new(report_root, m), Some(Span::file_start())),
            );
            continue;
        };
        out.services.extend(binaries(&dir, name, t, pkg, report_root, &mut out.diagnostics));
    }
    out
}

fn str_list(v: Option<&toml::Value>) -> Vec<&str> {
    v.and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|x| x.as_str()).collect()).unwrap_or_default()
}

/// Lexically normalise `a/./b/../c` (no symlink resolution: paths stay as the user wrote them).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Expand one `members` entry (a path or a glob such as `services/*`).
fn expand_member(dir: &Path, pat: &str) -> Vec<PathBuf> {
    if !pat.contains(['*', '?', '[']) {
        return vec![dir.join(pat)];
    }
    let Ok(glob) = globset::Glob::new(pat) else { return Vec::new() };
    let matcher = glob.compile_matcher();
    let depth = pat.split('/').count();
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(depth)
        .into_iter()
        .filter_entry(|e| !skip_dir(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter(|e| e.path().strip_prefix(dir).is_ok_and(|r| matcher.is_match(r)))
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// The binary targets of one package, plus editor junk found among its sources.
fn binaries(
    dir: &Path,
    pkg_name: &str,
    manifest: &toml::Table,
    pkg: &toml::Table,
    report_root: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Service> {
    let src = dir.join("src");
    // Editor junk is reported once per crate and never treated as a target.
    for e in walkdir::WalkDir::new(&src).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let n = e.file_name().to_string_lossy();
        if e.file_type().is_file() && is_editor_junk(&n) {
            diags.push(
                Diagnostic::new("wiring", "EDITOR_JUNK", Severity::Info, format!("editor file `{n}` ignored"))
                    .at(FileRef::new(report_root, e.path()), None)
                    .with_help("it is not compiled; delete it or add it to .gitignore"),
            );
        }
    }
    let autobins = pkg.get("autobins").and_then(|v| v.as_bool()).unwrap_or(true);
    let mut bins: BTreeMap<String, PathBuf> = BTreeMap::new();
    if autobins {
        if src.join("main.rs").is_file() {
            bins.insert(pkg_name.to_string(), src.join("main.rs"));
        }
        if let Ok(rd) = std::fs::read_dir(src.join("bin")) {
            let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let n = e.file_name().to_string_lossy().to_string();
                let p = e.path();
                if is_editor_junk(&n) {
                    continue;
                }
                if p.is_file() && n.ends_with(".rs") {
                    bins.insert(n.trim_end_matches(".rs").to_string(), p);
                } else if p.is_dir() && p.join("main.rs").is_file() {
                    bins.insert(n, p.join("main.rs"));
                }
            }
        }
    }
    for b in manifest.get("bin").and_then(|b| b.as_array()).into_iter().flatten() {
        let Some(t) = b.as_table() else { continue };
        let Some(name) = t.get("name").and_then(|n| n.as_str()) else { continue };
        let path = match t.get("path").and_then(|p| p.as_str()) {
            Some(p) => dir.join(p),
            None => {
                let cands = [src.join("bin").join(format!("{name}.rs")), src.join("bin").join(name).join("main.rs")];
                match cands.iter().find(|c| c.is_file()) {
                    Some(c) => c.clone(),
                    None if name == pkg_name => src.join("main.rs"),
                    None => cands[0].clone(),
                }
            }
        };
        if !path.is_file() {
            diags.push(
                Diagnostic::input_error(
                    "wiring",
                    "MISSING_PATH",
                    format!("binary `{name}` points at {} which does not exist", path.display()),
                )
                .at(FileRef::new(report_root, &dir.join("Cargo.toml")), Some(Span::file_start())),
            );
            continue;
        }
        bins.insert(name.to_string(), path);
    }
    let lib_table = manifest.get("lib").and_then(|l| l.as_table());
    let lib_path = lib_table.and_then(|l| l.get("path")).and_then(|p| p.as_str()).map(|p| dir.join(p));
    let lib_path = lib_path.or_else(|| Some(src.join("lib.rs")).filter(|p| p.is_file()));
    let lib_name = lib_table
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| pkg_name.replace('-', "_"));
    let lib = lib_path.filter(|p| p.is_file()).map(|p| (p, lib_name));
    bins.into_iter()
        .map(|(name, root_file)| Service {
            name,
            crate_name: pkg_name.to_string(),
            crate_dir: dir.to_path_buf(),
            root_file,
            lib: lib.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_names() {
        assert!(is_editor_junk("main.rs~"));
        assert!(is_editor_junk(".#main.rs"));
        assert!(is_editor_junk("#main.rs#"));
        assert!(!is_editor_junk("main.rs"));
    }

    #[test]
    fn the_shared_walk_finds_the_same_services() {
        let d = tempfile::tempdir().unwrap();
        let files = [
            ("Cargo.toml", "[workspace]\nmembers = [\"svc/*\"]\n"),
            ("svc/a/Cargo.toml", "[package]\nname = \"a\"\n"),
            ("svc/a/src/main.rs", "fn main() {}"),
            ("svc/b/Cargo.toml", "[package]\nname = \"b\"\n"),
            ("svc/b/src/bin/tool.rs", "fn main() {}"),
            ("vendor/v/Cargo.toml", "[package]\nname = \"v\"\n"),
            ("vendor/v/src/main.rs", "fn main() {}"),
            (".hidden/h/Cargo.toml", "[package]\nname = \"h\"\n"),
            ("svc/a/target/t/Cargo.toml", "[package]\nname = \"t\"\n"),
        ];
        for (f, text) in files {
            crate::testutil::write(d.path(), f, text);
        }
        let tree = crate::walk::Tree::scan(d.path());
        for root in [d.path().to_path_buf(), d.path().join("svc"), d.path().join("vendor")] {
            let own = discover(std::slice::from_ref(&root), d.path(), None);
            let shared = discover(std::slice::from_ref(&root), d.path(), Some(&tree));
            assert_eq!(own.services, shared.services, "{}", root.display());
            assert_eq!(own.manifests, shared.manifests);
        }
        let names: Vec<String> =
            discover(&[d.path().to_path_buf()], d.path(), Some(&tree)).services.into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "tool"]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
    }
}
