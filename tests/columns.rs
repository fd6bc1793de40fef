//! Columns count characters, in every checker and every format (SARIF says `unicodeCodePoints`);
//! only reviewdog's rdjson counts UTF-8 bytes, as its specification says. Each file below has
//! non-ASCII text before its finding on the same line.
mod common;

use assert_cmd::Command;
use common::{git_commit_all, git_init};
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// (path, line, token): the finding of each checker, at the token's first character.
const CASES: [(&str, usize, &str); 3] = [
    ("nova-protos/acme/v1/m.proto", 3, "badName"),
    ("svc/migrations/0002_idx.sql", 1, "CREATE"),
    ("svc/src/main.rs", 3, "App::new()"),
];

fn tree(root: &Path) {
    write(root, "nova-protos/buf.yaml", "version: v2\n");
    write(root, CASES[0].0, "syntax = \"proto3\";\npackage acme.v1;\nmessage M { string /*éééé*/ badName = 1; }\n");
    write(root, "svc/Cargo.toml", "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    write(
        root,
        CASES[2].0,
        "use actix_web::{App, HttpServer};\nfn main() {\n    let _ = HttpServer::new(|| /*éééé*/ App::new());\n}\n",
    );
    write(root, "svc/migrations/0001_init.sql", "CREATE TABLE t (id bigint PRIMARY KEY, a int);\n");
    write(root, CASES[1].0, "/*éééé*/ CREATE INDEX t_a ON t (a);\n");
}

/// 1-based character and byte columns of `token` on `line` of `path`.
fn columns(root: &Path, path: &str, line: usize, token: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    let l = text.lines().nth(line - 1).unwrap();
    let byte = l.find(token).unwrap();
    (l[..byte].chars().count() + 1, byte + 1)
}

fn run(root: &Path, format: &str) -> String {
    let out = Command::cargo_bin("nova")
        .unwrap()
        .current_dir(root)
        .args(["--color", "never", "--format", format, "check"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn columns_are_characters_in_every_checker_and_format() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    tree(root);
    git_init(root);
    git_commit_all(root, "init");
    let json: serde_json::Value = serde_json::from_str(&run(root, "json")).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&run(root, "sarif")).unwrap();
    let gitlab: serde_json::Value = serde_json::from_str(&run(root, "gitlab")).unwrap();
    let rdjson: serde_json::Value = serde_json::from_str(&run(root, "rdjson")).unwrap();
    let (github, checkstyle, junit, human) =
        (run(root, "github"), run(root, "checkstyle"), run(root, "junit"), run(root, "human"));
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    for (path, line, token) in CASES {
        let (col, byte) = columns(root, path, line, token);
        assert!(byte > col, "{path}: the test needs non-ASCII text before the finding");
        let find = |list: &serde_json::Value, path_of: &dyn Fn(&serde_json::Value) -> String| -> serde_json::Value {
            list.as_array()
                .unwrap()
                .iter()
                .find(|x| path_of(x) == path)
                .unwrap_or_else(|| panic!("no finding in {path}"))
                .clone()
        };
        let j = find(&json["diagnostics"], &|x| x["path"].as_str().unwrap_or("").to_string());
        assert_eq!((j["line"].as_u64(), j["column"].as_u64()), (Some(line as u64), Some(col as u64)), "json {path}");
        let s = find(&sarif["runs"][0]["results"], &|x| {
            x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap_or("").to_string()
        });
        assert_eq!(
            s["locations"][0]["physicalLocation"]["region"]["startColumn"].as_u64(),
            Some(col as u64),
            "sarif {path}"
        );
        let g = find(&gitlab, &|x| x["location"]["path"].as_str().unwrap_or("").to_string());
        assert_eq!(g["location"]["positions"]["begin"]["column"].as_u64(), Some(col as u64), "gitlab {path}");
        let r = find(&rdjson["diagnostics"], &|x| x["location"]["path"].as_str().unwrap_or("").to_string());
        assert_eq!(
            r["location"]["range"]["start"]["column"].as_u64(),
            Some(byte as u64),
            "rdjson counts bytes: {path}"
        );
        assert!(github.contains(&format!("file={path},line={line},col={col},")), "github {path}:\n{github}");
        assert!(junit.contains(&format!("{path}:{line}:{col}")), "junit {path}:\n{junit}");
        let name = path.rsplit('/').next().unwrap();
        let cs = checkstyle
            .split("<file name=")
            .find(|f| f.starts_with(&format!("\"{path}\"")))
            .unwrap_or_else(|| panic!("checkstyle {path}"));
        assert!(cs.contains(&format!("line=\"{line}\" column=\"{col}\"")), "checkstyle {name}:\n{cs}");
        // Human output: the header names line:column, and the caret sits under the token.
        let at = human.find(&format!("--> {path}:{line}:{col}")).unwrap_or_else(|| panic!("human {path}:\n{human}"));
        let excerpt = &human[at..];
        let src = excerpt.lines().find(|l| l.contains(token)).unwrap();
        let caret = excerpt.lines().skip_while(|l| !l.contains(token)).nth(1).unwrap();
        let token_at = src[..src.find(token).unwrap()].chars().count();
        assert_eq!(caret.chars().position(|c| c == '^'), Some(token_at), "human {path}:\n{src}\n{caret}");
    }
}
