//! `nova migrations check`: replay SQL migrations into a schema model and check the soft-delete
//! and outbox invariants plus migration safety.
//!
//! Pipeline per migrations directory (= one database): list files the way sqlx does, read and parse
//! them in parallel (parse, extract model operations, run squawk's per-file rules), replay the
//! operations in order on one thread, judge the final schema, map findings to file:line:column.
use crate::context::Ctx;
use crate::diagnostics::{Diagnostic, FileRef, LineIndex, Report, Span};
use crate::error::NovaError;
use crate::rules::{RuleInfo, Selection, SelectionInput};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod config;
pub mod depth;
pub mod discover;
pub mod extract;
pub mod files;
pub mod guard;
pub mod model;
pub mod parse;
pub mod plpgsql;
pub mod replay;
pub mod rules;
pub mod squawk;
pub mod verify;
pub mod would_fail;

use model::{Loc, Op, Stmt};
use rules::Finding;

pub const CHECKER: &str = "migrations";

/// Arguments of `nova migrations check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MigrationsArgs {
    /// Migration directories (default: `[migrations]` in nova.toml, else discovered).
    pub dirs: Vec<PathBuf>,
    /// Report only on migration files added or changed since this git ref.
    #[arg(long)]
    pub since: Option<String>,
    /// Also apply the migrations to a scratch database on this PostgreSQL server and compare.
    #[arg(long, value_name = "POSTGRES_URL")]
    pub verify_with: Option<String>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    let mut v = rules::all();
    v.push(&crate::suppress::UNUSED_IGNORE);
    let mut sq: Vec<&'static RuleInfo> = squawk::RULES.iter().collect();
    sq.sort_by_key(|r| r.id);
    v.extend(sq);
    v
}

/// One migration file, read and analysed.
pub struct LoadedFile {
    pub file: files::MigrationFile,
    pub text: Arc<str>,
    pub index: LineIndex,
    pub no_transaction: bool,
    pub stmts: Vec<Stmt>,
    pub errors: Vec<parse::SyntaxErr>,
    pub squawk: Vec<squawk::SquawkHit>,
    /// Byte ranges of the top-level statements (for suppression comments).
    pub top: Vec<(usize, usize)>,
    /// `-- nova:ignore RULE` comments: (1-based line, rule IDs).
    pub ignores: Vec<(usize, Vec<String>)>,
}

/// One migrations directory, ready to replay.
pub struct Stream {
    pub dir: PathBuf,
    pub files: Vec<LoadedFile>,
}

impl Stream {
    pub fn all_stmts(&self) -> Vec<Stmt> {
        self.files.iter().flat_map(|f| f.stmts.iter().cloned()).collect()
    }
}

fn inline_ignores(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    if !text.contains("nova:ignore") {
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("nova:ignore") else { continue };
        if !line[..pos].contains("--") && !line[..pos].contains("/*") {
            continue;
        }
        // The shared grammar: `nova:ignore a, b reason` names a and b.
        if let Some(d) = crate::suppress::parse(&line[pos + crate::suppress::KEYWORD.len()..]) {
            out.push((i + 1, d.ids.iter().map(|s| s.to_string()).collect()));
        }
    }
    out
}

/// Read, parse and analyse one file (runs on a rayon worker).
fn load_file(
    idx: usize,
    file: files::MigrationFile,
    squawk_rules: &[(squawk_linter::Rule, &'static str)],
) -> Result<LoadedFile, Box<Diagnostic>> {
    let bytes = std::fs::read(&file.abs).map_err(|e| {
        Box::new(
            Diagnostic::input_error(CHECKER, "IO", format!("cannot read {}: {e}", file.abs.display()))
                .at(FileRef::virtual_path(file.abs.to_string_lossy()), None),
        )
    })?;
    let text = crate::fsutil::decode_utf8(&file.abs, bytes).map_err(|e| {
        let span = e.location.as_ref().and_then(|l| l.line.map(|ln| (ln, l.column.unwrap_or(1))));
        let mut d = Diagnostic::input_error(CHECKER, "INVALID_UTF8", e.message.clone())
            .at(FileRef::virtual_path(file.abs.to_string_lossy()), span.map(|(l, c)| Span::new(l, c, l, c)));
        d.help = Some("migration files must be UTF-8 (PostgreSQL and sqlx read them as such)".into());
        Box::new(d)
    })?;
    if let Some(off) = depth::too_deep(&text, depth::LIMIT) {
        let (l, c) = LineIndex::new(&text).line_col(&text, off);
        let mut d = Diagnostic::input_error(
            CHECKER,
            "NESTING_TOO_DEEP",
            format!(
                "brackets nested more than {} levels deep in {}: nova does not parse this file",
                depth::LIMIT,
                file.abs.display()
            ),
        )
        .at(FileRef::virtual_path(file.abs.to_string_lossy()), Some(Span::new(l, c, l, c)));
        d.help =
            Some("PostgreSQL's parser rejects this depth too (\"memory exhausted\"); flatten the expression".into());
        return Err(Box::new(d));
    }
    let abs = file.abs.clone();
    // The parser is third-party code; a bug in it must not take the whole run down.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyse_text(idx, file, text, squawk_rules))).map_err(
        |_| {
            Box::new(
                Diagnostic::input_error(
                    CHECKER,
                    "PARSER_FAILURE",
                    format!("the SQL parser failed on {}", abs.display()),
                )
                .at(FileRef::virtual_path(abs.to_string_lossy()), None)
                .with_help("please report this file to nova's maintainers; the other files were checked"),
            )
        },
    )
}

pub fn analyse_text(
    idx: usize,
    file: files::MigrationFile,
    text: String,
    squawk_rules: &[(squawk_linter::Rule, &'static str)],
) -> LoadedFile {
    let parsed = parse::parse(&text);
    let extracted = extract::extract_file(idx, &parsed);
    let no_transaction = files::is_no_transaction(&text);
    let mut squawk = squawk::lint(squawk_rules, &parsed.parse, &text, !no_transaction);
    let do_stmts: Vec<(usize, usize)> = parsed.do_stmts.iter().map(|s| (s.start, s.end)).collect();
    squawk.extend(squawk::lint_do_statements(squawk_rules, &do_stmts, &text, !no_transaction));
    let top = parsed.top.iter().map(|s| (s.start, s.end)).collect();
    let errors = parsed.errors.clone();
    drop(parsed);
    let index = LineIndex::new(&text);
    let ignores = inline_ignores(&text);
    LoadedFile {
        file,
        text: Arc::from(text),
        index,
        no_transaction,
        stmts: extracted.stmts,
        errors,
        squawk,
        top,
        ignores,
    }
}

/// Which directories to check, and which configured ones are skipped.
fn resolve_dirs(ctx: &Ctx, args: &MigrationsArgs) -> Result<(Vec<(PathBuf, bool)>, bool), NovaError> {
    let cfg = &ctx.config.config.migrations;
    let explicit: Vec<(PathBuf, bool)> = if !args.dirs.is_empty() {
        args.dirs.iter().map(|d| (ctx.cwd.join(d), true)).collect()
    } else if !cfg.dirs.is_empty() {
        cfg.dirs.iter().map(|d| (ctx.config.resolve(d), true)).collect()
    } else {
        Vec::new()
    };
    if !explicit.is_empty() {
        return Ok((explicit, false));
    }
    Ok((files::discover_in(&ctx.cwd, ctx.tree.as_deref()).into_iter().map(|d| (d, false)).collect(), true))
}

fn skipped(ctx: &Ctx, dir: &Path) -> bool {
    let cfg = &ctx.config.config.migrations;
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let d = canon(dir);
    cfg.skip.iter().any(|s| d.starts_with(canon(&ctx.config.resolve(s))))
        || cfg.dialect.iter().any(|(p, dialect)| {
            !matches!(dialect.to_ascii_lowercase().as_str(), "postgres" | "postgresql" | "pg")
                && d.starts_with(canon(&ctx.config.resolve(Path::new(p))))
        })
}

pub fn run(ctx: &Ctx, args: &MigrationsArgs) -> Result<Report, NovaError> {
    let cfg = &ctx.config.config.migrations;
    let all_rules = rules();
    let selection = Selection::new(
        &all_rules,
        &SelectionInput {
            severity: cfg.severity.clone(),
            ignore: cfg.ignore.clone(),
            ignore_only: cfg.ignore_only.clone(),
            ..Default::default()
        },
    )
    .map_err(|e| ctx.config.locate_selection_error(&["migrations"], e))?;
    let settings = config::Settings::from(cfg);
    let (dirs, discovered) = resolve_dirs(ctx, args)?;
    let mut seen = BTreeSet::new();
    let dirs: Vec<(PathBuf, bool)> = dirs
        .into_iter()
        .filter(|(d, _)| !skipped(ctx, d))
        // The same directory named twice is one database, checked once.
        .filter(|(d, _)| seen.insert(d.canonicalize().unwrap_or_else(|_| d.clone())))
        .collect();
    if dirs.is_empty() && discovered {
        return Err(NovaError::new("no migrations directories found")
            .with_help("pass directories (`nova migrations check services/api/migrations`) or set `[migrations] dirs` in nova.toml"));
    }
    let enabled: Vec<&'static str> = selection.enabled_ids().collect();
    let squawk_rules = squawk::enabled_rules(&enabled);

    let mut report = Report::new();
    report.root = Some(ctx.cwd.clone());
    let mut streams = Vec::new();
    for (dir, explicit) in dirs {
        let dir_ref = FileRef::new(&ctx.cwd, &dir);
        if !dir.exists() {
            report.push(
                Diagnostic::input_error(
                    CHECKER,
                    "MISSING_DIRECTORY",
                    format!("migrations directory `{}` does not exist", dir_ref.path),
                )
                .at(dir_ref, None)
                .with_help("check the path given on the command line or in `[migrations] dirs`"),
            );
            continue;
        }
        if !dir.is_dir() {
            report.push(
                Diagnostic::input_error(CHECKER, "NOT_A_DIRECTORY", format!("`{}` is not a directory", dir_ref.path))
                    .at(dir_ref, None),
            );
            continue;
        }
        let listing = match files::list_dir(&dir) {
            Ok(l) => l,
            Err(e) => {
                report.push(
                    Diagnostic::input_error(CHECKER, "IO", format!("cannot list `{}`: {e}", dir_ref.path))
                        .at(dir_ref, None),
                );
                continue;
            }
        };
        if listing.applied.is_empty() && listing.bad_version.is_empty() {
            if explicit {
                report.push(
                    Diagnostic::input_error(
                        CHECKER,
                        "NO_MIGRATIONS",
                        format!("`{}` contains no migration files (`<version>_<name>.sql`)", dir_ref.path),
                    )
                    .at(dir_ref, None),
                );
            }
            continue;
        }
        for f in &listing.bad_version {
            let fr = FileRef::new(&ctx.cwd, &f.abs);
            push_diag(
                &mut report,
                &selection,
                &rules::migration_version_not_integer::RULE,
                Diagnostic::new(
                    CHECKER,
                    rules::migration_version_not_integer::RULE.id,
                    rules::migration_version_not_integer::RULE.default_severity,
                    format!(
                        "`{}`: version prefix `{}` is not an integer; sqlx refuses the directory",
                        f.name, f.prefix
                    ),
                )
                .at(fr, Some(Span::file_start())),
            );
        }
        let load =
            || listing.applied.into_par_iter().enumerate().map(|(i, f)| load_file(i, f, &squawk_rules)).collect();
        // The parser recurses once per nesting level (up to `depth::LIMIT`): parse on threads
        // whose stacks hold that, not on rayon's 2 MiB default.
        let loaded: Vec<Result<LoadedFile, Box<Diagnostic>>> = match parse_pool() {
            Some(pool) => pool.install(load),
            None => load(),
        };
        let mut files = Vec::new();
        for r in loaded {
            match r {
                Ok(f) => files.push(f),
                Err(mut d) => {
                    // Re-anchor the path relative to the working directory.
                    if let Some(fr) = d.file.take() {
                        let abs = PathBuf::from(&fr.path);
                        d.file = Some(FileRef::new(&ctx.cwd, &abs));
                    }
                    report.push(*d);
                }
            }
        }
        // Files that could not be read are left out; re-number so locations index `files`.
        for (i, f) in files.iter_mut().enumerate() {
            for s in f.stmts.iter_mut() {
                relabel_stmt(s, i);
            }
        }
        report.files_checked += files.len();
        streams.push(Stream { dir, files });
    }

    for stream in &streams {
        let mut used = BTreeSet::new();
        let findings = check_stream(stream, &settings, &|id| selection.is_enabled(id));
        for f in findings {
            emit_finding(ctx, &mut report, &selection, &settings, stream, &f, &mut used);
        }
        for (fi, lf) in stream.files.iter().enumerate() {
            for h in &lf.squawk {
                let f = Finding {
                    rule: h.rule,
                    loc: Loc { file: fi, start: h.start, end: h.end },
                    whole_file: false,
                    message: h.message.clone(),
                    table: None,
                    labels: Vec::new(),
                    help: h.help.clone(),
                };
                emit_finding(ctx, &mut report, &selection, &settings, stream, &f, &mut used);
            }
        }
        if let Some(url) = &args.verify_with {
            for f in verify::verify(url, stream, &settings)? {
                emit_finding(ctx, &mut report, &selection, &settings, stream, &f, &mut used);
            }
        }
        report_unused_suppressions(ctx, &mut report, &selection, stream, &used, &all_rules);
    }

    if let Some(since) = &args.since {
        filter_since(ctx, &mut report, since)?;
    }
    let cited: BTreeSet<PathBuf> = report
        .diagnostics
        .iter()
        .flat_map(|d| d.file.iter().chain(d.labels.iter().filter_map(|l| l.file.as_ref())))
        .filter_map(|f| f.abs.clone())
        .collect();
    for s in &streams {
        for f in &s.files {
            if cited.contains(&f.file.abs) {
                report.sources.insert(f.file.abs.clone(), f.text.clone());
            }
        }
    }
    Ok(report)
}

/// Stack for the threads that parse: `depth::LIMIT` levels of squawk's recursive descent (about
/// 0.5 KiB a level in a debug build) and the passes over the tree, with a wide margin. Only the
/// pages a thread touches are committed.
const PARSE_STACK: usize = 256 << 20;

fn parse_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().stack_size(PARSE_STACK).build().ok()).as_ref()
}

fn relabel_stmt(s: &mut Stmt, file: usize) {
    s.loc.file = file;
    match &mut s.op {
        Op::CreateTable { columns, constraints, .. } => {
            for c in columns.iter_mut() {
                c.loc.file = file;
                for k in c.constraints.iter_mut() {
                    k.loc.file = file;
                }
            }
            for k in constraints.iter_mut() {
                k.loc.file = file;
            }
        }
        Op::AlterTable { actions, .. } => {
            for a in actions.iter_mut() {
                match a {
                    model::AlterAction::AddColumn { col, .. } => {
                        col.loc.file = file;
                        for k in col.constraints.iter_mut() {
                            k.loc.file = file;
                        }
                    }
                    model::AlterAction::AddConstraint(k) => k.loc.file = file,
                    _ => {}
                }
            }
        }
        Op::CreateFunction { body, .. } => {
            for r in body.row_refs.iter_mut() {
                r.loc.file = file;
            }
        }
        _ => {}
    }
}

/// Every finding of one stream from the schema rules `runs` selects (before severities, path
/// ignores and suppressions).
pub fn check_stream(stream: &Stream, settings: &config::Settings, runs: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // Hygiene that depends on files and statements, not on the final schema.
    let mut by_version: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, f) in stream.files.iter().enumerate() {
        if let Some(v) = f.file.version {
            by_version.entry(v).or_default().push(i);
        }
    }
    for (v, idxs) in &by_version {
        for &i in idxs.iter().skip(1) {
            let first = idxs[0];
            let mut f = Finding::new(
                &rules::migration_duplicate_version::RULE,
                Loc { file: i, start: 0, end: 0 },
                format!(
                    "version {v} of `{}` is also used by `{}`",
                    stream.files[i].file.name, stream.files[first].file.name
                ),
            )
            .label(Loc { file: first, start: 0, end: 0 }, "first used here");
            f.whole_file = true;
            out.push(f);
        }
    }
    for (i, f) in stream.files.iter().enumerate() {
        // Parser errors cascade; the first one on a line is the one worth reading.
        let mut last_line = 0;
        // One PL/pgSQL warning per body is enough: its errors cascade.
        let mut last_body: Option<usize> = None;
        for e in &f.errors {
            let (line, _) = f.index.line_col(&f.text, e.start);
            if e.plpgsql {
                let stmt = f.top.partition_point(|(s, _)| *s <= e.start);
                if last_body == Some(stmt) {
                    continue;
                }
                last_body = Some(stmt);
                out.push(
                    Finding::new(
                        &rules::plpgsql_not_analysed::RULE,
                        Loc { file: i, start: e.start, end: e.end.max(e.start) },
                        format!(
                            "nova cannot parse this PL/pgSQL ({}); the rest of this body is not analysed",
                            e.message
                        ),
                    )
                    .help("if PostgreSQL accepts it, suppress with `-- nova:ignore PLPGSQL_NOT_ANALYSED` and report the form"),
                );
                continue;
            }
            if line == last_line {
                continue;
            }
            last_line = line;
            out.push(Finding::new(
                &rules::sql_syntax_error::RULE,
                Loc { file: i, start: e.start, end: e.end.max(e.start) },
                format!("syntax error: {}", e.message),
            ));
        }
        if !f.no_transaction {
            for s in &f.stmts {
                let (conc, what) = match &s.op {
                    Op::CreateIndex { concurrently, .. } => (*concurrently, "CREATE INDEX CONCURRENTLY"),
                    Op::DropIndex { concurrently, .. } => (*concurrently, "DROP INDEX CONCURRENTLY"),
                    _ => (false, ""),
                };
                if conc {
                    out.push(
                        Finding::new(
                            &rules::concurrently_in_transaction::RULE,
                            s.loc,
                            format!("{what} in `{}`, which sqlx runs inside a transaction", f.file.name),
                        )
                        .help(
                            "make `-- no-transaction` the first line of the file (and keep the statement alone in it)",
                        ),
                    );
                }
            }
        }
    }
    let stmts = stream.all_stmts();
    let mut judge = would_fail::Judge::new(&settings.external_tables);
    let replayed = replay::replay_judged(&stmts, Some(&mut judge));
    if let Some(f) = judge.failure {
        out.push(would_fail_finding(stream, &f));
    }
    for e in &replayed.alter_unknown {
        if settings.external_tables.contains(&e.table) {
            continue;
        }
        out.push(
            Finding::new(
                &rules::alter_unknown_table::RULE,
                e.loc,
                format!("ALTER TABLE `{}`: no earlier migration in this directory creates it", e.table),
            )
            .table(&e.table)
            .help("fix the name, or list the table in `[migrations] external_tables` if another tool creates it"),
        );
    }
    let cx = rules::Cx::new(&replayed.schema, settings);
    rules::check_schema(&cx, &mut out, runs);
    out
}

fn would_fail_finding(stream: &Stream, f: &would_fail::Failure) -> Finding {
    let later: Vec<&str> = stream.files.iter().skip(f.loc.file + 1).map(|lf| lf.file.name.as_str()).collect();
    let file = &stream.files[f.loc.file];
    let rolled_back = if file.no_transaction { "" } else { " (and its file is rolled back)" };
    let never = match later.as_slice() {
        [] => "no later migration is affected".to_string(),
        [one] => format!("`{one}` never runs"),
        many if many.len() <= 5 => {
            format!("{} never run", many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
        }
        many => format!("`{}` and the {} migrations after it never run", many[0], many.len() - 1),
    };
    let mut finding = Finding::new(
        &rules::migration_would_fail::RULE,
        f.loc,
        format!("PostgreSQL rejects this statement: {}; sqlx stops here{rolled_back}, so {never}", f.reason),
    )
    .help("add `IF NOT EXISTS` / `IF EXISTS` / `OR REPLACE`, or fix the name");
    if let Some(l) = f.earlier {
        finding = finding.label(l, "created here");
    }
    finding
}

/// The line of the `-- nova:ignore` comment that suppresses `rule` at `loc`, if any.
fn is_suppressed(file: &LoadedFile, loc: &Loc, rule: &str) -> Option<usize> {
    if file.ignores.is_empty() {
        return None;
    }
    // The top-level statement that contains the finding.
    let i = file.top.partition_point(|(s, _)| *s <= loc.start);
    let start = if i == 0 { loc.start } else { file.top[i - 1].0 };
    let (line, _) = file.index.line_col(&file.text, start);
    let matches =
        |l: usize| file.ignores.iter().any(|(il, ids)| *il == l && ids.iter().any(|id| id.eq_ignore_ascii_case(rule)));
    if matches(line) {
        return Some(line);
    }
    // Walk up the comment block directly above the statement.
    let mut l = line;
    while l > 1 {
        l -= 1;
        let Some(s) = file.index.line_start(l) else { break };
        let e = file.index.line_start(l + 1).unwrap_or(file.text.len());
        let text = file.text[s..e].trim();
        if !text.starts_with("--") {
            break;
        }
        if matches(l) {
            return Some(l);
        }
    }
    None
}

/// `-- nova:ignore RULE` comments that suppressed nothing: stale after a fix, or a typo in the ID.
/// Comments naming a rule that is switched off are left alone (they matter when it is switched on).
fn report_unused_suppressions(
    ctx: &Ctx,
    report: &mut Report,
    selection: &Selection,
    stream: &Stream,
    used: &BTreeSet<(usize, usize, String)>,
    all_rules: &[&'static RuleInfo],
) {
    let rule = &crate::suppress::UNUSED_IGNORE;
    let Some(sev) = selection.severity(rule.id) else { return };
    for (fi, f) in stream.files.iter().enumerate() {
        for (line, ids) in &f.ignores {
            for id in ids {
                let known = all_rules.iter().find(|r| r.id.eq_ignore_ascii_case(id));
                let message = match known {
                    None => format!("`-- nova:ignore {id}`: no rule has this ID"),
                    Some(r) if !selection.is_enabled(r.id) => continue,
                    Some(r) if used.contains(&(fi, *line, r.id.to_ascii_uppercase())) => continue,
                    Some(r) => format!("`-- nova:ignore {}` suppresses nothing here", r.id),
                };
                let fr = FileRef::new(&ctx.cwd, &f.file.abs);
                if selection.is_ignored(rule.id, &fr.path) {
                    continue;
                }
                let start = f.index.line_start(*line).unwrap_or(0);
                let loc = Loc { file: fi, start, end: start };
                let d = Diagnostic::new(CHECKER, rule.id, sev, message)
                    .at(fr, Some(span_of(f, &loc)))
                    .with_help("remove the comment, or fix the rule ID (`nova rules --checker migrations`)");
                report.push(d);
            }
        }
    }
}

fn span_of(file: &LoadedFile, loc: &Loc) -> Span {
    let (l, c) = file.index.line_col(&file.text, loc.start);
    let (el, ec) = file.index.line_col(&file.text, loc.end.max(loc.start));
    Span::new(l, c, el, ec)
}

fn push_diag(report: &mut Report, selection: &Selection, rule: &RuleInfo, mut d: Diagnostic) {
    let Some(sev) = selection.severity(rule.id) else { return };
    if let Some(f) = &d.file
        && selection.is_ignored(rule.id, &f.path)
    {
        return;
    }
    d.severity = sev;
    report.push(d);
}

fn emit_finding(
    ctx: &Ctx,
    report: &mut Report,
    selection: &Selection,
    settings: &config::Settings,
    stream: &Stream,
    f: &Finding,
    used: &mut BTreeSet<(usize, usize, String)>,
) {
    let Some(sev) = selection.severity(f.rule) else { return };
    let Some(file) = stream.files.get(f.loc.file) else { return };
    let fr = FileRef::new(&ctx.cwd, &file.file.abs);
    if selection.is_ignored(f.rule, &fr.path) {
        return;
    }
    if let Some(t) = &f.table
        && settings.table_ignored(f.rule, t)
    {
        return;
    }
    if !f.whole_file
        && let Some(line) = is_suppressed(file, &f.loc, f.rule)
    {
        used.insert((f.loc.file, line, f.rule.to_ascii_uppercase()));
        return;
    }
    let span = if f.whole_file { Span::file_start() } else { span_of(file, &f.loc) };
    let mut d = Diagnostic::new(CHECKER, f.rule, sev, f.message.clone()).at(fr, Some(span));
    for (loc, msg) in &f.labels {
        if let Some(lf) = stream.files.get(loc.file) {
            let span = if loc.start == 0 && loc.end == 0 { Span::file_start() } else { span_of(lf, loc) };
            d = d.with_label(Some(FileRef::new(&ctx.cwd, &lf.file.abs)), Some(span), msg.clone());
        }
    }
    if let Some(h) = &f.help {
        d = d.with_help(h.clone());
    }
    report.push(d);
}

/// Keep only findings in migration files added or changed since `since` (input errors stay).
fn filter_since(ctx: &Ctx, report: &mut Report, since: &str) -> Result<(), NovaError> {
    // The shared handle: under `nova check --changed-since` the diff is the one the change filter
    // already read.
    let changed = ctx.git.changed_paths_since(since)?;
    let workdir = ctx.git.workdir().ok_or_else(|| NovaError::new("--since needs a repository with a worktree"))?;
    let workdir = workdir.canonicalize().unwrap_or(workdir);
    let changed: BTreeSet<PathBuf> = changed.iter().map(|p| workdir.join(p)).collect();
    report.diagnostics.retain(|d| {
        if d.kind == crate::diagnostics::Kind::InputError {
            return true;
        }
        let Some(abs) = d.file.as_ref().and_then(|f| f.abs.as_ref()) else { return true };
        let abs = abs.canonicalize().unwrap_or_else(|_| abs.clone());
        changed.contains(&abs)
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix of every fixture (cut mid-statement, mid-quote, mid-body) goes through the
    /// whole pipeline without a panic.
    #[test]
    fn truncated_inputs_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations");
        let rules = squawk::enabled_rules(&squawk::RULES.iter().map(|r| r.id).collect::<Vec<_>>());
        let mut n = 0;
        for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "sql") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
            for cut in cuts {
                let file = files::MigrationFile {
                    abs: entry.path().to_path_buf(),
                    name: "1_x.sql".into(),
                    version: Some(1),
                    prefix: "1".into(),
                    kind: files::FileKind::Simple,
                };
                let lf = analyse_text(0, file, text[..cut].to_string(), &rules);
                let stream = Stream { dir: root.clone(), files: vec![lf] };
                let findings = check_stream(&stream, &config::Settings::default(), &|_| true);
                for f in findings {
                    let lf = &stream.files[0];
                    let _ = span_of(lf, &f.loc);
                    let _ = is_suppressed(lf, &f.loc, f.rule);
                }
                n += 1;
            }
        }
        assert!(n > 1000, "only {n} cuts");
    }

    #[test]
    fn inline_ignore_comments() {
        let v = inline_ignores("-- nova:ignore SOFT_DELETE_CHECK,SOFT_DELETE_COLUMNS legacy table\nSELECT 1;\n");
        assert_eq!(v, vec![(1, vec!["SOFT_DELETE_CHECK".to_string(), "SOFT_DELETE_COLUMNS".to_string()])]);
    }
}
