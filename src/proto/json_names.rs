//! protoc's JSON-name uniqueness rules for the fields of a message, applied to a parsed (not yet
//! linked) descriptor, and the placeholder names that get prost-reflect's linker past the
//! conflicts protoc accepts.
//!
//! protoc (36) compares the fields' JSON names twice, once with default names only
//! (`foo_bar` -> `fooBar`) and once with `json_name` options applied. A conflict is an error,
//! except that proto2 (`json_format = LEGACY_BEST_EFFORT`) only warns when at least one of the two
//! names is a default name; two equal custom names are always an error. A message with
//! `option deprecated_legacy_json_field_conflicts = true` is not checked. Warnings are not reported
//! (nova has no compile warnings), the file compiles as it does with protoc.
//!
//! prost-reflect also refuses, in proto3, two field names that are equal once lowercased without
//! underscores (`foo_bar`, `FooBar`): protoc did that before protobuf 22 and no longer does. The
//! later field of such a pair is linked under a placeholder name and restored too. The
//! placeholders stay in the descriptor pool, which nova only uses to look files up; the
//! descriptors rules read (`Compiled::files`) carry the real names.
use crate::proto::breaking::model::default_json_name;
use crate::proto::frontend::{Restore, Restored, message_at_mut};
use prost_types::{DescriptorProto, FileDescriptorProto};
use std::collections::{HashMap, HashSet};

/// A protoc JSON-name error: the source-info path of the field's name, and the message.
pub type JsonNameError = (Vec<i32>, String);

/// Check every message of `fd`; on success, give conflicting fields protoc accepts placeholder
/// JSON names and return what to restore after linking.
pub fn check(fd: &mut FileDescriptorProto) -> Result<Restore, JsonNameError> {
    let best_effort = fd.syntax() != "proto3";
    check_with(fd, &|_: &[i32]| best_effort)
}

/// `check`, with the JSON format of each message given by `best_effort(message path)` (in an
/// editions file, the `json_format` feature the message resolves to).
pub fn check_with(
    fd: &mut FileDescriptorProto,
    best_effort: &dyn Fn(&[i32]) -> bool,
) -> Result<Restore, JsonNameError> {
    let mut restore = Restore::default();
    let mut stack: Vec<Vec<i32>> = (0..fd.message_type.len()).map(|i| vec![4, i as i32]).collect();
    while let Some(path) = stack.pop() {
        let Some(m) = message_at_mut(fd, &path) else { continue };
        stack.extend((0..m.nested_type.len()).map(|i| [path.as_slice(), &[3, i as i32]].concat()));
        // Equal default JSON names are equal folded names too: with neither and no `json_name`
        // option there is nothing to check (nearly every message), and nothing is allocated.
        if m.field.iter().all(|f| f.json_name.is_none()) && !has_folded_duplicate(m) {
            continue;
        }
        let best_effort = best_effort(&path);
        if let Err((field, message)) = conflicts(m, best_effort) {
            return Err(([path.as_slice(), &[2, field as i32, 1]].concat(), message));
        }
        let Some(m) = message_at_mut(fd, &path) else { continue };
        let (mut effective, mut folded) = (HashSet::new(), HashSet::new());
        for (i, f) in m.field.iter_mut().enumerate() {
            let json = f.json_name.clone().unwrap_or_else(|| default_json_name(f.name()));
            let json_clash = !effective.insert(json.clone());
            let fold: Vec<u8> = Folded(f.name()).bytes().collect();
            let fold_clash = !folded.insert(fold) && !best_effort;
            if !(json_clash || fold_clash) {
                continue;
            }
            // Placeholders are unique within the message: they carry the field's index.
            f.json_name = Some(if json_clash { format!("\u{0}nova-json-name-{i}") } else { json.clone() });
            let name = fold_clash.then(|| f.name.replace(format!("nova_camel_case_{i}")));
            restore.0.push(Restored { path: [path.as_slice(), &[2, i as i32]].concat(), name: name.flatten(), json });
        }
    }
    Ok(restore)
}

/// A field name, compared and hashed as prost-reflect's camel-case check does: lowercased,
/// without underscores.
struct Folded<'a>(&'a str);

impl Folded<'_> {
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.bytes().filter(|&b| b != b'_').map(|b| b.to_ascii_lowercase())
    }
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for Folded<'_> {}

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes().for_each(|b| state.write_u8(b));
    }
}

fn has_folded_duplicate(m: &DescriptorProto) -> bool {
    let mut seen = HashSet::with_capacity(m.field.len());
    !m.field.iter().all(|f| seen.insert(Folded(f.name())))
}

/// The first JSON-name conflict protoc rejects in `m`: (index of the field it reports, message).
fn conflicts(m: &DescriptorProto, best_effort: bool) -> Result<(), (usize, String)> {
    let legacy = m.options.iter().flat_map(|o| &o.uninterpreted_option).any(|u| {
        matches!(u.name.as_slice(), [p] if !p.is_extension && p.name_part == "deprecated_legacy_json_field_conflicts")
            && u.identifier_value() == "true"
    });
    if legacy {
        return Ok(());
    }
    let kind = |custom: bool| if custom { "custom" } else { "default" };
    for use_custom in [false, true] {
        let mut seen: HashMap<String, (usize, bool)> = HashMap::new();
        for (i, f) in m.field.iter().enumerate() {
            let (json, custom) = match &f.json_name {
                Some(j) if use_custom => (j.clone(), true),
                _ => (default_json_name(f.name()), false),
            };
            if custom && json.starts_with('[') && json.ends_with(']') {
                let msg = format!(
                    "The custom JSON name of field \"{}\" (\"{json}\") is invalid: JSON names may not start with '[' and end with ']'.",
                    f.name()
                );
                return Err((i, msg));
            }
            let Some(&(j, other_custom)) = seen.get(&json) else {
                seen.insert(json, (i, custom));
                continue;
            };
            let involves_default = !custom || !other_custom;
            if (use_custom && !custom && !other_custom) || (best_effort && involves_default) {
                continue;
            }
            let msg = format!(
                "The {} JSON name of field \"{}\" (\"{json}\") conflicts with the {} JSON name of field \"{}\".",
                kind(custom),
                f.name(),
                kind(other_custom),
                m.field[j].name()
            );
            return Err((i, msg));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> FileDescriptorProto {
        protox::file::File::from_source("t.proto", text).unwrap().into()
    }

    fn verdict(syntax: &str, fields: &str) -> Result<usize, String> {
        let fd = parse(&format!("syntax = \"{syntax}\";\nmessage M {{\n{fields}\n}}\n"));
        let at = |path: &[i32]| {
            let l = fd.source_code_info.as_ref().unwrap().location.iter().find(|l| l.path == path).unwrap();
            (l.span[0] + 1, l.span[1] + 1)
        };
        match check(&mut fd.clone()) {
            Ok(r) => Ok(r.0.len()),
            Err((path, m)) => Err(format!("{}:{}: {m}", at(&path).0, at(&path).1)),
        }
    }

    #[test]
    fn protoc_s_verdicts() {
        // Default names: proto2 warns (compiles), proto3 refuses, at the later field's name.
        assert_eq!(verdict("proto2", "optional string descriptor = 1;\noptional string descriptor_ = 6;"), Ok(1));
        assert_eq!(
            verdict("proto3", "string descriptor = 1;\n  string descriptor_ = 6;"),
            Err("4:10: The default JSON name of field \"descriptor_\" (\"descriptor\") conflicts with the default JSON name of field \"descriptor\".".into())
        );
        // Two equal custom names: an error in proto2 too.
        let e =
            verdict("proto2", "optional string a = 1 [json_name = \"x\"];\noptional string b = 2 [json_name = \"x\"];");
        assert!(e.unwrap_err().contains("The custom JSON name of field \"b\" (\"x\") conflicts with the custom"));
        // Custom against default: proto2 warns, proto3 refuses.
        let fields = "optional string foo_bar = 1;\noptional string b = 2 [json_name = \"fooBar\"];";
        assert_eq!(verdict("proto2", fields), Ok(1));
        assert!(verdict("proto3", &fields.replace("optional ", "")).is_err());
        // Default names collide even when a custom name hides it from prost-reflect (proto3).
        assert!(verdict("proto3", "string foo_bar = 1;\nstring fooBar = 2 [json_name = \"other\"];").is_err());
        // Case matters; the legacy option turns the check off.
        assert_eq!(verdict("proto3", "string foo_bar = 1;\nstring FooBar = 2;"), Ok(1));
        assert_eq!(
            verdict("proto3", "option deprecated_legacy_json_field_conflicts = true;\nstring a_b = 1;\nstring aB = 2;"),
            Ok(1)
        );
        assert!(
            verdict("proto2", "optional string a = 1 [json_name = \"[x]\"];").unwrap_err().contains("may not start")
        );
    }

    /// The pairs protoc accepts link, and the linked descriptor has the real names back.
    #[test]
    fn accepted_pairs_link_with_their_real_names() {
        for (syntax, fields, names) in [
            (
                "proto2",
                "optional string descriptor = 1; optional string descriptor_ = 6;",
                ["descriptor", "descriptor"],
            ),
            ("proto3", "string foo_bar = 1; string FooBar = 2;", ["fooBar", "FooBar"]),
            (
                "proto3",
                "option deprecated_legacy_json_field_conflicts = true; string a_b = 1; string aB = 2;",
                ["aB", "aB"],
            ),
        ] {
            let text = format!("syntax = \"{syntax}\";\nmessage M {{ {fields} }}\n");
            let mut fd = parse(&text);
            let restore = check(&mut fd).unwrap();
            let mut pool = prost_reflect::DescriptorPool::new();
            pool.add_file_descriptor_proto(fd).unwrap_or_else(|e| panic!("{text}: {e}"));
            let mut linked =
                crate::proto::descriptor::decode_file(&pool.get_file_by_name("t.proto").unwrap().encode_to_vec());
            restore.apply(&mut linked);
            let fields = &linked.message_type[0].field;
            let got: Vec<_> = fields.iter().map(|f| f.json_name()).collect();
            assert_eq!(got, names, "{text}");
            let original = parse(&text);
            let want: Vec<_> = original.message_type[0].field.iter().map(|f| f.name()).collect();
            assert_eq!(fields.iter().map(|f| f.name()).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn placeholders_are_restored() {
        let text = "syntax = \"proto2\";\nmessage O { message M { optional string descriptor = 1; optional string descriptor_ = 6; } }\n";
        let mut parsed = parse(text);
        let restore = check(&mut parsed).unwrap();
        let f = &parsed.message_type[0].nested_type[0].field[1];
        assert!(f.json_name().starts_with('\u{0}'));
        let mut fd: crate::proto::descriptor::FileDescriptorProto = crate::proto::descriptor::convert(&parsed);
        restore.apply(&mut fd);
        assert_eq!(fd.message_type[0].nested_type[0].field[1].json_name(), "descriptor");
    }
}
