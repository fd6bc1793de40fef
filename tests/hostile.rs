//! Hostile-input suite: every checker against inputs built to break it (truncated, binary, NUL,
//! deeply nested, huge, symlink loops, unreadable, odd paths, CRLF, empty, malformed config,
//! corrupt git objects, a directory where a file belongs).
//!
//! Every case, whatever its input, must: exit 0, 1 or 2 (never a panic's 101, never a signal);
//! finish before its deadline (the child is killed and the case fails otherwise); name the
//! offending file in stdout or stderr; leave the input tree byte-for-byte and mtime-for-mtime as it
//! was; and, with `--format json`, print one parseable JSON document. Most cases also pin the
//! exit code the finished product owes that input.
//!
//! Inputs are written at test time into temp dirs (nothing big is committed). Many hostile files
//! also carry one ordinary finding, so the file is named whether nova rejects the file (exit 2) or
//! reads it and reports the finding (exit 1).
//!
//! Select cases: `NOVA_HOSTILE_ONLY=config,proto` (areas), `NOVA_HOSTILE_CASE=crlf` (name
//! substring), `NOVA_HOSTILE_TIMEOUT_SCALE=3` (slow machine). By default every case runs.

mod common;

#[path = "hostile/support.rs"]
mod support;

use common::{git, git_commit_all, git_init};
use std::path::Path;
use std::time::Duration;
use support::*;

/// Which checker a case attacks (the `NOVA_HOSTILE_ONLY` filter uses these names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    /// `nova proto lint`
    Proto,
    /// `nova proto breaking`, `nova proto check`
    Breaking,
    /// `nova migrations check`
    Migrations,
    /// `nova wiring check`
    Wiring,
    /// `nova k8s check`
    K8s,
    /// `nova new`, `nova gen`
    Scaffold,
    /// `nova.toml` loading (shared by every command)
    Config,
    /// `nova check`, `nova init`
    Check,
}

const AREAS: &[(&str, Area)] = &[
    ("proto", Area::Proto),
    ("breaking", Area::Breaking),
    ("migrations", Area::Migrations),
    ("wiring", Area::Wiring),
    ("k8s", Area::K8s),
    ("scaffold", Area::Scaffold),
    ("config", Area::Config),
    ("check", Area::Check),
];

/// What the setup learned that the static table cannot know (object ids of a fresh repository).
#[derive(Default)]
struct Setup {
    /// When set, replaces `Expect::names`: the output must contain at least one of these.
    any_of_names: Option<Vec<String>>,
}

struct Expect {
    /// Allowed exit codes.
    codes: &'static [i32],
    /// Allowed exit codes when `chmod 000` does not stop this process (root): the file is read.
    codes_if_chmod_ignored: Option<&'static [i32]>,
    /// Each must appear in stdout or stderr: the offending file (or argument).
    names: &'static [&'static str],
    /// A regex the output must match (e.g. the right line number despite CRLF).
    matches: Option<&'static str>,
    timeout_secs: u64,
}

const E: Expect = Expect { codes: &[2], codes_if_chmod_ignored: None, names: &[], matches: None, timeout_secs: 30 };
const HUGE_SECS: u64 = 180;

struct Case {
    name: &'static str,
    area: Area,
    setup: fn(&Path) -> Setup,
    /// Working directory, relative to the case's temp dir.
    cwd: &'static str,
    argv: &'static [&'static str],
    expect: Expect,
}

// ---------------------------------------------------------------------------------------------
// Inputs that carry exactly one ordinary finding, so a file nova reads is still named.

/// MESSAGE_PASCAL_CASE at line 4.
const PROTO_FINDING: &str = "syntax = \"proto3\";\npackage a.v1;\n\nmessage bad_name {}\n";
/// A soft-deletable table without `deleted_by` (and without the CHECK), on line 1.
const SQL_FINDING: &str = "CREATE TABLE users (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);\n";
/// An actix-web app served without the correlation middleware, on line 5.
const RUST_FINDING: &str = "use actix_web::{App, HttpServer};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8080))?.run().await\n}\n";

fn none(_: &Path) -> Setup {
    Setup::default()
}

fn proto_file(d: &Path, rel: &str, text: impl AsRef<[u8]>) -> Setup {
    write(d, rel, text);
    Setup::default()
}

/// A one-member Cargo workspace under `root` whose binary is `main_rs`.
fn workspace(d: &Path, root: &str, member: &str, main_rs: impl AsRef<[u8]>) {
    let base = if root.is_empty() { String::new() } else { format!("{root}/") };
    // Cargo package names are ASCII even when the member directory is not.
    let package: String = member.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    write(d, &format!("{base}Cargo.toml"), format!("[workspace]\nmembers = [\"{member}\"]\nresolver = \"2\"\n"));
    write(
        d,
        &format!("{base}{member}/Cargo.toml"),
        format!("[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
    );
    write(d, &format!("{base}{member}/src/main.rs"), main_rs);
}

fn deep_proto() -> String {
    let n = 10_000;
    let mut s = String::from("syntax = \"proto3\";\npackage deep.v1;\n");
    for i in 0..n {
        s.push_str(&format!("message M{i} {{\n"));
    }
    s.push_str("string BadName = 1;\n");
    for _ in 0..n {
        s.push_str("}\n");
    }
    s
}

fn git_proto_repo(d: &Path) -> (String, String) {
    git_init(d);
    write(
        d,
        "protos/a/v1/a.proto",
        "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string name = 1;\n  string email = 2;\n}\n",
    );
    let base = git_commit_all(d, "base");
    write(d, "protos/a/v1/a.proto", "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string name = 1;\n}\n");
    let head = git_commit_all(d, "remove email");
    (base, head)
}

fn oid_names(d: &Path, rev: &str, extra: &[&str]) -> Setup {
    let full = git(d, &["rev-parse", rev]);
    let mut names: Vec<String> = vec![full.clone(), full[..7].to_string(), rev.to_string()];
    names.extend(extra.iter().map(|s| s.to_string()));
    Setup { any_of_names: Some(names) }
}

/// The backend layout `nova check` runs on: registry, one service with migrations, nova.toml.
fn backend(d: &Path) {
    write(
        d,
        "nova.toml",
        "[proto]\nregistry = \"nova-protos\"\n\n[migrations]\ndirs = [\"services/orders/migrations\"]\n\n[wiring]\n",
    );
    write(
        d,
        "nova-protos/protos/orders/v1/orders.proto",
        "syntax = \"proto3\";\npackage orders.v1;\n\nmessage Order {\n  string id = 1;\n}\n",
    );
    write(d, "nova-protos/CHANGELOG.md", "# Changelog\n\n## [1.0.0] - 2026-01-01\n- First release.\n");
    workspace(d, "services", "orders", RUST_FINDING);
    write(d, "services/orders/migrations/0001_init.sql", SQL_FINDING);
}

// ---------------------------------------------------------------------------------------------
// Setups, one per case (named after the case).

fn proto_truncated(d: &Path) -> Setup {
    proto_file(d, "protos/a/v1/trunc.proto", "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string na")
}
fn proto_binary_garbage(d: &Path) -> Setup {
    proto_file(d, "protos/a/v1/garbage.proto", garbage(64 * 1024, 1))
}
fn proto_nul_bytes(d: &Path) -> Setup {
    proto_file(
        d,
        "protos/a/v1/nul.proto",
        "syntax = \"proto3\";\npackage a.v1;\nmessage A\0B {\n  string x\0 = 1;\n}\n",
    )
}
fn proto_deep_nesting(d: &Path) -> Setup {
    proto_file(d, "protos/deep/v1/deep.proto", deep_proto())
}
fn proto_deep_option_value(d: &Path) -> Setup {
    let n = 10_000;
    let text = format!(
        "syntax = \"proto3\";\npackage opt.v1;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.MessageOptions {{ Rec rec = 50000; }}\nmessage Rec {{ Rec r = 1; }}\nmessage bad_name {{\n  option (rec) = {}{};\n}}\n",
        "{ r: ".repeat(n),
        "}".repeat(n)
    );
    proto_file(d, "protos/opt/v1/deepopt.proto", text)
}
fn proto_huge_50mb(d: &Path) -> Setup {
    let mut s = String::with_capacity(51 << 20);
    s.push_str("syntax = \"proto3\";\npackage huge.v1;\n\n");
    let mut i = 0;
    while s.len() < 50 << 20 {
        // Realistic bulk: documented messages, as a code generator would emit them.
        s.push_str(&format!(
            "// Message {i}: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n// incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation.\n"
        ));
        if i % 64 == 0 {
            s.push_str(&format!("message Bulk{i} {{\n  string name = 1;\n}}\n"));
        }
        i += 1;
    }
    s.push_str("message bad_name {}\n");
    proto_file(d, "protos/huge/v1/huge.proto", s)
}
fn proto_many_messages(d: &Path) -> Setup {
    let mut s = String::from("syntax = \"proto3\";\npackage many.v1;\n\n");
    for i in 0..50_000 {
        s.push_str(&format!("message Msg{i} {{\n  string name = 1;\n  int64 id = 2;\n}}\n"));
    }
    s.push_str("message bad_name {}\n");
    proto_file(d, "protos/many/v1/many.proto", s)
}
fn proto_duplicates_4000(d: &Path) -> Setup {
    let mut s = String::from("syntax = \"proto3\";\npackage dup.v1;\n\n");
    for _ in 0..4000 {
        s.push_str("message Dup {\n  string name = 1;\n}\n");
    }
    proto_file(d, "protos/dup/v1/dup.proto", s)
}
fn proto_crlf(d: &Path) -> Setup {
    proto_file(d, "protos/a/v1/crlf.proto", PROTO_FINDING.replace('\n', "\r\n"))
}
fn proto_empty_file(d: &Path) -> Setup {
    proto_file(d, "protos/a/v1/empty.proto", "")
}
fn proto_empty_dir(d: &Path) -> Setup {
    mkdir(d, "no-protos-here/a/v1");
    Setup::default()
}
fn proto_dir_named_proto(d: &Path) -> Setup {
    mkdir(d, "protos/dir.proto");
    Setup::default()
}
fn proto_spaces_non_ascii(d: &Path) -> Setup {
    proto_file(d, "my protos/a/v1/café ñandú.proto", PROTO_FINDING)
}
fn proto_symlink_loop_file(d: &Path) -> Setup {
    write(d, "protos/a/v1/ok.proto", "syntax = \"proto3\";\npackage a.v1;\n\nmessage Ok {}\n");
    symlink("loop.proto", d, "protos/a/v1/loop.proto");
    Setup::default()
}
fn proto_symlink_loop_dir(d: &Path) -> Setup {
    write(d, "protos/a/v1/x.proto", PROTO_FINDING);
    symlink("..", d, "protos/a/v1/up");
    symlink("../../..", d, "protos/a/v1/root");
    Setup::default()
}
fn proto_unreadable(d: &Path) -> Setup {
    let p = write(d, "protos/a/v1/secret.proto", PROTO_FINDING);
    chmod(&p, 0o000);
    Setup::default()
}
fn proto_unreadable_dir(d: &Path) -> Setup {
    write(d, "protos/a/v1/inside.proto", PROTO_FINDING);
    chmod(&d.join("protos/a/v1"), 0o000);
    Setup::default()
}
fn proto_malformed_buf_yaml(d: &Path) -> Setup {
    write(d, "protos/buf.yaml", "version: v2\nlint:\n  use: [STANDARD\n  except: {{{\n\t- bad indent\n");
    write(d, "protos/a/v1/a.proto", PROTO_FINDING);
    Setup::default()
}
fn proto_buf_yaml_binary(d: &Path) -> Setup {
    write(d, "protos/buf.yaml", garbage(4096, 7));
    write(d, "protos/a/v1/a.proto", PROTO_FINDING);
    Setup::default()
}

fn breaking_corrupt_blob(d: &Path) -> Setup {
    let (base, _) = git_proto_repo(d);
    let blob = git(d, &["rev-parse", &format!("{base}:protos/a/v1/a.proto")]);
    corrupt_loose_object(d, &blob);
    Setup { any_of_names: Some(vec!["a.proto".into(), blob.clone(), blob[..7].to_string()]) }
}
fn breaking_corrupt_tree(d: &Path) -> Setup {
    let (base, _) = git_proto_repo(d);
    let tree = git(d, &["rev-parse", &format!("{base}^{{tree}}")]);
    let names = oid_names(d, "HEAD~1", &[&tree, &tree[..7]]);
    corrupt_loose_object(d, &tree);
    names
}
fn breaking_corrupt_commit(d: &Path) -> Setup {
    let (base, _) = git_proto_repo(d);
    let names = oid_names(d, "HEAD~1", &[]);
    corrupt_loose_object(d, &base);
    names
}
fn breaking_missing_ref(d: &Path) -> Setup {
    git_proto_repo(d);
    Setup::default()
}
fn breaking_baseline_garbage(d: &Path) -> Setup {
    let good = "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {}\n";
    write(d, "current/a/v1/a.proto", good);
    write(d, "base/a/v1/a.proto", good);
    // Only the baseline has this file, so only the baseline can be the one to name it.
    write(d, "base/a/v1/broken.proto", garbage(8192, 3));
    Setup::default()
}
fn breaking_baseline_is_file(d: &Path) -> Setup {
    write(d, "current/a/v1/a.proto", "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {}\n");
    write(d, "base.txt", "not a directory\n");
    Setup::default()
}
fn breaking_crlf_only_change(d: &Path) -> Setup {
    let text = "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string name = 1;\n}\n";
    write(d, "base/a/v1/a.proto", text);
    write(d, "current/a/v1/a.proto", text.replace('\n', "\r\n"));
    Setup::default()
}
fn breaking_non_ascii_dirs(d: &Path) -> Setup {
    write(
        d,
        "vorher ä/a/v1/café.proto",
        "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string name = 1;\n  string email = 2;\n}\n",
    );
    write(
        d,
        "nachher ö/a/v1/café.proto",
        "syntax = \"proto3\";\npackage a.v1;\n\nmessage User {\n  string name = 1;\n}\n",
    );
    Setup::default()
}
fn breaking_deep_baseline(d: &Path) -> Setup {
    write(d, "current/deep/v1/deep.proto", "syntax = \"proto3\";\npackage deep.v1;\n\nmessage M0 {}\n");
    write(d, "base/deep/v1/deep.proto", deep_proto());
    Setup::default()
}
fn proto_check_registry_is_file(d: &Path) -> Setup {
    git_init(d);
    write(d, "nova.toml", "[proto]\nregistry = \"registry.txt\"\n");
    write(d, "registry.txt", "a file, not a registry\n");
    git_commit_all(d, "registry is a file");
    Setup::default()
}

fn sql_truncated(d: &Path) -> Setup {
    write(d, "migrations/0001_init.sql", "CREATE TABLE users (id UUID PRIMARY KEY, deleted_at TIMESTA");
    Setup::default()
}
fn sql_binary_garbage(d: &Path) -> Setup {
    write(d, "migrations/0001_init.sql", SQL_FINDING);
    write(d, "migrations/0002_garbage.sql", garbage(64 * 1024, 11));
    Setup::default()
}
fn sql_nul_bytes(d: &Path) -> Setup {
    write(
        d,
        "migrations/0001_nul.sql",
        "CREATE TABLE users (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);\n\0\0DROP\0 TABLE x;\n",
    );
    Setup::default()
}
fn sql_deep_parens(d: &Path) -> Setup {
    let n = 10_000;
    let text = format!("{SQL_FINDING}SELECT {}1{};\n", "(".repeat(n), ")".repeat(n));
    write(d, "migrations/0001_deep.sql", text);
    Setup::default()
}
/// Past PostgreSQL's own limit (its parser stops at about 10,000 levels): a located input error,
/// at top level and inside a PL/pgSQL body, never a stack overflow.
fn sql_deep_parens_20k(d: &Path) -> Setup {
    let n = 20_000;
    write(d, "migrations/0001_deep.sql", format!("{SQL_FINDING}SELECT {}1{};\n", "(".repeat(n), ")".repeat(n)));
    let body = format!("DO $$\nBEGIN\n  PERFORM {}1{};\nEND $$;\n", "(".repeat(n), ")".repeat(n));
    write(d, "migrations/0002_deep_body.sql", body);
    Setup::default()
}
fn sql_deep_do_blocks(d: &Path) -> Setup {
    let n = 5_000;
    let mut text = String::from(SQL_FINDING);
    text.push_str("DO $$\nBEGIN\n");
    for _ in 0..n {
        text.push_str("IF true THEN\n");
    }
    text.push_str("ALTER TABLE users ADD COLUMN x INT;\n");
    for _ in 0..n {
        text.push_str("END IF;\n");
    }
    text.push_str("END\n$$;\n");
    write(d, "migrations/0001_deepdo.sql", text);
    Setup::default()
}
fn sql_unterminated_dollar(d: &Path) -> Setup {
    write(d, "migrations/0001_init.sql", SQL_FINDING);
    write(d, "migrations/0002_dollar.sql", "DO $$\nBEGIN\n  ALTER TABLE users ADD COLUMN deleted_by UUID;\nEND\n");
    Setup::default()
}
fn sql_huge_20mb(d: &Path) -> Setup {
    let mut s = String::with_capacity(21 << 20);
    s.push_str(SQL_FINDING);
    s.push_str("CREATE TABLE seed (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n");
    let mut i = 0u64;
    while s.len() < 20 << 20 {
        s.push_str(&format!("INSERT INTO seed (id, name) VALUES ({i}, 'name number {i} with some padding text');\n"));
        i += 1;
    }
    write(d, "migrations/0001_huge.sql", s);
    Setup::default()
}
fn sql_crlf(d: &Path) -> Setup {
    let text = format!("-- users\n\n{SQL_FINDING}").replace('\n', "\r\n");
    write(d, "migrations/0001_crlf.sql", text);
    Setup::default()
}
fn sql_empty_file(d: &Path) -> Setup {
    write(d, "migrations/0001_empty.sql", "");
    write(d, "migrations/0002_next.sql", SQL_FINDING);
    Setup::default()
}
fn sql_empty_dir(d: &Path) -> Setup {
    mkdir(d, "no-migrations-here");
    Setup::default()
}
fn sql_file_as_dir(d: &Path) -> Setup {
    write(d, "migrations/0001_init.sql", SQL_FINDING);
    Setup::default()
}
fn sql_unreadable(d: &Path) -> Setup {
    let p = write(d, "migrations/0001_secret.sql", SQL_FINDING);
    chmod(&p, 0o000);
    Setup::default()
}
fn sql_spaces_non_ascii(d: &Path) -> Setup {
    write(d, "my migrations/ü/0001_café ñ.sql", SQL_FINDING);
    Setup::default()
}
fn sql_symlink_loop(d: &Path) -> Setup {
    write(d, "migrations/0001_init.sql", SQL_FINDING);
    symlink("0002_loop.sql", d, "migrations/0002_loop.sql");
    Setup::default()
}
fn sql_since_corrupt_git(d: &Path) -> Setup {
    git_init(d);
    write(d, "migrations/0001_init.sql", SQL_FINDING);
    let base = git_commit_all(d, "one");
    write(d, "migrations/0002_more.sql", "ALTER TABLE users ADD COLUMN deleted_by UUID;\n");
    git_commit_all(d, "two");
    let tree = git(d, &["rev-parse", &format!("{base}^{{tree}}")]);
    let names = oid_names(d, "HEAD~1", &[&tree, &tree[..7]]);
    corrupt_loose_object(d, &tree);
    names
}

fn wiring_truncated(d: &Path) -> Setup {
    workspace(d, "ws", "svc", &RUST_FINDING[..RUST_FINDING.len() - 30]);
    Setup::default()
}
fn wiring_binary_garbage(d: &Path) -> Setup {
    workspace(d, "ws", "svc", garbage(64 * 1024, 5));
    Setup::default()
}
fn wiring_nul_bytes(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING.replace("HttpServer::new", "HttpServer::new\0"));
    Setup::default()
}
fn wiring_deep_nesting(d: &Path) -> Setup {
    let n = 10_000;
    let main = RUST_FINDING.replace(
        "    HttpServer::new",
        &format!("    let _x = {}1{};\n    HttpServer::new", "{".repeat(n), "}".repeat(n)),
    );
    workspace(d, "ws", "svc", main);
    Setup::default()
}
fn wiring_deep_expression(d: &Path) -> Setup {
    let n = 10_000;
    let main = RUST_FINDING.replace(
        "    HttpServer::new",
        &format!("    let _x = {}1{};\n    HttpServer::new", "(".repeat(n), ")".repeat(n)),
    );
    workspace(d, "ws", "svc", main);
    Setup::default()
}
/// An `App::new()` chain of 50,000 links (200 KB, under the statement limit): judged to the end.
fn wiring_chain_50k_links(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING.replace("App::new()", &format!("App::new(){}", ".a()".repeat(50_000))));
    Setup::default()
}
fn wiring_huge_10mb(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING.replace("use actix_web", "mod generated;\nuse actix_web"));
    let mut s = String::with_capacity(11 << 20);
    let mut i = 0;
    while s.len() < 10 << 20 {
        s.push_str(&format!(
            "/// Generated accessor {i}.\npub fn field_{i}(input: &[u8]) -> Option<u64> {{\n    let v = input.get({i} % 7)?;\n    Some(u64::from(*v) * {i})\n}}\n\n"
        ));
        i += 1;
    }
    write(d, "ws/svc/src/generated.rs", s);
    Setup::default()
}
fn wiring_bad_cargo_toml(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING);
    write(d, "ws/svc/Cargo.toml", "[package\nname = svc\n");
    Setup::default()
}
fn wiring_symlink_loop_module(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING.replace("use actix_web", "mod lp;\nuse actix_web"));
    symlink("lp.rs", d, "ws/svc/src/lp.rs");
    symlink("..", d, "ws/svc/src/up");
    Setup::default()
}
fn wiring_crlf(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING.replace('\n', "\r\n"));
    Setup::default()
}
fn wiring_empty_dir(d: &Path) -> Setup {
    mkdir(d, "no-crates-here");
    Setup::default()
}
fn wiring_spaces_non_ascii(d: &Path) -> Setup {
    workspace(d, "my ws", "sërvice ñ", RUST_FINDING);
    Setup::default()
}
fn wiring_main_is_dir(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING);
    std::fs::remove_file(d.join("ws/svc/src/main.rs")).expect("rm");
    mkdir(d, "ws/svc/src/main.rs");
    Setup::default()
}
fn wiring_unreadable(d: &Path) -> Setup {
    workspace(d, "ws", "svc", RUST_FINDING);
    chmod(&d.join("ws/svc/src/main.rs"), 0o000);
    Setup::default()
}

fn scaffold_bad_workspace_toml(d: &Path) -> Setup {
    write(d, "Cargo.toml", "[workspace\nmembers = [\"a\"\n");
    Setup::default()
}
fn scaffold_binary_workspace_toml(d: &Path) -> Setup {
    write(d, "Cargo.toml", garbage(4096, 9));
    Setup::default()
}
fn scaffold_workspace(d: &Path) -> Setup {
    workspace(d, "", "orders", RUST_FINDING);
    Setup::default()
}
fn scaffold_target_is_file(d: &Path) -> Setup {
    workspace(d, "", "orders", RUST_FINDING);
    write(d, "billing", "a file where the new service directory would go\n");
    write(d, "services/billing", "a file where the new service directory would go\n");
    Setup::default()
}

fn config_malformed(d: &Path) -> Setup {
    write(d, "nova.toml", "[proto]\nregistry = \"x\"\n[migrations\ndirs = [\n");
    Setup::default()
}
fn config_binary(d: &Path) -> Setup {
    write(d, "nova.toml", garbage(4096, 13));
    Setup::default()
}
fn config_nul_bytes(d: &Path) -> Setup {
    write(d, "nova.toml", "[proto]\nregistry = \"nova\0protos\"\n\0\n");
    Setup::default()
}
fn config_unknown_key_crlf(d: &Path) -> Setup {
    write(d, "nova.toml", "[proto]\r\n\r\n[migrations]\r\nbogus_key = 1\r\n");
    Setup::default()
}
fn config_deep_nesting(d: &Path) -> Setup {
    let n = 10_000;
    write(d, "nova.toml", format!("[check]\nonly = {}\"proto\"{}\n", "[".repeat(n), "]".repeat(n)));
    Setup::default()
}
fn config_deep_inline_tables(d: &Path) -> Setup {
    let n = 10_000;
    write(d, "nova.toml", format!("x = {}1{}\n", "{ a = ".repeat(n), " }".repeat(n)));
    Setup::default()
}
fn config_huge(d: &Path) -> Setup {
    let mut s = String::with_capacity(21 << 20);
    while s.len() < 20 << 20 {
        s.push_str("# a very long generated comment line, repeated to make the configuration file huge\n");
    }
    s.push_str("[wiring]\nno_such_key = true\n");
    write(d, "nova.toml", s);
    Setup::default()
}
fn config_dir_as_file(d: &Path) -> Setup {
    mkdir(d, "confdir");
    Setup::default()
}
fn config_unreadable(d: &Path) -> Setup {
    let p = write(d, "nova.toml", "[proto]\nnot_a_key = 1\n");
    chmod(&p, 0o000);
    Setup::default()
}
fn config_symlink_loop(d: &Path) -> Setup {
    symlink("nova.toml", d, "nova.toml");
    Setup::default()
}
fn config_non_ascii_dir(d: &Path) -> Setup {
    write(d, "wörk späce/nova.toml", "[migrations]\ndirs = 7\n");
    Setup::default()
}
fn config_wrong_types(d: &Path) -> Setup {
    write(d, "nova.toml", "[proto]\nregistry = [1, 2]\n[proto.lint]\nuse = \"STANDARD\"\n");
    Setup::default()
}

fn check_corrupt_git(d: &Path) -> Setup {
    git_init(d);
    backend(d);
    let base = git_commit_all(d, "one");
    write(d, "services/orders/migrations/0002_more.sql", "ALTER TABLE users ADD COLUMN deleted_by UUID;\n");
    git_commit_all(d, "two");
    let tree = git(d, &["rev-parse", &format!("{base}^{{tree}}")]);
    let names = oid_names(d, "HEAD~1", &[&tree, &tree[..7]]);
    corrupt_loose_object(d, &tree);
    names
}
/// A manifest a checker reads: a Deployment without probes (findings from line 1 on).
const K8S_FINDING: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n";

fn k8s_billion_laughs(d: &Path) -> Setup {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    write(d, "k8s/laughs.yaml", text);
    Setup::default()
}
fn k8s_deep_flow(d: &Path) -> Setup {
    let n = 200_000;
    write(d, "k8s/deep.yaml", format!("{K8S_FINDING}  x: {}{}\n", "[".repeat(n), "]".repeat(n)));
    Setup::default()
}
fn k8s_deep_block(d: &Path) -> Setup {
    let text: String = (0..5000).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
    write(d, "k8s/block.yaml", format!("apiVersion: v1\nkind: ConfigMap\n{text}"));
    Setup::default()
}
fn k8s_garbage(d: &Path) -> Setup {
    write(d, "k8s/garbage.yaml", garbage(64 * 1024, 29));
    Setup::default()
}
fn k8s_truncated(d: &Path) -> Setup {
    write(
        d,
        "k8s/trunc.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \"api\n  labels: {app: [x,\n",
    );
    Setup::default()
}
fn k8s_many_documents(d: &Path) -> Setup {
    let doc = format!("{K8S_FINDING}---\n");
    write(d, "k8s/many.yaml", doc.repeat(20_000));
    Setup::default()
}
fn k8s_kustomize_cycle(d: &Path) -> Setup {
    write(d, "k8s/a/kustomization.yaml", "resources:\n  - ../b\n");
    write(d, "k8s/b/kustomization.yaml", "resources:\n  - ../a\n");
    Setup::default()
}
fn check_garbage_everywhere(d: &Path) -> Setup {
    // A clean committed baseline (the registry gate needs a base ref), then garbage in the worktree.
    git_init(d);
    backend(d);
    git_commit_all(d, "clean backend");
    write(d, "nova-protos/protos/orders/v1/orders.proto", garbage(2048, 17));
    write(d, "services/orders/migrations/0001_init.sql", garbage(2048, 19));
    write(d, "services/orders/src/main.rs", garbage(2048, 23));
    Setup::default()
}
fn check_crlf_backend(d: &Path) -> Setup {
    git_init(d);
    backend(d);
    for f in ["nova.toml", "services/orders/migrations/0001_init.sql", "services/orders/src/main.rs"] {
        let p = d.join(f);
        let t = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, t.replace('\n', "\r\n")).expect("write");
    }
    // A committed tree: `proto check` inside `nova check` needs its base ref (`main`).
    git_commit_all(d, "crlf backend");
    Setup::default()
}
fn check_empty_dir(d: &Path) -> Setup {
    mkdir(d, "empty-repo");
    Setup::default()
}
fn init_existing_config(d: &Path) -> Setup {
    backend(d);
    Setup::default()
}

// ---------------------------------------------------------------------------------------------
// The table.

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- proto lint -----------------------------------------------------------------------
    Case { name: "proto_truncated", area: Area::Proto, setup: proto_truncated, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["trunc.proto"], matches: Some(r"trunc\.proto:5"), ..E } },
    Case { name: "proto_binary_garbage", area: Area::Proto, setup: proto_binary_garbage, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["garbage.proto"], ..E } },
    Case { name: "proto_nul_bytes", area: Area::Proto, setup: proto_nul_bytes, cwd: "", argv: &["--format", "json", "proto", "lint", "protos"],
        expect: Expect { names: &["nul.proto"], ..E } },
    Case { name: "proto_deep_nesting_10k_messages", area: Area::Proto, setup: proto_deep_nesting, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes: &[1, 2], names: &["deep.proto"], ..E } },
    Case { name: "proto_deep_option_value_10k", area: Area::Proto, setup: proto_deep_option_value, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes: &[1, 2], names: &["deepopt.proto"], ..E } },
    Case { name: "proto_huge_50mb", area: Area::Proto, setup: proto_huge_50mb, cwd: "", argv: &["--format", "json", "proto", "lint", "protos"],
        expect: Expect { codes: &[1, 2], names: &["huge.proto"], timeout_secs: HUGE_SECS, ..E } },
    Case { name: "proto_50k_messages", area: Area::Proto, setup: proto_many_messages, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes: &[1, 2], names: &["many.proto"], timeout_secs: HUGE_SECS, ..E } },
    Case { name: "proto_4000_duplicate_messages", area: Area::Proto, setup: proto_duplicates_4000, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["dup.proto"], ..E } },
    Case { name: "proto_crlf_line_numbers", area: Area::Proto, setup: proto_crlf, cwd: "", argv: &["--format", "json", "proto", "lint", "protos"],
        expect: Expect { codes: &[1], names: &["crlf.proto"], matches: Some(r#""line":\s*4\b"#), ..E } },
    Case { name: "proto_empty_file", area: Area::Proto, setup: proto_empty_file, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes: &[1, 2], names: &["empty.proto"], ..E } },
    Case { name: "proto_dir_without_protos", area: Area::Proto, setup: proto_empty_dir, cwd: "", argv: &["proto", "lint", "no-protos-here"],
        expect: Expect { names: &["no-protos-here"], ..E } },
    Case { name: "proto_missing_path", area: Area::Proto, setup: none, cwd: "", argv: &["proto", "lint", "does-not-exist"],
        expect: Expect { names: &["does-not-exist"], ..E } },
    Case { name: "proto_dir_where_file_expected", area: Area::Proto, setup: proto_dir_named_proto, cwd: "", argv: &["proto", "lint", "protos/dir.proto"],
        expect: Expect { names: &["dir.proto"], ..E } },
    Case { name: "proto_spaces_and_non_ascii_path", area: Area::Proto, setup: proto_spaces_non_ascii, cwd: "", argv: &["--format", "json", "proto", "lint", "my protos"],
        expect: Expect { codes: &[1], names: &["café ñandú.proto"], ..E } },
    Case { name: "proto_symlink_loop_file", area: Area::Proto, setup: proto_symlink_loop_file, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["loop.proto"], ..E } },
    Case { name: "proto_symlink_loop_dirs", area: Area::Proto, setup: proto_symlink_loop_dir, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes: &[1], names: &["x.proto"], ..E } },
    Case { name: "proto_unreadable_file", area: Area::Proto, setup: proto_unreadable, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes_if_chmod_ignored: Some(&[1]), names: &["secret.proto"], ..E } },
    Case { name: "proto_unreadable_dir", area: Area::Proto, setup: proto_unreadable_dir, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { codes_if_chmod_ignored: Some(&[1]), names: &["a/v1"], ..E } },
    Case { name: "proto_malformed_buf_yaml", area: Area::Proto, setup: proto_malformed_buf_yaml, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["buf.yaml"], ..E } },
    Case { name: "proto_binary_buf_yaml", area: Area::Proto, setup: proto_buf_yaml_binary, cwd: "", argv: &["proto", "lint", "protos"],
        expect: Expect { names: &["buf.yaml"], ..E } },
    // --- proto breaking / check -------------------------------------------------------------
    Case { name: "breaking_git_corrupt_blob", area: Area::Breaking, setup: breaking_corrupt_blob, cwd: "", argv: &["proto", "breaking", "--against", "HEAD~1"],
        expect: E },
    Case { name: "breaking_git_corrupt_tree", area: Area::Breaking, setup: breaking_corrupt_tree, cwd: "", argv: &["proto", "breaking", "--against", "HEAD~1"],
        expect: E },
    Case { name: "breaking_git_corrupt_commit", area: Area::Breaking, setup: breaking_corrupt_commit, cwd: "", argv: &["--format", "json", "proto", "breaking", "--against", "HEAD~1"],
        expect: E },
    Case { name: "breaking_missing_ref", area: Area::Breaking, setup: breaking_missing_ref, cwd: "", argv: &["proto", "breaking", "--against", "no-such-ref"],
        expect: Expect { names: &["no-such-ref"], ..E } },
    Case { name: "breaking_baseline_binary_garbage", area: Area::Breaking, setup: breaking_baseline_garbage, cwd: "", argv: &["proto", "breaking", "current", "--against", "base"],
        expect: Expect { names: &["broken.proto"], ..E } },
    Case { name: "breaking_baseline_is_a_file", area: Area::Breaking, setup: breaking_baseline_is_file, cwd: "", argv: &["proto", "breaking", "current", "--against", "base.txt"],
        expect: Expect { names: &["base.txt"], ..E } },
    Case { name: "breaking_crlf_only_change_is_not_breaking", area: Area::Breaking, setup: breaking_crlf_only_change, cwd: "", argv: &["proto", "breaking", "current", "--against", "base"],
        expect: Expect { codes: &[0], ..E } },
    Case { name: "breaking_spaces_and_non_ascii_dirs", area: Area::Breaking, setup: breaking_non_ascii_dirs, cwd: "", argv: &["--format", "json", "proto", "breaking", "nachher ö", "--against", "vorher ä"],
        expect: Expect { codes: &[1], names: &["café.proto"], ..E } },
    Case { name: "breaking_deep_nesting_baseline", area: Area::Breaking, setup: breaking_deep_baseline, cwd: "", argv: &["proto", "breaking", "current", "--against", "base"],
        expect: Expect { names: &["deep.proto"], ..E } },
    Case { name: "proto_check_registry_is_a_file", area: Area::Breaking, setup: proto_check_registry_is_file, cwd: "", argv: &["proto", "check"],
        expect: Expect { names: &["registry.txt"], ..E } },
    // --- migrations -------------------------------------------------------------------------
    Case { name: "sql_truncated_statement", area: Area::Migrations, setup: sql_truncated, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0001_init.sql"], ..E } },
    Case { name: "sql_binary_garbage", area: Area::Migrations, setup: sql_binary_garbage, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { names: &["0002_garbage.sql"], ..E } },
    Case { name: "sql_nul_bytes", area: Area::Migrations, setup: sql_nul_bytes, cwd: "", argv: &["--format", "json", "migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0001_nul.sql"], ..E } },
    Case { name: "sql_deep_parens_10k", area: Area::Migrations, setup: sql_deep_parens, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0001_deep.sql"], ..E } },
    Case { name: "sql_deep_parens_20k", area: Area::Migrations, setup: sql_deep_parens_20k, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[2], names: &["0001_deep.sql", "0002_deep_body.sql"], matches: Some(r"0001_deep\.sql:2:10008(?s:.*)0002_deep_body\.sql:3:10011"), ..E } },
    Case { name: "sql_deep_do_block_5k_ifs", area: Area::Migrations, setup: sql_deep_do_blocks, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0001_deepdo.sql"], ..E } },
    Case { name: "sql_unterminated_dollar_quote", area: Area::Migrations, setup: sql_unterminated_dollar, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0002_dollar.sql"], ..E } },
    Case { name: "sql_huge_20mb", area: Area::Migrations, setup: sql_huge_20mb, cwd: "", argv: &["--format", "json", "migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0001_huge.sql"], timeout_secs: HUGE_SECS, ..E } },
    Case { name: "sql_crlf_line_numbers", area: Area::Migrations, setup: sql_crlf, cwd: "", argv: &["--format", "json", "migrations", "check", "migrations"],
        expect: Expect { codes: &[1], names: &["0001_crlf.sql"], matches: Some(r#""line":\s*3\b"#), ..E } },
    // An empty migration is valid for sqlx; it must not break the replay of the next one.
    Case { name: "sql_empty_file_then_finding", area: Area::Migrations, setup: sql_empty_file, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1], names: &["0002_next.sql"], ..E } },
    Case { name: "sql_empty_dir", area: Area::Migrations, setup: sql_empty_dir, cwd: "", argv: &["migrations", "check", "no-migrations-here"],
        expect: Expect { codes: &[0, 2], names: &["no-migrations-here"], ..E } },
    Case { name: "sql_missing_dir", area: Area::Migrations, setup: none, cwd: "", argv: &["migrations", "check", "does-not-exist"],
        expect: Expect { names: &["does-not-exist"], ..E } },
    Case { name: "sql_file_where_dir_expected", area: Area::Migrations, setup: sql_file_as_dir, cwd: "", argv: &["migrations", "check", "migrations/0001_init.sql"],
        expect: Expect { codes: &[1, 2], names: &["0001_init.sql"], ..E } },
    Case { name: "sql_unreadable_file", area: Area::Migrations, setup: sql_unreadable, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes_if_chmod_ignored: Some(&[1]), names: &["0001_secret.sql"], ..E } },
    Case { name: "sql_spaces_and_non_ascii_path", area: Area::Migrations, setup: sql_spaces_non_ascii, cwd: "", argv: &["--format", "json", "migrations", "check", "my migrations/ü"],
        expect: Expect { codes: &[1], names: &["0001_café ñ.sql"], ..E } },
    Case { name: "sql_symlink_loop", area: Area::Migrations, setup: sql_symlink_loop, cwd: "", argv: &["migrations", "check", "migrations"],
        expect: Expect { codes: &[1, 2], names: &["0002_loop.sql"], ..E } },
    Case { name: "sql_since_corrupt_git_object", area: Area::Migrations, setup: sql_since_corrupt_git, cwd: "", argv: &["migrations", "check", "migrations", "--since", "HEAD~1"],
        expect: E },
    // --- wiring -----------------------------------------------------------------------------
    Case { name: "wiring_truncated_rust", area: Area::Wiring, setup: wiring_truncated, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["main.rs"], ..E } },
    Case { name: "wiring_binary_garbage", area: Area::Wiring, setup: wiring_binary_garbage, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["main.rs"], ..E } },
    Case { name: "wiring_nul_bytes", area: Area::Wiring, setup: wiring_nul_bytes, cwd: "", argv: &["--format", "json", "wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["main.rs"], ..E } },
    Case { name: "wiring_deep_blocks_10k", area: Area::Wiring, setup: wiring_deep_nesting, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[1], names: &["main.rs"], ..E } },
    Case { name: "wiring_deep_parens_10k", area: Area::Wiring, setup: wiring_deep_expression, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[1], names: &["main.rs"], ..E } },
    Case { name: "wiring_chain_50k_links", area: Area::Wiring, setup: wiring_chain_50k_links, cwd: "", argv: &["--format", "json", "wiring", "check", "ws"],
        expect: Expect { codes: &[1], names: &["main.rs"], matches: Some(r#""rule":\s*"HTTP_CORRELATION_MIDDLEWARE""#), ..E } },
    Case { name: "wiring_huge_10mb_generated_file", area: Area::Wiring, setup: wiring_huge_10mb, cwd: "", argv: &["--format", "json", "wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["main.rs"], timeout_secs: HUGE_SECS, ..E } },
    Case { name: "wiring_malformed_cargo_toml", area: Area::Wiring, setup: wiring_bad_cargo_toml, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["Cargo.toml"], ..E } },
    Case { name: "wiring_symlink_loops", area: Area::Wiring, setup: wiring_symlink_loop_module, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[2], names: &["main.rs", "lp.rs"], ..E } },
    Case { name: "wiring_crlf_line_numbers", area: Area::Wiring, setup: wiring_crlf, cwd: "", argv: &["--format", "json", "wiring", "check", "ws"],
        expect: Expect { codes: &[1], names: &["main.rs"], matches: Some(r#""line":\s*5\b"#), ..E } },
    Case { name: "wiring_dir_without_crates", area: Area::Wiring, setup: wiring_empty_dir, cwd: "", argv: &["wiring", "check", "no-crates-here"],
        expect: Expect { codes: &[2], names: &["no-crates-here"], ..E } },
    Case { name: "wiring_missing_path", area: Area::Wiring, setup: none, cwd: "", argv: &["wiring", "check", "does-not-exist"],
        expect: Expect { names: &["does-not-exist"], ..E } },
    Case { name: "wiring_spaces_and_non_ascii_member", area: Area::Wiring, setup: wiring_spaces_non_ascii, cwd: "", argv: &["--format", "json", "wiring", "check", "my ws"],
        expect: Expect { codes: &[1], names: &["sërvice ñ"], ..E } },
    Case { name: "wiring_dir_where_main_rs_expected", area: Area::Wiring, setup: wiring_main_is_dir, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[0], names: &["main.rs"], ..E } },
    Case { name: "wiring_unreadable_file", area: Area::Wiring, setup: wiring_unreadable, cwd: "", argv: &["wiring", "check", "ws"],
        expect: Expect { codes: &[2], codes_if_chmod_ignored: Some(&[1]), names: &["main.rs"], ..E } },
    // --- generators -------------------------------------------------------------------------
    Case { name: "new_malformed_workspace_toml", area: Area::Scaffold, setup: scaffold_bad_workspace_toml, cwd: "", argv: &["new", "billing", "--dry-run"],
        expect: Expect { names: &["Cargo.toml"], ..E } },
    Case { name: "new_binary_workspace_toml", area: Area::Scaffold, setup: scaffold_binary_workspace_toml, cwd: "", argv: &["new", "billing", "--http"],
        expect: Expect { names: &["Cargo.toml"], ..E } },
    Case { name: "new_path_traversal_name", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["new", "../evil", "--http"],
        expect: Expect { names: &["../evil"], ..E } },
    Case { name: "new_non_ascii_name", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["new", "sérvice", "--http"],
        expect: Expect { names: &["sérvice"], ..E } },
    Case { name: "new_control_char_in_name", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["new", "bad\u{7f}name", "--http"],
        expect: Expect { matches: Some(r"bad(\x7f|\\u\{7f\}|\\x7f|\\u007f)name"), ..E } },
    Case { name: "new_existing_member", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["new", "orders", "--http"],
        expect: Expect { names: &["orders"], ..E } },
    Case { name: "new_target_is_a_file", area: Area::Scaffold, setup: scaffold_target_is_file, cwd: "", argv: &["new", "billing", "--http"],
        expect: Expect { names: &["billing"], ..E } },
    Case { name: "gen_outbox_missing_service", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["gen", "outbox", "--service", "no-such-svc"],
        expect: Expect { names: &["no-such-svc"], ..E } },
    Case { name: "gen_circuit_breaker_bad_preset", area: Area::Scaffold, setup: scaffold_workspace, cwd: "", argv: &["gen", "circuit-breaker", "--service", "orders", "--dependency", "auth", "--preset", "bogus-preset"],
        expect: Expect { names: &["bogus-preset"], ..E } },
    // --- nova.toml (loaded before any checker runs: verifiable on every branch) ----------------
    Case { name: "config_malformed_toml", area: Area::Config, setup: config_malformed, cwd: "", argv: &["proto", "lint"],
        expect: Expect { names: &["nova.toml"], matches: Some(r"nova\.toml:3:12"), ..E } },
    Case { name: "config_binary_garbage", area: Area::Config, setup: config_binary, cwd: "", argv: &["migrations", "check"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_nul_bytes", area: Area::Config, setup: config_nul_bytes, cwd: "", argv: &["--format", "json", "wiring", "check"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_unknown_key_crlf", area: Area::Config, setup: config_unknown_key_crlf, cwd: "", argv: &["proto", "lint"],
        expect: Expect { names: &["nova.toml", "bogus_key"], matches: Some(r"nova\.toml:4"), ..E } },
    Case { name: "config_deep_arrays_10k", area: Area::Config, setup: config_deep_nesting, cwd: "", argv: &["check"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_deep_inline_tables_10k", area: Area::Config, setup: config_deep_inline_tables, cwd: "", argv: &["--format", "sarif", "check"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_huge_20mb", area: Area::Config, setup: config_huge, cwd: "", argv: &["proto", "lint"],
        expect: Expect { names: &["nova.toml", "no_such_key"], timeout_secs: HUGE_SECS, ..E } },
    Case { name: "config_flag_names_a_directory", area: Area::Config, setup: config_dir_as_file, cwd: "", argv: &["--config", "confdir", "proto", "lint"],
        expect: Expect { names: &["confdir"], ..E } },
    Case { name: "config_flag_missing_file", area: Area::Config, setup: none, cwd: "", argv: &["--config", "nope.toml", "migrations", "check"],
        expect: Expect { names: &["nope.toml"], ..E } },
    Case { name: "config_unreadable", area: Area::Config, setup: config_unreadable, cwd: "", argv: &["proto", "lint"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_symlink_loop", area: Area::Config, setup: config_symlink_loop, cwd: "", argv: &["proto", "lint"],
        expect: Expect { names: &["nova.toml"], ..E } },
    Case { name: "config_in_non_ascii_dir", area: Area::Config, setup: config_non_ascii_dir, cwd: "wörk späce", argv: &["--format", "github", "migrations", "check"],
        expect: Expect { names: &["wörk späce"], matches: Some(r"nova\.toml:2"), ..E } },
    Case { name: "config_wrong_value_types", area: Area::Config, setup: config_wrong_types, cwd: "", argv: &["--format", "json", "proto", "lint"],
        expect: Expect { names: &["nova.toml"], ..E } },
    // --- nova k8s check -----------------------------------------------------------------------
    Case { name: "k8s_billion_laughs", area: Area::K8s, setup: k8s_billion_laughs, cwd: "", argv: &["k8s", "check", "k8s"],
        expect: Expect { names: &["laughs.yaml"], matches: Some(r"laughs\.yaml:\d+:\d+"), timeout_secs: 10, ..E } },
    Case { name: "k8s_deep_flow_nesting", area: Area::K8s, setup: k8s_deep_flow, cwd: "", argv: &["k8s", "check", "k8s/deep.yaml"],
        expect: Expect { names: &["deep.yaml"], matches: Some(r"deep\.yaml:7:"), timeout_secs: 10, ..E } },
    Case { name: "k8s_deep_block_nesting", area: Area::K8s, setup: k8s_deep_block, cwd: "", argv: &["--format", "json", "k8s", "check", "k8s"],
        expect: Expect { names: &["block.yaml"], matches: Some(r"YAML_LIMIT"), timeout_secs: 10, ..E } },
    Case { name: "k8s_binary_garbage", area: Area::K8s, setup: k8s_garbage, cwd: "", argv: &["k8s", "check", "k8s/garbage.yaml"],
        expect: Expect { names: &["garbage.yaml"], ..E } },
    Case { name: "k8s_truncated", area: Area::K8s, setup: k8s_truncated, cwd: "", argv: &["k8s", "check", "k8s"],
        expect: Expect { names: &["trunc.yaml"], ..E } },
    Case { name: "k8s_20k_documents", area: Area::K8s, setup: k8s_many_documents, cwd: "", argv: &["--format", "json", "k8s", "check", "k8s"],
        expect: Expect { codes: &[1], names: &["many.yaml"], timeout_secs: 60, ..E } },
    Case { name: "k8s_kustomize_cycle", area: Area::K8s, setup: k8s_kustomize_cycle, cwd: "", argv: &["k8s", "check", "k8s/a"],
        expect: Expect { names: &["kustomization.yaml"], ..E } },
    Case { name: "k8s_missing_path", area: Area::K8s, setup: none, cwd: "", argv: &["k8s", "check", "does-not-exist.yaml"],
        expect: Expect { names: &["does-not-exist.yaml"], ..E } },
    // --- nova check / init ------------------------------------------------------------------
    Case { name: "check_changed_since_corrupt_git", area: Area::Check, setup: check_corrupt_git, cwd: "", argv: &["check", "--changed-since", "HEAD~1"],
        expect: E },
    Case { name: "check_garbage_in_every_checker", area: Area::Check, setup: check_garbage_everywhere, cwd: "", argv: &["--format", "json", "check"],
        expect: Expect { names: &["orders.proto", "0001_init.sql", "main.rs"], ..E } },
    Case { name: "check_crlf_backend", area: Area::Check, setup: check_crlf_backend, cwd: "", argv: &["--format", "json", "check"],
        expect: Expect { codes: &[1], names: &["0001_init.sql", "main.rs"], ..E } },
    Case { name: "check_missing_path", area: Area::Check, setup: none, cwd: "", argv: &["check", "does-not-exist"],
        expect: Expect { names: &["does-not-exist"], ..E } },
    // Nothing to name here: the case asserts only that an empty, unconfigured tree is handled.
    Case { name: "check_dir_without_config", area: Area::Check, setup: check_empty_dir, cwd: "empty-repo", argv: &["check"],
        expect: Expect { codes: &[0, 2], matches: Some(r"\S"), ..E } },
    Case { name: "init_never_overwrites_config", area: Area::Check, setup: init_existing_config, cwd: "", argv: &["init"],
        expect: Expect { codes: &[0, 1, 2], names: &["nova.toml"], ..E } },
];

// ---------------------------------------------------------------------------------------------
// The runner.

fn selected() -> Vec<&'static Case> {
    let only: Option<Vec<Area>> = std::env::var("NOVA_HOSTILE_ONLY").ok().filter(|s| !s.trim().is_empty()).map(|s| {
        s.split(',')
            .map(|a| {
                let a = a.trim();
                AREAS.iter().find(|(n, _)| *n == a).map(|(_, x)| *x).unwrap_or_else(|| {
                    panic!(
                        "NOVA_HOSTILE_ONLY: unknown area `{a}` (areas: {:?})",
                        AREAS.iter().map(|(n, _)| n).collect::<Vec<_>>()
                    )
                })
            })
            .collect()
    });
    let name = std::env::var("NOVA_HOSTILE_CASE").ok().filter(|s| !s.is_empty());
    CASES
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| o.contains(&c.area)))
        .filter(|c| name.as_ref().is_none_or(|n| c.name.contains(n.as_str())))
        .collect()
}

/// Run one case; returns its problems (empty = pass) and a one-line summary.
fn run_case(case: &Case, chmod_ignored: bool) -> (Vec<String>, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    let setup = (case.setup)(root);
    let before = snapshot(root);
    let cwd = root.join(case.cwd);
    let args: Vec<String> = case.argv.iter().map(|s| s.to_string()).collect();
    let secs = (case.expect.timeout_secs as f64 * timeout_scale()).ceil() as u64;
    let out = run_nova(&cwd, &args, Duration::from_secs(secs));
    let mut problems = out.crash_problems();

    if !out.timed_out
        && let Some(code) = out.code
    {
        let allowed = match case.expect.codes_if_chmod_ignored {
            Some(c) if chmod_ignored => c,
            _ => case.expect.codes,
        };
        if !allowed.contains(&code) {
            problems.push(format!("exit {code}, expected one of {allowed:?}"));
        }
    }
    let all = out.all_output();
    match &setup.any_of_names {
        Some(alts) => {
            if !alts.iter().any(|n| all.contains(n.as_str())) {
                problems.push(format!("output names none of {alts:?}"));
            }
        }
        None => {
            for n in case.expect.names {
                if !all.contains(n) {
                    problems.push(format!("output does not name `{n}`"));
                }
            }
        }
    }
    if let Some(re) = case.expect.matches {
        let re = regex::Regex::new(re).expect("valid regex in the case table");
        if !re.is_match(&all) {
            problems.push(format!("output does not match /{re}/"));
        }
    }
    let format = case.argv.iter().position(|a| *a == "--format").and_then(|i| case.argv.get(i + 1)).copied();
    if matches!(format, Some("json" | "sarif"))
        && !out.timed_out
        && let Err(e) = serde_json::from_str::<serde_json::Value>(&out.stdout)
    {
        problems.push(format!("--format {} stdout is not one JSON document: {e}", format.unwrap_or_default()));
    }
    let after = snapshot(root);
    let changed = snapshot_diff(&before, &after);
    if !changed.is_empty() {
        problems.push(format!("the input tree changed: {changed:?}"));
    }
    // Let the temp dir be removed even when the case made parts of it unreadable.
    for e in walkdir::WalkDir::new(root).follow_links(false).into_iter().flatten() {
        if !e.path_is_symlink() {
            let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
            chmod(e.path(), mode);
        }
    }
    let line = format!(
        "{:<4} {:<44} {:<10} exit {:<5} {:>8.2?}",
        if problems.is_empty() { "ok" } else { "FAIL" },
        case.name,
        format!("{:?}", case.area).to_lowercase(),
        out.code.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
        out.elapsed
    );
    if !problems.is_empty() {
        problems.push(out.describe());
    }
    (problems, line)
}

#[test]
fn hostile_inputs() {
    let cases = selected();
    assert!(!cases.is_empty(), "the NOVA_HOSTILE_ONLY / NOVA_HOSTILE_CASE filters select no case");
    let chmod_ignored = chmod_000_is_ignored();
    if chmod_ignored {
        eprintln!(
            "note: chmod 000 does not stop this process (root): unreadable-file cases expect the file to be read"
        );
    }
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for case in &cases {
        let (problems, line) = run_case(case, chmod_ignored);
        eprintln!("{line}");
        table.push(line);
        if !problems.is_empty() {
            failures.push(format!("## {}\n{}", case.name, problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases failed:\n{}\n\n{}",
        failures.len(),
        cases.len(),
        table.join("\n"),
        failures.join("\n\n")
    );
}

#[test]
fn case_table_is_complete() {
    assert!(CASES.len() >= 40, "the suite promises at least 40 cases, has {}", CASES.len());
    let mut names: Vec<_> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "case names must be unique");
    for (n, area) in AREAS {
        assert!(CASES.iter().any(|c| c.area == *area), "no case for area `{n}`");
    }
    for c in CASES {
        assert!(!c.expect.codes.is_empty() && c.expect.codes.iter().all(|x| (0..=2).contains(x)), "{}: codes", c.name);
        assert!(c.expect.timeout_secs > 0, "{}: timeout", c.name);
    }
}
