//! Finding and reading manifests: files, directories (every `.yaml` / `.yml` that holds
//! Kubernetes objects; a kustomization directory is rendered instead, see `kustomize`), `-` for
//! standard input. Every file read goes into one table, so a finding (and a kustomize patch's
//! value) points at the file it came from.
use super::yaml::{self, Document, FileId};
use crate::diagnostics::FileRef;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name standard input goes by in reports.
pub const STDIN: &str = "<stdin>";

/// Directory names not descended into below the root (build output, dependencies, test data).
const SKIP_DIRS: &[&str] = &["target", "node_modules", "vendor", "dist", "build", "fixtures", "testdata", "test_data"];

pub const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn file_ref(&self, root: &Path) -> FileRef {
        if self.path.as_os_str() == STDIN {
            FileRef { path: STDIN.into(), abs: Some(self.path.clone()) }
        } else {
            FileRef::new(root, &self.path)
        }
    }
}

/// Input nova could not use (exit 2), or a note about input it did not read.
#[derive(Debug, Clone)]
pub struct InputError {
    pub code: &'static str,
    pub message: String,
    pub file: Option<FileId>,
    pub line: u32,
    pub col: u32,
    pub help: Option<String>,
}

impl InputError {
    pub fn at(code: &'static str, message: impl Into<String>, file: FileId, line: u32, col: u32) -> InputError {
        InputError { code, message: message.into(), file: Some(file), line, col, help: None }
    }
    pub fn help(mut self, h: impl Into<String>) -> InputError {
        self.help = Some(h.into());
        self
    }
}

/// Everything read for one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    /// The documents to judge (a kustomization contributes its rendered output).
    pub docs: Vec<Document>,
    pub errors: Vec<InputError>,
    /// Helm charts found in a walked directory (their `Chart.yaml`): named, not read.
    pub helm_charts: Vec<PathBuf>,
}

impl Loaded {
    pub fn add_file(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        self.files.push(SourceFile { path, text });
        (self.files.len() - 1) as FileId
    }
    /// The id of `path` when it has been read already.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(|i| i as FileId)
    }
    /// Read a file into the table (once); an unreadable file is an input error.
    pub fn read(&mut self, path: &Path) -> Result<FileId, InputError> {
        if let Some(id) = self.file_id(path) {
            return Ok(id);
        }
        let bytes = std::fs::read(path).map_err(|e| InputError {
            code: "IO_ERROR",
            message: format!("cannot read {}: {e}", path.display()),
            file: None,
            line: 1,
            col: 1,
            help: None,
        })?;
        match String::from_utf8(bytes) {
            Ok(t) => Ok(self.add_file(path.to_path_buf(), Arc::from(t))),
            Err(e) => {
                let id = self.add_file(path.to_path_buf(), Arc::from(""));
                let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = upto.iter().filter(|b| **b == b'\n').count() as u32 + 1;
                Err(InputError::at("NOT_UTF8", format!("{} is not UTF-8", path.display()), id, line, 1))
            }
        }
    }
    /// Parse a file already in the table.
    pub fn parse(&self, id: FileId) -> Result<Vec<Document>, InputError> {
        yaml::parse(&self.files[id as usize].text, id).map_err(|e| yaml_error(id, e))
    }
}

fn yaml_error(id: FileId, e: yaml::YamlError) -> InputError {
    let err = InputError::at(e.code, e.message, id, e.line.max(1), e.col.max(1));
    if e.code == "YAML_LIMIT" {
        err.help(format!(
            "nova reads manifests up to {} levels deep, {} nodes a document (aliases expanded), {} MiB a file",
            yaml::MAX_DEPTH,
            yaml::MAX_NODES,
            yaml::MAX_FILE_BYTES >> 20
        ))
    } else {
        err
    }
}

/// Read `paths` (files, directories, `-`).
pub fn load(paths: &[PathBuf]) -> Result<Loaded, crate::error::NovaError> {
    let mut loaded = Loaded::default();
    let mut plain: Vec<FileId> = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| crate::error::NovaError::new(format!("cannot read standard input: {e}")))?;
            plain.push(loaded.add_file(PathBuf::from(STDIN), Arc::from(text)));
        } else if p.is_dir() {
            let walk = walk(p);
            loaded.helm_charts.extend(walk.helm_charts.iter().cloned());
            for dir in &walk.kustomizations {
                super::kustomize::render_into(dir, &mut loaded);
            }
            for f in walk.files {
                match loaded.read(&f) {
                    Ok(id) => plain.push(id),
                    Err(e) => loaded.errors.push(e),
                }
            }
        } else if p.is_file() {
            if p.file_name().is_some_and(|n| KUSTOMIZATION_FILES.iter().any(|k| n == *k)) {
                super::kustomize::render_into(p.parent().unwrap_or(Path::new(".")), &mut loaded);
                continue;
            }
            match loaded.read(p) {
                Ok(id) => plain.push(id),
                Err(e) => loaded.errors.push(e),
            }
        } else {
            return Err(crate::error::NovaError::new(format!("{} does not exist", p.display())).at(p, None, None));
        }
    }
    let parsed: Vec<(FileId, Result<Vec<Document>, InputError>)> =
        plain.par_iter().map(|&id| (id, loaded.parse(id))).collect();
    for (id, r) in parsed {
        match r {
            Ok(docs) => loaded.docs.extend(docs),
            // A YAML file found by walking a directory that does not look like a manifest (a CI
            // workflow, a Helm template) is not nova's to judge.
            Err(_)
                if !paths.contains(&loaded.files[id as usize].path)
                    && !looks_like_manifest(&loaded.files[id as usize].text) => {}
            Err(e) => loaded.errors.push(e),
        }
    }
    Ok(loaded)
}

/// A text with `apiVersion:` and `kind:` keys at the start of a line.
pub fn looks_like_manifest(text: &str) -> bool {
    let has = |k: &str| text.lines().any(|l| l.trim_start_matches("- ").starts_with(k));
    has("apiVersion:") && has("kind:")
}

/// What a directory walk found: plain manifest files and the kustomizations to render.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    /// Kustomization directories no other kustomization in the walk uses (overlays, standalone).
    pub kustomizations: Vec<PathBuf>,
    /// `Chart.yaml` of each Helm chart: its templates are not YAML nova reads.
    pub helm_charts: Vec<PathBuf>,
}

/// Walk `root`: `.yaml` / `.yml` files outside kustomization directories; the kustomizations.
pub fn walk(root: &Path) -> Walk {
    let mut yaml_files = Vec::new();
    let mut kdirs = Vec::new();
    let mut charts: Vec<PathBuf> = Vec::new();
    let it = walkdir::WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let n = e.file_name().to_string_lossy();
        e.depth() == 0 || !(n.starts_with('.') || (e.file_type().is_dir() && SKIP_DIRS.contains(&n.as_ref())))
    });
    for e in it.filter_map(Result::ok) {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy();
        if name == "Chart.yaml" {
            charts.push(e.into_path());
        } else if KUSTOMIZATION_FILES.contains(&name.as_ref()) {
            kdirs.extend(e.path().parent().map(Path::to_path_buf));
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            yaml_files.push(e.into_path());
        }
    }
    // Files of a kustomization (its resources and patches) are judged as it renders them; a Helm
    // chart's are templates.
    let chart_dirs: Vec<&Path> = charts.iter().filter_map(|c| c.parent()).collect();
    let files = yaml_files
        .into_iter()
        .filter(|f| !kdirs.iter().any(|d| f.starts_with(d)) && !chart_dirs.iter().any(|d| f.starts_with(d)))
        .collect();
    let used: Vec<PathBuf> = kdirs.iter().flat_map(|d| super::kustomize::referenced_dirs(d)).collect();
    let kustomizations = kdirs.iter().filter(|d| !used.contains(d)).cloned().collect();
    Walk { files, kustomizations, helm_charts: charts }
}

/// Manifest files and kustomizations under `root` (for `nova check` / `nova init`).
pub fn manifest_files(root: &Path) -> Vec<PathBuf> {
    let w = walk(root);
    let mut out: Vec<PathBuf> =
        w.files.into_iter().filter(|f| std::fs::read_to_string(f).is_ok_and(|t| looks_like_manifest(&t))).collect();
    out.extend(w.kustomizations.into_iter().map(|d| d.join("kustomization.yaml")));
    out
}

/// A `# nova:ignore RULE reason` comment in a manifest.
#[derive(Debug, Clone)]
pub struct Directive {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub ids: Vec<String>,
    /// The comment is alone on its line (it then covers the next line too).
    pub own_line: bool,
    /// Per ID: whether it silenced a finding.
    pub used: Vec<bool>,
}

/// Every `nova:ignore` comment of every file read.
pub fn directives(loaded: &Loaded) -> Vec<Directive> {
    let mut out = Vec::new();
    for (id, f) in loaded.files.iter().enumerate() {
        if !f.text.contains(crate::suppress::KEYWORD) {
            continue;
        }
        for (i, line) in f.text.lines().enumerate() {
            let Some(at) = comment_start(line) else { continue };
            let Some(d) = crate::suppress::in_comment(&line[at..]) else { continue };
            out.push(Directive {
                file: id as FileId,
                line: i as u32 + 1,
                col: line[..at].chars().count() as u32 + 1,
                ids: d.ids.iter().map(|s| s.to_string()).collect(),
                own_line: line[..at].trim().is_empty(),
                used: vec![false; d.ids.len()],
            });
        }
    }
    out
}

/// Byte offset of a YAML comment's `#` on a line (outside quotes, at the start or after a blank).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if prev == ' ' || prev == ':' || prev == '[' || prev == ',' => quote = Some(c),
            (None, '#') if prev.is_whitespace() => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_quotes() {
        assert_eq!(comment_start("a: 1 # x"), Some(5));
        assert_eq!(comment_start("# x"), Some(0));
        assert_eq!(comment_start("a: \"#no\" # yes"), Some(9));
        assert_eq!(comment_start("a: b#c"), None);
    }
}
