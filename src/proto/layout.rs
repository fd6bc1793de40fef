//! Where a proto tree's files live: its import roots and excluded directories, decided the same
//! way for every command and for both sides of a comparison.
//!
//! In order: `[proto] roots` from nova.toml (when they all exist in the tree and it has no
//! buf.yaml), the modules of the tree's own `buf.yaml` (v2 `modules[].path` + `excludes`, v1
//! `build.excludes`, v1beta1 `build.roots` + `excludes`), `protos/` when it exists, else the tree
//! itself. A tree read from git (a baseline) is laid out by the buf.yaml it holds at that
//! revision, so each side of `proto breaking` follows its own layout, as buf does.
use crate::context::Ctx;
use crate::error::NovaError;
use crate::proto::bufconfig::{self, BufConfig};
use crate::proto::loader::ProtoSet;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The registry layout's conventional import root.
const PROTOS_DIR: &str = "protos";

/// Import roots and excluded directories of one tree, relative to it (`""` is the tree itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub roots: Vec<String>,
    pub excludes: Vec<String>,
}

impl Layout {
    fn whole() -> Layout {
        Layout { roots: vec![String::new()], excludes: Vec::new() }
    }

    /// The layout a buf.yaml describes.
    pub fn of_buf(buf: &BufConfig) -> Layout {
        let roots = buf.modules.iter().map(|m| if m.path == "." { String::new() } else { m.path.clone() }).collect();
        let excludes = buf.modules.iter().flat_map(|m| m.excludes.iter().cloned()).collect();
        Layout { roots, excludes }
    }

    /// The import roots below `root`, as paths.
    pub fn import_roots(&self, root: &Path) -> Vec<PathBuf> {
        self.roots.iter().map(|r| if r.is_empty() { root.to_path_buf() } else { root.join(r) }).collect()
    }

    /// Drop the files below an excluded directory.
    pub fn apply_excludes(&self, set: &mut ProtoSet) {
        if !self.excludes.is_empty() {
            set.files.retain(|_, s| !self.excludes.iter().any(|e| crate::rules::path_under(&s.file.path, e)));
        }
    }
}

/// The layout of a tree on disk.
pub fn on_disk(ctx: &Ctx, root: &Path) -> Result<Layout, NovaError> {
    let buf = bufconfig::load(root)?;
    let roots = &ctx.config.config.proto.roots;
    if buf.is_none() && !roots.is_empty() {
        return Ok(Layout { roots: roots.iter().map(|r| rel(&r.to_string_lossy())).collect(), excludes: Vec::new() });
    }
    if let Some(buf) = buf {
        return Ok(Layout::of_buf(&buf));
    }
    Ok(if root.join(PROTOS_DIR).is_dir() {
        Layout { roots: vec![PROTOS_DIR.to_string()], excludes: Vec::new() }
    } else {
        Layout::whole()
    })
}

/// The layout of a tree read from git (`files`: paths relative to the tree): its own buf.yaml at
/// that revision, else the roots the current tree uses that exist there, else the tree itself.
/// `label` names the revision in errors (`main:buf.yaml`).
pub fn in_memory(
    files: &BTreeMap<String, Vec<u8>>,
    current_roots: &[String],
    label: &str,
) -> Result<Layout, NovaError> {
    if let Some(bytes) = files.get(bufconfig::FILE_NAME) {
        let name = PathBuf::from(format!("{label}:{}", bufconfig::FILE_NAME));
        let text = crate::fsutil::decode_utf8(&name, bytes.clone())?;
        return Ok(Layout::of_buf(&bufconfig::parse(&text, &name)?));
    }
    let present: Vec<String> = current_roots
        .iter()
        .filter(|r| r.is_empty() || files.keys().any(|k| k.starts_with(&format!("{}/", r.trim_matches('/')))))
        .cloned()
        .collect();
    Ok(if present.is_empty() { Layout::whole() } else { Layout { roots: present, excludes: Vec::new() } })
}

fn rel(p: &str) -> String {
    let p = p.replace('\\', "/");
    let p = p.trim_start_matches("./").trim_matches('/');
    if p == "." { String::new() } else { p.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_is_laid_out_by_its_own_buf_yaml() {
        let mut files = BTreeMap::new();
        files.insert("root/a/a.proto".to_string(), b"syntax = \"proto3\";".to_vec());
        files.insert(
            "buf.yaml".to_string(),
            b"version: v1beta1\nbuild:\n  roots: [root]\n  excludes: [root/gen]\n".to_vec(),
        );
        let l = in_memory(&files, &[String::new()], "main").unwrap();
        assert_eq!(l, Layout { roots: vec!["root".into()], excludes: vec!["root/gen".into()] });
        files.remove("buf.yaml");
        assert_eq!(in_memory(&files, &["root".into(), "other".into()], "main").unwrap().roots, ["root"]);
        assert_eq!(in_memory(&files, &["other".into()], "main").unwrap().roots, [""]);
        // A broken buf.yaml at the revision is an error that names the revision.
        files.insert("buf.yaml".to_string(), b"version: v9\n".to_vec());
        let e = in_memory(&files, &[], "main").unwrap_err();
        assert!(e.message.contains("main:buf.yaml"), "{}", e.message);
    }
}
