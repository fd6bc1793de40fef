//! One walk of a tree that `nova check` does once and hands to the checkers it runs, instead of
//! each checker walking the same directories again.
//!
//! The walk does not follow symbolic links and skips hidden directories, `target/` and
//! `node_modules/` (the directories every checker skips). A checker asks for the files below
//! its own root with [`Tree::files_under`] and applies its own extra filters; when the shared walk
//! cannot answer exactly as the checker's own walk would (the root lies outside the tree or in a
//! skipped directory, or the checker follows links and the tree has some), the answer is `None`
//! and the checker walks by itself, so findings never depend on which path was taken.
//!
//! A checker whose own walk honours `.gitignore` (migrations discovery, an `ignore` crate walk)
//! asks [`Tree::unignored_files_under`]: the tree's files filtered through the same `ignore`
//! configuration, matched path by path, which is what that walk would yield.
use std::path::{Component, Path, PathBuf};

/// A directory name no checker descends into.
pub fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// Whether a file at `rel` (a `/`-separated path below a walk's root) lies in a directory the walk
/// skips. Used where files come from elsewhere than a walk (a git tree), so that a revision read
/// from history holds the same files as the worktree walk gives.
pub fn in_skipped_dir(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').filter(|c| !c.is_empty()).collect();
    parts.pop();
    parts.into_iter().any(skipped_dir)
}

/// Every regular file below a root, in walk order (depth first, entries sorted by file name).
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// The canonical root.
    pub root: PathBuf,
    /// Paths relative to `root`.
    files: Vec<PathBuf>,
    /// The directories the walk did not descend into (hidden, `target`, `node_modules`),
    /// relative to `root`: a walk with other skip rules may descend them.
    pruned: Vec<PathBuf>,
    /// The walk met a symbolic link: a checker that follows links cannot use the tree.
    pub has_symlinks: bool,
    /// The walk met an unreadable entry: a checker that reports walk errors cannot use the tree.
    pub has_errors: bool,
}

impl Tree {
    pub fn scan(root: &Path) -> Tree {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut tree = Tree { root: root.clone(), ..Default::default() };
        let mut pruned = Vec::new();
        let walker = walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().filter_entry(|e| {
            let skip = e.depth() > 0 && e.file_type().is_dir() && skipped_dir(&e.file_name().to_string_lossy());
            if skip && let Ok(rel) = e.path().strip_prefix(&root) {
                pruned.push(rel.to_path_buf());
            }
            !skip
        });
        for entry in walker {
            let Ok(e) = entry else {
                tree.has_errors = true;
                continue;
            };
            if e.path_is_symlink() {
                tree.has_symlinks = true;
            } else if e.file_type().is_file()
                && let Ok(rel) = e.path().strip_prefix(&root)
            {
                tree.files.push(rel.to_path_buf());
            }
        }
        tree.pruned = pruned;
        tree
    }

    /// `dir` relative to the root, when the tree covers it: inside the root and not inside a
    /// skipped directory.
    fn covered(&self, dir: &Path) -> Option<PathBuf> {
        let canon = dir.canonicalize().ok()?;
        let prefix = canon.strip_prefix(&self.root).ok()?;
        let covered = prefix.components().all(|c| match c {
            Component::Normal(n) => !skipped_dir(&n.to_string_lossy()),
            _ => false,
        });
        covered.then(|| prefix.to_path_buf())
    }

    /// The files below `dir`, as `dir` joined with their path below it (so they read exactly as
    /// a walk started at `dir` would give them), with the path below `dir` beside each.
    /// `None` when the tree does not cover `dir`: outside the root, or inside a skipped directory.
    pub fn files_under(&self, dir: &Path) -> Option<Vec<(PathBuf, &Path)>> {
        let prefix = self.covered(dir)?;
        Some(
            self.files
                .iter()
                .filter_map(|f| f.strip_prefix(&prefix).ok())
                .map(|below| (dir.join(below), below))
                .collect(),
        )
    }

    /// The files `walk` would yield among those `keep` accepts (given the path below `dir`),
    /// as `dir` joined with that path. `walk` must be an `ignore` walk of `dir` alone that does
    /// not follow links; its filters (hidden entries, `.gitignore`, `.ignore`,
    /// `.git/info/exclude`, the global gitignore, ignore files above `dir`) are applied through
    /// the matcher `ignore` builds from the same configuration, which implements exactly the
    /// walk's rules, directory ancestors included.
    ///
    /// `None` when the tree cannot answer exactly: `dir` is not covered, the walk met an error,
    /// or the walk would descend a directory the tree skipped (a `target/` no ignore file
    /// excludes, a hidden directory a rule re-includes).
    pub fn unignored_files_under(
        &self,
        dir: &Path,
        walk: &ignore::WalkBuilder,
        keep: impl Fn(&Path) -> bool,
    ) -> Option<Vec<PathBuf>> {
        if self.has_errors {
            return None;
        }
        let prefix = self.covered(dir)?;
        let mut matchers = walk.build_matchers();
        let mut m = matchers.pop().filter(|m| matchers.is_empty() && m.root() == dir)?;
        for p in &self.pruned {
            if let Ok(below) = p.strip_prefix(&prefix)
                && !m.matched(below, true).is_ignore()
            {
                return None;
            }
        }
        Some(
            self.files
                .iter()
                .filter_map(|f| f.strip_prefix(&prefix).ok())
                .filter(|below| keep(below) && !m.matched(below, false).is_ignore())
                .map(|below| dir.join(below))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_below_a_directory_in_walk_order() {
        let d = tempfile::tempdir().unwrap();
        for f in ["b/x.proto", "a/Cargo.toml", "a/src/main.rs", "target/t.rs", ".git/config", "node_modules/m.rs"] {
            crate::testutil::write(d.path(), f, "");
        }
        let tree = Tree::scan(d.path());
        assert!(!tree.has_symlinks && !tree.has_errors);
        let all: Vec<_> = tree.files_under(d.path()).unwrap().into_iter().map(|(_, r)| r.to_path_buf()).collect();
        assert_eq!(all, [PathBuf::from("a/Cargo.toml"), "a/src/main.rs".into(), "b/x.proto".into()]);
        let a = tree.files_under(&d.path().join("a")).unwrap();
        assert_eq!(a[0].0, d.path().join("a").join("Cargo.toml"));
        assert_eq!(a[1].1, Path::new("src/main.rs"));
        assert!(tree.files_under(&d.path().join("target")).is_none());
        assert!(tree.files_under(d.path().parent().unwrap()).is_none());
    }
}
