//! buf.yaml `deps:` name BSR modules (`buf.build/googleapis/googleapis`) that buf downloads. nova
//! reads no network: the imports such a module provides are not found. Instead of one "import
//! not found" per file, each dependency gets one input error that says what nova does not do and
//! how to vendor the module; an import nova cannot attribute to a dependency keeps its own error.
use crate::diagnostics::{Diagnostic, FileRef, Span};
use crate::proto::bufconfig::BufConfig;
use std::collections::BTreeMap;

/// Import-path prefixes of well-known BSR modules; others are matched by their owner or name.
const KNOWN: &[(&str, &[&str])] = &[
    (
        "buf.build/googleapis/googleapis",
        &[
            "google/api/",
            "google/rpc/",
            "google/type/",
            "google/longrunning/",
            "google/geo/",
            "google/iam/",
            "google/logging/",
        ],
    ),
    ("buf.build/bufbuild/protovalidate", &["buf/validate/"]),
    ("buf.build/envoyproxy/protoc-gen-validate", &["validate/"]),
    ("buf.build/grpc-ecosystem/grpc-gateway", &["protoc-gen-openapiv2/"]),
    ("buf.build/grpc/grpc", &["grpc/"]),
];

/// The import an error reports as not found (`import 'x' not found`).
fn missing_import(d: &Diagnostic) -> Option<&str> {
    d.message.strip_prefix("import '")?.strip_suffix("' not found")
}

fn provides(dep: &str, import: &str) -> bool {
    let dep_name = dep.split(':').next().unwrap_or(dep);
    if let Some((_, prefixes)) = KNOWN.iter().find(|(k, _)| *k == dep_name) {
        return prefixes.iter().any(|p| import.starts_with(p));
    }
    let first = import.split('/').next().unwrap_or("");
    dep_name.rsplit('/').take(2).any(|part| !part.is_empty() && part == first)
}

/// Replace the "import not found" errors a declared dependency explains with one error per
/// dependency, at its line in buf.yaml (shown relative to `display_root`).
pub fn explain_unfetched(buf: &BufConfig, display_root: &std::path::Path, errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if buf.deps.is_empty() || !errors.iter().any(|d| missing_import(d).is_some()) {
        return errors;
    }
    let text = std::fs::read_to_string(&buf.path).unwrap_or_default();
    let mut by_dep: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    let mut rest = Vec::new();
    for d in errors {
        match missing_import(&d).and_then(|i| buf.deps.iter().position(|dep| provides(dep, i))) {
            Some(k) => by_dep.entry(k).or_default().push(d),
            None => rest.push(d),
        }
    }
    let mut out = Vec::new();
    for (k, ds) in by_dep {
        let dep = &buf.deps[k];
        let mut imports: Vec<&str> = ds.iter().filter_map(missing_import).collect();
        imports.sort();
        imports.dedup();
        let files: std::collections::BTreeSet<&str> =
            ds.iter().filter_map(|d| d.file.as_ref().map(|f| f.path.as_str())).collect();
        let first = ds.iter().find_map(|d| Some(format!("{}:{}", d.file.as_ref()?.path, d.span?.line)));
        let line = text.lines().position(|l| l.contains(dep.as_str())).map(|i| i + 1);
        let shown: Vec<&str> = imports.iter().take(3).copied().collect();
        let mut e = Diagnostic::input_error(
            "proto",
            crate::proto::loader::COMPILE,
            format!(
                "buf.yaml depends on `{dep}`, which nova does not fetch (it reads no BSR module): {} import(s) it provides are not found in {} file(s): {}{}{}",
                imports.len(),
                files.len(),
                shown.join(", "),
                if imports.len() > shown.len() { ", ..." } else { "" },
                first.map(|f| format!(" (first at {f})")).unwrap_or_default()
            ),
        )
        .at(FileRef::new(display_root, &buf.path), line.map(|l| Span::new(l, 1, l, 1)));
        let name = dep.split(':').next().unwrap_or(dep);
        let dir = format!("third_party/{}", name.rsplit('/').next().unwrap_or("dep"));
        e = e.with_help(format!(
            "vendor the module once (`buf export {name} --output {dir}`) and list `{dir}` as a module in buf.yaml (v2 `modules: - path: {dir}`) or in `[proto] roots`"
        ));
        out.push(e);
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_error_per_dependency() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("buf.yaml");
        let text = "version: v2\ndeps:\n  - buf.build/googleapis/googleapis\n  - buf.build/bufbuild/protovalidate\n  - buf.build/acme/common\n";
        std::fs::write(&path, text).unwrap();
        let buf = crate::proto::bufconfig::parse(text, &path).unwrap();
        let err = |file: &str, import: &str| {
            Diagnostic::input_error("proto", "COMPILE", format!("import '{import}' not found"))
                .at(FileRef::virtual_path(file), Some(Span::new(3, 1, 3, 20)))
        };
        let errors = vec![
            err("a.proto", "google/api/annotations.proto"),
            err("b.proto", "google/api/annotations.proto"),
            err("b.proto", "buf/validate/validate.proto"),
            err("c.proto", "acme/money.proto"),
            err("c.proto", "other/thing.proto"),
            Diagnostic::input_error("proto", "COMPILE", "syntax error"),
        ];
        let out = explain_unfetched(&buf, d.path(), errors);
        let msgs: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(out.len(), 5, "{msgs:#?}");
        assert!(
            msgs[0].contains("googleapis/googleapis")
                && msgs[0].contains("1 import(s)")
                && msgs[0].contains("2 file(s)")
        );
        assert_eq!(out[0].span.map(|s| s.line), Some(3));
        assert!(msgs[1].contains("protovalidate") && msgs[2].contains("buf.build/acme/common"));
        assert_eq!(msgs[3], "import 'other/thing.proto' not found");
        assert_eq!(msgs[4], "syntax error");
        // Without deps nothing changes.
        let plain = crate::proto::bufconfig::parse("version: v2\n", &path).unwrap();
        assert_eq!(explain_unfetched(&plain, d.path(), vec![err("a.proto", "google/api/x.proto")]).len(), 1);
        assert_eq!(out[0].file.as_ref().map(|f| f.path.as_str()), Some("buf.yaml"));
    }
}
