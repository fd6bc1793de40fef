//! Every ID nova can print that is not a checker's rule: input errors (exit 2) and notes. They
//! are registered like rules so that `nova explain ID` and `nova rules` know them, and a test
//! holds the source to it: every literal code a diagnostic is created with is registered.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const USAGE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "The command line is not one nova accepts (exit 2)",
    docs: r#"## What it does
An unknown flag, a missing argument or an unknown subcommand. With a machine format the error is a document too.

## Why
A CI step must fail loudly when its command is wrong, not pass because nothing ran.

## Example
`nova --format json proto lint --bogus` gives `USAGE: unexpected argument '--bogus' found`.

## Fix
Run `nova <command> --help` and correct the command line.
"#,
    ..RuleInfo::new("USAGE", "nova")
};

pub const INPUT_ERROR: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A command stopped on input it could not use: a bad nova.toml key, a missing path, a git ref that does not exist (exit 2)",
    docs: r#"## What it does
Any error that stops a command before it can check anything, with the file and line when there is one.

## Why
A gate that cannot check must not say clean.

## Example
`nova.toml:4:1: unknown field bogus_key`

## Fix
Fix the input the message names; `nova rules` lists the IDs a configuration may name.
"#,
    ..RuleInfo::new("INPUT_ERROR", "nova")
};

pub const IO: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A file nova needs could not be read (exit 2)",
    docs: r#"## What it does
A registry file, a CHANGELOG or a migration that exists but cannot be read (permissions, a broken link).

## Why
An unreadable file cannot be checked; passing it silently would hide whatever it contains.

## Example
`cannot read nova-protos/CHANGELOG.md: permission denied`

## Fix
Make the file readable, or remove it.
"#,
    ..RuleInfo::new("IO", "proto")
};

pub const COMPILE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A proto file does not compile (exit 2)",
    docs: r#"## What it does
A syntax error, an unresolved import or type, a duplicate name, or a construct nova does not support yet (editions), at the file, line and column.

## Why
Breaking-change detection and lint need the compiled descriptors; a file that does not compile cannot be compared.

## Example
`import 'google/api/annotations.proto' not found`

## Fix
Fix the file, or make the import resolvable (vendor it under an import root).
"#,
    ..RuleInfo::new("COMPILE", "proto")
};

pub const EMPTY_FILE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A .proto file is empty (exit 2)",
    docs: r#"## What it does
A file of only whitespace among the protos.

## Why
An empty file declares nothing; it is almost always a truncated write or a wrong path.

## Example
`nova-protos/protos/a/v1/a.proto is empty`

## Fix
Delete it, or write its definitions.
"#,
    ..RuleInfo::new("EMPTY_FILE", "proto")
};

pub const SEMVER_VERSION: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "The registry's declared version is not a semantic version (exit 2)",
    docs: r#"## What it does
`CHANGELOG.md` or `VERSION` names a version that does not parse (`1.1`).

## Why
The semver gate compares versions; one it cannot read cannot be judged.

## Example
`## [1.1] - soon` gives `1.1 is not a semantic version`.

## Fix
Write a full MAJOR.MINOR.PATCH version.
"#,
    ..RuleInfo::new("SEMVER_VERSION", "proto")
};

pub const INVALID_UTF8: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A migration file is not UTF-8 (exit 2)",
    docs: r#"## What it does
A migration with a byte sequence that is not UTF-8, at the line of the first bad byte.

## Why
PostgreSQL and sqlx read migrations as UTF-8; such a file fails to apply.

## Example
A file saved as Latin-1 with an accented letter in a comment.

## Fix
Re-save the file as UTF-8.
"#,
    ..RuleInfo::new("INVALID_UTF8", "migrations")
};

pub const PARSER_FAILURE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "The SQL parser failed on a migration (exit 2)",
    docs: r#"## What it does
The parser stopped on a file without producing a result (an internal failure, reported instead of crashing).

## Why
The file could not be checked at all.

## Example
A file the parser cannot handle.

## Fix
Report it with the file; meanwhile exclude the directory with `[migrations] skip`.
"#,
    ..RuleInfo::new("PARSER_FAILURE", "migrations")
};

pub const MISSING_DIRECTORY: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A configured migrations directory does not exist (exit 2)",
    docs: r#"## What it does
`[migrations] dirs` or a command-line path names a directory that is not there.

## Why
A typo in the configuration would otherwise check nothing and pass.

## Example
`migrations directory servcies/api/migrations does not exist`

## Fix
Correct the path.
"#,
    ..RuleInfo::new("MISSING_DIRECTORY", "migrations")
};

pub const NOT_A_DIRECTORY: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A migrations path is a file, not a directory (exit 2)",
    docs: r#"## What it does
A configured or given migrations path points at a file.

## Why
Migrations are read per directory, as sqlx does.

## Example
`migrations/0001_init.sql` given where a directory is expected.

## Fix
Name the directory that holds the migrations.
"#,
    ..RuleInfo::new("NOT_A_DIRECTORY", "migrations")
};

pub const NO_MIGRATIONS: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A migrations directory named explicitly holds no migration (exit 2)",
    docs: r#"## What it does
A directory given on the command line or in `[migrations] dirs` has no `<version>_<name>.sql` file.

## Why
An empty stream checks nothing; a wrong path must not pass as clean.

## Example
`migrations/` with only a README.

## Fix
Name the directory that holds the migrations, or add them.
"#,
    ..RuleInfo::new("NO_MIGRATIONS", "migrations")
};

pub const NESTING_TOO_DEEP: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A migration nests brackets deeper than PostgreSQL's parser accepts (exit 2)",
    docs: r#"## What it does
A migration whose parentheses or brackets nest more than 10,000 levels deep (PostgreSQL's own parser gives up there), at the bracket where the limit is passed; the file is not checked, the other files are.

## Why
Such a file fails to apply, and parsing it recursively would exhaust the stack; nova reports it instead of crashing.

## Example
`SELECT ((((...1...))))` with 20,000 nested parentheses.

## Fix
Rewrite the generated expression; PostgreSQL rejects it too.
"#,
    ..RuleInfo::new("NESTING_TOO_DEEP", "migrations")
};

pub const NO_WORKSPACE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "No Cargo workspace or package under the wiring roots (exit 2)",
    docs: r#"## What it does
`nova wiring check` found no Cargo.toml to read.

## Why
Wiring is a property of Rust services; without a crate there is nothing to check.

## Example
`no Cargo.toml found under services/`

## Fix
Point the command (or `[wiring] roots`) at the workspace.
"#,
    ..RuleInfo::new("NO_WORKSPACE", "wiring")
};

pub const MISSING_PATH: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A wiring root or a binary target's source file does not exist (exit 2)",
    docs: r#"## What it does
A root given on the command line or in `[wiring] roots` is missing, or a `[[bin]]` target points at a file that is not there.

## Why
cargo would fail on the same crate; nova cannot judge a service it cannot read.

## Example
`binary api points at src/bin/api.rs which does not exist`

## Fix
Correct the path or the manifest.
"#,
    ..RuleInfo::new("MISSING_PATH", "wiring")
};

pub const CARGO_TOML_INVALID: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Cargo.toml does not parse (exit 2)",
    docs: r#"## What it does
A manifest that is not valid TOML or not UTF-8, at its line; the other crates are still checked.

## Why
cargo would refuse it too, and the crate's services cannot be found.

## Example
`[package` without its closing bracket.

## Fix
Fix the manifest.
"#,
    ..RuleInfo::new("CARGO_TOML_INVALID", "wiring")
};

pub const IO_ERROR: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Rust source or manifest could not be read (exit 2)",
    docs: r#"## What it does
A file of a service that exists but cannot be read.

## Why
An unreadable file cannot be checked; passing it silently would hide its wiring.

## Example
`cannot read: permission denied`

## Fix
Make the file readable.
"#,
    ..RuleInfo::new("IO_ERROR", "wiring")
};

pub const NOT_UTF8: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Rust source file is not UTF-8 (exit 2)",
    docs: r#"## What it does
A service file with bytes that are not UTF-8, at the first bad byte; it was not checked.

## Why
rustc refuses such a file, and nova cannot judge what it cannot read.

## Example
A binary file named `main.rs`.

## Fix
Re-save the file as UTF-8.
"#,
    ..RuleInfo::new("NOT_UTF8", "wiring")
};

pub const PARSE_ERROR: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Rust source file does not parse (exit 2)",
    docs: r#"## What it does
A service file syn cannot parse, at the error's line; the rest of the service is still checked.

## Why
rustc would refuse it too; its wiring cannot be judged.

## Example
A file cut off in the middle of a function.

## Fix
Fix the syntax error.
"#,
    ..RuleInfo::new("PARSE_ERROR", "wiring")
};

pub const MISSING_MODULE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A `mod` declaration points at a file that is missing or unreadable (exit 2)",
    docs: r#"## What it does
`mod x;` whose `x.rs` or `x/mod.rs` cannot be read; that module was not checked.

## Why
rustc would fail on the same crate; the module's wiring is unknown.

## Example
`mod handlers;` without `src/handlers.rs`.

## Fix
Add the file or remove the declaration.
"#,
    ..RuleInfo::new("MISSING_MODULE", "wiring")
};

pub const FILE_TOO_LARGE: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Rust source file is larger than nova analyses (exit 2)",
    docs: r#"## What it does
A file over the size limit (4 MB) was skipped, with its size.

## Why
No silent limits: a skipped file is reported, never passed as clean.

## Example
A 10 MB generated file inside a service crate.

## Fix
Move generated code out of the service's sources, or ignore the path in `[wiring] ignore`.
"#,
    ..RuleInfo::new("FILE_TOO_LARGE", "wiring")
};

pub const FILE_TOO_COMPLEX: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Rust source file nests deeper than nova analyses (exit 2)",
    docs: r#"## What it does
A file whose brackets nest over 100,000 levels or with a single statement over 256 KB was skipped.

## Why
No silent limits: a skipped file is reported, never passed as clean.

## Example
A generated expression with 200,000 nested parentheses.

## Fix
Ignore the path in `[wiring] ignore` if it is generated.
"#,
    ..RuleInfo::new("FILE_TOO_COMPLEX", "wiring")
};

pub const EDITOR_JUNK: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Info,
    summary: "An editor backup or swap file was ignored",
    docs: r#"## What it does
A file such as `main.rs~` or `.main.rs.swp` next to the sources was not read.

## Why
It is not part of the crate; saying so explains why it was not judged.

## Example
`src/main.rs~`

## Fix
Nothing to do; delete the file to silence the note.
"#,
    ..RuleInfo::new("EDITOR_JUNK", "wiring")
};

pub const NO_SERVICES: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Info,
    summary: "The crates found have no binary target, so nothing is a service",
    docs: r#"## What it does
No `src/main.rs`, `src/bin/*` or `[[bin]]` target in the crates under the wiring roots.

## Why
Wiring rules judge services; a library-only tree has none, which the report says instead of an empty clean pass.

## Example
A workspace of library crates.

## Fix
Point the command at the services, or ignore the note.
"#,
    ..RuleInfo::new("NO_SERVICES", "wiring")
};

pub const YAML_SYNTAX: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A Kubernetes manifest is not valid YAML (exit 2)",
    docs: r#"## What it does
A manifest given to `nova k8s check` (or a YAML file with `apiVersion:` and `kind:` found in a
checked directory, or a kustomization's file) that does not parse, at the line and column the
parser stopped.

## Why
An object nova cannot read cannot be judged; a gate must not call it clean.

## Example
`deploy.yaml:3:9: did not find expected ',' or ']'`

## Fix
Fix the YAML (`kubectl apply --dry-run=client -f FILE` reports the same).
"#,
    ..RuleInfo::new("YAML_SYNTAX", "k8s")
};

pub const YAML_LIMIT: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A manifest goes past nova's YAML budgets: nesting, nodes after alias expansion, file size (exit 2)",
    docs: r#"## What it does
A document nested deeper than 200 levels, holding more than 1,000,000 nodes once aliases are
expanded (a "billion laughs"), or a file over 32 MiB, reported at the line and column where the
budget ran out. The document is not read.

## Why
Such input is hostile or generated by mistake; reading it would take unbounded time or memory.
Stopping with a located error is fast and says what was not checked.

## Example
Ten anchors each aliasing the previous one ten times: `a9: &a9 [*a8, *a8, ...]`.

## Fix
Remove the recursion of aliases (or split the file); real manifests are far below the budgets.
"#,
    ..RuleInfo::new("YAML_LIMIT", "k8s")
};

pub const KUSTOMIZE_UNSUPPORTED: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Error,
    summary: "A kustomization uses a field nova does not render, or names a resource or patch that does not exist (exit 2)",
    docs: r#"## What it does
nova renders kustomizations itself (see docs/k8s.md for the supported fields). A field it does not
implement (`configMapGenerator`, `components`, `helmCharts`, ...), a remote resource, a patch target
selector other than kind / name / namespace / group / version, a JSON 6902 op other than add /
replace / remove, a patch that matches no resource, or a missing file is reported at its line.

## Why
Skipping what it cannot render would judge objects other than the ones deployed.

## Example
`overlays/prod/kustomization.yaml:7:1: kustomize field configMapGenerator is not supported by nova`

## Fix
Render with kustomize and pipe the output: `kustomize build overlays/prod | nova k8s check -`.
"#,
    ..RuleInfo::new("KUSTOMIZE_UNSUPPORTED", "k8s")
};

pub const HELM_CHART_NOT_RENDERED: RuleInfo = RuleInfo {
    categories: &["INPUT"],
    default_severity: Severity::Info,
    summary: "A Helm chart in a checked directory was not read: nova does not render Helm templates",
    docs: r#"## What it does
A directory with a `Chart.yaml` found while walking for manifests: its templates are Go templates,
not YAML nova can judge, so the chart is named in a note instead of being read (or failing as a
syntax error).

## Why
Saying what was not checked keeps a clean report honest.

## Example
`deploy/chart/Chart.yaml: Helm chart not rendered`

## Fix
Check the rendered output: `helm template deploy/chart | nova k8s check -`.
"#,
    ..RuleInfo::new("HELM_CHART_NOT_RENDERED", "k8s")
};

pub const BASELINE_UNUSED: RuleInfo = RuleInfo {
    categories: &["BASELINE"],
    default_severity: Severity::Warning,
    summary: "A baseline entry matches no current finding: the finding was fixed or its line changed",
    docs: r#"## What it does
`nova check` with a baseline (`--baseline FILE` or `[check] baseline`) reports each entry of the
file that no current finding matches, at the entry's line in the baseline, with a label at the
file the finding was about. Entries of a checker that did not run, stopped, or could not read all
its input are not judged.

## Why
A stale entry would silently accept the next finding that happens to get the same fingerprint,
and a baseline that only grows hides how much debt was paid.

## Example
`nova-baseline.json:12:1: baseline entry 3f...:1 matches no finding: SOFT_DELETE_CHECK in migrations/0001_init.sql:4 is gone`

## Fix
Delete the entry, or rewrite the file with `nova check --write-baseline`.
"#,
    ..RuleInfo::new("BASELINE_UNUSED", "nova")
};

/// All of them, in the order above.
pub fn rules() -> Vec<&'static RuleInfo> {
    vec![
        &USAGE,
        &INPUT_ERROR,
        &NESTING_TOO_DEEP,
        &IO,
        &COMPILE,
        &EMPTY_FILE,
        &SEMVER_VERSION,
        &INVALID_UTF8,
        &PARSER_FAILURE,
        &MISSING_DIRECTORY,
        &NOT_A_DIRECTORY,
        &NO_MIGRATIONS,
        &NO_WORKSPACE,
        &MISSING_PATH,
        &CARGO_TOML_INVALID,
        &IO_ERROR,
        &NOT_UTF8,
        &PARSE_ERROR,
        &MISSING_MODULE,
        &FILE_TOO_LARGE,
        &FILE_TOO_COMPLEX,
        &EDITOR_JUNK,
        &NO_SERVICES,
        &YAML_SYNTAX,
        &YAML_LIMIT,
        &KUSTOMIZE_UNSUPPORTED,
        &HELM_CHART_NOT_RENDERED,
        &BASELINE_UNUSED,
    ]
}

#[cfg(test)]
mod tests {
    /// Every literal code a diagnostic is created with in `src/` (`Diagnostic::new(checker,
    /// "CODE", ..)`, `Diagnostic::input_error(checker, "CODE", ..)`) is a registered ID, so
    /// `nova explain` answers for everything nova prints.
    #[test]
    fn every_printed_code_is_registered() {
        let re = regex::Regex::new(r#"(?:input_error|Diagnostic::new)\(\s*[^,()]+,\s*"([A-Z][A-Z0-9_]+)""#).unwrap();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut seen = 0;
        for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
            // This file's own comments quote the pattern.
            if e.path().extension().is_none_or(|x| x != "rs") || e.path().ends_with("input_errors.rs") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            for c in re.captures_iter(&text) {
                seen += 1;
                assert!(
                    crate::rules::find(&c[1]).is_some(),
                    "{} creates `{}`, which no rule registers",
                    e.path().display(),
                    &c[1]
                );
            }
        }
        assert!(seen > 20, "the scan found only {seen} codes");
        // `COMPILE` is passed through a constant.
        assert!(crate::rules::find(crate::proto::loader::COMPILE).is_some());
    }
}
