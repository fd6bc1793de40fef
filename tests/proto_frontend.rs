//! nova's proto front end end to end (`src/proto/frontend.rs`, `docs/proto-frontend.md`): the
//! constructs protoc accepts and protox 0.9 did not (single-number extension ranges with options,
//! proto2 JSON-name conflicts), and editions files as one located input error.
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// `nova --format json ARGS` in `dir`: (exit code, the JSON document).
fn nova_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out =
        Command::cargo_bin("nova").unwrap().current_dir(dir).args(["--format", "json"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

/// `RULE path:line:column` of every diagnostic.
fn found(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d["rule"].as_str().unwrap(),
                d["path"].as_str().unwrap_or("-"),
                d["line"],
                d["column"]
            )
        })
        .collect();
    f.sort();
    f
}

/// A vendored options file in the shape of protobuf >= 26's descriptor.proto: single-number
/// extension ranges with options, one of them a multi-line declaration.
const EXT: &str = "syntax = \"proto2\";\n\npackage acme.ext.v1;\n\n// Declared extensions.\nmessage Registry {\n  extensions 100 [verification = UNVERIFIED];\n  extensions 536000000 [declaration = {\n    number: 536000000\n    type: \".acme.ext.v1.Big\"\n    full_name: \".acme.ext.v1.big\"\n  }];\n  optional int32 id = 1;\n}\n\n// The declared extension's type.\nmessage Big {\n  optional int32 n = 1;\n}\n\nextend Registry {\n  optional Big big = 536000000;\n}\n";

fn orders(id_type: &str) -> String {
    format!(
        "syntax = \"proto3\";\n\npackage acme.orders.v1;\n\nimport \"acme/ext/v1/ext.proto\";\n\nmessage Order {{\n  {id_type} orderId = 1;\n  acme.ext.v1.Registry registry = 2;\n}}\n"
    )
}

#[test]
fn extension_ranges_with_options_lint_and_break_like_any_file() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("cur/acme/ext/v1/ext.proto", EXT), ("cur/acme/orders/v1/orders.proto", &orders("string"))]);
    write(t.path(), &[("prev/acme/ext/v1/ext.proto", EXT), ("prev/acme/orders/v1/orders.proto", &orders("int64"))]);
    // Lint: the findings of both files, at the lines of the original text (the blanked option
    // lists shift nothing), and no COMPILE.
    let (code, v) = nova_json(t.path(), &["proto", "lint", "cur", "--use", "FIELD_LOWER_SNAKE_CASE,COMMENT_FIELD"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        found(&v),
        [
            // As buf 1.75 reports them on the same files: COMMENT_FIELD at the field's first
            // token, the file-level extension `big` (22:3) included.
            "COMMENT_FIELD acme/ext/v1/ext.proto:13:3",
            "COMMENT_FIELD acme/ext/v1/ext.proto:18:3",
            "COMMENT_FIELD acme/ext/v1/ext.proto:22:3",
            "COMMENT_FIELD acme/orders/v1/orders.proto:8:3",
            "COMMENT_FIELD acme/orders/v1/orders.proto:9:3",
            "FIELD_LOWER_SNAKE_CASE acme/orders/v1/orders.proto:8:10",
        ]
    );
    // Breaking: the real change, not a compile error.
    let (code, v) = nova_json(t.path(), &["proto", "breaking", "cur", "--against", "prev"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(found(&v), ["FIELD_SAME_TYPE acme/orders/v1/orders.proto:8:3"]);
}

#[test]
fn a_bad_extension_range_option_is_an_error_in_the_option_list() {
    let t = tempfile::tempdir().unwrap();
    let bad = "syntax = \"proto2\";\npackage a.v1;\nmessage M {\n  extensions 100 [verification = ];\n}\n";
    write(t.path(), &[("a/v1/a.proto", bad)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE a/v1/a.proto:4:34"]);
    // An option that does not exist is refused by the linker, as protoc refuses it, at its name
    // in the list (protoc: 4:19).
    write(t.path(), &[("a/v1/a.proto", &bad.replace("verification = ", "bogus = 1"))]);
    let (code, v) = nova_json(t.path(), &["proto", "lint"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE a/v1/a.proto:4:19"]);
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("bogus"), "{v}");
    // Any other link error of such a file is located as in any file (protoc: 5:12).
    let unknown =
        bad.replace("verification = ", "verification = UNVERIFIED").replace("}\n", "  optional Nope n = 1;\n}\n");
    write(t.path(), &[("a/v1/a.proto", &unknown)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE a/v1/a.proto:5:12"]);
}

#[test]
fn an_editions_file_is_linted_like_any_other_and_its_errors_are_located() {
    let t = tempfile::tempdir().unwrap();
    let editions = "// Vendored.\n\nedition = \"2023\";\n\npackage a.v1;\n\nmessage E {\n  int32 n = 1;\n  int32 badName = 2;\n}\n";
    let importer = "syntax = \"proto3\";\n\npackage a.v1;\n\nimport \"a/v1/e.proto\";\n\nmessage B {\n  E e = 1;\n}\n";
    let plain = "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage C {\n  string userId = 1;\n}\n";
    write(t.path(), &[("a/v1/e.proto", editions), ("a/v1/b.proto", importer), ("a/v1/c.proto", plain)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 1, "{v}");
    // The editions file compiles, its importer links against it, both are linted.
    assert_eq!(found(&v), ["FIELD_LOWER_SNAKE_CASE a/v1/c.proto:6:10", "FIELD_LOWER_SNAKE_CASE a/v1/e.proto:9:9"]);

    // An edition protoc does not know: one input error at the string, as protoc reports it
    // (`e.proto:3:11: Unknown edition "2025".`); the importer is not reported again.
    write(t.path(), &[("a/v1/e.proto", &editions.replace("2023", "2025"))]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE a/v1/e.proto:3:11", "FIELD_LOWER_SNAKE_CASE a/v1/c.proto:6:10"]);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "COMPILE").unwrap();
    assert_eq!(d["message"], "Unknown edition \"2025\".");

    // A label editions do not have, in protoc's words at protoc's place (3:3 of the message body).
    let optional = editions.replace("  int32 n = 1;", "  optional int32 n = 1;");
    write(t.path(), &[("a/v1/e.proto", &optional)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE a/v1/e.proto:8:3", "FIELD_LOWER_SNAKE_CASE a/v1/c.proto:6:10"]);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "COMPILE").unwrap();
    assert!(d["message"].as_str().unwrap().starts_with("Label \"optional\" is not supported in editions"), "{d}");
}

#[test]
fn json_name_conflicts_follow_protoc() {
    let t = tempfile::tempdir().unwrap();
    let p2 = "syntax = \"proto2\";\n\npackage j.v1;\n\nmessage M {\n  optional string descriptor = 1;\n  optional string descriptor_ = 6;\n}\n";
    write(t.path(), &[("cur/j/v1/j.proto", p2)]);
    // proto2: protoc warns and compiles, so does nova.
    let (code, v) = nova_json(t.path(), &["proto", "lint", "cur", "--use", "MINIMAL"]);
    assert_eq!(code, 0, "{v}");
    // The JSON name rules read is the real one, not the linker's placeholder.
    let prev = p2.replace("descriptor_ = 6;", "descriptor_ = 6 [json_name = \"d\"];");
    write(t.path(), &[("prev/j/v1/j.proto", &prev)]);
    let (code, v) =
        nova_json(t.path(), &["proto", "breaking", "cur", "--against", "prev", "--use", "FIELD_SAME_JSON_NAME"]);
    assert_eq!(code, 1, "{v}");
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("from \"d\" to \"descriptor\""), "{msg}");
    // A link error in such a file is located as in any other file (protoc: 8:12).
    let unknown = p2.replace("}\n", "  optional Nope n = 7;\n}\n");
    write(t.path(), &[("cur/j/v1/j.proto", &unknown)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "cur"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE j/v1/j.proto:8:12"]);
    // proto3: protoc refuses, at the later field's name, and so does nova.
    let p3 = "syntax = \"proto3\";\n\npackage j.v1;\n\nmessage M {\n  string descriptor = 1;\n  string descriptor_ = 6;\n}\n";
    write(t.path(), &[("cur/j/v1/j.proto", p3)]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "cur"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE j/v1/j.proto:7:10"]);
    assert_eq!(
        v["diagnostics"][0]["message"],
        "The default JSON name of field \"descriptor_\" (\"descriptor\") conflicts with the default JSON name of field \"descriptor\"."
    );
}

#[test]
fn extension_declarations_are_checked_as_protoc_checks_them() {
    let t = tempfile::tempdir().unwrap();
    let base = "syntax = \"proto2\";\npackage d.v1;\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.v1.x\", type: \"int32\"}];\n}\n";
    let uses = |ty: &str| {
        format!(
            "syntax = \"proto2\";\npackage d.v1;\nimport \"d/v1/base.proto\";\nextend M {{\n  optional {ty} x = 100;\n}}\n"
        )
    };
    write(t.path(), &[("d/v1/base.proto", base), ("d/v1/use.proto", &uses("int32"))]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 0, "{v}");
    // An extension in another file that does not match its declaration: protoc's error, at the
    // extendee (protoc: use.proto:4:8).
    write(t.path(), &[("d/v1/use.proto", &uses("int64"))]);
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE d/v1/use.proto:4:8"]);
    assert_eq!(
        v["diagnostics"][0]["message"],
        "\"d.v1.M\" extension field 100 is expected to be type \"int32\", not \"int64\"."
    );
    // A declaration outside its range: at the range (protoc: base.proto:4:14).
    write(
        t.path(),
        &[("d/v1/base.proto", &base.replace("number: 100", "number: 101")), ("d/v1/use.proto", &uses("int32"))],
    );
    let (code, v) = nova_json(t.path(), &["proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(found(&v), ["COMPILE d/v1/base.proto:4:14"]);
    assert_eq!(v["diagnostics"][0]["message"], "Extension declaration number 101 is not in the extension range.");
}
