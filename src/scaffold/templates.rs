//! The generator templates: minijinja files embedded into the binary, each overridable by a file
//! with the same relative name in the project's templates directory.
use crate::error::NovaError;
use include_dir::{Dir, include_dir};
use minijinja::{Environment, UndefinedBehavior};
use std::path::{Path, PathBuf};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// One template as nova will use it.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Relative name, `/`-separated (`service/src/main.rs.j2`).
    pub name: String,
    pub source: String,
    /// The project file that overrides the embedded default, if any.
    pub override_path: Option<PathBuf>,
}

/// Every embedded template name, sorted.
pub fn embedded_names() -> Vec<String> {
    let mut out = Vec::new();
    collect(&EMBEDDED, &mut out);
    out.sort();
    out
}

fn collect(dir: &Dir<'static>, out: &mut Vec<String>) {
    for f in dir.files() {
        out.push(f.path().to_string_lossy().replace('\\', "/"));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// The embedded default text of a template.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED.get_file(name).and_then(|f| f.contents_utf8())
}

/// The template set of a project: embedded defaults plus the overrides found in `override_dir`.
pub struct Templates {
    override_dir: Option<PathBuf>,
    env: Environment<'static>,
    sources: Vec<TemplateSource>,
}

impl Templates {
    /// Load every template, preferring the project's override. A template that does not parse is
    /// an error at its file:line.
    pub fn load(override_dir: Option<&Path>) -> Result<Templates, NovaError> {
        let mut env = Environment::new();
        // A misspelt variable must stop generation, not silently render as an empty string.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        let mut sources = Vec::new();
        for name in embedded_names() {
            let over = override_dir.map(|d| d.join(&name)).filter(|p| p.is_file());
            let source = match &over {
                Some(p) => crate::fsutil::read_text(p)?,
                None => embedded(&name)
                    .ok_or_else(|| NovaError::new(format!("embedded template {name} is not UTF-8")))?
                    .to_string(),
            };
            sources.push(TemplateSource { name, source, override_path: over });
        }
        for t in &sources {
            env.add_template_owned(t.name.clone(), t.source.clone())
                .map_err(|e| template_error(&e, &sources, override_dir))?;
        }
        Ok(Templates { override_dir: override_dir.map(Path::to_path_buf), env, sources })
    }

    pub fn sources(&self) -> &[TemplateSource] {
        &self.sources
    }

    /// Render a template with `ctx`. Errors (an undefined variable, a bad filter) name the
    /// template's file and line.
    pub fn render(&self, name: &str, ctx: &minijinja::Value) -> Result<String, NovaError> {
        let t =
            self.env.get_template(name).map_err(|e| template_error(&e, &self.sources, self.override_dir.as_deref()))?;
        t.render(ctx).map_err(|e| template_error(&e, &self.sources, self.override_dir.as_deref()))
    }
}

/// Where a template lives for error messages: the override file, else `templates/<name>` as
/// shipped with nova.
fn template_path(name: &str, sources: &[TemplateSource]) -> PathBuf {
    match sources.iter().find(|s| s.name == name).and_then(|s| s.override_path.clone()) {
        Some(p) => p,
        None => PathBuf::from("templates").join(name),
    }
}

fn template_error(e: &minijinja::Error, sources: &[TemplateSource], _dir: Option<&Path>) -> NovaError {
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let msg = format!("template error ({}){detail}", e.kind());
    let mut err = NovaError::new(msg).with_help("every variable a template uses must be defined; nothing was written");
    if let Some(name) = e.name() {
        err = err.at(template_path(name, sources), e.line(), None);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_variable_names_file_and_line() {
        let d = tempfile::tempdir().unwrap();
        let name = embedded_names().into_iter().next().expect("at least one template");
        crate::testutil::write(d.path(), &name, "line one\n{{ no_such_variable }}\n");
        let t = Templates::load(Some(d.path())).unwrap();
        let err = t.render(&name, &minijinja::Value::from_serialize(serde_json::json!({}))).unwrap_err();
        let loc = err.location.expect("location");
        assert_eq!(loc.path, d.path().join(&name));
        assert_eq!(loc.line, Some(2));
        assert!(err.message.contains("undefined"), "{}", err.message);
    }
}
