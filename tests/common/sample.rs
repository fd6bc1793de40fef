//! The synthetic report every output-format test renders: two real files under
//! `tests/fixtures/output/` (so excerpts and fingerprints see their text) and every shape a renderer
//! must handle. Included with `#[path]` by the output-format test binaries.
#![allow(dead_code)]

use nova::diagnostics::{Diagnostic, Edit, FileRef, Fix, Report, Severity, Span};
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/output")
}

/// The 1-based character span of the first `needle` on 1-based `line` of `file`.
pub fn span_of(file: &Path, line: usize, needle: &str) -> Span {
    let src = std::fs::read_to_string(file).unwrap();
    let text = src.lines().nth(line - 1).unwrap();
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle} not on line {line}"));
    let col = text[..byte].chars().count() + 1;
    Span::new(line, col, line, col + needle.chars().count())
}

/// Byte range of the first `needle` in `file`.
pub fn bytes_of(file: &Path, needle: &str) -> (usize, usize) {
    let src = std::fs::read_to_string(file).unwrap();
    let start = src.find(needle).unwrap();
    (start, start + needle.len())
}

/// A report with every shape a renderer must handle: labels in the same file, notes, help, a fix
/// with an edit, an input error, a warning, an info, a finding with a file but no span, one with no
/// file at all, and non-ASCII text before a span.
pub fn sample_report() -> Report {
    let root = fixtures();
    let proto_abs = root.join("protos/billing/v1/billing.proto");
    let sql_abs = root.join("migrations/0001_init.sql");
    let proto = FileRef::new(&root, &proto_abs);
    let sql = FileRef::new(&root, &sql_abs);
    let mut r = Report::new();
    r.root = Some(root.clone());
    r.files_checked = 2;

    let (fs, fe) = bytes_of(&proto_abs, "invoiceId");
    r.push(
        Diagnostic::new(
            "proto",
            "FIELD_LOWER_SNAKE_CASE",
            Severity::Error,
            "field name `invoiceId` should be lower_snake_case",
        )
        .at(proto.clone(), Some(span_of(&proto_abs, 9, "invoiceId")))
        .with_help("rename it to `invoice_id`; the JSON name stays `invoiceId`")
        .with_fix(Fix {
            description: "rename `invoiceId` to `invoice_id`".into(),
            safe: false,
            edits: vec![Edit { file: proto.clone(), start: fs, end: fe, replacement: "invoice_id".into() }],
        }),
    );
    r.push(
        Diagnostic::new(
            "proto",
            "ENUM_ZERO_VALUE_SUFFIX",
            Severity::Error,
            "enum zero value `PAID` should be suffixed with `_UNSPECIFIED`",
        )
        .at(proto.clone(), Some(span_of(&proto_abs, 15, "PAID")))
        .with_label(Some(proto.clone()), Some(span_of(&proto_abs, 14, "Status")), "in enum `Status`")
        .with_note("the zero value is what a reader sees when the field is unset"),
    );
    r.push(
        Diagnostic::new(
            "proto",
            "RPC_REQUEST_RESPONSE_UNIQUE",
            Severity::Warning,
            "RPC `GetInvoice` uses the same message for request and response",
        )
        .at(proto.clone(), Some(span_of(&proto_abs, 20, "GetInvoice(Invoice) returns (Invoice)")))
        .with_label(Some(proto.clone()), Some(span_of(&proto_abs, 8, "Invoice")), "message defined here"),
    );
    r.push(
        Diagnostic::input_error("proto", "COMPILE", "import \"google/protobuf/timestamp.proto\" was not found")
            .at(proto.clone(), Some(span_of(&proto_abs, 5, "\"google/protobuf/timestamp.proto\"")))
            .with_help("add the directory that holds it with `--include`"),
    );
    r.push(
        Diagnostic::new(
            "migrations",
            "adding-required-field",
            Severity::Error,
            "adding the NOT NULL column \"état\" without a default fails on a table with rows",
        )
        .at(sql.clone(), Some(span_of(&sql_abs, 6, "\"état\" text NOT NULL")))
        .with_label(Some(sql.clone()), Some(span_of(&sql_abs, 1, "invoices")), "table created here")
        .with_note("Postgres has to rewrite or reject every existing row")
        .with_help("add a DEFAULT, or add the column nullable, backfill, then SET NOT NULL"),
    );
    r.push(
        Diagnostic::new(
            "migrations",
            "require-concurrent-index-creation",
            Severity::Warning,
            "CREATE INDEX without CONCURRENTLY blocks writes to \"invoices\"",
        )
        .at(sql.clone(), Some(span_of(&sql_abs, 7, "CREATE INDEX invoices_etat"))),
    );
    r.push(
        Diagnostic::new(
            "migrations",
            "prefer-bigint-over-int",
            Severity::Info,
            "table \"invoices\" spans several lines",
        )
        .at(sql.clone(), Some(Span::new(1, 1, 4, 3))),
    );
    r.push(
        Diagnostic::new("migrations", "MIGRATION_NO_DOWN", Severity::Info, "migration has no down script")
            .at(sql.clone(), None),
    );
    r.push(
        Diagnostic::new(
            "wiring",
            "CORRELATION_ID_LAYER",
            Severity::Warning,
            "service `billing` never installs the correlation-ID layer",
        )
        .with_help("add `CorrelationLayer` to the tower stack in `main.rs`"),
    );
    r.sort();
    r
}
