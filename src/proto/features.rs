//! Resolved features: the `FeatureSet` every element of a file works with, for every syntax.
//!
//! Resolution follows protoc (descriptor.cc, `FeatureResolver` and `InferLegacyProtoFeatures`):
//! 1. the defaults of the file's edition, read from the `edition_defaults` options of the fields
//!    of `google.protobuf.FeatureSet` and of the language sets (`pb.CppFeatures`, `pb.JavaFeatures`,
//!    `pb.GoFeatures`, `pb.CSharpFeatures`) in the bundled descriptor set: for each feature, the
//!    default of the greatest edition <= the file's (`proto2` files are `EDITION_PROTO2`, `proto3`
//!    files `EDITION_PROTO3`);
//! 2. the `features` written on each ancestor merged down to the element (file -> message ->
//!    nested message -> field; a oneof's fields inherit from the oneof, an extension from the
//!    message or file it is declared in, an enum value from its enum, a method from its service);
//! 3. for `proto2` / `proto3` files, what the syntax says without features: `required` is
//!    `LEGACY_REQUIRED`, a group is `DELIMITED`, `[packed = true]` is `PACKED` (and proto3's
//!    `[packed = false]` `EXPANDED`), `[ctype = CORD]` is `(pb.cpp).string_type = CORD`, and the
//!    file option `java_string_check_utf8` is `(pb.java).utf8_validation = VERIFY`.
//!
//! A field's presence is the presence it has on the wire and in generated code: a singular field
//! of message type, in a oneof, an extension or a proto3 `optional` field tracks presence whatever
//! the inherited `field_presence` says (protoc's `FieldDescriptor::has_presence`), so those resolve
//! to `EXPLICIT` here.
use crate::proto::descriptor::feature_set::{
    EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
};
use crate::proto::descriptor::field_descriptor_proto::{Label, Type};
use crate::proto::descriptor::field_options::CType;
use crate::proto::descriptor::pb::cpp_features::StringType;
use crate::proto::descriptor::pb::java_features::Utf8Validation as JavaUtf8;
use crate::proto::descriptor::pb::{CppFeatures, JavaFeatures};
use crate::proto::descriptor::{
    DescriptorProto, Edition, EnumDescriptorProto, FeatureSet, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, edition_of,
};
use prost::Message;
use prost::encoding::{WireType, encode_key, encode_varint};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The resolved feature set of one element: every feature the defaults define is set.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Features(pub FeatureSet);

impl Features {
    pub fn field_presence(&self) -> FieldPresence {
        self.0.field_presence()
    }
    /// Whether an enum is closed (unknown numbers go to unknown fields).
    pub fn enum_closed(&self) -> bool {
        self.0.enum_type() == EnumType::Closed
    }
    pub fn utf8_validation(&self) -> Utf8Validation {
        self.0.utf8_validation()
    }
    pub fn repeated_field_encoding(&self) -> RepeatedFieldEncoding {
        self.0.repeated_field_encoding()
    }
    pub fn message_encoding(&self) -> MessageEncoding {
        self.0.message_encoding()
    }
    /// Whether a message-typed field is encoded as a group.
    pub fn delimited(&self) -> bool {
        self.message_encoding() == MessageEncoding::Delimited
    }
    pub fn json_format(&self) -> JsonFormat {
        self.0.json_format()
    }
    /// `(pb.cpp).string_type`.
    pub fn cpp_string_type(&self) -> StringType {
        self.0.cpp.map(|c| c.string_type()).unwrap_or(StringType::Unknown)
    }
    /// `(pb.java).utf8_validation`.
    pub fn java_utf8_feature(&self) -> JavaUtf8 {
        self.0.java.map(|j| j.utf8_validation()).unwrap_or(JavaUtf8::Unknown)
    }
    /// Whether Java verifies UTF-8 when it parses the string field: `(pb.java).utf8_validation =
    /// VERIFY`, or `DEFAULT` and the field's `utf8_validation` is `VERIFY`.
    pub fn java_utf8_verify(&self) -> bool {
        self.java_utf8_feature() == JavaUtf8::Verify || self.utf8_validation() == Utf8Validation::Verify
    }

    /// The features of a child element that writes `written`: `written` merged over `self`,
    /// feature by feature (the language sets too), as protoc merges them.
    pub fn child(&self, written: Option<&FeatureSet>) -> Features {
        match written {
            None => *self,
            Some(w) => {
                let mut out = self.0;
                // Protobuf merge semantics are protoc's: set scalars override, messages merge.
                if out.merge(w.encode_to_vec().as_slice()).is_err() {
                    return *self;
                }
                Features(out)
            }
        }
    }

    /// A field's features under `parent` (its message, oneof, or an extension's scope), with
    /// what a `proto2` / `proto3` field's syntax implies and its effective presence.
    pub fn field(parent: &Features, edition: Edition, fd: &FileDescriptorProto, f: &FieldDescriptorProto) -> Features {
        let opts = f.options.as_ref();
        let mut out = parent.child(opts.and_then(|o| o.features.as_ref())).0;
        let written_cpp = opts.and_then(|o| o.features.as_ref()).and_then(|w| w.cpp).and_then(|c| c.string_type);
        if written_cpp.is_none() && opts.is_some_and(|o| o.ctype() == CType::Cord) {
            out.cpp.get_or_insert_with(CppFeatures::default).string_type = Some(StringType::Cord as i32);
        }
        let legacy = matches!(edition, Edition::Proto2 | Edition::Proto3);
        if legacy {
            if f.label() == Label::Required {
                out.field_presence = Some(FieldPresence::LegacyRequired as i32);
            }
            if f.r#type() == Type::Group {
                out.message_encoding = Some(MessageEncoding::Delimited as i32);
            }
            if let Some(packed) = opts.and_then(|o| o.packed) {
                if packed {
                    out.repeated_field_encoding = Some(RepeatedFieldEncoding::Packed as i32);
                } else if edition == Edition::Proto3 {
                    out.repeated_field_encoding = Some(RepeatedFieldEncoding::Expanded as i32);
                }
            }
            if fd.options.as_ref().is_some_and(|o| o.java_string_check_utf8()) {
                out.java.get_or_insert_with(JavaFeatures::default).utf8_validation = Some(JavaUtf8::Verify as i32);
            }
        }
        let singular = f.label() != Label::Repeated;
        let tracks = f.proto3_optional()
            || matches!(f.r#type(), Type::Message | Type::Group)
            || f.oneof_index.is_some()
            || f.extendee.is_some();
        if singular && tracks && out.field_presence() == FieldPresence::Implicit {
            out.field_presence = Some(FieldPresence::Explicit as i32);
        }
        Features(out)
    }

    /// A file's own features: its edition's defaults and what it writes.
    pub fn file(fd: &FileDescriptorProto) -> Features {
        let defaults = edition_defaults(edition_of(fd));
        defaults.child(fd.options.as_ref().and_then(|o| o.features.as_ref()))
    }
}

/// One feature field with defaults: where it goes in an encoded `FeatureSet` (`ext`, the language
/// set's field number in `FeatureSet`, or 0), its number, and (edition, value) in edition order.
struct DefaultField {
    ext: u32,
    number: u32,
    by_edition: Vec<(i32, u64)>,
}

/// The feature fields of the bundled descriptor set with their `edition_defaults`.
fn default_fields() -> &'static [DefaultField] {
    static FIELDS: OnceLock<Vec<DefaultField>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let set = FileDescriptorSet::decode(crate::proto::descriptor::BUNDLED).unwrap_or_default();
        collect_default_fields(&set)
    })
}

fn collect_default_fields(set: &FileDescriptorSet) -> Vec<DefaultField> {
    let mut messages: HashMap<String, &DescriptorProto> = HashMap::new();
    let mut enums: HashMap<String, &EnumDescriptorProto> = HashMap::new();
    for f in &set.file {
        let prefix = format!(".{}.", f.package());
        for m in &f.message_type {
            index(&prefix, m, &mut messages, &mut enums);
        }
        for e in &f.enum_type {
            enums.insert(format!("{prefix}{}", e.name()), e);
        }
    }
    // The language sets: extensions of FeatureSet (`pb.cpp = 1000`, ...).
    let mut sets: Vec<(u32, &str)> = vec![(0, ".google.protobuf.FeatureSet")];
    for f in &set.file {
        for x in f.extension.iter().filter(|x| x.extendee() == ".google.protobuf.FeatureSet") {
            sets.push((x.number() as u32, x.type_name()));
        }
    }
    let mut out = Vec::new();
    for (ext, type_name) in sets {
        let Some(m) = messages.get(type_name) else { continue };
        for field in &m.field {
            let Some(opts) = &field.options else { continue };
            let mut by_edition: Vec<(i32, u64)> = opts
                .edition_defaults
                .iter()
                .filter_map(|d| {
                    let value = d.value();
                    let v = match field.r#type() {
                        Type::Bool => u64::from(value == "true"),
                        Type::Enum => {
                            let e = enums.get(field.type_name())?;
                            e.value.iter().find(|v| v.name() == value)?.number() as i64 as u64
                        }
                        _ => value.parse::<i64>().ok()? as u64,
                    };
                    Some((d.edition?, v))
                })
                .collect();
            by_edition.sort_by_key(|d| d.0);
            if !by_edition.is_empty() {
                out.push(DefaultField { ext, number: field.number() as u32, by_edition });
            }
        }
    }
    out
}

fn index<'a>(
    prefix: &str,
    m: &'a DescriptorProto,
    messages: &mut HashMap<String, &'a DescriptorProto>,
    enums: &mut HashMap<String, &'a EnumDescriptorProto>,
) {
    let name = format!("{prefix}{}", m.name());
    for e in &m.enum_type {
        enums.insert(format!("{name}.{}", e.name()), e);
    }
    for n in &m.nested_type {
        index(&format!("{name}."), n, messages, enums);
    }
    messages.insert(name, m);
}

/// The defaults of `edition`: each feature's default of the greatest edition <= `edition`.
pub fn edition_defaults(edition: Edition) -> Features {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<i32, Features>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = edition as i32;
    if let Some(f) = cache.lock().ok().and_then(|c| c.get(&key).copied()) {
        return f;
    }
    let f = compute_defaults(default_fields(), key);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, f);
    }
    f
}

fn compute_defaults(fields: &[DefaultField], edition: i32) -> Features {
    // Encode the chosen values as a FeatureSet message and decode it: no per-feature code, so a
    // feature a newer descriptor.proto adds resolves without changes here.
    let mut top = Vec::new();
    let mut lang: Vec<(u32, Vec<u8>)> = Vec::new();
    for f in fields {
        let Some(&(_, v)) = f.by_edition.iter().rev().find(|(e, _)| *e <= edition) else { continue };
        let buf = if f.ext == 0 {
            &mut top
        } else {
            match lang.iter().position(|(n, _)| *n == f.ext) {
                Some(i) => &mut lang[i].1,
                None => {
                    lang.push((f.ext, Vec::new()));
                    &mut lang.last_mut().expect("just pushed").1
                }
            }
        };
        encode_key(f.number, WireType::Varint, buf);
        encode_varint(v, buf);
    }
    for (n, bytes) in lang {
        encode_key(n, WireType::LengthDelimited, &mut top);
        encode_varint(bytes.len() as u64, &mut top);
        top.extend_from_slice(&bytes);
    }
    Features(FeatureSet::decode(top.as_slice()).unwrap_or_default())
}

/// The resolved features of every element of a file, by source-info path (`[]` is the file).
pub struct Resolved {
    by_path: HashMap<Vec<i32>, Features>,
}

impl Resolved {
    pub fn get(&self, path: &[i32]) -> Option<&Features> {
        self.by_path.get(path)
    }
    pub fn len(&self) -> usize {
        self.by_path.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// Resolve every element of `fd`.
pub fn resolve(fd: &FileDescriptorProto) -> Resolved {
    let edition = edition_of(fd);
    let file = Features::file(fd);
    let mut r = Walk { fd, edition, by_path: HashMap::new() };
    r.by_path.insert(Vec::new(), file);
    for (i, m) in fd.message_type.iter().enumerate() {
        r.message(&file, m, vec![4, i as i32]);
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        r.enumeration(&file, e, vec![5, i as i32]);
    }
    for (i, s) in fd.service.iter().enumerate() {
        let sf = file.child(s.options.as_ref().and_then(|o| o.features.as_ref()));
        r.by_path.insert(vec![6, i as i32], sf);
        for (j, m) in s.method.iter().enumerate() {
            r.by_path
                .insert(vec![6, i as i32, 2, j as i32], sf.child(m.options.as_ref().and_then(|o| o.features.as_ref())));
        }
    }
    for (i, x) in fd.extension.iter().enumerate() {
        r.by_path.insert(vec![7, i as i32], Features::field(&file, edition, fd, x));
    }
    Resolved { by_path: r.by_path }
}

struct Walk<'a> {
    fd: &'a FileDescriptorProto,
    edition: Edition,
    by_path: HashMap<Vec<i32>, Features>,
}

impl Walk<'_> {
    fn message(&mut self, parent: &Features, m: &DescriptorProto, path: Vec<i32>) {
        let mf = parent.child(m.options.as_ref().and_then(|o| o.features.as_ref()));
        let at = |tail: [i32; 2]| [path.as_slice(), &tail].concat();
        let oneofs: Vec<Features> =
            m.oneof_decl.iter().map(|o| mf.child(o.options.as_ref().and_then(|o| o.features.as_ref()))).collect();
        for (k, o) in oneofs.iter().enumerate() {
            self.by_path.insert(at([8, k as i32]), *o);
        }
        // Maps are length-prefixed whatever `message_encoding` says, their values too (protoc's
        // `FieldDescriptor::type()`): a map's entry is a nested message with `map_entry` set.
        let is_entry = |d: &DescriptorProto| d.options.as_ref().is_some_and(|o| o.map_entry());
        let entry_names: Vec<&str> = m.nested_type.iter().filter(|n| is_entry(n)).map(|n| n.name()).collect();
        let is_map = |f: &FieldDescriptorProto| {
            f.type_name().rsplit_once('.').is_some_and(|(_, last)| entry_names.contains(&last))
                && f.label() == Label::Repeated
        };
        for (k, f) in m.field.iter().enumerate() {
            let scope = f.oneof_index.and_then(|o| oneofs.get(o as usize)).unwrap_or(&mf);
            let mut ff = Features::field(scope, self.edition, self.fd, f);
            if ff.delimited() && (is_entry(m) || is_map(f)) {
                ff.0.message_encoding = Some(MessageEncoding::LengthPrefixed as i32);
            }
            self.by_path.insert(at([2, k as i32]), ff);
        }
        for (k, x) in m.extension.iter().enumerate() {
            self.by_path.insert(at([6, k as i32]), Features::field(&mf, self.edition, self.fd, x));
        }
        for (k, r) in m.extension_range.iter().enumerate() {
            self.by_path.insert(at([5, k as i32]), mf.child(r.options.as_ref().and_then(|o| o.features.as_ref())));
        }
        for (k, n) in m.nested_type.iter().enumerate() {
            self.message(&mf, n, at([3, k as i32]));
        }
        for (k, e) in m.enum_type.iter().enumerate() {
            self.enumeration(&mf, e, at([4, k as i32]));
        }
        self.by_path.insert(path, mf);
    }

    fn enumeration(&mut self, parent: &Features, e: &EnumDescriptorProto, path: Vec<i32>) {
        let ef = parent.child(e.options.as_ref().and_then(|o| o.features.as_ref()));
        for (k, v) in e.value.iter().enumerate() {
            let vf = ef.child(v.options.as_ref().and_then(|o| o.features.as_ref()));
            self.by_path.insert([path.as_slice(), &[2, k as i32]].concat(), vf);
        }
        self.by_path.insert(path, ef);
    }
}

#[cfg(test)]
#[path = "features_tests.rs"]
mod tests;
