//! The Cargo workspace a generator works in: where it is, its members, and the one edit nova makes
//! to its manifest (adding a member), done with `toml_edit` so comments and order survive.
use crate::diagnostics::LineIndex;
use crate::error::NovaError;
use std::path::{Path, PathBuf};

/// A workspace root manifest, parsed.
pub struct Workspace {
    /// Canonical directory of the root `Cargo.toml`.
    pub root: PathBuf,
    pub manifest_path: PathBuf,
    pub manifest_text: String,
    pub doc: toml_edit::DocumentMut,
}

/// Parse a `Cargo.toml`; a syntax error points at its file:line:column.
pub fn parse_manifest(path: &Path, text: &str) -> Result<toml_edit::DocumentMut, NovaError> {
    text.parse::<toml_edit::DocumentMut>().map_err(|e| {
        let (line, col) = match e.span() {
            Some(span) => {
                let (l, c) = LineIndex::new(text).line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        NovaError::new(format!("{} does not parse: {}", path.display(), e.message().trim())).at(path, line, col)
    })
}

impl Workspace {
    /// The nearest `Cargo.toml` with a `[workspace]` table at or above `start`. Any manifest on
    /// the way that does not parse is an error: guessing past it could put a service in the wrong place.
    pub fn discover(start: &Path) -> Result<Workspace, NovaError> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let manifest = d.join("Cargo.toml");
            if manifest.is_file() {
                let text = crate::fsutil::read_text(&manifest)?;
                let doc = parse_manifest(&manifest, &text)?;
                if doc.get("workspace").is_some_and(|w| w.is_table_like()) {
                    let root = d.canonicalize().map_err(|e| NovaError::io(d, &e))?;
                    return Ok(Workspace { manifest_path: root.join("Cargo.toml"), root, manifest_text: text, doc });
                }
            }
            dir = d.parent();
        }
        Err(NovaError::new(format!("{} is not inside a Cargo workspace", start.display()))
            .with_help("run nova from a directory below a Cargo.toml that has a [workspace] table"))
    }

    /// Member entries as written (globs included).
    pub fn member_entries(&self) -> Vec<String> {
        self.doc
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(|m| m.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Member directories, with `dir/*` globs expanded.
    pub fn member_dirs(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for m in self.member_entries() {
            if let Some(parent) = m.strip_suffix("/*") {
                if let Ok(rd) = std::fs::read_dir(self.root.join(parent)) {
                    let mut dirs: Vec<PathBuf> =
                        rd.flatten().map(|e| e.path()).filter(|p| p.join("Cargo.toml").is_file()).collect();
                    dirs.sort();
                    out.extend(dirs);
                }
            } else {
                out.push(self.root.join(m));
            }
        }
        out
    }

    /// The directory of the member named `svc` (by directory name or package name).
    pub fn find_service(&self, svc: &str) -> Result<PathBuf, NovaError> {
        for dir in self.member_dirs() {
            if dir.file_name().is_some_and(|n| n == svc) {
                return Ok(dir);
            }
            let manifest = dir.join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest)
                && let Ok(doc) = text.parse::<toml_edit::DocumentMut>()
                && doc.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str()) == Some(svc)
            {
                return Ok(dir);
            }
        }
        Err(NovaError::new(format!("no workspace member named `{svc}` in {}", self.manifest_path.display()))
            .at(&self.manifest_path, None, None)
            .with_help("pass the service's directory or package name, e.g. `--service order-service`"))
    }

    /// The manifest text with `member` appended to `[workspace] members`, formatted like its neighbours.
    pub fn with_member(&self, member: &str) -> Result<String, NovaError> {
        let mut doc = self.doc.clone();
        let ws = doc["workspace"]
            .as_table_like_mut()
            .ok_or_else(|| NovaError::new("[workspace] is not a table").at(&self.manifest_path, None, None))?;
        if ws.get("members").is_none() {
            ws.insert("members", toml_edit::value(toml_edit::Array::new()));
        }
        let arr = ws
            .get_mut("members")
            .and_then(|m| m.as_array_mut())
            .ok_or_else(|| NovaError::new("[workspace] members is not an array").at(&self.manifest_path, None, None))?;
        let prev_prefix = arr.iter().last().and_then(|v| v.decor().prefix()).and_then(|p| p.as_str()).map(|p| {
            // Only the indentation of the previous line, not a comment that belongs to the previous element.
            match p.rfind('\n') {
                Some(i) => p[i..].to_string(),
                None => p.to_string(),
            }
        });
        // A comment after the last element's comma (`"b", # why`) sits in the array's trailing
        // text; it must stay on that element's line, before the new one.
        let trailing = arr.trailing().as_str().unwrap_or("").to_string();
        let mut lead = String::new();
        if let Some(i) = trailing.rfind('\n')
            && trailing[..i].contains('#')
        {
            lead = trailing[..i].to_string();
            arr.set_trailing(&trailing[i..]);
        }
        let had_items = !arr.is_empty();
        arr.push(member);
        if had_items && let Some(last) = arr.iter_mut().last() {
            last.decor_mut().set_prefix(format!("{lead}{}", prev_prefix.unwrap_or_else(|| " ".to_string())));
            last.decor_mut().set_suffix("");
        }
        Ok(doc.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(text: &str) -> Workspace {
        Workspace {
            root: PathBuf::from("/w"),
            manifest_path: PathBuf::from("/w/Cargo.toml"),
            manifest_text: text.to_string(),
            doc: parse_manifest(Path::new("Cargo.toml"), text).unwrap(),
        }
    }

    #[test]
    fn adds_member_keeping_comments_and_layout() {
        let text = "# the backend\n[workspace]\n# services\nmembers = [\n    # core\n    \"auth-service\",\n    \"media-service\", # media\n]\nresolver = \"2\"\n\n[workspace.dependencies]\ntokio = \"1\" # runtime\n";
        let out = ws(text).with_member("order-service").unwrap();
        assert_eq!(
            out,
            "# the backend\n[workspace]\n# services\nmembers = [\n    # core\n    \"auth-service\",\n    \"media-service\", # media\n    \"order-service\",\n]\nresolver = \"2\"\n\n[workspace.dependencies]\ntokio = \"1\" # runtime\n"
        );
    }

    #[test]
    fn adds_member_inline() {
        let out = ws("[workspace]\nmembers = [\"a\", \"b\"]\n").with_member("c").unwrap();
        assert_eq!(out, "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n");
        let out = ws("[workspace]\nresolver = \"2\"\n").with_member("c").unwrap();
        assert_eq!(out, "[workspace]\nresolver = \"2\"\nmembers = [\"c\"]\n");
    }

    #[test]
    fn parse_error_has_line() {
        let err = parse_manifest(Path::new("Cargo.toml"), "[workspace]\nmembers = [\n\"a\"\n").unwrap_err();
        assert!(err.location.unwrap().line.is_some());
    }
}
