//! `nova migrations check`, end to end: each rule's failing and passing fixture, suppression,
//! configuration, `--since`, bad input, discovery, rendered output, and `--verify-with` against a
//! real PostgreSQL when `NOVA_TEST_PG_URL` is set.
mod common;

use assert_cmd::Command;
use common::git;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations")
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

/// Run `nova --format json migrations check <args>` in `cwd` (an empty config dir by default).
fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("nova")
        .unwrap()
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(["--format", "json", "migrations", "check"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    Run { code: out.status.code().unwrap_or(-1), json, stderr: String::from_utf8_lossy(&out.stderr).to_string() }
}

fn run(args: &[&str]) -> Run {
    run_in(&fixtures(), args)
}

/// (rule, file name, line) of every diagnostic.
fn findings(r: &Run) -> Vec<(String, String, u64)> {
    r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap_or("");
            let name = path.rsplit('/').next().unwrap_or(path).to_string();
            (d["rule"].as_str().unwrap().to_string(), name, d["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

fn of_rule(r: &Run, rule: &str) -> Vec<(String, u64)> {
    findings(r).into_iter().filter(|(id, _, _)| id == rule).map(|(_, f, l)| (f, l)).collect()
}

fn expect(rule: &str, dir: &str, want: &[(&str, u64)]) {
    let fail = run(&[&format!("{dir}/fail")]);
    let got = of_rule(&fail, rule);
    let want: Vec<(String, u64)> = want.iter().map(|(f, l)| (f.to_string(), *l)).collect();
    assert_eq!(got, want, "{rule} on {dir}/fail: {:#?}", fail.json);
    // What users see, per rule: a wrong message, end column, label or help fails here.
    let out = Command::cargo_bin("nova")
        .unwrap()
        .current_dir(fixtures())
        .args(["--color", "never", "migrations", "check", &format!("{dir}/fail")])
        .output()
        .unwrap();
    insta::with_settings!({ snapshot_path => "snapshots/rules/migrations", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(rule, String::from_utf8_lossy(&out.stdout));
    });
    let pass = run(&[&format!("{dir}/pass")]);
    assert_eq!(of_rule(&pass, rule), vec![], "{rule} on {dir}/pass: {:#?}", pass.json);
    assert_ne!(pass.code, 2, "{dir}/pass: {}", pass.stderr);
}

#[test]
fn soft_delete_columns() {
    expect("SOFT_DELETE_COLUMNS", "soft_delete_columns", &[("0001_posts.sql", 1)]);
}

#[test]
fn soft_delete_columns_notes_later_changes() {
    let r = run(&["soft_delete_columns/fail"]);
    let d =
        r.json["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "SOFT_DELETE_COLUMNS").unwrap().clone();
    let labels = d["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 1);
    assert!(labels[0]["path"].as_str().unwrap().ends_with("0002_touch.sql"));
    assert_eq!(labels[0]["line"], 1);
}

#[test]
fn soft_delete_check() {
    // The conventional constraint is dropped, then re-added with the wrong logic: the finding
    // points at the statement that introduced the wrong one.
    expect("SOFT_DELETE_CHECK", "soft_delete_check", &[("0003_wrong_check.sql", 1)]);
}

#[test]
fn soft_delete_fk_action() {
    expect("SOFT_DELETE_FK_ACTION", "soft_delete_fk_action", &[("0001_schema.sql", 9), ("0001_schema.sql", 15)]);
}

#[test]
fn soft_delete_unique_not_partial() {
    expect(
        "SOFT_DELETE_UNIQUE_NOT_PARTIAL",
        "soft_delete_unique_not_partial",
        &[("0001_users.sql", 3), ("0001_users.sql", 9), ("0001_users.sql", 10)],
    );
}

#[test]
fn soft_delete_deletion_trigger() {
    expect(
        "SOFT_DELETE_DELETION_TRIGGER",
        "soft_delete_deletion_trigger",
        &[("0001_schema.sql", 2), ("0001_schema.sql", 20)],
    );
}

#[test]
fn deletion_trigger_level_is_configurable() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("nova.toml"),
        "[migrations]\nseverity = { SOFT_DELETE_DELETION_TRIGGER = \"warning\" }\n",
    )
    .unwrap();
    let dir = fixtures().join("soft_delete_deletion_trigger/fail");
    let r = run_in(d.path(), &[dir.to_str().unwrap()]);
    let sev: Vec<&str> = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "SOFT_DELETE_DELETION_TRIGGER")
        .map(|x| x["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, vec!["warning", "warning"]);
    std::fs::write(d.path().join("nova.toml"), "[migrations]\nseverity = { SOFT_DELETE_DELETION_TRIGGER = \"off\" }\n")
        .unwrap();
    let r = run_in(d.path(), &[dir.to_str().unwrap()]);
    assert!(of_rule(&r, "SOFT_DELETE_DELETION_TRIGGER").is_empty());
}

#[test]
fn soft_delete_type_drift() {
    expect("SOFT_DELETE_TYPE_DRIFT", "soft_delete_type_drift", &[("0001_posts.sql", 3)]);
}

#[test]
fn soft_delete_legacy_marker() {
    expect("SOFT_DELETE_LEGACY_MARKER", "soft_delete_legacy_marker", &[("0001_posts.sql", 3)]);
}

#[test]
fn outbox_table_columns() {
    expect(
        "OUTBOX_TABLE_COLUMNS",
        "outbox_table_columns",
        &[("0001_outbox.sql", 1), ("0001_outbox.sql", 6), ("0001_outbox.sql", 6), ("0001_outbox.sql", 7)],
    );
}

#[test]
fn outbox_unpublished_index() {
    expect("OUTBOX_UNPUBLISHED_INDEX", "outbox_unpublished_index", &[("0001_outbox.sql", 1)]);
}

#[test]
fn trigger_unknown_column() {
    expect("TRIGGER_UNKNOWN_COLUMN", "trigger_unknown_column", &[("0001_schema.sql", 4), ("0001_schema.sql", 5)]);
}

#[test]
fn migration_would_fail() {
    // The second CREATE of an index name, not the later failures (sqlx stops at the first).
    expect("MIGRATION_WOULD_FAIL", "migration_would_fail", &[("0002_like_indexes.sql", 3)]);
    let r = run(&["migration_would_fail/fail"]);
    let d = r.json["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "MIGRATION_WOULD_FAIL").unwrap();
    assert_eq!(
        d["message"],
        "PostgreSQL rejects this statement: relation \"idx_likes_post_id\" already exists (an index); sqlx stops \
         here (and its file is rolled back), so `0003_never_runs.sql` never runs"
    );
    assert_eq!(d["severity"], "error");
    let labels = d["labels"].as_array().unwrap();
    assert!(labels[0]["path"].as_str().unwrap().ends_with("0001_social.sql"));
    assert_eq!(labels[0]["line"], 7);
    // The ALTER of an unknown table is the first failure of that stream too.
    let r = run(&["alter_unknown_table/fail"]);
    assert_eq!(of_rule(&r, "MIGRATION_WOULD_FAIL"), vec![("0001_posts.sql".to_string(), 2)]);
}

#[test]
fn alter_unknown_table() {
    expect("ALTER_UNKNOWN_TABLE", "alter_unknown_table", &[("0001_posts.sql", 2), ("0001_posts.sql", 4)]);
}

#[test]
fn concurrently_in_transaction() {
    expect(
        "CONCURRENTLY_IN_TRANSACTION",
        "concurrently_in_transaction",
        &[("0002_index.sql", 1), ("0002_index.sql", 2)],
    );
}

#[test]
fn migration_duplicate_version() {
    expect("MIGRATION_DUPLICATE_VERSION", "migration_duplicate_version", &[("0002_b.sql", 1)]);
}

#[test]
fn migration_version_not_integer() {
    expect("MIGRATION_VERSION_NOT_INTEGER", "migration_version_not_integer", &[("v2_add_title.sql", 1)]);
}

/// Valid PL/pgSQL (every statement form, `SELECT ... INTO`, `RETURNING ... INTO` included; all
/// accepted by libpg_query) gives no finding at all, and a broken body's embedded SQL is still a
/// syntax error at its line (above); PL/pgSQL nova cannot follow is a warning.
#[test]
fn plpgsql_bodies_parse() {
    let r = run(&["sql_syntax_error/pass"]);
    assert_eq!(findings(&r), vec![], "{:#?}", r.json);
    assert_eq!(r.code, 0);
    expect("PLPGSQL_NOT_ANALYSED", "plpgsql_not_analysed", &[("0001_do.sql", 6)]);
    let r = run(&["plpgsql_not_analysed/fail"]);
    assert_eq!(findings(&r), vec![("PLPGSQL_NOT_ANALYSED".into(), "0001_do.sql".into(), 6)]);
    assert_eq!(r.code, 0, "a warning does not fail the gate");
}

#[test]
fn sql_syntax_error_does_not_hide_the_rest() {
    expect(
        "SQL_SYNTAX_ERROR",
        "sql_syntax_error",
        &[("0001_posts.sql", 1), ("0001_posts.sql", 5), ("0001_posts.sql", 6), ("0002_plpgsql.sql", 9)],
    );
    let r = run(&["sql_syntax_error/fail"]);
    // The statements after the bad ones are still replayed and judged.
    assert_eq!(of_rule(&r, "SOFT_DELETE_TYPE_DRIFT"), vec![("0001_posts.sql".to_string(), 8)]);
    assert_eq!(r.code, 1);
}

#[test]
fn squawk_rules_are_embedded_with_their_ids() {
    let r = run(&["outbox_unpublished_index/fail"]);
    assert_eq!(of_rule(&r, "require-concurrent-index-creation"), vec![("0002_drop_index.sql".to_string(), 2)]);
    assert_eq!(of_rule(&r, "require-concurrent-index-deletion"), vec![("0002_drop_index.sql".to_string(), 1)]);
    let sev = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "require-concurrent-index-creation")
        .unwrap()["severity"]
        .clone();
    assert_eq!(sev, "warning");
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn inline_suppression_and_config_ignores() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("migrations");
    write(
        &m,
        "0001_posts.sql",
        "-- nova:ignore SOFT_DELETE_TYPE_DRIFT,SOFT_DELETE_COLUMNS legacy table, migrated in Q3\n\
         CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMP);\n\
         CREATE TABLE tags (id UUID PRIMARY KEY, deleted_at TIMESTAMP);\n\
         CREATE INDEX CONCURRENTLY tags_x ON tags (id); -- nova:ignore CONCURRENTLY_IN_TRANSACTION\n\
         -- nova:ignore SOFT_DELETE_CHEK,SOFT_DELETE_FK_ACTION stale or misspelt\n\
         CREATE TABLE ok (id int);\n",
    );
    let r = run_in(d.path(), &["migrations"]);
    let unused: Vec<String> = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "NOVA_UNUSED_IGNORE")
        .map(|x| format!("{}: {}", x["line"], x["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        unused,
        vec![
            "5: `-- nova:ignore SOFT_DELETE_CHEK`: no rule has this ID".to_string(),
            "5: `-- nova:ignore SOFT_DELETE_FK_ACTION` suppresses nothing here".to_string(),
        ]
    );
    assert_eq!(of_rule(&r, "SOFT_DELETE_TYPE_DRIFT"), vec![("0001_posts.sql".to_string(), 3)]);
    assert_eq!(of_rule(&r, "SOFT_DELETE_COLUMNS"), vec![("0001_posts.sql".to_string(), 3)]);
    assert!(of_rule(&r, "CONCURRENTLY_IN_TRANSACTION").is_empty());
    // Per-table and per-path ignores from nova.toml.
    write(
        d.path(),
        "nova.toml",
        "[migrations]\nignore_tables = [\"public.tags\"]\nignore_only = { SOFT_DELETE_DELETION_TRIGGER = [\"migrations\"] }\n",
    );
    let r = run_in(d.path(), &["migrations"]);
    assert!(of_rule(&r, "SOFT_DELETE_TYPE_DRIFT").is_empty(), "{:#?}", r.json);
    assert!(of_rule(&r, "SOFT_DELETE_DELETION_TRIGGER").is_empty());
}

#[test]
fn config_dirs_skip_and_dialect() {
    let d = tempfile::tempdir().unwrap();
    write(
        &d.path().join("api/migrations"),
        "0001_a.sql",
        "CREATE TABLE a (id UUID PRIMARY KEY, deleted_at TIMESTAMP);\n",
    );
    write(
        &d.path().join("analytics/migrations"),
        "0001_events.sql",
        "CREATE TABLE events (id UUID) ENGINE = MergeTree ORDER BY id;\n",
    );
    write(
        d.path(),
        "nova.toml",
        "[migrations]\ndirs = [\"api/migrations\", \"analytics/migrations\"]\ndialect = { \"analytics/migrations\" = \"clickhouse\" }\n",
    );
    let r = run_in(d.path(), &[]);
    assert_eq!(r.json["summary"]["files"], 1, "{:#?}", r.json);
    assert!(findings(&r).iter().all(|(_, f, _)| f == "0001_a.sql"));
    assert_eq!(of_rule(&r, "SOFT_DELETE_TYPE_DRIFT").len(), 1);
    write(
        d.path(),
        "nova.toml",
        "[migrations]\ndirs = [\"api/migrations\", \"analytics/migrations\"]\nskip = [\"analytics\"]\n",
    );
    let r = run_in(d.path(), &[]);
    assert_eq!(r.json["summary"]["files"], 1);
}

#[test]
fn discovery_finds_crate_migrations_and_migrate_macro_dirs() {
    let d = tempfile::tempdir().unwrap();
    // sqlx-cli's default directory of a crate that depends on sqlx.
    write(&d.path().join("svc-a"), "Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nsqlx = \"0.8\"\n");
    write(
        &d.path().join("svc-a/migrations"),
        "0001_a.sql",
        "CREATE TABLE a (id UUID PRIMARY KEY, deleted_at TIMESTAMP, deleted_by UUID);\n",
    );
    write(&d.path().join("other-ws/svc-b"), "Cargo.toml", "[package]\nname = \"b\"\n");
    write(&d.path().join("other-ws/svc-b/src"), "main.rs", "fn main() { let _ = sqlx::migrate!(\"./db/schema\"); }\n");
    write(&d.path().join("other-ws/svc-b/db/schema"), "0001_b.sql", "ALTER TABLE nowhere ADD COLUMN x INT;\n");
    let r = run_in(d.path(), &[]);
    let f = findings(&r);
    assert!(f.contains(&("SOFT_DELETE_TYPE_DRIFT".into(), "0001_a.sql".into(), 1)), "{f:?}");
    assert!(f.contains(&("ALTER_UNKNOWN_TABLE".into(), "0001_b.sql".into(), 1)), "{f:?}");
    assert_eq!(r.json["summary"]["files"], 2);
}

#[test]
fn bad_input_non_utf8_file() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    write(&m, "0001_ok.sql", "CREATE TABLE a (id UUID PRIMARY KEY, deleted_at TIMESTAMP, deleted_by UUID);\n");
    std::fs::write(m.join("0002_bad.sql"), b"-- fine\nALTER TABLE a ADD COLUMN caf\xe9 TEXT;\n").unwrap();
    let r = run_in(d.path(), &["m"]);
    assert_eq!(r.code, 2);
    let f = findings(&r);
    assert!(f.contains(&("INVALID_UTF8".into(), "0002_bad.sql".into(), 2)), "{f:?}");
    // The readable file is still checked.
    assert!(f.contains(&("SOFT_DELETE_TYPE_DRIFT".into(), "0001_ok.sql".into(), 1)), "{f:?}");
}

#[test]
fn bad_input_unterminated_dollar_quote() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    write(&m, "0001_a.sql", "CREATE TABLE a (id UUID PRIMARY KEY, deleted_at TIMESTAMP, deleted_by UUID);\n");
    write(&m, "0002_b.sql", "SELECT 1;\nDO $$ BEGIN\n  ALTER TABLE a ADD COLUMN x INT;\nEND;\n");
    let r = run_in(d.path(), &["m"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = findings(&r);
    assert!(
        f.iter().any(|(rule, file, line)| rule == "SQL_SYNTAX_ERROR" && file == "0002_b.sql" && *line == 2),
        "{f:?}"
    );
    assert!(f.contains(&("SOFT_DELETE_TYPE_DRIFT".into(), "0001_a.sql".into(), 1)), "{f:?}");
}

#[test]
fn bad_input_empty_and_missing_directories() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("empty")).unwrap();
    let r = run_in(d.path(), &["empty", "missing"]);
    assert_eq!(r.code, 2);
    let rules: Vec<String> = findings(&r).into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(rules, vec!["NO_MIGRATIONS".to_string(), "MISSING_DIRECTORY".to_string()]);
}

#[test]
fn bad_input_twenty_megabyte_file() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    let mut sql = String::from("CREATE TABLE big (id UUID PRIMARY KEY, deleted_at TIMESTAMP, deleted_by UUID);\n");
    let row = "INSERT INTO big (id) VALUES ('00000000-0000-0000-0000-000000000000');\n";
    while sql.len() < 20 * 1024 * 1024 {
        sql.push_str(row);
    }
    sql.push_str("CREATE TABLE broken (id int,, x);\n");
    let lines = sql.lines().count() as u64;
    write(&m, "0001_big.sql", &sql);
    let r = run_in(d.path(), &["m"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = findings(&r);
    assert!(f.contains(&("SOFT_DELETE_TYPE_DRIFT".into(), "0001_big.sql".into(), 1)), "{f:?}");
    assert!(f.contains(&("SQL_SYNTAX_ERROR".into(), "0001_big.sql".into(), lines)), "{f:?}");
}

#[test]
fn since_reports_only_changed_files_against_the_whole_schema() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("migrations");
    write(&m, "0001_posts.sql", "CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMP, deleted_by UUID);\n");
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-qm", "base"]);
    // New migration references a soft-deletable table from the old one with CASCADE.
    write(
        &m,
        "0002_comments.sql",
        "CREATE TABLE comments (id UUID PRIMARY KEY, post_id UUID REFERENCES posts(id) ON DELETE CASCADE);\n",
    );
    let all = run_in(d.path(), &["migrations"]);
    assert!(findings(&all).iter().any(|(_, f, _)| f == "0001_posts.sql"));
    let r = run_in(d.path(), &["migrations", "--since", "main"]);
    let f = findings(&r);
    assert_eq!(f, vec![("SOFT_DELETE_FK_ACTION".to_string(), "0002_comments.sql".to_string(), 1)], "{:#?}", r.json);
    let bad = run_in(d.path(), &["migrations", "--since", "no-such-ref"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn human_output_snapshot() {
    let out = Command::cargo_bin("nova")
        .unwrap()
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .args(["--color", "never", "migrations", "check", "soft_delete_fk_action/fail"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human_soft_delete_fk_action", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn rules_are_listed_and_explained() {
    let out = Command::cargo_bin("nova").unwrap().args(["explain", "SOFT_DELETE_CHECK"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("num_nulls"));
    let out = Command::cargo_bin("nova").unwrap().args(["explain", "prefer-robust-stmts"]).output().unwrap();
    assert!(out.status.success());
}

#[test]
fn verify_with_real_postgres() {
    let Some(url) = common::pg_url("") else { return };
    // The model and PostgreSQL agree on a fixture that exercises DO blocks, renames and default names.
    let r = run(&["soft_delete_fk_action/pass", "--verify-with", &url]);
    assert_ne!(r.code, 2, "{}\n{:#?}", r.stderr, r.json);
    assert!(of_rule(&r, "VERIFY_MISMATCH").is_empty(), "{:#?}", r.json);
    assert_eq!(of_rule(&r, "SOFT_DELETE_FK_ACTION"), vec![]);
    // PostgreSQL agrees with MIGRATION_WOULD_FAIL (rejects the second CREATE INDEX, applies the
    // passing stream the model replays exactly) and accepts every PL/pgSQL form.
    let r = run(&["migration_would_fail/fail", "--verify-with", &url]);
    assert_eq!(of_rule(&r, "VERIFY_APPLY_FAILED"), vec![("0002_like_indexes.sql".to_string(), 1)], "{:#?}", r.json);
    let r = run(&["migration_would_fail/pass", "--verify-with", &url]);
    assert!(
        of_rule(&r, "VERIFY_APPLY_FAILED").is_empty() && of_rule(&r, "VERIFY_MISMATCH").is_empty(),
        "{:#?}",
        r.json
    );
    let r = run(&["sql_syntax_error/pass", "--verify-with", &url]);
    assert_eq!(findings(&r), vec![], "{:#?}", r.json);
    // A migration PostgreSQL rejects is reported at its file.
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    write(&m, "0001_a.sql", "CREATE TABLE a (id UUID PRIMARY KEY);\n");
    write(&m, "0002_b.sql", "ALTER TABLE a ADD COLUMN b INT REFERENCES nowhere(id);\n");
    let r = run_in(d.path(), &["m", "--verify-with", &url]);
    assert!(of_rule(&r, "VERIFY_APPLY_FAILED").iter().any(|(f, _)| f == "0002_b.sql"), "{:#?}", r.json);
    // SQL built at run time is invisible to the model; the oracle shows the disagreement. (A
    // constant `EXECUTE '...'` string is parsed and agrees.)
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    write(
        &m,
        "0001_a.sql",
        "CREATE TABLE a (id UUID PRIMARY KEY);\n\
         DO $$ BEGIN EXECUTE 'ALTER TABLE a ADD COLUMN title TEXT'; END $$;\n\
         DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN note TEXT', 'a'); END $$;\n",
    );
    let r = run_in(d.path(), &["m", "--verify-with", &url]);
    let msgs: Vec<String> = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "VERIFY_MISMATCH")
        .map(|x| x["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(msgs, vec!["PostgreSQL has column `a.note`, nova's model does not".to_string()]);
}

#[test]
fn squawk_ignore_comments_are_honoured() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    write(
        &m,
        "0001_a.sql",
        "CREATE TABLE t (id int, x int);\n-- squawk-ignore ban-drop-column\nALTER TABLE t DROP COLUMN id;\nALTER TABLE t DROP COLUMN x;\n",
    );
    let r = run_in(d.path(), &["m"]);
    assert_eq!(of_rule(&r, "ban-drop-column"), vec![("0001_a.sql".to_string(), 4)]);
}

#[test]
fn canonical_backend_migrations_are_clean() {
    // The conventions' canonical forms (legacy marker migrated inside a DO block, conventional
    // CHECK, partial unique index, deletion trigger into the outbox, outbox table and indexes):
    // nova's own rules find nothing; only squawk's lock warnings remain, and they are real.
    let r = run(&["canonical"]);
    assert_eq!(r.code, 0, "{:#?}", r.json);
    let f = findings(&r);
    assert_eq!(
        f,
        vec![
            // Inside the DO block: squawk judges the statements of DO blocks too.
            ("constraint-missing-not-valid".to_string(), "20240103000000_users_soft_delete.sql".to_string(), 13),
            ("require-concurrent-index-deletion".to_string(), "20240103000000_users_soft_delete.sql".to_string(), 19),
            ("require-concurrent-index-creation".to_string(), "20240103000000_users_soft_delete.sql".to_string(), 20),
            ("ban-drop-column".to_string(), "20240103000000_users_soft_delete.sql".to_string(), 21),
        ]
    );
    if let Some(url) = common::pg_url(" (verify part)") {
        let r = run(&["canonical", "--verify-with", &url]);
        assert!(
            of_rule(&r, "VERIFY_MISMATCH").is_empty() && of_rule(&r, "VERIFY_APPLY_FAILED").is_empty(),
            "{:#?}",
            r.json
        );
    }
}

/// One suppression grammar (`crate::suppress`): several IDs separated by commas with or without
/// spaces, or by spaces, then a reason. The comma-and-space form used to keep only the first ID.
#[test]
fn one_suppression_names_several_rules() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("migrations")).unwrap();
    std::fs::write(
        d.path().join("migrations/0001_init.sql"),
        "CREATE TABLE a (id UUID PRIMARY KEY);\nCREATE TABLE b (id UUID PRIMARY KEY, a_id UUID);\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("nova.toml"),
        "[migrations]\ndirs = [\"migrations\"]\n[migrations.severity]\nconstraint-missing-not-valid = \"warning\"\n",
    )
    .unwrap();
    let fk = "ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id);\n";
    let rules = |comment: &str| {
        std::fs::write(d.path().join("migrations/0002_fk.sql"), format!("{comment}\n{fk}")).unwrap();
        let mut r: Vec<String> = findings(&run_in(d.path(), &[])).into_iter().map(|f| f.0).collect();
        r.sort();
        r
    };
    assert_eq!(rules("-- none"), ["adding-foreign-key-constraint", "constraint-missing-not-valid"]);
    for comment in [
        "-- nova:ignore constraint-missing-not-valid, adding-foreign-key-constraint reviewed: a small table",
        "-- nova:ignore constraint-missing-not-valid,adding-foreign-key-constraint",
        "-- nova:ignore constraint-missing-not-valid adding-foreign-key-constraint small table",
    ] {
        assert_eq!(rules(comment), Vec::<String>::new(), "{comment}");
    }
    // The reason is not read as IDs; the one ID named is the one suppressed.
    assert_eq!(
        rules("-- nova:ignore adding-foreign-key-constraint constraint check comes later"),
        ["constraint-missing-not-valid"]
    );
}

/// Serial and identity columns are NOT NULL and `float` is stored as `double precision` (`float(p)`
/// as real up to p = 24): the model agrees with PostgreSQL's catalog, so `--verify-with` reports
/// no mismatch on `verify_types` (it reported five before).
#[test]
fn serial_identity_and_float_columns_match_postgres() {
    let Some(url) = common::pg_url("") else { return };
    let r = run(&["verify_types", "--verify-with", &url]);
    assert!(
        of_rule(&r, "VERIFY_MISMATCH").is_empty() && of_rule(&r, "VERIFY_APPLY_FAILED").is_empty(),
        "{:#?}",
        r.json
    );
    assert_eq!(r.code, 0, "{:#?}", r.json);
}

/// `--verify-with` compares verdicts, not only schemas: where nova's MIGRATION_WOULD_FAIL and
/// PostgreSQL stop at the same file there is no VERIFY_MISMATCH; where PostgreSQL rejects a stream
/// nova predicted to apply (a table declared external, absent from the scratch database), there is.
#[test]
fn verify_with_compares_verdicts() {
    let Some(url) = common::pg_url("") else { return };
    let r = run(&["migration_would_fail/fail", "--verify-with", &url]);
    assert_eq!(of_rule(&r, "VERIFY_APPLY_FAILED"), vec![("0002_like_indexes.sql".to_string(), 1)], "{:#?}", r.json);
    assert_eq!(of_rule(&r, "MIGRATION_WOULD_FAIL"), vec![("0002_like_indexes.sql".to_string(), 3)]);
    assert!(of_rule(&r, "VERIFY_MISMATCH").is_empty(), "the verdicts agree: {:#?}", r.json);
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("nova.toml"), "[migrations]\nexternal_tables = [\"users\"]\n").unwrap();
    std::fs::create_dir(d.path().join("m")).unwrap();
    std::fs::write(d.path().join("m/0001_x.sql"), "ALTER TABLE users ADD COLUMN x int;\n").unwrap();
    let r = run_in(d.path(), &["m", "--verify-with", &url]);
    let msgs: Vec<&str> = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "VERIFY_MISMATCH")
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        msgs,
        ["PostgreSQL rejected `0001_x.sql` (relation \"users\" does not exist), but nova predicted the stream applies"]
    );
}

/// squawk's rules judge the statements of `DO` blocks, at their place in the file (the statement
/// inside the body, not the `DO`), and not the statements of function bodies.
#[test]
fn squawk_rules_inside_do_blocks() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("m")).unwrap();
    std::fs::write(d.path().join("m/0001_t.sql"), "CREATE TABLE t (id int);\n").unwrap();
    std::fs::write(
        d.path().join("m/0002_do.sql"),
        "DO $$\nBEGIN\n    ALTER TABLE t ADD COLUMN é_x int NOT NULL;\nEND $$;\n\
         CREATE FUNCTION f() RETURNS void AS $$ BEGIN ALTER TABLE t ADD COLUMN y int NOT NULL; END $$ LANGUAGE plpgsql;\n",
    )
    .unwrap();
    let r = run_in(d.path(), &["m"]);
    let hits: Vec<(u64, u64)> = r.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "adding-required-field")
        .map(|x| (x["line"].as_u64().unwrap(), x["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(hits, [(3, 19)], "{:#?}", r.json);
}
