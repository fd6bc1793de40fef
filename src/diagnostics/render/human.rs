//! `--format human`: rustc-style diagnostics with a source excerpt and a caret, then a summary.
use super::location::{Source, Sources};
use crate::diagnostics::{Diagnostic, Edit, FileRef, Fix, Kind, Report, Severity, Span};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Patch, Renderer, Snippet};
use std::sync::Arc;

/// Labels further than this from the primary span get their own excerpt instead of stretching
/// one excerpt over the whole file.
const MAX_EXCERPT_LINES: usize = 40;

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    let renderer = if opts.color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let sources = Sources::new(report);
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render_one(&sources, d, &renderer));
        out.push_str("\n\n");
    }
    for s in &report.human_sections {
        let s = &s.text;
        out.push_str(s);
        if !s.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&summary(report, opts.color));
    out
}

/// One diagnostic without the summary line (for errors that stop a command before any report).
pub fn render_diagnostic(report: &Report, d: &Diagnostic, opts: &super::RenderOptions) -> String {
    let renderer = if opts.color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let mut s = render_one(&Sources::new(report), d, &renderer);
    s.push('\n');
    s
}

fn level_of(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One excerpt being assembled: a window of lines of one file and the spans shown in it.
struct Excerpt {
    file: FileRef,
    source: Arc<Source>,
    first_line: usize,
    last_line: usize,
    /// (span, label, primary)
    marks: Vec<(Span, Option<String>, bool)>,
}

impl Excerpt {
    fn accepts(&self, file: &FileRef, span: Span) -> bool {
        // Same path is not enough: a breaking-change label may point into the old version.
        self.file == *file
            && span.line + MAX_EXCERPT_LINES >= self.last_line
            && span.end_line <= self.first_line + MAX_EXCERPT_LINES
    }

    fn snippet(&self) -> Snippet<'static, annotate_snippets::Annotation<'static>> {
        // Only the lines of the window go to the renderer: passing the whole file for every
        // diagnostic would make large reports quadratic in file size.
        let start = self.source.byte_offset(self.first_line, 1).unwrap_or(0);
        let end = self.source.byte_offset(self.last_line, usize::MAX).unwrap_or(self.source.text.len()).max(start);
        let text = self.source.text[start..end].to_string();
        let mut snippet = Snippet::source(text).line_start(self.first_line).path(self.file.path.clone()).fold(true);
        for (span, label, primary) in &self.marks {
            let Some(r) = self.source.byte_range(*span) else { continue };
            let r = r.start.saturating_sub(start).min(end - start)..r.end.saturating_sub(start).min(end - start);
            let kind = if *primary { AnnotationKind::Primary } else { AnnotationKind::Context };
            snippet = snippet.annotation(kind.span(r).label(label.clone()));
        }
        snippet
    }
}

fn render_one(report: &Sources, d: &Diagnostic, renderer: &Renderer) -> String {
    let level = level_of(d.severity);
    let mut title = level.clone().primary_title(d.message.clone());
    if !d.rule.is_empty() {
        title = title.id(d.rule.clone());
    }
    let mut elements: Vec<Element<'static>> = Vec::new();
    let mut excerpts: Vec<Excerpt> = Vec::new();
    let mut extra_notes: Vec<String> = Vec::new();

    // Primary location.
    if let Some(file) = &d.file {
        match excerpt_for(report, file, d.span) {
            Some((source, span)) => excerpts.push(Excerpt {
                file: file.clone(),
                source,
                first_line: span.line,
                last_line: span.end_line.max(span.line),
                marks: vec![(span, None, true)],
            }),
            None => elements.push(origin(file, d.span).into()),
        }
    }

    // Secondary labels: inside an excerpt when they can be shown, as notes otherwise.
    for label in &d.labels {
        let file = label.file.as_ref().or(d.file.as_ref());
        let shown = file.and_then(|f| excerpt_for(report, f, label.span).map(|(src, span)| (f, src, span)));
        match shown {
            Some((file, source, span)) => {
                let text = Some(label.message.clone()).filter(|m| !m.is_empty());
                if let Some(ex) = excerpts.iter_mut().find(|e| e.accepts(file, span)) {
                    ex.first_line = ex.first_line.min(span.line);
                    ex.last_line = ex.last_line.max(span.end_line.max(span.line));
                    ex.marks.push((span, text, false));
                } else {
                    excerpts.push(Excerpt {
                        file: file.clone(),
                        source,
                        first_line: span.line,
                        last_line: span.end_line.max(span.line),
                        marks: vec![(span, text, false)],
                    });
                }
            }
            None => {
                let at = match (file, label.span) {
                    (Some(f), Some(s)) => format!("{}:{}:{}: ", f.path, s.line, s.column),
                    (Some(f), None) => format!("{}: ", f.path),
                    _ => String::new(),
                };
                extra_notes.push(format!("{at}{}", label.message));
            }
        }
    }

    let mut all: Vec<Element<'static>> = excerpts.iter().map(|e| e.snippet().into()).collect();
    all.extend(elements);
    for n in extra_notes.iter().chain(&d.notes) {
        all.push(Level::NOTE.message(n.clone()).into());
    }
    if let Some(h) = &d.help {
        all.push(Level::HELP.message(h.clone()).into());
    }
    let fix_group = d.fix.as_ref().and_then(|fix| {
        let group = fix_group(report, fix);
        if group.is_none() {
            let how = if fix.safe { "fix" } else { "suggested fix" };
            all.push(Level::HELP.message(format!("{how}: {}", fix.description)).into());
        }
        group
    });
    if d.kind == Kind::InputError {
        all.push(Level::NOTE.message("nova could not use this input (exit code 2)").into());
    }
    let mut groups = vec![Group::with_title(title).elements(all)];
    groups.extend(fix_group);
    renderer.render(&groups)
}

/// The fix drawn as a diff, when every edit lands on character boundaries of a file nova can read.
fn fix_group(report: &Sources, fix: &Fix) -> Option<Group<'static>> {
    if fix.edits.is_empty() {
        return None;
    }
    let how = if fix.safe { "fix" } else { "suggested fix" };
    let title = Level::HELP.secondary_title(format!("{how}: {}", fix.description));
    let mut by_file: Vec<(&FileRef, Vec<&Edit>)> = Vec::new();
    for e in &fix.edits {
        match by_file.iter_mut().find(|(f, _)| f.path == e.file.path) {
            Some((_, v)) => v.push(e),
            None => by_file.push((&e.file, vec![e])),
        }
    }
    let mut elements: Vec<Element<'static>> = Vec::new();
    for (file, edits) in by_file {
        let source = report.get(file)?;
        let text = &source.text;
        let valid = |e: &Edit| {
            e.start <= e.end && e.end <= text.len() && text.is_char_boundary(e.start) && text.is_char_boundary(e.end)
        };
        if !edits.iter().all(|e| valid(e)) {
            return None;
        }
        // Only the edited lines go to the renderer, as for excerpts.
        let first = source.line_of(edits.iter().map(|e| e.start).min()?);
        let last = source.line_of(edits.iter().map(|e| e.end).max()?);
        let from = source.byte_offset(first, 1)?;
        let to = source.byte_offset(last, usize::MAX).unwrap_or(text.len()).max(from);
        let mut snippet = Snippet::source(text[from..to].to_string()).line_start(first).path(file.path.clone());
        for e in edits {
            let (s, t) = (e.start.clamp(from, to) - from, e.end.clamp(from, to) - from);
            snippet = snippet.patch(Patch::new(s..t, e.replacement.clone()));
        }
        elements.push(snippet.into());
    }
    Some(Group::with_title(title).elements(elements))
}

/// The source and a span that can be drawn in it, when both exist and agree.
fn excerpt_for(report: &Sources, file: &FileRef, span: Option<Span>) -> Option<(Arc<Source>, Span)> {
    let span = span?;
    let source = report.get(file)?;
    source.line_text(span.line)?;
    source.byte_range(span)?;
    let mut span = span;
    if span.end_line < span.line || source.line_text(span.end_line).is_none() {
        span.end_line = span.line;
        span.end_column = span.column;
    }
    Some((source, span))
}

fn origin(file: &FileRef, span: Option<Span>) -> Origin<'static> {
    let o = Origin::path(file.path.clone());
    match span {
        Some(s) => o.line(s.line).char_column(s.column),
        None => o,
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// `Found 2 errors and 1 warning in 12 files.` / `No problems found in 12 files.`
fn summary(report: &Report, color: bool) -> String {
    let errors = report.errors();
    let warnings = report.warnings();
    let infos = report.diagnostics.iter().filter(|d| d.severity == Severity::Info).count();
    let input_errors = report.diagnostics.iter().filter(|d| d.kind == Kind::InputError).count();
    let files = plural(report.files_checked, "file");
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if infos > 0 {
        parts.push(if infos == 1 { "1 info finding".to_string() } else { format!("{infos} info findings") });
    }
    let text = if parts.is_empty() {
        format!("No problems found in {files}.")
    } else {
        let last = parts.pop().unwrap_or_default();
        let list = if parts.is_empty() { last } else { format!("{} and {last}", parts.join(", ")) };
        let mut t = format!("Found {list} in {files}");
        if input_errors > 0 {
            let verb = if input_errors == 1 { "is an input error" } else { "are input errors" };
            t.push_str(&format!(" ({input_errors} of them {verb}: nova could not check everything)"));
        }
        t.push('.');
        t
    };
    if !color {
        return text + "\n";
    }
    let style = if errors > 0 {
        anstyle::AnsiColor::BrightRed.on_default().bold()
    } else if warnings > 0 {
        anstyle::AnsiColor::Yellow.on_default().bold()
    } else {
        anstyle::AnsiColor::BrightGreen.on_default().bold()
    };
    format!("{style}{text}{style:#}\n")
}
