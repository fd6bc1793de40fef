//! A generator's plan: every file it would write, decided in memory first (create / identical /
//! conflict / update), then printed, diffed, or applied all-or-nothing.
use crate::error::NovaError;
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The file does not exist yet.
    Create,
    /// The file exists with exactly this content: nothing to do.
    Identical,
    /// The file exists with other content: written only with `--force`.
    Conflict,
    /// An existing file nova edits on purpose (the workspace manifest's member list).
    Update,
    /// Something equivalent already exists under another name; left alone.
    Exists,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Identical => "identical",
            Action::Conflict => "conflict",
            Action::Update => "update",
            Action::Exists => "exists",
        }
    }
    fn writes(self, force: bool) -> bool {
        matches!(self, Action::Create | Action::Update) || (force && self == Action::Conflict)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Path relative to the workspace root, `/`-separated.
    pub path: String,
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub abs: PathBuf,
    #[serde(skip)]
    pub contents: String,
    #[serde(skip)]
    pub old: Option<String>,
}

#[derive(Debug)]
pub struct Plan {
    /// Canonical workspace root: paths are shown relative to it.
    pub root: PathBuf,
    /// Canonical directories writes may land in (the workspace, and the proto registry).
    allowed: Vec<PathBuf>,
    pub entries: Vec<Entry>,
    /// Things the user has to do by hand afterwards (shown after the plan).
    pub next_steps: Vec<String>,
}

/// Drop `.` components and refuse `..`: generated paths are built from validated names, so a `..`
/// means a bug or a hostile name and must never reach the file system.
fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => return None,
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// The deepest existing ancestor of `p` (or `p` itself).
fn existing_ancestor(p: &Path) -> Option<&Path> {
    p.ancestors().find(|a| a.exists())
}

impl Plan {
    pub fn new(root: PathBuf, extra_allowed: &[PathBuf]) -> Plan {
        let mut allowed = vec![root.clone()];
        allowed.extend(extra_allowed.iter().cloned());
        Plan { root, allowed, entries: Vec::new(), next_steps: Vec::new() }
    }

    fn rel(&self, abs: &Path) -> String {
        crate::diagnostics::rel_path(&self.root, abs)
    }

    /// Refuse any path that is, or resolves through a symlink to, a place outside the allowed roots.
    fn check_inside(&self, abs: &Path) -> Result<PathBuf, NovaError> {
        let outside = || {
            NovaError::new(format!(
                "refusing to write {}: it is outside the workspace {}",
                abs.display(),
                self.root.display()
            ))
        };
        let norm = normalise(abs).ok_or_else(outside)?;
        if !self.allowed.iter().any(|a| norm.starts_with(a)) {
            return Err(outside());
        }
        if let Some(anc) = existing_ancestor(&norm) {
            let real = anc.canonicalize().map_err(|e| NovaError::io(anc, &e))?;
            // An ancestor above a not-yet-created allowed root is fine when it is not a symlink.
            let ok = self.allowed.iter().any(|a| real.starts_with(a) || (a.starts_with(&real) && real == anc));
            if !ok {
                return Err(outside());
            }
        }
        Ok(norm)
    }

    /// Plan writing `contents` to `abs`.
    pub fn file(&mut self, abs: &Path, contents: String) -> Result<(), NovaError> {
        let abs = self.check_inside(abs)?;
        let (action, old) = if abs.is_dir() {
            return Err(NovaError::new(format!("{} is a directory, nova would write a file there", abs.display()))
                .at(&abs, None, None));
        } else if abs.exists() {
            let old = crate::fsutil::read_text(&abs)?;
            (if old == contents { Action::Identical } else { Action::Conflict }, Some(old))
        } else {
            (Action::Create, None)
        };
        self.entries.push(Entry { path: self.rel(&abs), action, note: None, abs, contents, old });
        Ok(())
    }

    /// Plan an intended edit of an existing file.
    pub fn update(&mut self, abs: &Path, old: String, contents: String, note: &str) -> Result<(), NovaError> {
        let abs = self.check_inside(abs)?;
        let action = if old == contents { Action::Identical } else { Action::Update };
        self.entries.push(Entry {
            path: self.rel(&abs),
            action,
            note: Some(note.to_string()),
            abs,
            contents,
            old: Some(old),
        });
        Ok(())
    }

    /// Record that an equivalent of what would be generated already exists at `abs`.
    pub fn exists(&mut self, abs: &Path, note: String) {
        self.entries.push(Entry {
            path: self.rel(abs),
            action: Action::Exists,
            note: Some(note),
            abs: abs.to_path_buf(),
            contents: String::new(),
            old: None,
        });
    }

    pub fn conflicts(&self) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.action == Action::Conflict).collect()
    }

    /// The plan as text: one line per file, then unified diffs of conflicts (and updates) when asked.
    pub fn render(&self, diff: bool) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let note = e.note.as_deref().map(|n| format!("  ({n})")).unwrap_or_default();
            out.push_str(&format!("  {:<9}  {}{note}\n", e.action.as_str(), e.path));
        }
        if diff {
            for e in self.entries.iter().filter(|e| matches!(e.action, Action::Conflict | Action::Update)) {
                let old = e.old.as_deref().unwrap_or("");
                let d = similar::TextDiff::from_lines(old, &e.contents);
                out.push('\n');
                out.push_str(
                    &d.unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{}", e.path), &format!("b/{}", e.path))
                        .to_string(),
                );
            }
        }
        out
    }

    /// Write the plan: everything or nothing. Conflicts stop it unless `force`; every target
    /// directory is probed for writability before the first byte is written; a failure half-way
    /// rolls back what was already written.
    pub fn apply(&self, force: bool) -> Result<usize, NovaError> {
        let conflicts = self.conflicts();
        if !conflicts.is_empty() && !force {
            let list: Vec<&str> = conflicts.iter().map(|e| e.path.as_str()).collect();
            return Err(NovaError::new(format!(
                "{} file(s) already exist with different content: {}",
                list.len(),
                list.join(", ")
            ))
            .at(&conflicts[0].abs, None, None)
            .with_help("nothing was written; review with --diff, then re-run with --force to overwrite"));
        }
        let todo: Vec<&Entry> = self.entries.iter().filter(|e| e.action.writes(force)).collect();
        let mut probed: Vec<PathBuf> = Vec::new();
        for e in &todo {
            let Some(anc) = e.abs.parent().and_then(existing_ancestor) else { continue };
            if probed.iter().any(|p| p == anc) {
                continue;
            }
            if let Err(err) = tempfile::tempfile_in(anc) {
                return Err(NovaError::new(format!("cannot write in {}: {err}", anc.display()))
                    .at(anc, None, None)
                    .with_help("nothing was written"));
            }
            probed.push(anc.to_path_buf());
        }
        let mut journal = Journal::default();
        // New files first, edits of existing files (the workspace manifest) last: a failure leaves
        // the workspace pointing at nothing half-made.
        let mut ordered = todo.clone();
        ordered.sort_by_key(|e| matches!(e.action, Action::Update | Action::Conflict));
        for e in ordered {
            if let Err(err) = journal.write(e) {
                journal.rollback();
                return Err(err.with_help("nothing was written (partial writes were rolled back)"));
            }
        }
        Ok(todo.len())
    }
}

/// What `apply` has done so far, to undo it on failure.
#[derive(Default)]
struct Journal {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    replaced: Vec<(PathBuf, String)>,
}

impl Journal {
    fn write(&mut self, e: &Entry) -> Result<(), NovaError> {
        if let Some(parent) = e.abs.parent() {
            let mut missing: Vec<&Path> = parent.ancestors().take_while(|a| !a.exists()).collect();
            missing.reverse();
            for d in missing {
                std::fs::create_dir(d)
                    .map_err(|err| NovaError::new(format!("cannot create {}: {err}", d.display())).at(d, None, None))?;
                self.dirs.push(d.to_path_buf());
            }
        }
        let existed = e.abs.exists();
        if existed {
            crate::fsutil::write_atomic(&e.abs, e.contents.as_bytes())?;
        } else {
            // No fsync per new file: one per generated file was most of `nova new`'s run time.
            crate::fsutil::write_new(&e.abs, e.contents.as_bytes())?;
        }
        match (&e.old, existed) {
            (Some(old), true) => self.replaced.push((e.abs.clone(), old.clone())),
            _ => self.files.push(e.abs.clone()),
        }
        Ok(())
    }

    fn rollback(&mut self) {
        for (p, old) in self.replaced.drain(..).rev() {
            let _ = crate::fsutil::write_atomic(&p, old.as_bytes());
        }
        for f in self.files.drain(..).rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.drain(..).rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_root() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        let mut plan = Plan::new(root.join("ws"), &[]);
        assert!(plan.file(&root.join("ws/../evil.rs"), "x".into()).is_err());
        assert!(plan.file(&root.join("other/evil.rs"), "x".into()).is_err());
        assert!(plan.file(&root.join("ws/ok.rs"), "x".into()).is_ok());
    }

    #[test]
    fn refuses_symlink_escape() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("ws")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("outside"), root.join("ws/link")).unwrap();
        let mut plan = Plan::new(root.join("ws"), &[]);
        #[cfg(unix)]
        assert!(plan.file(&root.join("ws/link/x.rs"), "x".into()).is_err());
    }

    #[test]
    fn classifies_and_applies() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::write(root.join("same.txt"), "same").unwrap();
        std::fs::write(root.join("diff.txt"), "old\n").unwrap();
        let mut plan = Plan::new(root.clone(), &[]);
        plan.file(&root.join("a/b/new.txt"), "new".into()).unwrap();
        plan.file(&root.join("same.txt"), "same".into()).unwrap();
        plan.file(&root.join("diff.txt"), "new\n".into()).unwrap();
        let actions: Vec<Action> = plan.entries.iter().map(|e| e.action).collect();
        assert_eq!(actions, vec![Action::Create, Action::Identical, Action::Conflict]);
        assert!(plan.apply(false).is_err());
        assert!(!root.join("a").exists(), "nothing written when a conflict stops the plan");
        assert!(plan.render(true).contains("-old\n+new\n"));
        assert_eq!(plan.apply(true).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(root.join("diff.txt")).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(root.join("a/b/new.txt")).unwrap(), "new");
    }

    #[test]
    fn failed_write_rolls_back_everything_before_it() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::write(root.join("kept.txt"), "old").unwrap();
        std::fs::create_dir(root.join("blocker")).unwrap();
        let entry = |p: &str, contents: &str, old: Option<&str>| Entry {
            path: p.to_string(),
            action: Action::Create,
            note: None,
            abs: root.join(p),
            contents: contents.to_string(),
            old: old.map(str::to_string),
        };
        let mut j = Journal::default();
        j.write(&entry("new/dir/a.txt", "a", None)).unwrap();
        j.write(&entry("kept.txt", "new", Some("old"))).unwrap();
        // Renaming a file over a directory fails: the third write cannot happen.
        assert!(j.write(&entry("blocker", "x", None)).is_err());
        j.rollback();
        assert!(!root.join("new").exists(), "created directories are removed");
        assert_eq!(std::fs::read_to_string(root.join("kept.txt")).unwrap(), "old");
        assert!(root.join("blocker").is_dir());
    }
}
