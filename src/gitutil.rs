//! Reading git history straight from the object store with `git2`: no checkout, no temporary
//! clone, the worktree, index and refs untouched.
use crate::error::NovaError;
use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The repository a command works in, discovered once from a start path and shared by every
/// part of the command (`nova check` hands the same handle to all its checkers, which run in
/// parallel). Opened lazily: a command that never needs git never opens it. `git2::Repository`
/// is not `Sync`, so access goes through a lock; keep the work done under it to git reads (no
/// rayon inside, or a worker that steals a task waiting for the lock would deadlock).
pub struct Git {
    start: PathBuf,
    repo: OnceLock<Result<Mutex<Repository>, String>>,
    /// How many times a repository was actually opened (0 or 1; tests assert it).
    opens: AtomicUsize,
    /// `changed_paths_since` by ref: `--changed-since` and the migrations checker's `--since`
    /// ask for the same diff, which stats the whole worktree.
    changed: Mutex<HashMap<String, Arc<Vec<String>>>>,
}

impl Git {
    /// A handle that discovers the repository containing `start` (searching upwards) when first
    /// used, as [`discover`] does.
    pub fn new(start: impl Into<PathBuf>) -> Git {
        Git { start: start.into(), repo: OnceLock::new(), opens: AtomicUsize::new(0), changed: Mutex::default() }
    }

    /// Where discovery starts.
    pub fn start(&self) -> &Path {
        &self.start
    }

    /// How many repositories this handle opened.
    pub fn opens(&self) -> usize {
        self.opens.load(Ordering::SeqCst)
    }

    fn repo(&self) -> Result<&Mutex<Repository>, NovaError> {
        let r = self.repo.get_or_init(|| {
            self.opens.fetch_add(1, Ordering::SeqCst);
            discover_repository(&self.start).map(Mutex::new).map_err(|e| e.message().to_string())
        });
        r.as_ref().map_err(|msg| {
            NovaError::new(format!("{} is not inside a git repository: {msg}", self.start.display())).at(
                &self.start,
                None,
                None,
            )
        })
    }

    /// Run `f` on the repository; the error of [`discover`] when there is none.
    pub fn with<R>(&self, f: impl FnOnce(&Repository) -> Result<R, NovaError>) -> Result<R, NovaError> {
        let lock = self.repo()?;
        // A panic under the lock leaves the repository as it was: reads never mutate it.
        let repo = lock.lock().unwrap_or_else(|p| p.into_inner());
        f(&repo)
    }

    /// The worktree root (`None`: no repository, or a bare one).
    pub fn workdir(&self) -> Option<PathBuf> {
        self.with(|r| Ok(workdir(r))).ok().flatten()
    }

    /// Whether discovering from `path` finds this same repository: `path` lies inside the
    /// worktree with no other repository (a nested one, a submodule) or filesystem boundary
    /// between them. Opens the repository.
    pub fn serves(&self, path: &Path) -> bool {
        let Some(wd) = self.workdir() else { return false };
        let wd = wd.canonicalize().unwrap_or(wd);
        let Ok(path) = path.canonicalize() else { return false };
        if !path.starts_with(&wd) {
            return false;
        }
        let mut dir = path.as_path();
        while dir != wd {
            if is_repository_boundary(dir) || !same_filesystem(dir, &wd) {
                return false;
            }
            match dir.parent() {
                Some(p) => dir = p,
                None => return false,
            }
        }
        true
    }

    /// This handle when discovering from `path` would find the same repository without opening
    /// anything new (the same start, or an open repository that serves it), else a new handle.
    pub fn for_path(self: &Arc<Self>, path: &Path) -> Arc<Git> {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        if canon(&self.start) == canon(path) || (self.repo.get().is_some_and(|r| r.is_ok()) && self.serves(path)) {
            return self.clone();
        }
        Arc::new(Git::new(path))
    }

    /// [`changed_paths_since`] the commit `rev` names, computed once per ref.
    pub fn changed_paths_since(&self, rev: &str) -> Result<Arc<Vec<String>>, NovaError> {
        if let Some(hit) = self.changed.lock().unwrap_or_else(|p| p.into_inner()).get(rev) {
            return Ok(hit.clone());
        }
        let paths = Arc::new(self.with(|repo| {
            let commit = resolve_commit(repo, rev)?;
            changed_paths_since(repo, &commit)
        })?);
        self.changed.lock().unwrap_or_else(|p| p.into_inner()).insert(rev.to_string(), paths.clone());
        Ok(paths)
    }
}

/// A directory where repository discovery stops: it holds `.git`, or is a bare repository.
fn is_repository_boundary(dir: &Path) -> bool {
    dir.join(".git").exists()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

/// Discovery does not cross into another filesystem.
fn same_filesystem(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
    }
}

/// Open the repository containing `path` (searching upwards). Every repository discovery
/// nova does goes through here (tests count them).
pub fn discover_repository(path: &Path) -> Result<Repository, git2::Error> {
    let repo = Repository::discover(path)?;
    #[cfg(test)]
    test_hooks::opened(&repo);
    Ok(repo)
}

/// How many times each repository was discovered, by worktree (tests run in parallel in one
/// process, each on its own temporary repository, so counts keyed by worktree do not mix).
#[cfg(test)]
pub mod test_hooks {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static OPENED: Mutex<BTreeMap<PathBuf, usize>> = Mutex::new(BTreeMap::new());

    fn key(p: &Path) -> PathBuf {
        p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
    }

    pub(crate) fn opened(repo: &git2::Repository) {
        let k = key(repo.workdir().unwrap_or(repo.path()));
        *OPENED.lock().unwrap_or_else(|p| p.into_inner()).entry(k).or_default() += 1;
    }

    /// Discoveries of the repository whose worktree is `workdir`.
    pub fn discoveries_of(workdir: &Path) -> usize {
        OPENED.lock().unwrap_or_else(|p| p.into_inner()).get(&key(workdir)).copied().unwrap_or(0)
    }
}

/// [`discover_repository`] with an error that names the path.
pub fn discover(path: &Path) -> Result<Repository, NovaError> {
    discover_repository(path).map_err(|e| {
        NovaError::new(format!("{} is not inside a git repository: {}", path.display(), e.message()))
            .at(path, None, None)
    })
}

/// Resolve `rev` (branch, remote branch, tag, `HEAD~1`, commit id) to a commit.
/// A shallow clone that lacks the commit gets an error that says how to fetch it.
pub fn resolve_commit<'r>(repo: &'r Repository, rev: &str) -> Result<git2::Commit<'r>, NovaError> {
    let obj = repo.revparse_single(rev).map_err(|e| {
        let mut err = NovaError::new(format!("git ref `{rev}` not found: {}", e.message()));
        if repo.is_shallow() {
            err = err.with_help(format!(
                "this is a shallow clone; fetch the ref first (`git fetch --unshallow origin` or `git fetch origin {rev}`; in GitHub Actions set `fetch-depth: 0` on actions/checkout)"
            ));
        } else {
            err = err.with_help("check the name with `git rev-parse --verify <ref>`; for a remote branch run `git fetch` first");
        }
        err
    })?;
    obj.peel_to_commit().map_err(|e| {
        let mut err = NovaError::new(format!("git ref `{rev}` does not name a commit: {}", e.message()));
        if repo.is_shallow() {
            err = err.with_help("this is a shallow clone: the commit may be missing; fetch with `fetch-depth: 0`");
        }
        err
    })
}

/// The branch a pull request is judged against when none is named: what `origin/HEAD` points at
/// (the remote's default branch), else the first of `origin/main`, `main`, `origin/master`,
/// `master`, `origin/trunk`, `trunk` that exists. Read-only.
pub fn default_branch(repo: &Repository) -> Option<String> {
    if let Ok(r) = repo.find_reference("refs/remotes/origin/HEAD")
        && let Some(target) = r.symbolic_target()
        && let Some(short) = target.strip_prefix("refs/remotes/")
        && repo.revparse_single(short).is_ok()
    {
        return Some(short.to_string());
    }
    ["origin/main", "main", "origin/master", "master", "origin/trunk", "trunk"]
        .into_iter()
        .find(|b| repo.revparse_single(b).and_then(|o| o.peel_to_commit()).is_ok())
        .map(str::to_string)
}

/// Path of `abs` relative to the repository's worktree root, `/`-separated.
pub fn repo_relative(repo: &Repository, abs: &Path) -> Option<String> {
    let wd = repo.workdir()?;
    let wd = wd.canonicalize().unwrap_or_else(|_| wd.to_path_buf());
    let abs = abs.canonicalize().unwrap_or_else(|_| abs.to_path_buf());
    let rel = abs.strip_prefix(&wd).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// Every blob below `subdir` (repo-relative, `""` for the whole tree) in `commit`'s tree whose
/// path satisfies `keep`. Keys are paths relative to `subdir`.
pub fn read_tree_files(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    subdir: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<String, Vec<u8>>, NovaError> {
    let tree =
        commit.tree().map_err(|e| NovaError::new(format!("cannot read tree of {}: {}", commit.id(), e.message())))?;
    let subdir = subdir.trim_matches('/');
    let tree = if subdir.is_empty() || subdir == "." {
        tree
    } else {
        let entry = tree
            .get_path(Path::new(subdir))
            .map_err(|_| NovaError::new(format!("`{subdir}` does not exist in commit {}", short(commit.id()))))?;
        if entry.kind() != Some(ObjectType::Tree) {
            return Err(NovaError::new(format!("`{subdir}` is not a directory in commit {}", short(commit.id()))));
        }
        repo.find_tree(entry.id()).map_err(|e| NovaError::new(format!("cannot read `{subdir}`: {}", e.message())))?
    };
    let mut wanted: Vec<(String, Oid)> = Vec::new();
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            let path = format!("{dir}{}", entry.name().unwrap_or(""));
            if keep(&path) {
                wanted.push((path, entry.id()));
            }
        }
        TreeWalkResult::Ok
    })
    .map_err(|e| NovaError::new(format!("cannot walk tree: {}", e.message())))?;
    let mut out = BTreeMap::new();
    for (path, oid) in wanted {
        let blob = repo
            .find_blob(oid)
            .map_err(|e| NovaError::new(format!("cannot read `{path}` at {}: {}", short(commit.id()), e.message())))?;
        out.insert(path, blob.content().to_vec());
    }
    Ok(out)
}

/// Repo-relative paths that differ between `base` and the worktree (committed, staged or not),
/// plus untracked files. Read-only: the index is read, never written.
pub fn changed_paths_since(repo: &Repository, base: &git2::Commit<'_>) -> Result<Vec<String>, NovaError> {
    // A corrupt object must be named, or the user cannot tell which one to repair or re-fetch.
    let tree =
        base.tree().map_err(|e| NovaError::new(format!("cannot read tree of {}: {}", base.id(), e.message())))?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|e| NovaError::new(format!("cannot diff against {}: {}", short(base.id()), e.message())))?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        for f in [delta.new_file(), delta.old_file()] {
            if let Some(p) = f.path() {
                let s = p.to_string_lossy().replace('\\', "/");
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    Ok(out)
}

/// The worktree root of a repository.
pub fn workdir(repo: &Repository) -> Option<PathBuf> {
    repo.workdir().map(|p| p.to_path_buf())
}

pub fn short(oid: Oid) -> String {
    oid.to_string()[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git").args(args).current_dir(dir).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    #[test]
    fn the_shared_handle_serves_only_paths_discovery_would_resolve_to_it() {
        let d = tempfile::tempdir().unwrap();
        let top = d.path().canonicalize().unwrap();
        let outer = top.join("outer");
        for dir in ["outer/a/b", "outer/nested/x", "elsewhere"] {
            std::fs::create_dir_all(top.join(dir)).unwrap();
        }
        git(&outer, &["init", "-q"]);
        git(&outer.join("nested"), &["init", "-q"]);
        let handle = Arc::new(Git::new(outer.join("a")));
        assert_eq!(handle.opens(), 0, "opened lazily");
        assert!(handle.serves(&outer.join("a/b")));
        assert!(handle.serves(&outer));
        assert!(!handle.serves(&outer.join("nested/x")), "a nested repository is found first");
        assert!(!handle.serves(&top.join("elsewhere")));
        assert_eq!(handle.workdir().map(|w| w.canonicalize().unwrap()), Some(outer.clone()));
        assert_eq!(handle.opens(), 1);
        assert!(Arc::ptr_eq(&handle, &handle.for_path(&outer.join("a/b"))));
        assert!(!Arc::ptr_eq(&handle, &handle.for_path(&outer.join("nested"))));
        assert_eq!(test_hooks::discoveries_of(&outer), 1);

        let none = Git::new(top.join("elsewhere"));
        let err = none.with(|_| Ok(())).unwrap_err();
        assert!(err.message.contains("is not inside a git repository"), "{}", err.message);
        assert!(none.workdir().is_none() && !none.serves(&top.join("elsewhere")));
        assert_eq!(none.opens(), 1, "a failed discovery is not retried");
    }
}
