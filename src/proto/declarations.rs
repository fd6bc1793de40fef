//! protoc's checks of extension declarations (`extensions 4 to 9 [declaration = {...}]`), which
//! protox does not make: the declarations within their range (`check`, on the parsed descriptor,
//! from the uninterpreted `declaration` options), and the extensions of a declared range against
//! them (`check_extensions`, after linking, when extendee and types are resolved).
use crate::diagnostics::Diagnostic;
use crate::proto::frontend::{Tok, tokens};
use crate::proto::loader::{ProtoSet, refusal};
use prost_types::{DescriptorProto, FileDescriptorProto, UninterpretedOption};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One `declaration = {...}` as protoc reads it (unset number: 0).
#[derive(Debug, Default, PartialEq)]
struct Declaration {
    number: i64,
    full_name: Option<String>,
    r#type: Option<String>,
    reserved: bool,
    repeated: bool,
}

/// The fields of an aggregate value; unknown fields and nested messages are skipped.
fn parse(aggregate: &str) -> Declaration {
    let toks: Vec<_> = tokens(aggregate).collect();
    let text = |i: usize| &aggregate[toks[i].1..toks[i].2];
    let mut d = Declaration::default();
    let mut i = 0;
    while i < toks.len() {
        if toks[i].0 != Tok::Ident {
            i += 1;
            continue;
        }
        let key = text(i);
        i += 1;
        if toks.get(i).is_some_and(|t| t.0 == Tok::Punct(b':')) {
            i += 1;
        }
        let mut value = String::new();
        while let Some(&(kind, s, e)) = toks.get(i) {
            match kind {
                Tok::Str => value.push_str(&unquote(&aggregate[s..e])),
                Tok::Number | Tok::Ident if value.is_empty() => {
                    value.push_str(&aggregate[s..e]);
                    i += 1;
                    break;
                }
                _ => break,
            }
            i += 1;
        }
        match key {
            "number" => d.number = value.parse().unwrap_or(0),
            "full_name" => d.full_name = Some(value),
            "type" => d.r#type = Some(value),
            "reserved" => d.reserved = value == "true",
            "repeated" => d.repeated = value == "true",
            _ => {}
        }
    }
    d
}

/// A string literal's value (the common escapes; others are kept as written).
fn unquote(lit: &str) -> String {
    let inner = lit.get(1..lit.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some(e @ ('"' | '\'' | '\\')) => out.push(e),
                Some(e) => out.extend(['\\', e]),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

fn named<'a>(options: &'a [UninterpretedOption], name: &'a str) -> impl Iterator<Item = &'a UninterpretedOption> {
    options.iter().filter(move |u| matches!(u.name.as_slice(), [p] if !p.is_extension && p.name_part == name))
}

const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
    "sfixed64", "bool", "string", "bytes",
];

/// The first declaration protoc refuses in `fd`: (source-info path of its range, message).
pub fn check(fd: &FileDescriptorProto) -> Result<(), (Vec<i32>, String)> {
    let mut stack: Vec<(Vec<i32>, &DescriptorProto)> =
        fd.message_type.iter().enumerate().map(|(i, m)| (vec![4, i as i32], m)).collect();
    while let Some((path, m)) = stack.pop() {
        stack.extend(m.nested_type.iter().enumerate().map(|(i, n)| ([path.as_slice(), &[3, i as i32]].concat(), n)));
        let mut names = HashSet::new();
        for (k, r) in m.extension_range.iter().enumerate() {
            let Some(opts) = &r.options else { continue };
            let err = |message: String| ([path.as_slice(), &[5, k as i32]].concat(), message);
            let decls: Vec<Declaration> = named(&opts.uninterpreted_option, "declaration")
                .filter_map(|u| u.aggregate_value.as_deref())
                .map(parse)
                .collect();
            if decls.is_empty() {
                continue;
            }
            if named(&opts.uninterpreted_option, "verification").any(|u| u.identifier_value() == "UNVERIFIED") {
                return Err(err(
                    "Cannot mark the extension range as UNVERIFIED when it has extension(s) declared.".into()
                ));
            }
            let mut numbers = HashSet::new();
            for d in &decls {
                let n = d.number;
                if n < i64::from(r.start()) || n >= i64::from(r.end()) {
                    return Err(err(format!("Extension declaration number {n} is not in the extension range.")));
                }
                if !numbers.insert(n) {
                    return Err(err(format!("Extension declaration number {n} is declared multiple times.")));
                }
                if !d.reserved && (d.full_name.is_none() || d.r#type.is_none()) {
                    return Err(err(format!(
                        "Extension declaration #{n} should have both \"full_name\" and \"type\" set."
                    )));
                }
                let unqualified = [d.full_name.as_deref(), d.r#type.as_deref().filter(|t| !SCALARS.contains(t))]
                    .into_iter()
                    .flatten()
                    .find(|name| !name.starts_with('.'));
                if let Some(name) = unqualified {
                    return Err(err(format!(
                        "\"{name}\" must have a leading dot to indicate the fully-qualified scope."
                    )));
                }
                if let Some(name) = &d.full_name
                    && !names.insert(name.clone())
                {
                    return Err(err(format!("Extension field name \"{name}\" is declared multiple times.")));
                }
            }
        }
    }
    Ok(())
}

/// The declared extension ranges of a file's messages, by fully-qualified message name
/// (`.pkg.Msg`): what `check_extensions` compares extensions with.
pub type Declared = HashMap<String, Vec<DeclaredRange>>;

#[derive(Debug)]
pub struct DeclaredRange {
    start: i32,
    end: i32,
    declarations: Vec<Declaration>,
    /// `verification = DECLARATION`: every extension in the range needs a declaration.
    verified: bool,
}

/// The ranges of `fd` that declare extensions or ask for verification.
pub fn declared(fd: &FileDescriptorProto) -> Declared {
    let mut out = Declared::new();
    let pkg = if fd.package().is_empty() { String::new() } else { format!(".{}", fd.package()) };
    let mut stack: Vec<(String, &DescriptorProto)> = fd.message_type.iter().map(|m| (pkg.clone(), m)).collect();
    while let Some((scope, m)) = stack.pop() {
        let full = format!("{scope}.{}", m.name());
        let ranges: Vec<DeclaredRange> = m
            .extension_range
            .iter()
            .filter_map(|r| {
                let opts = &r.options.as_ref()?.uninterpreted_option;
                let declarations: Vec<Declaration> =
                    named(opts, "declaration").filter_map(|u| u.aggregate_value.as_deref()).map(parse).collect();
                let verified = named(opts, "verification").any(|u| u.identifier_value() == "DECLARATION");
                (verified || !declarations.is_empty()).then(|| DeclaredRange {
                    start: r.start(),
                    end: r.end(),
                    declarations,
                    verified,
                })
            })
            .collect();
        stack.extend(m.nested_type.iter().map(|n| (full.clone(), n)));
        if !ranges.is_empty() {
            out.insert(full, ranges);
        }
    }
    out
}

/// Take the linked files whose extensions their extendees' declarations refuse out of `files`,
/// with an input error each (importers of such a file, already linked, stay).
pub(super) fn refuse_undeclared(
    set: &ProtoSet,
    files: &mut BTreeMap<String, crate::proto::descriptor::FileDescriptorProto>,
    declared: &Declared,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if declared.is_empty() {
        return errors;
    }
    files.retain(|name, fd| match check_extensions(fd, declared) {
        Ok(()) => true,
        Err((path, message)) => {
            errors.push(refusal(set, name, fd, &path, message));
            false
        }
    });
    errors
}

/// The first extension of the linked `fd` that its extendee's declarations refuse: (source-info
/// path of its extendee, protoc's message).
pub fn check_extensions(
    fd: &crate::proto::descriptor::FileDescriptorProto,
    declared: &Declared,
) -> Result<(), (Vec<i32>, String)> {
    use crate::proto::descriptor::{
        DescriptorProto, FieldDescriptorProto,
        field_descriptor_proto::{Label, Type},
    };
    let pkg = fd.package();
    let mut extensions: Vec<(String, Vec<i32>, &FieldDescriptorProto)> =
        fd.extension.iter().enumerate().map(|(i, f)| (pkg.to_string(), vec![7, i as i32], f)).collect();
    let mut stack: Vec<(String, Vec<i32>, &DescriptorProto)> =
        fd.message_type.iter().enumerate().map(|(i, m)| (pkg.to_string(), vec![4, i as i32], m)).collect();
    while let Some((scope, path, m)) = stack.pop() {
        let full = if scope.is_empty() { m.name().to_string() } else { format!("{scope}.{}", m.name()) };
        let at = |tag: i32, i: usize| [path.as_slice(), &[tag, i as i32]].concat();
        extensions.extend(m.extension.iter().enumerate().map(|(i, f)| (full.clone(), at(6, i), f)));
        stack.extend(m.nested_type.iter().enumerate().map(|(i, n)| (full.clone(), at(3, i), n)));
    }
    for (scope, path, f) in extensions {
        let n = f.number();
        let Some(range) = declared.get(f.extendee()).and_then(|rs| rs.iter().find(|r| (r.start..r.end).contains(&n)))
        else {
            continue;
        };
        let extendee = f.extendee().trim_start_matches('.');
        let name = if scope.is_empty() { f.name().to_string() } else { format!("{scope}.{}", f.name()) };
        let err = |message: String| Err(([path.as_slice(), &[2]].concat(), message));
        let Some(d) = range.declarations.iter().find(|d| d.number == i64::from(n)) else {
            if range.verified || !range.declarations.is_empty() {
                return err(format!(
                    "Missing extension declaration for field {name} with number {n} in extendee message {extendee}. An extension range must declare for all extension fields if its verification state is DECLARATION or there's any declaration in the range already. Otherwise, consider splitting up the range."
                ));
            }
            continue;
        };
        if d.reserved {
            return err(format!(
                "Cannot use number {n} for extension field {name}, as it is reserved in the extension declarations for message {extendee}."
            ));
        }
        let expected = |what: String| err(format!("\"{extendee}\" extension field {n} is expected to {what}."));
        let full = format!(".{name}");
        if let Some(want) = d.full_name.as_ref().filter(|w| **w != full) {
            return expected(format!("have field name \"{want}\", not \"{full}\""));
        }
        let ty = match f.r#type() {
            Type::Message | Type::Enum | Type::Group => f.type_name().to_string(),
            scalar => scalar.as_str_name().trim_start_matches("TYPE_").to_ascii_lowercase(),
        };
        if let Some(want) = d.r#type.as_ref().filter(|w| **w != ty) {
            return expected(format!("be type \"{want}\", not \"{ty}\""));
        }
        match (d.repeated, f.label() == Label::Repeated) {
            (true, false) => return expected("be repeated".into()),
            (false, true) => return expected("be optional".into()),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_are_read_in_every_separator_style() {
        let want = Declaration {
            number: 5,
            full_name: Some(".a.b".into()),
            r#type: Some("int32".into()),
            ..Default::default()
        };
        assert_eq!(parse("number: 5, full_name: \".a.b\", type: \"int32\""), want);
        assert_eq!(parse("number: 5 full_name: \".a\" \".b\"; type: 'int32'"), want);
        assert!(parse("number: 7 reserved: true").reserved);
        assert_eq!(parse("").number, 0);
    }

    fn verdict(range: &str) -> Result<(), (Vec<i32>, String)> {
        let text = format!(
            "syntax = \"proto2\";\npackage d;\nmessage M {{\n  message N {{\n    extensions {range};\n  }}\n}}\n"
        );
        check(&protox::file::File::from_source("t.proto", &text).unwrap().into())
    }

    #[test]
    fn protoc_s_verdicts_on_declarations() {
        let ok = |r: &str| assert_eq!(verdict(r), Ok(()), "{r}");
        let refused = |r: &str, msg: &str| assert_eq!(verdict(r), Err((vec![4, 0, 3, 0, 5, 0], msg.into())), "{r}");
        ok("100 to 110 [declaration = {number: 100, full_name: \".d.x\", type: \".d.M\"}]");
        ok("100 to 110 [declaration = {number: 101, reserved: true}, verification = DECLARATION]");
        ok("100 to 110 [verification = UNVERIFIED]");
        refused(
            "100 to 110 [declaration = {number: 111, full_name: \".d.x\", type: \"int32\"}]",
            "Extension declaration number 111 is not in the extension range.",
        );
        refused(
            "100 to 110 [declaration = {number: 100, full_name: \".d.x\", type: \"Foo\"}]",
            "\"Foo\" must have a leading dot to indicate the fully-qualified scope.",
        );
        refused(
            "100 to 110 [declaration = {number: 100, full_name: \".d.x\", type: \"int32\"}, verification = UNVERIFIED]",
            "Cannot mark the extension range as UNVERIFIED when it has extension(s) declared.",
        );
    }
}
