//! `--format junit`: JUnit XML in the shape of the Jenkins/Surefire schema (`junit-10.xsd`), which
//! Jenkins, GitLab and the GitHub test-report actions all read.
//!
//! One `<testsuite>` per checker, one `<testcase>` per finding. Error findings are `<failure>`s,
//! input nova could not use is an `<error>`, warnings and infos are passing test cases whose text
//! is in `<system-out>` (they do not fail the run, so they must not fail the report). A clean run
//! still has one passing test case, because reporters treat an empty report as a broken job.
use crate::diagnostics::{Diagnostic, Kind, Report, Severity};

pub fn render(report: &Report) -> String {
    let mut suites: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        match suites.iter_mut().find(|(c, _)| *c == d.checker) {
            Some((_, v)) => v.push(d),
            None => suites.push((d.checker, vec![d])),
        }
    }
    let total = report.diagnostics.len().max(1);
    let failures = report.diagnostics.iter().filter(|d| is_failure(d)).count();
    let errors = report.diagnostics.iter().filter(|d| d.kind == Kind::InputError).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"nova\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\" time=\"0\">\n"
    ));
    if suites.is_empty() {
        out.push_str("  <testsuite name=\"nova\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\">\n");
        out.push_str(&format!(
            "    <testcase classname=\"nova\" name=\"{}\" time=\"0\"/>\n",
            attr(&format!("no problems in {} checked file(s)", report.files_checked))
        ));
        out.push_str("  </testsuite>\n");
    }
    for (checker, diags) in suites {
        let f = diags.iter().filter(|d| is_failure(d)).count();
        let e = diags.iter().filter(|d| d.kind == Kind::InputError).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\" skipped=\"0\" time=\"0\">\n",
            attr(&format!("nova {checker}")),
            diags.len()
        ));
        for d in diags {
            out.push_str(&testcase(d));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn is_failure(d: &Diagnostic) -> bool {
    d.kind == Kind::Finding && d.severity == Severity::Error
}

fn location(d: &Diagnostic) -> Option<String> {
    let f = d.file.as_ref()?;
    Some(match d.span {
        Some(s) => format!("{}:{}:{}", f.path, s.line, s.column),
        None => f.path.clone(),
    })
}

fn testcase(d: &Diagnostic) -> String {
    let name = match location(d) {
        Some(at) => format!("{} {at}", d.rule),
        None => d.rule.clone(),
    };
    let mut body = String::new();
    if let Some(at) = location(d) {
        body.push_str(&format!("{at}: "));
    }
    body.push_str(&format!("{}[{}]: {}", d.severity.as_str(), d.rule, d.message));
    for l in &d.labels {
        let at = match (&l.file, l.span) {
            (Some(f), Some(s)) => format!("{}:{}:{}: ", f.path, s.line, s.column),
            (None, Some(s)) => format!("line {}: ", s.line),
            _ => String::new(),
        };
        body.push_str(&format!("\n  {at}{}", l.message));
    }
    for n in &d.notes {
        body.push_str(&format!("\n  note: {n}"));
    }
    if let Some(h) = &d.help {
        body.push_str(&format!("\n  help: {h}"));
    }
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n",
        attr(&format!("nova.{}", d.checker)),
        attr(&name)
    );
    let inner = if d.kind == Kind::InputError {
        format!("      <error message=\"{}\" type=\"{}\">{}</error>\n", attr(&d.message), attr(&d.rule), text(&body))
    } else if d.severity == Severity::Error {
        format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            attr(&d.message),
            attr(&d.rule),
            text(&body)
        )
    } else {
        format!("      <system-out>{}</system-out>\n", text(&body))
    };
    format!("{open}{inner}    </testcase>\n")
}

/// Characters XML 1.0 cannot carry at all, even escaped, become U+FFFD.
fn legal(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 => '\u{FFFD}',
        '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// Escape element text.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(legal) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value; newlines and tabs are character references so parsers keep them.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(legal) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}
