//! Baselines read straight from git objects (no checkout, no clone; worktree, index and refs
//! untouched): a ref of the current repository, or the registry as recorded in the
//! superproject's base ref (a submodule commit read from the submodule's own object store, or
//! a plain directory of the superproject's tree).
use super::Revision;
use crate::context::Ctx;
use crate::error::NovaError;
use crate::gitutil;
use crate::proto::loader::ProtoSet;
use git2::{ObjectType, Repository};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `--against <ref>`: the protos below `subdir` (default: where the current tree is inside its
/// repository) at `rev`. Read through the command's shared repository handle when it is the
/// repository containing `current_root`.
pub fn git_revision(
    ctx: &Ctx,
    current_root: &Path,
    rev: &str,
    subdir: Option<&str>,
    rel_roots: &[String],
) -> Result<Revision, NovaError> {
    let read = |repo: &Repository| -> Result<BTreeMap<String, Vec<u8>>, NovaError> {
        let commit = gitutil::resolve_commit(repo, rev)?;
        let sub = match subdir {
            Some(s) => s.trim_matches('/').to_string(),
            None => gitutil::repo_relative(repo, current_root).unwrap_or_default(),
        };
        gitutil::read_tree_files(repo, &commit, &sub, &|p| {
            (p.ends_with(".proto") || p == crate::proto::bufconfig::FILE_NAME) && !crate::walk::in_skipped_dir(p)
        })
    };
    let files = if ctx.git.serves(current_root) {
        ctx.git.with(read)?
    } else {
        let repo = gitutil::discover(current_root).map_err(|e| {
            NovaError::new(format!("`{rev}` is neither a directory nor a git ref: {}", e.message)).with_help(
                "pass a directory, a git ref (`main`, `origin/main`, `HEAD~1`, a tag, a commit id) or `registry`",
            )
        })?;
        read(&repo)?
    };
    // The revision is laid out by its own buf.yaml, as buf does.
    let layout = crate::proto::layout::in_memory(&files, rel_roots, rev)?;
    let mut set = ProtoSet::from_memory(current_root, files, &layout.roots);
    layout.apply_excludes(&mut set);
    Ok(Revision::compile_baseline(set, rev.to_string()))
}

/// How the registry is stored in the superproject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryKind {
    /// A git submodule pinned to this commit in the base ref (`None`: not in the base ref yet).
    Submodule(Option<git2::Oid>),
    /// A plain directory of the superproject (`false`: not in the base ref yet).
    Directory(bool),
}

/// The registry's baseline.
pub struct RegistryBaseline {
    pub revision: Revision,
    /// The registry on disk (the current tree).
    pub root: PathBuf,
    pub kind: RegistryKind,
    /// The base ref that was used.
    pub base: String,
    /// `CHANGELOG.md` / `VERSION` at the baseline (registry-relative name -> text).
    pub version_files: BTreeMap<String, String>,
    /// The superproject's worktree (where drift is searched).
    pub superproject: Option<PathBuf>,
}

/// Where the registry is: `[proto] registry`, else `nova-protos/` next to nova.toml.
pub fn registry_root(ctx: &Ctx) -> Result<PathBuf, NovaError> {
    let root = match &ctx.config.config.proto.registry {
        Some(p) => ctx.config.resolve(p),
        None => ctx.config.dir.join("nova-protos"),
    };
    if root.is_file() {
        return Err(NovaError::new(format!("the registry path {} is a file, not a directory", root.display()))
            .at(&root, None, None)
            .with_help("set `[proto] registry` in nova.toml to the registry directory"));
    }
    if !root.is_dir() {
        return Err(NovaError::new(format!("the proto registry {} does not exist", root.display()))
            .at(&root, None, None)
            .with_help("set `[proto] registry` in nova.toml (default `nova-protos/`)"));
    }
    Ok(root.canonicalize().unwrap_or(root))
}

fn keep_registry_file(p: &str) -> bool {
    (p.ends_with(".proto") || p == "CHANGELOG.md" || p == "VERSION" || p == crate::proto::bufconfig::FILE_NAME)
        && !crate::walk::in_skipped_dir(p)
}

/// Resolve the base ref: the one given (`--base`), else `[check] base` from nova.toml, else the
/// repository's default branch (`gitutil::default_branch`: origin/HEAD, main, master, trunk).
fn base_commit<'r>(
    repo: &'r Repository,
    base: Option<&str>,
    configured: Option<&str>,
) -> Result<(git2::Commit<'r>, String), NovaError> {
    if let Some(b) = base.or(configured) {
        return Ok((gitutil::resolve_commit(repo, b)?, b.to_string()));
    }
    if let Some(b) = gitutil::default_branch(repo) {
        return Ok((gitutil::resolve_commit(repo, &b)?, b));
    }
    let mut err = NovaError::new(
        "no base ref for the registry: origin/HEAD does not point anywhere and none of main, master, trunk exists",
    )
    .with_help("name the base branch: `[check] base = \"develop\"` in nova.toml, or `--base <ref>`");
    if repo.is_shallow() {
        err = err.with_help(
            "this is a shallow clone: fetch the base branch (`git fetch origin main`; in GitHub Actions set `fetch-depth: 0`), or set `[check] base` / pass `--base <ref>`",
        );
    }
    Err(err)
}

/// What the superproject's base ref says about the registry at `rel`: everything that needs the
/// superproject's repository (the submodule, if any, is read afterwards from its own).
struct SuperprojectAtBase {
    rel: String,
    kind: RegistryKind,
    base_name: String,
    workdir: Option<PathBuf>,
    /// The registry's files when it is a directory of the superproject (read under the lock).
    files: BTreeMap<String, Vec<u8>>,
}

fn superproject_at_base(
    repo: &Repository,
    rel: String,
    base: Option<&str>,
    configured: Option<&str>,
) -> Result<SuperprojectAtBase, NovaError> {
    let workdir = gitutil::workdir(repo);
    let (commit, base_name) = base_commit(repo, base, configured)?;
    let tree =
        commit.tree().map_err(|e| NovaError::new(format!("cannot read the tree of {base_name}: {}", e.message())))?;
    let entry = if rel.is_empty() { None } else { tree.get_path(Path::new(&rel)).ok() };
    let is_submodule_now = !rel.is_empty() && repo.find_submodule(&rel).is_ok();
    let kind = match entry.as_ref().and_then(|e| e.kind()) {
        Some(ObjectType::Commit) => RegistryKind::Submodule(entry.as_ref().map(|e| e.id())),
        Some(ObjectType::Tree) => RegistryKind::Directory(true),
        _ if is_submodule_now => RegistryKind::Submodule(None),
        _ if rel.is_empty() => RegistryKind::Directory(true),
        _ => RegistryKind::Directory(false),
    };
    let files = match kind {
        RegistryKind::Directory(true) => gitutil::read_tree_files(repo, &commit, &rel, &keep_registry_file)?,
        _ => BTreeMap::new(),
    };
    Ok(SuperprojectAtBase { rel, kind, base_name, workdir, files })
}

/// The registry at the superproject's base ref, read from git objects.
pub fn registry_baseline(ctx: &Ctx, base: Option<&str>) -> Result<RegistryBaseline, NovaError> {
    let root = registry_root(ctx)?;
    let configured = ctx.config.config.check.base.as_deref();
    let rel_roots = super::relative_roots(&root, &super::import_roots(ctx, &root));
    let parent = root.parent().unwrap_or(&root);
    // The superproject contains the registry; a registry that is itself a repository's root
    // with no superproject is its own baseline. The command's shared handle serves when it is
    // the repository discovery from the registry's parent finds.
    let sp = if ctx.git.serves(parent) {
        ctx.git.with(|repo| {
            let rel = gitutil::repo_relative(repo, &root).unwrap_or_default();
            superproject_at_base(repo, rel, base, configured)
        })?
    } else {
        let (repo, rel) = match gitutil::discover_repository(parent) {
            Ok(r) => {
                let rel = gitutil::repo_relative(&r, &root).unwrap_or_default();
                (r, rel)
            }
            Err(_) => (gitutil::discover(&root)?, String::new()),
        };
        superproject_at_base(&repo, rel, base, configured)?
    };
    let SuperprojectAtBase { rel, kind, base_name, workdir: superproject, mut files } = sp;
    let label = match &kind {
        RegistryKind::Submodule(oid) => {
            if !root.join(".git").exists() {
                return Err(NovaError::new(format!("the registry submodule `{rel}` is not initialised"))
                    .at(&root, None, None)
                    .with_help("run `git submodule update --init`"));
            }
            let sub = Repository::open(&root).map_err(|e| {
                NovaError::new(format!("cannot open the registry submodule `{rel}`: {}", e.message()))
                    .at(&root, None, None)
                    .with_help("run `git submodule update --init`")
            })?;
            match oid {
                Some(oid) => {
                    let c = sub.find_commit(*oid).map_err(|_| {
                        NovaError::new(format!(
                            "the registry commit {} recorded for `{rel}` in {base_name} is missing from the submodule's object store",
                            gitutil::short(*oid)
                        ))
                        .at(&root, None, None)
                        .with_help(format!("fetch it: `git -C {rel} fetch origin` (or `git submodule update --init`)"))
                    })?;
                    files = gitutil::read_tree_files(&sub, &c, "", &keep_registry_file)?;
                    format!("{rel}@{} ({base_name})", gitutil::short(*oid))
                }
                None => format!("{rel} (absent in {base_name})"),
            }
        }
        RegistryKind::Directory(true) if rel.is_empty() => base_name.clone(),
        RegistryKind::Directory(true) => format!("{base_name}:{rel}"),
        RegistryKind::Directory(false) => format!("{rel} (absent in {base_name})"),
    };
    let mut version_files = BTreeMap::new();
    for name in ["CHANGELOG.md", "VERSION"] {
        if let Some(bytes) = files.remove(name) {
            let text = crate::fsutil::decode_utf8(Path::new(name), bytes)?;
            version_files.insert(name.to_string(), text);
        }
    }
    let layout = crate::proto::layout::in_memory(&files, &rel_roots, &label)?;
    let mut set = ProtoSet::from_memory(&root, files, &layout.roots);
    layout.apply_excludes(&mut set);
    Ok(RegistryBaseline {
        revision: Revision::compile_baseline(set, label),
        root,
        kind,
        base: base_name,
        version_files,
        superproject,
    })
}
