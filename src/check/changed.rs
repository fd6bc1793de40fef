//! `--changed-since`: keep the findings a change caused, judged against the whole tree.
//!
//! The ownership rule (documented in `docs/check.md`):
//! - **Any finding** survives when its file, or a file one of its labels points at, changed since
//!   the ref. A changed submodule (its pointer moved, or its worktree differs) counts as a change
//!   of every file below it.
//! - **Service code**: a finding in a Cargo package also survives when any file of that package
//!   changed, because a service's wiring is a property of the whole crate.
//! - **Migrations** stay per file, like `nova migrations check --since`.
//! - **The proto registry is judged as a whole**: when the registry changed (a file below it, or
//!   the submodule pointer), every finding of the proto checker survives: lint, breaking (against
//!   the same ref), the semver verdict (which sits on a CHANGELOG the change may not have touched),
//!   and drift (a copy that drifted because the registry moved). A registry outside the
//!   repository's worktree cannot be judged by the diff and always counts as changed.
//! - Input errors and findings without a file always survive: nothing may hide them.
use super::Checker;
use super::merge::{Part, canonical, normalize};
use crate::diagnostics::{Diagnostic, Kind};
use crate::error::NovaError;
use crate::gitutil;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The files that differ between a ref and the worktree (committed, staged, unstaged, untracked).
#[derive(Debug, Clone)]
pub struct ChangeSet {
    /// Absolute, canonical paths.
    pub files: BTreeSet<PathBuf>,
    /// Changed submodules (absolute, canonical): every file below one counts as changed.
    pub dirs: BTreeSet<PathBuf>,
    /// The repository's worktree root; crate lookup stops here.
    pub workdir: PathBuf,
}

impl ChangeSet {
    /// Read the change set of the repository `git` stands for, read-only.
    pub fn since(git: &gitutil::Git, rev: &str) -> Result<ChangeSet, NovaError> {
        let paths = git.changed_paths_since(rev)?;
        let wd = git
            .workdir()
            .ok_or_else(|| NovaError::new("--changed-since needs a repository with a worktree (not a bare one)"))?;
        let wd = wd.canonicalize().unwrap_or(wd);
        Ok(ChangeSet::from_paths(&wd, paths.iter().cloned()))
    }

    /// A change set from repo-relative paths (tests build them directly).
    /// A changed path that is a directory in the worktree is a submodule (git lists a submodule,
    /// never a directory, as one changed path).
    pub fn from_paths(workdir: &Path, paths: impl IntoIterator<Item = String>) -> ChangeSet {
        let (mut files, mut dirs) = (BTreeSet::new(), BTreeSet::new());
        for p in paths {
            let abs = normalize(&workdir.join(p));
            if abs.is_dir() {
                dirs.insert(canonical(&abs));
            } else {
                files.insert(abs);
            }
        }
        ChangeSet { files, dirs, workdir: workdir.to_path_buf() }
    }

    /// Whether the change touched `file` (absolute, canonical).
    pub fn touches(&self, file: &Path) -> bool {
        self.files.contains(file) || self.dirs.iter().any(|d| file.starts_with(d))
    }

    /// Whether the change touched anything below `dir` (absolute, canonical), or `dir` itself lies
    /// in a changed submodule. A directory outside the worktree is not covered by the diff: it
    /// counts as changed, since the gate must not pass what it cannot see.
    pub fn touches_dir(&self, dir: &Path) -> bool {
        if !dir.starts_with(&self.workdir) {
            return true;
        }
        self.files.iter().chain(&self.dirs).any(|f| f.starts_with(dir)) || self.dirs.iter().any(|d| dir.starts_with(d))
    }

    /// Drop the findings the change did not cause. `registry` is the proto registry directory
    /// (when the proto checker ran).
    pub fn filter(&self, root: &Path, registry: Option<&Path>, parts: &mut [Part]) {
        let registry_changed = registry.is_some_and(|r| self.touches_dir(&canonical(r)));
        let mut crates: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        for part in parts.iter_mut() {
            let checker = part.checker;
            if checker == Checker::Proto && registry_changed {
                // The registry is judged as a whole: everything the proto checker reports stays.
                continue;
            }
            let before = part.report.diagnostics.len();
            part.report.diagnostics.retain(|d| self.keeps(root, checker, d, &mut crates));
            part.outside_change += before - part.report.diagnostics.len();
            // A block about files (a copy's drift diff) stays when one of them changed.
            part.report
                .human_sections
                .retain(|s| s.about.is_empty() || s.about.iter().any(|f| self.touches(&canonical(f))));
        }
    }

    fn keeps(
        &self,
        root: &Path,
        checker: Checker,
        d: &Diagnostic,
        crates: &mut HashMap<PathBuf, Option<PathBuf>>,
    ) -> bool {
        if d.kind == Kind::InputError {
            return true;
        }
        let files: Vec<PathBuf> = d
            .file
            .iter()
            .chain(d.labels.iter().filter_map(|l| l.file.as_ref()))
            .map(|f| match &f.abs {
                Some(abs) => canonical(abs),
                None => normalize(&root.join(&f.path)),
            })
            .collect();
        let Some(primary) = files.first() else { return true };
        if files.iter().any(|f| self.touches(f)) {
            return true;
        }
        if checker == Checker::Migrations {
            return false;
        }
        let krate = crates.entry(primary.clone()).or_insert_with(|| self.package_of(primary)).clone();
        match krate {
            Some(dir) => self.files.iter().chain(&self.dirs).any(|f| f.starts_with(&dir)),
            None => false,
        }
    }

    /// The directory of the Cargo package (a manifest with `[package]`) containing `file`, inside
    /// the worktree. A virtual workspace manifest is not a package: a change to one service must
    /// not revive every other service's findings.
    fn package_of(&self, file: &Path) -> Option<PathBuf> {
        let mut dir = file.parent();
        while let Some(d) = dir {
            if !d.starts_with(&self.workdir) {
                return None;
            }
            let manifest = d.join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest)
                && text.parse::<toml::Table>().is_ok_and(|t| t.contains_key("package"))
            {
                return Some(d.to_path_buf());
            }
            if d == self.workdir {
                return None;
            }
            dir = d.parent();
        }
        None
    }
}
