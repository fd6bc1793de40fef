//! Feature and option support by edition and by element, as descriptor.proto declares it: a
//! feature may only be set on the element types its `targets` name, and a feature or option only
//! in the editions between its `feature_support.edition_introduced` and `edition_removed`. The
//! declarations are read from the bundled descriptor set (descriptor.proto and the language
//! feature sets of protoc 36.2), not restated here. Which fields an element sets is read from
//! the options' encoding, so every option and feature is covered, the language ones too.
use crate::proto::descriptor::field_options::OptionTargetType as Target;
use crate::proto::descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldOptions, FileDescriptorProto, FileDescriptorSet,
};
use prost::Message;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One option or feature field as descriptor.proto declares it.
struct Declared {
    full_name: String,
    targets: Vec<i32>,
    introduced: Option<i32>,
    removed: Option<i32>,
    removal_error: Option<String>,
    /// For `features` and the language feature sets: the fields of the message it holds.
    nested: Option<String>,
}

/// Fields by message full name, then by number.
type Tables = HashMap<String, HashMap<u32, Declared>>;

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let set = FileDescriptorSet::decode(crate::proto::descriptor::BUNDLED).unwrap_or_default();
        let mut t: Tables = HashMap::new();
        let declared = |full_name: String, o: Option<&FieldOptions>, nested: Option<String>| Declared {
            full_name,
            targets: o.map(|o| o.targets.clone()).unwrap_or_default(),
            introduced: o.and_then(|o| o.feature_support.as_ref()?.edition_introduced),
            removed: o.and_then(|o| o.feature_support.as_ref()?.edition_removed),
            removal_error: o.and_then(|o| o.feature_support.as_ref()?.removal_error.clone()),
            nested,
        };
        for file in &set.file {
            let pkg = file.package();
            for m in &file.message_type {
                let name = format!("{pkg}.{}", m.name());
                let fields = t.entry(name.clone()).or_default();
                for f in &m.field {
                    let nested =
                        (f.type_name() == ".google.protobuf.FeatureSet").then(|| "google.protobuf.FeatureSet".into());
                    fields.insert(
                        f.number() as u32,
                        declared(format!("{name}.{}", f.name()), f.options.as_deref(), nested),
                    );
                }
            }
            // The language feature sets extend FeatureSet.
            for x in &file.extension {
                if x.extendee() == ".google.protobuf.FeatureSet" {
                    let nested = x.type_name().trim_start_matches('.').to_string();
                    let d = declared(format!("{pkg}.{}", x.name()), x.options.as_deref(), Some(nested));
                    t.entry("google.protobuf.FeatureSet".into()).or_default().insert(x.number() as u32, d);
                }
            }
        }
        t
    })
}

/// Field numbers set in an encoded message, with the payload of length-delimited ones.
fn set_fields(mut b: &[u8]) -> Vec<(u32, &[u8])> {
    fn varint(b: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = b.split_first()?;
            *b = rest;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let Some(key) = varint(&mut b) else { break };
        let (number, wire) = ((key >> 3) as u32, key & 7);
        let payload: &[u8] = match wire {
            0 => {
                varint(&mut b);
                &[]
            }
            1 => {
                b = b.get(8..).unwrap_or(&[]);
                &[]
            }
            2 => {
                let Some(len) = varint(&mut b).and_then(|l| usize::try_from(l).ok()) else { break };
                let (p, rest) = b.split_at(len.min(b.len()));
                b = rest;
                p
            }
            5 => {
                b = b.get(4..).unwrap_or(&[]);
                &[]
            }
            _ => break,
        };
        out.push((number, payload));
    }
    out
}

fn edition_name(e: i32) -> String {
    crate::proto::descriptor::Edition::try_from(e)
        .map(|e| e.as_str_name().trim_start_matches("EDITION_").to_string())
        .unwrap_or_else(|_| e.to_string())
}

/// The first option or feature of an element that its edition or its type does not allow.
fn check_options(options: &[u8], message: &str, target: Target, entity: &str, edition: i32) -> Option<String> {
    let t = tables();
    let mut todo: Vec<(&[u8], &str)> = vec![(options, message)];
    while let Some((bytes, message)) = todo.pop() {
        let Some(fields) = t.get(message) else { continue };
        for (number, payload) in set_fields(bytes) {
            let Some(d) = fields.get(&number) else { continue };
            let name = &d.full_name;
            if let Some(removed) = d.removed.filter(|r| edition >= *r) {
                let why = d.removal_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
                return Some(format!("{name} has been removed in edition {}{why}", edition_name(removed)));
            }
            if let Some(introduced) = d.introduced.filter(|i| edition < *i) {
                return Some(format!(
                    "{name} wasn't introduced until edition {} and can't be used in edition {}",
                    edition_name(introduced),
                    edition_name(edition)
                ));
            }
            // Features (of FeatureSet and the language sets) declare the element types they fit.
            let feature = message == "google.protobuf.FeatureSet" || !message.starts_with("google.protobuf.");
            if feature && !d.targets.is_empty() && !d.targets.contains(&(target as i32)) {
                return Some(format!("Option {name} cannot be set on an entity of type `{entity}`."));
            }
            if let Some(nested) = &d.nested {
                todo.push((payload, nested));
            }
        }
    }
    None
}

/// An element type: its options message, its target type, and its name in protoc's messages.
type Kind = (&'static str, Target, &'static str);
const FILE: Kind = ("google.protobuf.FileOptions", Target::TargetTypeFile, "file");
const MESSAGE: Kind = ("google.protobuf.MessageOptions", Target::TargetTypeMessage, "message");
const FIELD: Kind = ("google.protobuf.FieldOptions", Target::TargetTypeField, "field");
const ONEOF: Kind = ("google.protobuf.OneofOptions", Target::TargetTypeOneof, "oneof");
const RANGE: Kind = ("google.protobuf.ExtensionRangeOptions", Target::TargetTypeExtensionRange, "extension range");
const ENUM: Kind = ("google.protobuf.EnumOptions", Target::TargetTypeEnum, "enum");
const VALUE: Kind = ("google.protobuf.EnumValueOptions", Target::TargetTypeEnumEntry, "enum entry");
const SERVICE: Kind = ("google.protobuf.ServiceOptions", Target::TargetTypeService, "service");
const METHOD: Kind = ("google.protobuf.MethodOptions", Target::TargetTypeMethod, "method");

/// What `check` calls per element: its path, its encoded options, its kind.
type Visit<'a> = dyn FnMut(Vec<i32>, Option<Vec<u8>>, Kind) + 'a;

fn enc<M: Message>(options: Option<&M>) -> Option<Vec<u8>> {
    options.map(Message::encode_to_vec)
}

/// The first option or feature of the editions file `fd` that protoc refuses for its edition or
/// its element type, at the element.
pub fn check(fd: &FileDescriptorProto) -> Option<(Vec<i32>, String)> {
    if fd.syntax.as_deref() != Some("editions") {
        return None;
    }
    let edition = fd.edition.unwrap_or(0);
    let mut out: Option<(Vec<i32>, String)> = None;
    let mut visit = |path: Vec<i32>, bytes: Option<Vec<u8>>, (message, target, entity): Kind| {
        if out.is_none()
            && let Some(b) = bytes
            && let Some(m) = check_options(&b, message, target, entity, edition)
        {
            out = Some((path, m));
        }
    };
    fn message(m: &DescriptorProto, path: Vec<i32>, visit: &mut Visit<'_>) {
        let at = |tail: &[i32]| [path.as_slice(), tail].concat();
        visit(at(&[1]), enc(m.options.as_ref()), MESSAGE);
        for (i, f) in m.field.iter().enumerate() {
            visit(at(&[2, i as i32, 1]), enc(f.options.as_ref()), FIELD);
        }
        for (i, x) in m.extension.iter().enumerate() {
            visit(at(&[6, i as i32, 1]), enc(x.options.as_ref()), FIELD);
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            visit(at(&[8, i as i32, 1]), enc(o.options.as_ref()), ONEOF);
        }
        for (i, r) in m.extension_range.iter().enumerate() {
            visit(at(&[5, i as i32]), enc(r.options.as_ref()), RANGE);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            enum_(e, at(&[4, i as i32]), visit);
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            message(n, at(&[3, i as i32]), visit);
        }
    }
    fn enum_(e: &EnumDescriptorProto, path: Vec<i32>, visit: &mut Visit<'_>) {
        let at = |tail: &[i32]| [path.as_slice(), tail].concat();
        visit(at(&[1]), enc(e.options.as_ref()), ENUM);
        for (i, v) in e.value.iter().enumerate() {
            visit(at(&[2, i as i32, 1]), enc(v.options.as_ref()), VALUE);
        }
    }
    // protoc reports the file's own options at its `package` statement (no place without one).
    visit(vec![2], enc(fd.options.as_ref()), FILE);
    for (i, m) in fd.message_type.iter().enumerate() {
        message(m, vec![4, i as i32], &mut visit);
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        enum_(e, vec![5, i as i32], &mut visit);
    }
    for (i, x) in fd.extension.iter().enumerate() {
        visit(vec![7, i as i32, 1], enc(x.options.as_ref()), FIELD);
    }
    for (i, s) in fd.service.iter().enumerate() {
        visit(vec![6, i as i32, 1], enc(s.options.as_ref()), SERVICE);
        for (j, m) in s.method.iter().enumerate() {
            visit(vec![6, i as i32, 2, j as i32, 1], enc(m.options.as_ref()), METHOD);
        }
    }
    out
}
