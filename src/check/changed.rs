//! `--changed-since`: keep the findings a change touched, judged against the whole tree.
//!
//! A finding survives when its file (or a file one of its labels points at) changed since the
//! ref. Findings in a Cargo package (a service) also survive when any file of that package
//! changed: a service's wiring is a property of the whole crate, so editing its `Cargo.toml` or
//! another module can break it. Migration findings stay per file, like `nova migrations check
//! --since`. Input errors and findings without a file always survive: nothing may hide them.
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
    pub fn from_paths(workdir: &Path, paths: impl IntoIterator<Item = String>) -> ChangeSet {
        let files = paths.into_iter().map(|p| normalize(&workdir.join(p))).collect();
        ChangeSet { files, workdir: workdir.to_path_buf() }
    }

    /// Drop the findings the change did not touch.
    pub fn filter(&self, root: &Path, parts: &mut [Part]) {
        let mut crates: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        for part in parts.iter_mut() {
            let checker = part.checker;
            let before = part.report.diagnostics.len();
            part.report.diagnostics.retain(|d| self.keeps(root, checker, d, &mut crates));
            part.outside_change += before - part.report.diagnostics.len();
            // A block about files (a copy's drift diff) stays when one of them changed.
            part.report
                .human_sections
                .retain(|s| s.about.is_empty() || s.about.iter().any(|f| self.files.contains(&canonical(f))));
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
        if files.iter().any(|f| self.files.contains(f)) {
            return true;
        }
        if checker == Checker::Migrations {
            return false;
        }
        let krate = crates.entry(primary.clone()).or_insert_with(|| self.package_of(primary)).clone();
        match krate {
            Some(dir) => self.files.iter().any(|f| f.starts_with(&dir)),
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
