//! Property tests on the stable toolchain, run by every `cargo test`: arbitrary and
//! structure-aware input into the proto loader, the config loader (in-process), the SQL replay and
//! the Rust wiring parser (through the `nova` binary, so a crash is an exit status, not a dead test
//! process, and no internal API is assumed). They are the always-on counterpart of `fuzz/`.
//!
//! Properties: no panic, no signal, exit 0/1/2, and every location nova reports lies inside the file
//! it names. Well-formed generated protos must compile without errors.

#[path = "hostile/support.rs"]
mod support;

use nova::proto::loader::{ProtoSet, compile};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Case count: `default` unless `NOVA_PROPTEST_CASES` asks for more (a longer hunt) or fewer.
fn cases(default: u32) -> u32 {
    std::env::var("NOVA_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Cases for properties that spawn the binary: a tenth of the in-process count (24 by default).
fn cli_cases() -> u32 {
    std::env::var("NOVA_PROPTEST_CASES").ok().and_then(|v| v.parse::<u32>().ok()).map(|n| (n / 10).max(1)).unwrap_or(24)
}

fn lines_of(text: &str) -> usize {
    text.lines().count().max(1)
}

fn compile_one(name: &str, bytes: Vec<u8>) -> (nova::proto::loader::Compiled, Option<String>) {
    let text = String::from_utf8(bytes.clone()).ok();
    let mut files = BTreeMap::new();
    files.insert(name.to_string(), bytes);
    let set = ProtoSet::from_memory(Path::new("/virtual"), files, &[String::new()]);
    (compile(&set), text)
}

/// Every diagnostic names `name` and, when it has a span, the span lies inside the text.
fn assert_located(
    diags: &[nova::diagnostics::Diagnostic],
    name: &str,
    text: Option<&str>,
) -> Result<(), TestCaseError> {
    for d in diags {
        let f = d.file.as_ref().ok_or_else(|| TestCaseError::fail(format!("diagnostic without a file: {d:?}")))?;
        prop_assert_eq!(&f.path, name, "diagnostic names another file: {:?}", d);
        if let (Some(s), Some(text)) = (d.span, text) {
            let max = lines_of(text) + 1;
            prop_assert!(s.line >= 1 && s.line <= max, "line {} outside 1..={}: {:?}", s.line, max, d);
            prop_assert!(s.column >= 1, "column 0: {:?}", d);
            prop_assert!(s.end_line >= s.line, "span ends before it starts: {:?}", d);
        }
    }
    Ok(())
}

// --- structure-aware generators ---------------------------------------------------------------

fn ident() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,10}"
}

fn pascal() -> impl Strategy<Value = String> {
    "[A-Z][a-zA-Z0-9]{0,10}"
}

fn scalar() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
        "sfixed32", "sfixed64", "float", "double",
    ])
}

/// A well-formed proto3 file: unique names and field numbers, valid types, optional WKT import.
fn valid_proto() -> impl Strategy<Value = String> {
    let field = (prop::option::of(Just("repeated ")), scalar(), any::<bool>());
    let message = (pascal(), prop::collection::vec(field, 0..8), prop::option::of(pascal()));
    (ident(), prop::collection::vec(message, 1..6), any::<bool>(), prop::option::of(pascal())).prop_map(
        |(pkg, messages, wkt, service)| {
            let mut s = format!("syntax = \"proto3\";\n\npackage {pkg}.v1;\n\n");
            if wkt {
                s.push_str("import \"google/protobuf/timestamp.proto\";\n\n");
            }
            let mut seen = std::collections::BTreeSet::new();
            let mut names = Vec::new();
            for (i, (name, fields, nested)) in messages.into_iter().enumerate() {
                let name = format!("{name}M{i}");
                if !seen.insert(name.clone()) {
                    continue;
                }
                s.push_str(&format!("// {name} is generated.\nmessage {name} {{\n"));
                if let Some(n) = nested {
                    s.push_str(&format!("  message {n}Inner {{ string v = 1; }}\n"));
                }
                for (j, (rep, ty, comment)) in fields.into_iter().enumerate() {
                    if comment {
                        s.push_str("  // A field.\n");
                    }
                    // Numbers skip the reserved 19000-19999 range by construction.
                    let number = j * 7 + 1;
                    s.push_str(&format!("  {}{ty} f_{j} = {number};\n", rep.unwrap_or("")));
                }
                if wkt {
                    s.push_str("  google.protobuf.Timestamp at = 500;\n");
                }
                s.push_str("}\n\n");
                names.push(name);
            }
            if let (Some(svc), Some(first)) = (service, names.first()) {
                s.push_str(&format!("service {svc}Service {{\n  rpc Get({first}) returns ({first});\n}}\n"));
            }
            s
        },
    )
}

/// A plausible proto damaged on purpose: cut, spliced, a token dropped or duplicated.
fn damaged_proto() -> impl Strategy<Value = String> {
    (valid_proto(), any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..5u8).prop_map(|(s, a, b, how)| {
        let cut = |i: &prop::sample::Index| {
            let mut k = i.index(s.len() + 1);
            while !s.is_char_boundary(k) {
                k -= 1;
            }
            k
        };
        let (x, y) = (cut(&a), cut(&b));
        let (lo, hi) = (x.min(y), x.max(y));
        match how {
            0 => s[..lo].to_string(),
            1 => format!("{}{}", &s[..hi], &s[lo..]),
            2 => format!("{}{}", &s[..lo], &s[hi..]),
            3 => s.replace(';', if lo % 2 == 0 { "" } else { ";;" }),
            _ => s.replacen("= 1;", "= 0;", 1).replacen("string", "Unknown.Type", 1),
        }
    })
}

fn sql_statement() -> impl Strategy<Value = String> {
    let table = prop::sample::select(vec!["users", "orders", "items", "outbox_events", "audit"]);
    let col = prop::sample::select(vec![
        "deleted_at TIMESTAMPTZ",
        "deleted_at TIMESTAMP",
        "deleted_by UUID",
        "is_deleted BOOLEAN DEFAULT false",
        "name TEXT NOT NULL",
        "email VARCHAR(255) UNIQUE",
        "user_id UUID REFERENCES users(id) ON DELETE CASCADE",
        "published_at TIMESTAMPTZ",
        "payload JSONB NOT NULL",
    ]);
    prop_oneof![
        (table.clone(), prop::collection::vec(col.clone(), 0..5))
            .prop_map(|(t, cols)| format!("CREATE TABLE IF NOT EXISTS {t} (id UUID PRIMARY KEY{});", cols.iter().map(|c| format!(", {c}")).collect::<String>())),
        (table.clone(), col.clone()).prop_map(|(t, c)| format!("ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c};")),
        (table.clone(), prop::sample::select(vec!["deleted_at", "deleted_by", "name"])).prop_map(|(t, c)| format!("ALTER TABLE {t} DROP COLUMN {c};")),
        (table.clone(), any::<bool>(), any::<bool>()).prop_map(|(t, u, p)| format!(
            "CREATE {}INDEX CONCURRENTLY IF NOT EXISTS idx_{t} ON {t} (id){};",
            if u { "UNIQUE " } else { "" },
            if p { " WHERE deleted_at IS NULL" } else { "" }
        )),
        table.clone().prop_map(|t| format!("ALTER TABLE {t} ADD CONSTRAINT {t}_deleted_at_logic CHECK ((deleted_at IS NULL) = (deleted_by IS NULL));")),
        (table.clone(), col.clone()).prop_map(|(t, c)| format!(
            "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = '{t}') THEN\n    ALTER TABLE {t} ADD COLUMN {c};\n  END IF;\nEND\n$$;"
        )),
        table.clone().prop_map(|t| format!(
            "CREATE OR REPLACE FUNCTION emit_{t}_deletion() RETURNS trigger AS $$\nBEGIN\n  IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN\n    INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload) VALUES ('{t}', NEW.id, 'Deleted', '{{}}');\n  END IF;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nCREATE TRIGGER trg_{t}_deletion AFTER UPDATE OF deleted_at ON {t} FOR EACH ROW EXECUTE FUNCTION emit_{t}_deletion();"
        )),
        (table.clone(), table.clone()).prop_map(|(a, b)| format!("ALTER TABLE {a} RENAME TO {b};")),
        table.prop_map(|t| format!("DROP TABLE IF EXISTS {t} CASCADE;")),
        "[ -~]{0,40}".prop_map(|junk| format!("{junk};")),
    ]
}

fn sql_files() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::collection::vec(sql_statement(), 0..6).prop_map(|v| v.join("\n") + "\n"), 1..4)
}

fn rust_snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("    HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8080))?.run().await?;".to_string()),
        Just("    HttpServer::new(|| App::new().wrap(CorrelationIdMiddleware)).bind(\"0.0.0.0:1\")?.run().await?;".to_string()),
        Just("    let svc = UsersServer::new(Users::default());\n    Server::builder().add_service(svc).serve(addr).await?;".to_string()),
        Just("    let svc = UsersServer::with_interceptor(Users::default(), read_cid);\n    GrpcServer::builder().add_service(svc).serve(addr).await?;".to_string()),
        Just("    let client = AuthClient::new(channel.clone());".to_string()),
        Just("    let client = AuthClient::with_interceptor(channel.clone(), inject);".to_string()),
        Just("    let rec = FutureRecord::to(\"topic\").key(&k).payload(&p);".to_string()),
        Just("    let rec = FutureRecord::to(\"t\").payload(&p).headers(OwnedHeaders::new().insert(Header { key: \"correlation_id\", value: Some(&Uuid::new_v4().to_string()) }));".to_string()),
        Just("    let app = axum::Router::new().route(\"/\", get(h)).layer(CorrelationLayer);".to_string()),
        "[ -~]{0,40}".prop_map(|junk| format!("    {junk}")),
    ]
}

fn rust_main() -> impl Strategy<Value = String> {
    (prop::collection::vec(rust_snippet(), 0..6), any::<bool>()).prop_map(|(body, test_mod)| {
        let mut s = String::from(
            "use actix_web::{App, HttpServer};\nuse tonic::transport::Server as GrpcServer;\nuse tonic::transport::Server;\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n",
        );
        for line in body {
            s.push_str(&line);
            s.push('\n');
        }
        s.push_str("    Ok(())\n}\n");
        if test_mod {
            s.push_str("\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { let _ = actix_web::App::new(); }\n}\n");
        }
        s
    })
}

// --- running the binary on generated trees -------------------------------------------------------

/// Write `files` (relative path -> bytes) plus an empty nova.toml into a temp dir, run
/// `nova --format json ARGS`, check no crash and that every reported line lies in its file.
fn run_cli(files: &[(String, Vec<u8>)], args: &[&str]) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    support::write(tmp.path(), "nova.toml", "");
    for (rel, bytes) in files {
        support::write(tmp.path(), rel, bytes);
    }
    let mut argv = vec!["--format".to_string(), "json".to_string()];
    argv.extend(args.iter().map(|s| s.to_string()));
    let out = support::run_nova(tmp.path(), &argv, Duration::from_secs((30.0 * support::timeout_scale()) as u64));
    let problems = out.crash_problems();
    prop_assert!(problems.is_empty(), "{:?}\n{}", problems, out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout)
        .map_err(|e| TestCaseError::fail(format!("stdout is not JSON ({e}): {}", out.describe())))?;
    // Where a diagnostic names one of our files and a line, the line must exist in that file.
    if let Some(diags) = doc.get("diagnostics").and_then(|d| d.as_array()) {
        for d in diags {
            let (Some(path), Some(line)) =
                (d.get("path").and_then(|p| p.as_str()), d.get("line").and_then(|l| l.as_u64()))
            else {
                continue;
            };
            // Reported paths are relative to the input root: match on whole path components.
            let same =
                |rel: &str| rel == path || rel.ends_with(&format!("/{path}")) || path.ends_with(&format!("/{rel}"));
            if let Some((_, bytes)) = files.iter().find(|(rel, _)| same(rel)) {
                let max = lines_of(&String::from_utf8_lossy(bytes)) as u64 + 1;
                prop_assert!(line >= 1 && line <= max, "{path}:{line} is outside the file ({max} lines): {d}");
            }
        }
    }
    Ok(())
}

fn workspace_with_main(main_rs: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    vec![
        ("ws/Cargo.toml".into(), b"[workspace]\nmembers = [\"svc\"]\nresolver = \"2\"\n".to_vec()),
        ("ws/svc/Cargo.toml".into(), b"[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".to_vec()),
        ("ws/svc/src/main.rs".into(), main_rs),
    ]
}

fn migrations(files: Vec<Vec<u8>>) -> Vec<(String, Vec<u8>)> {
    files.into_iter().enumerate().map(|(i, b)| (format!("migrations/{:04}_m{i}.sql", i + 1), b)).collect()
}

/// Found by `proto_loader_survives_proto_like_text`: protox-parse debug-asserts on `008` (an
/// octal-looking literal with a non-octal digit). It must be an error at the file, never a panic.
#[test]
fn octal_like_literal_is_an_error_not_a_panic() {
    let text = "syntax = \"proto2\";\nmessage A {\n  optional int32 a = 008;\n}\n";
    let (c, _) = compile_one("octal.proto", text.as_bytes().to_vec());
    assert!(!c.errors.is_empty(), "`008` compiled");
    assert_eq!(c.errors[0].file.as_ref().map(|f| f.path.as_str()), Some("octal.proto"));
}

// --- properties --------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn proto_loader_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let (c, text) = compile_one("fuzz.proto", bytes);
        if text.is_none() {
            prop_assert!(!c.errors.is_empty(), "non-UTF-8 input compiled without an error");
        }
        assert_located(&c.errors, "fuzz.proto", text.as_deref())?;
    }

    #[test]
    fn proto_loader_survives_proto_like_text(text in "(syntax|package|message|enum|service|rpc|option|import|oneof|map|reserved|[{}()<>\\[\\];=,.\"/*]|[a-z_]{1,6}|[0-9]{1,6}|[ \n\t]){0,200}") {
        let (c, _) = compile_one("like.proto", text.clone().into_bytes());
        assert_located(&c.errors, "like.proto", Some(&text))?;
    }

    #[test]
    fn well_formed_protos_compile_cleanly(text in valid_proto()) {
        let (c, _) = compile_one("gen/v1/gen.proto", text.clone().into_bytes());
        prop_assert!(c.errors.is_empty(), "generated proto did not compile: {:?}\n{}", c.errors, text);
        prop_assert!(c.files.contains_key("gen/v1/gen.proto"));
    }

    #[test]
    fn damaged_protos_fail_cleanly(text in damaged_proto()) {
        let (c, _) = compile_one("dmg.proto", text.clone().into_bytes());
        assert_located(&c.errors, "dmg.proto", Some(&text))?;
    }

    #[test]
    fn multi_file_sets_compile_deterministically(
        texts in prop::collection::vec(prop_oneof![valid_proto(), damaged_proto()], 1..5),
        imports in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        // Files import each other (sometimes a file that does not compile): errors must be the
        // same, in the same order, on every run, whatever the parallel parse did.
        let mut files = BTreeMap::new();
        for (i, t) in texts.iter().enumerate() {
            let mut t = t.clone();
            if let Some(ix) = imports.get(i) {
                let target = ix.index(texts.len());
                if target != i {
                    t = t.replacen("\n\npackage", &format!("\n\nimport \"f{target}.proto\";\n\npackage"), 1);
                }
            }
            files.insert(format!("f{i}.proto"), t.into_bytes());
        }
        let set = ProtoSet::from_memory(Path::new("/virtual"), files, &[String::new()]);
        let (a, b) = (compile(&set), compile(&set));
        prop_assert_eq!(&a.errors, &b.errors);
        prop_assert_eq!(a.files.keys().collect::<Vec<_>>(), b.files.keys().collect::<Vec<_>>());
        for d in &a.errors {
            let path = d.file.as_ref().map(|f| f.path.clone()).unwrap_or_default();
            prop_assert!(set.files.contains_key(&path), "error names a file outside the set: {:?}", d);
        }
    }

    #[test]
    fn utf8_errors_point_inside_the_file(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(e) = nova::fsutil::decode_utf8(Path::new("x.sql"), bytes.clone()) {
            let loc = e.location.ok_or_else(|| TestCaseError::fail("UTF-8 error without a location"))?;
            let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
            let (line, col) = (loc.line.unwrap_or(0), loc.column.unwrap_or(0));
            prop_assert!(line >= 1 && line <= lines, "line {} of {}", line, lines);
            prop_assert!(col >= 1, "column {}", col);
        }
    }

    #[test]
    fn config_loader_survives_arbitrary_text(text in "\\PC{0,400}") {
        if let Err(e) = nova::config::parse_str(&text, Path::new("nova.toml"))
            && let Some(line) = e.location.as_ref().and_then(|l| l.line)
        {
            prop_assert!(line <= lines_of(&text) + 1, "line {} outside the text", line);
        }
    }

    #[test]
    fn config_loader_survives_plausible_toml(
        sections in prop::collection::vec((
            prop::sample::select(vec!["proto", "proto.lint", "proto.breaking", "migrations", "wiring", "scaffold", "check", "bogus"]),
            prop::collection::vec((
                prop::sample::select(vec!["registry", "roots", "use", "except", "ignore", "dirs", "severity", "only", "skip", "templates", "nope"]),
                prop::sample::select(vec!["\"x\"", "[\"A\", \"B\"]", "1", "true", "{ FIELD_LOWER_SNAKE_CASE = \"off\" }", "[[1]]", "\"\\u0000\"", "{ a = { b = [] } }"]),
            ), 0..4),
        ), 0..5)
    ) {
        let text: String = sections.iter().map(|(s, kv)| {
            format!("[{s}]\n{}", kv.iter().map(|(k, v)| format!("{k} = {v}\n")).collect::<String>())
        }).collect();
        if let Err(e) = nova::config::parse_str(&text, Path::new("nova.toml")) {
            prop_assert!(e.location.is_some(), "config error without a location: {e}\n{text}");
        }
    }
}

proptest! {
    // Each case spawns the binary: fewer cases, still every run of `cargo test`.
    #![proptest_config(ProptestConfig { cases: cli_cases(), max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn sql_replay_survives_arbitrary_bytes(files in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2048), 1..3)) {
        run_cli(&migrations(files), &["migrations", "check", "migrations"])?;
    }

    #[test]
    fn sql_replay_survives_plausible_migrations(files in sql_files()) {
        run_cli(&migrations(files.into_iter().map(String::into_bytes).collect()), &["migrations", "check", "migrations"])?;
    }

    #[test]
    fn wiring_parser_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        run_cli(&workspace_with_main(bytes), &["wiring", "check", "ws"])?;
    }

    #[test]
    fn wiring_parser_survives_plausible_services(main_rs in rust_main()) {
        run_cli(&workspace_with_main(main_rs.into_bytes()), &["wiring", "check", "ws"])?;
    }

    #[test]
    fn proto_lint_survives_damaged_protos(text in damaged_proto()) {
        run_cli(&[("protos/a/v1/a.proto".to_string(), text.into_bytes())], &["proto", "lint", "protos"])?;
    }
}
