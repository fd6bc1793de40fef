//! `IMPORT_USED`: Imports are used.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;
use prost_reflect::{
    DynamicMessage, EnumDescriptor, ExtensionDescriptor, FileDescriptor, Kind, MessageDescriptor, Value,
};
use std::collections::{BTreeSet, HashSet};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Imports are used.",
    docs: r#"## What it does
Flags imports none of whose types, extensions or custom options the file uses (a type re-exported by the import through `import public` counts as use). An extension set inside an option message counts too: in editions files, `features.(pb.cpp).string_type = VIEW` uses `google/protobuf/cpp_features.proto`. Reported at the import.

## Why
An unused import is a false dependency: it slows builds, creates spurious import cycles and misleads readers.

## Example
Failing:
```proto
import "google/protobuf/timestamp.proto";
message User { string id = 1; }
```

Passing:
```proto
import "google/protobuf/timestamp.proto";
message User { google.protobuf.Timestamp created_at = 1; }
```

## Fix
Delete the import.
"#,
    unimplemented: None,
    ..RuleInfo::new("IMPORT_USED", "proto")
};

pub fn check(cx: &Cx, out: &mut Out) {
    for (i, f) in cx.files.iter().enumerate() {
        if f.fd.dependency.is_empty() {
            continue;
        }
        let Some(fdesc) = cx.pool.get_file_by_name(f.name) else { continue };
        let used = used_files(&fdesc);
        let public: BTreeSet<i32> = f.fd.public_dependency.iter().copied().collect();
        for (j, dep) in f.fd.dependency.iter().enumerate() {
            // A public import is a re-export for importers, not a use by this file.
            if public.contains(&(j as i32)) {
                continue;
            }
            let Some(dfile) = cx.pool.get_file_by_name(dep) else { continue };
            if !reexports(&dfile).iter().any(|n| used.contains(n)) {
                out.add(i, vec![tag::FILE_DEPENDENCY, j as i32], format!("Import \"{dep}\" is unused."));
            }
        }
    }
}

/// The file itself and everything it re-exports through chains of `import public`.
fn reexports(f: &FileDescriptor) -> Vec<String> {
    let mut out = vec![f.name().to_string()];
    let mut todo = vec![f.clone()];
    while let Some(cur) = todo.pop() {
        for p in cur.public_dependencies() {
            if !out.iter().any(|n| n == p.name()) {
                out.push(p.name().to_string());
                todo.push(p);
            }
        }
    }
    out
}

/// Record a used file (allocating its name only the first time).
fn note(name: &str, used: &mut HashSet<String>) {
    if !used.contains(name) {
        used.insert(name.to_string());
    }
}

/// Extensions set in options, at any depth: editions' `features.(pb.cpp).string_type` uses
/// `google/protobuf/cpp_features.proto` through an extension of the `features` message.
fn note_options(opts: &DynamicMessage, used: &mut HashSet<String>) {
    for (ext, v) in opts.extensions() {
        note(ext.parent_file().name(), used);
        note_value(v, used);
    }
    for (_, v) in opts.fields() {
        note_value(v, used);
    }
}

fn note_value(v: &Value, used: &mut HashSet<String>) {
    match v {
        Value::Message(m) => note_options(m, used),
        Value::List(items) => items.iter().for_each(|i| note_value(i, used)),
        _ => {}
    }
}

fn note_kind(kind: Kind, used: &mut HashSet<String>) {
    match kind {
        Kind::Message(m) if !m.is_map_entry() => note(m.parent_file().name(), used),
        Kind::Enum(e) => note(e.parent_file().name(), used),
        _ => {}
    }
}

fn note_message(m: &MessageDescriptor, used: &mut HashSet<String>) {
    note_options(&m.options(), used);
    for f in m.fields() {
        note_kind(f.kind(), used);
        note_options(&f.options(), used);
    }
    for o in m.oneofs() {
        note_options(&o.options(), used);
    }
    for e in m.child_enums() {
        note_enum(&e, used);
    }
    for x in m.child_extensions() {
        note_extension(&x, used);
    }
    for c in m.child_messages() {
        note_message(&c, used);
    }
}

fn note_enum(e: &EnumDescriptor, used: &mut HashSet<String>) {
    note_options(&e.options(), used);
    for v in e.values() {
        note_options(&v.options(), used);
    }
}

fn note_extension(x: &ExtensionDescriptor, used: &mut HashSet<String>) {
    note(x.containing_message().parent_file().name(), used);
    note_kind(x.kind(), used);
    note_options(&x.options(), used);
}

/// Files whose definitions `f` refers to.
fn used_files(f: &FileDescriptor) -> HashSet<String> {
    let mut used = HashSet::new();
    note_options(&f.options(), &mut used);
    for m in f.messages() {
        note_message(&m, &mut used);
    }
    for e in f.enums() {
        note_enum(&e, &mut used);
    }
    for x in f.extensions() {
        note_extension(&x, &mut used);
    }
    for s in f.services() {
        note_options(&s.options(), &mut used);
        for m in s.methods() {
            note(m.input().parent_file().name(), &mut used);
            note(m.output().parent_file().name(), &mut used);
            note_options(&m.options(), &mut used);
        }
    }
    used
}
