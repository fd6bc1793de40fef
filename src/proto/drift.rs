//! Drift: `.proto` copies outside the registry (services' own `proto/` directories) that declare
//! a package the registry owns or the same fully-qualified messages, and `build.rs` files that
//! compile such a copy instead of the registry.
use crate::diagnostics::{Diagnostic, FileRef, Level, Severity, Span};
use crate::proto::breaking::model::Side;
use crate::proto::breaking::{Revision, engine, rules as brules};
use crate::proto::descriptor::FileDescriptorProto;
use crate::proto::loader::{self, ProtoSet, ProtoSource};
use crate::rules::RuleInfo;
use crate::walk::Tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const PROTO_DRIFT_COPY: RuleInfo = RuleInfo {
    categories: &["NOVA", "DRIFT"],
    default_severity: Severity::Warning,
    summary: "a .proto outside the registry is a copy (identical or older subset) of a registry file",
    docs: r#"## What it does
`nova proto check` looks for `.proto` files outside the registry (services' own `proto/`
directories; `target/`, `.git` and `node_modules` are skipped) that declare a package the
registry owns or the same fully-qualified messages. A copy that is identical to the registry,
or a subset of it (an older version with fewer fields), is reported here.

## Why
A copy drifts as soon as the registry changes; the registry exists to be the single source.

## Example
`services/user-service/proto/users.proto` declares `package user.v1;` which
`nova-protos/protos/user/v1/users.proto` owns.

Passing: the service's `build.rs` compiles `nova-protos/protos/user/v1/users.proto` and the copy is deleted.

## Fix
Delete the copy and compile the registry file (include path: the registry's `protos/`).
"#,
    ..RuleInfo::new("PROTO_DRIFT_COPY", "proto")
};

pub const PROTO_DRIFT_DIVERGED: RuleInfo = RuleInfo {
    categories: &["NOVA", "DRIFT"],
    summary: "a .proto copy outside the registry has diverged from the registry",
    docs: r#"## What it does
Reports a copy of a registry file (same package or same fully-qualified messages) that is
neither identical nor a subset: it declares something the registry does not, or declares it
differently. The breaking rules run copy-vs-registry, so a field number that carries another
name or type in the copy is reported at the copy's line; the human output adds a unified diff.

## Why
Two services that exchange `user.v1.User` but compile different definitions already disagree on
the wire: a field number with another type is decoded as garbage today.

## Example
Registry: `message User { string email = 2; }`; copy: `message User { int64 email = 2; }`.

Passing: the copy is deleted and the service compiles the registry file.

## Fix
Move the copy's additions into the registry (with a version bump), then delete the copy.
"#,
    ..RuleInfo::new("PROTO_DRIFT_DIVERGED", "proto")
};

pub const PROTO_DRIFT_BUILD_RS: RuleInfo = RuleInfo {
    categories: &["NOVA", "DRIFT"],
    default_severity: Severity::Warning,
    summary: "a build.rs compiles a local copy of a registry proto instead of the registry",
    docs: r#"## What it does
Reads `build.rs` files that use `tonic_build` / `prost_build` and reports each `.proto` path
literal that resolves to a local copy of a registry file (see `PROTO_DRIFT_COPY`).

## Why
The build keeps generating code from the copy, so registry changes never reach the service.

## Example
```rust
tonic_build::configure().compile(&["proto/users.proto"], &["proto"])?;
```
Passing:
```rust
let root = PathBuf::from("../../nova-protos/protos");
tonic_build::configure().compile(&[root.join("user/v1/users.proto")], &[root])?;
```

## Fix
Point the build at the registry's `protos/` directory and delete the copy.
"#,
    ..RuleInfo::new("PROTO_DRIFT_BUILD_RS", "proto")
};

pub fn rules() -> Vec<&'static RuleInfo> {
    vec![&PROTO_DRIFT_BUILD_RS, &PROTO_DRIFT_COPY, &PROTO_DRIFT_DIVERGED]
}

/// The breaking rules that compare elements present on both sides: what makes a diverged copy
/// a wire or JSON bug.
const PAIR_RULES: &[&str] = &[
    "FIELD_SAME_NAME",
    "FIELD_SAME_TYPE",
    "FIELD_SAME_CARDINALITY",
    "FIELD_SAME_ONEOF",
    "FIELD_SAME_JSON_NAME",
    "ENUM_VALUE_SAME_NAME",
    "RPC_SAME_REQUEST_TYPE",
    "RPC_SAME_RESPONSE_TYPE",
    "RPC_SAME_CLIENT_STREAMING",
    "RPC_SAME_SERVER_STREAMING",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Identical,
    Subset,
    Diverged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Identical => "identical",
            Status::Subset => "subset",
            Status::Diverged => "diverged",
        }
    }
}

/// The drift check's output.
#[derive(Default)]
pub struct DriftReport {
    pub diagnostics: Vec<Diagnostic>,
    pub human: Vec<crate::diagnostics::Section>,
    pub json: Vec<serde_json::Value>,
    pub files_checked: usize,
}

fn skip_dir(name: &str) -> bool {
    crate::walk::skipped_dir(name)
}

/// Every file below `walk_root` outside skipped directories and the registry, in walk order.
fn walk_files(walk_root: &Path, registry_root: &Path) -> Vec<PathBuf> {
    let walker = walkdir::WalkDir::new(walk_root).sort_by_file_name().into_iter().filter_entry(|e| {
        e.depth() == 0
            || !(e.file_type().is_dir()
                && (skip_dir(&e.file_name().to_string_lossy()) || same_path(e.path(), registry_root)))
    });
    walker.flatten().filter(|e| e.file_type().is_file()).map(|e| e.path().to_path_buf()).collect()
}

/// The files the walk below `walk_root` would visit, taken from the shared tree: the same skipped
/// directories, the registry left out. `None` when the tree cannot answer (see `Tree::files_under`).
fn shared_files(tree: &Tree, walk_root: &Path, registry_root: &Path) -> Option<Vec<PathBuf>> {
    let registry = registry_root.canonicalize().ok();
    let below_registry = |p: &Path| registry.as_ref().is_some_and(|r| p.starts_with(r));
    let root = walk_root.canonicalize().ok()?;
    // The walk root itself is never skipped, even when it is the registry.
    if below_registry(&root) {
        return None;
    }
    let files = tree.files_under(walk_root)?;
    Some(files.into_iter().filter(|(_, below)| !below_registry(&root.join(below))).map(|(p, _)| p).collect())
}

fn same_path(a: &Path, b: &Path) -> bool {
    let ca = a.canonicalize().unwrap_or_else(|_| a.to_path_buf());
    let cb = b.canonicalize().unwrap_or_else(|_| b.to_path_buf());
    ca == cb
}

/// Import name of a copy: its path below the nearest `proto`/`protos` directory, else its name.
fn import_name(path: &Path) -> (String, PathBuf) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.file_name().is_some_and(|n| n == "proto" || n == "protos") {
            return (crate::diagnostics::rel_path(d, path), d.to_path_buf());
        }
        dir = d.parent();
    }
    let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    (path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), parent)
}

fn severity(overrides: &BTreeMap<String, Level>, rule: &RuleInfo) -> Option<Severity> {
    match overrides.get(rule.id) {
        Some(l) => l.severity(),
        None => Some(rule.default_severity),
    }
}

/// Run the drift check below `scan_root`, skipping the registry itself.
pub fn check(
    scan_root: &Path,
    walk_root: &Path,
    registry_root: &Path,
    registry_import_roots: &[PathBuf],
    registry: &Revision,
    overrides: &BTreeMap<String, Level>,
    tree: Option<&Tree>,
) -> DriftReport {
    let mut rep = DriftReport::default();
    let mut protos: Vec<PathBuf> = Vec::new();
    let mut build_rs: Vec<PathBuf> = Vec::new();
    let mut keep = |path: PathBuf| {
        if path.extension().is_some_and(|x| x == "proto") {
            protos.push(path);
        } else if path.file_name().is_some_and(|n| n == "build.rs") {
            build_rs.push(path);
        }
    };
    let files = tree
        .and_then(|t| shared_files(t, walk_root, registry_root))
        .unwrap_or_else(|| walk_files(walk_root, registry_root));
    files.into_iter().for_each(&mut keep);
    let no_ref = |n: &str| FileRef::virtual_path(n);
    let reg_side = Side::new(&registry.compiled.files, &no_ref);
    let mut copies: Vec<PathBuf> = Vec::new();
    for path in protos {
        rep.files_checked += 1;
        let Ok(text) = crate::fsutil::read_text(&path) else { continue };
        let (name, own_root) = import_name(&path);
        let mut set = ProtoSet { root: scan_root.to_path_buf(), ..Default::default() };
        set.files.insert(
            name.clone(),
            ProtoSource { name: name.clone(), file: FileRef::new(scan_root, &path), text: Arc::from(text.as_str()) },
        );
        set.include_dirs.push(own_root);
        set.include_dirs.extend(registry_import_roots.iter().cloned());
        let copy = Revision::compile(set, "copy");
        let Some(fd) = copy.compiled.files.get(&name) else { continue };
        let refs = |n: &str| copy.set.files.get(n).map(|s| s.file.clone()).unwrap_or_else(|| FileRef::virtual_path(n));
        let copy_side = Side::new(&copy.compiled.files, &refs);
        let owned_pkg = !fd.package().is_empty() && reg_side.packages.contains_key(fd.package());
        let shared: Vec<&String> = copy_side.messages.keys().filter(|k| reg_side.messages.contains_key(*k)).collect();
        if !owned_pkg && shared.is_empty() {
            continue;
        }
        // The registry file it copies: same import name, else the one sharing most types.
        let counterpart = if registry.compiled.files.contains_key(&name) {
            Some(name.clone())
        } else {
            let mut best: Option<(usize, String)> = None;
            for (fqn, m) in &copy_side.messages {
                if let Some(rm) = reg_side.messages.get(fqn) {
                    let n = copy_side
                        .messages
                        .values()
                        .filter(|x| reg_side.messages.get(&x.fqn).is_some_and(|r| r.file == rm.file))
                        .count();
                    if best.as_ref().is_none_or(|(b, _)| n > *b) {
                        best = Some((n, rm.file.to_string()));
                    }
                    let _ = m;
                }
            }
            best.map(|(_, f)| f)
                .or_else(|| reg_side.packages.get(fd.package()).and_then(|v| v.first()).map(|s| s.to_string()))
        };
        let reg_fd = counterpart.as_ref().and_then(|c| registry.compiled.files.get(c));
        let status = classify(fd, reg_fd, &copy_side, &reg_side);
        let file_ref = FileRef::new(scan_root, &path);
        let reg_display = counterpart.clone().unwrap_or_else(|| "(several files)".into());
        copies.push(path.clone());
        rep.json.push(serde_json::json!({
            "copy": file_ref.path,
            "registry_file": counterpart,
            "package": fd.package(),
            "status": status.as_str(),
        }));
        match status {
            Status::Identical | Status::Subset => {
                if let Some(sev) = severity(overrides, &PROTO_DRIFT_COPY) {
                    let what =
                        if status == Status::Identical { "an identical copy" } else { "an older copy (a subset)" };
                    rep.diagnostics.push(
                        Diagnostic::new(
                            "proto",
                            PROTO_DRIFT_COPY.id,
                            sev,
                            format!("{what} of registry file `{reg_display}` (package `{}`)", fd.package()),
                        )
                        .at(file_ref.clone(), Some(Span::file_start()))
                        .with_help("delete the copy and compile the registry file"),
                    );
                }
            }
            Status::Diverged => {
                let Some(sev) = severity(overrides, &PROTO_DRIFT_DIVERGED) else { continue };
                let prev_side = Side::new(&registry.compiled.files, &no_ref);
                let cx = engine::Cx::new(&prev_side, &copy_side);
                let mut out = engine::Out::default();
                for (info, check) in brules::CHECKS {
                    if PAIR_RULES.contains(&info.id) {
                        check(&cx, &mut out);
                    }
                }
                rep.diagnostics.push(
                    Diagnostic::new(
                        "proto",
                        PROTO_DRIFT_DIVERGED.id,
                        sev,
                        format!(
                            "copy of registry file `{reg_display}` has diverged ({} conflicting element(s))",
                            out.findings.len()
                        ),
                    )
                    .at(file_ref.clone(), Some(Span::file_start()))
                    .with_help("move the copy's additions into the registry, then delete the copy"),
                );
                for f in out.findings {
                    let mut d = Diagnostic::new(
                        "proto",
                        PROTO_DRIFT_DIVERGED.id,
                        sev,
                        format!(
                            "the copy disagrees with the registry (registry -> copy): {} [{}]",
                            f.message.trim_end_matches('.'),
                            f.rule
                        ),
                    );
                    d.file = Some(file_ref.clone());
                    d.span = f.span.or(Some(Span::file_start()));
                    rep.diagnostics.push(d);
                }
                if let Some(c) = &counterpart
                    && let Some(src) = registry.set.files.get(c)
                {
                    let diff = similar::TextDiff::from_lines(&*src.text, text.as_str());
                    let body = diff.unified_diff().context_radius(2).header(&src.file.path, &file_ref.path).to_string();
                    let text = format!("\ndrift: {} vs registry {}\n{body}", file_ref.path, src.file.path);
                    let about = file_ref.abs.iter().chain(src.file.abs.iter()).cloned().collect();
                    rep.human.push(crate::diagnostics::Section::about(text, about));
                }
            }
        }
    }
    for b in build_rs {
        let Ok(text) = crate::fsutil::read_text(&b) else { continue };
        if !(text.contains("tonic_build") || text.contains("prost_build") || text.contains("tonic_prost_build")) {
            continue;
        }
        let Some(sev) = severity(overrides, &PROTO_DRIFT_BUILD_RS) else { continue };
        let dir = b.parent().unwrap_or(Path::new("."));
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            for lit in proto_literals(line) {
                let target = dir.join(&lit);
                if copies.iter().any(|c| same_path(c, &target)) {
                    let col = line.find(&lit).map(|c| line[..c].chars().count() + 1).unwrap_or(1);
                    rep.diagnostics.push(
                        Diagnostic::new(
                            "proto",
                            PROTO_DRIFT_BUILD_RS.id,
                            sev,
                            format!("build.rs compiles the local copy `{lit}` instead of the registry"),
                        )
                        .at(FileRef::new(scan_root, &b), Some(Span::new(i + 1, col, i + 1, col + lit.chars().count())))
                        .with_help("compile the registry file with the registry's `protos/` as include path"),
                    );
                }
            }
        }
    }
    rep
}

/// `"...something.proto"` string literals on a line.
fn proto_literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let lit = &after[..end];
        if lit.ends_with(".proto") {
            out.push(lit.to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

/// Identical: same declarations; subset: everything the copy declares is in the registry,
/// declared the same way; diverged otherwise.
fn classify(copy: &FileDescriptorProto, reg: Option<&FileDescriptorProto>, cs: &Side<'_>, rs: &Side<'_>) -> Status {
    if let Some(r) = reg {
        let norm = |f: &FileDescriptorProto| {
            let mut f = f.clone();
            f.source_code_info = None;
            f.name = None;
            f
        };
        if norm(copy) == norm(r) {
            return Status::Identical;
        }
    }
    for (fqn, m) in &cs.messages {
        let Some(rm) = rs.messages.get(fqn) else { return Status::Diverged };
        for f in &m.fields {
            let Some(rf) = rm.field(f.number()) else { return Status::Diverged };
            if rf.name() != f.name()
                || rf.ty() != f.ty()
                || rf.desc.type_name() != f.desc.type_name()
                || rf.desc.label() != f.desc.label()
            {
                return Status::Diverged;
            }
        }
    }
    for (fqn, e) in &cs.enums {
        let Some(re) = rs.enums.get(fqn) else { return Status::Diverged };
        for v in &e.desc.value {
            if !re.desc.value.iter().any(|x| x.number() == v.number() && x.name() == v.name()) {
                return Status::Diverged;
            }
        }
    }
    for (fqn, s) in &cs.services {
        let Some(rsv) = rs.services.get(fqn) else { return Status::Diverged };
        for m in &s.desc.method {
            if !rsv.desc.method.iter().any(|x| {
                x.name() == m.name()
                    && x.input_type() == m.input_type()
                    && x.output_type() == m.output_type()
                    && x.client_streaming() == m.client_streaming()
                    && x.server_streaming() == m.server_streaming()
            }) {
                return Status::Diverged;
            }
        }
    }
    let _ = loader::COMPILE;
    Status::Subset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_walk_gives_the_files_of_the_own_walk() {
        let d = tempfile::tempdir().unwrap();
        let files = [
            "nova-protos/protos/a/v1/a.proto",
            "svc/proto/a/v1/a.proto",
            "svc/build.rs",
            "svc/target/x.proto",
            "svc/.cache/y.proto",
            "node_modules/z.proto",
            "b/c.proto",
        ];
        for f in files {
            crate::testutil::write(d.path(), f, "");
        }
        let tree = Tree::scan(d.path());
        let reg = d.path().join("nova-protos");
        for walk_root in [d.path().to_path_buf(), d.path().join("svc"), d.path().join("svc/proto")] {
            let own = walk_files(&walk_root, &reg);
            assert_eq!(shared_files(&tree, &walk_root, &reg), Some(own.clone()), "{}", walk_root.display());
            assert!(!own.is_empty());
        }
        assert_eq!(walk_files(d.path(), &reg).len(), 3);
        // A walk rooted in the registry or in a skipped directory is not the tree's to answer.
        assert_eq!(shared_files(&tree, &reg, &reg), None);
        assert_eq!(shared_files(&tree, &d.path().join("svc/target"), &reg), None);
    }

    #[test]
    fn literals() {
        assert_eq!(
            proto_literals(r#"  .compile(&["proto/a.proto", "b.proto"], &["proto"])?;"#),
            vec!["proto/a.proto", "b.proto"]
        );
    }
}
