//! What protoc refuses in an editions file and protox (a proto2/proto3 compiler) does not know
//! to refuse: features that contradict the field they are set on, options editions replaced by
//! features, open enums without a zero first value. Run on the linked descriptor, whose
//! `features` the linker interpreted. Each error is protoc's message at protoc's place (the
//! conformance test compares them).
use crate::proto::descriptor::feature_set::{FieldPresence, RepeatedFieldEncoding};
use crate::proto::descriptor::field_descriptor_proto::{Label, Type};
use crate::proto::descriptor::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto};
use crate::proto::features::Features;

/// An error: the source-info path it is reported at, and protoc's message.
pub type Refusal = (Vec<i32>, String);

const EDITION_2024: i32 = 1001;

/// The first thing protoc refuses in the editions file `fd` (`None` for other files).
pub fn check(fd: &FileDescriptorProto, enum_is_closed: &dyn Fn(&str) -> Option<bool>) -> Option<Refusal> {
    if fd.syntax.as_deref() != Some("editions") {
        return None;
    }
    if let Some(r) = super::support::check(fd) {
        return Some(r);
    }
    let edition = fd.edition.unwrap_or(0);
    let file = Features::file(fd);
    for (i, m) in fd.message_type.iter().enumerate() {
        if let Some(r) = message(m, &file, &[4, i as i32], edition, enum_is_closed) {
            return Some(r);
        }
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        if let Some(r) = enum_(e, &file, &[5, i as i32]) {
            return Some(r);
        }
    }
    for (i, x) in fd.extension.iter().enumerate() {
        if let Some(r) = field(x, &file, &[7, i as i32], edition, (true, false, false), enum_is_closed) {
            return Some(r);
        }
    }
    None
}

fn message(
    m: &DescriptorProto,
    outer: &Features,
    path: &[i32],
    edition: i32,
    closed: &dyn Fn(&str) -> Option<bool>,
) -> Option<Refusal> {
    let scope = outer.child(m.options.as_ref().and_then(|o| o.features.as_ref()));
    for (i, f) in m.field.iter().enumerate() {
        let in_oneof = f.oneof_index.is_some() && !f.proto3_optional();
        let mut inherited = scope;
        if in_oneof && let Some(o) = f.oneof_index.and_then(|ix| m.oneof_decl.get(usize::try_from(ix).ok()?)) {
            inherited = scope.child(o.options.as_ref().and_then(|o| o.features.as_ref()));
        }
        let p = [path, &[2, i as i32]].concat();
        // A map field: its type is a nested map-entry message (not just a name ending in Entry).
        let is_map = m.nested_type.iter().any(|n| {
            n.options.as_ref().and_then(|o| o.map_entry) == Some(true)
                && f.type_name().strip_suffix(n.name()).is_some_and(|p| p.ends_with('.'))
        });
        if let Some(r) = field(f, &inherited, &p, edition, (false, in_oneof, is_map), closed) {
            return Some(r);
        }
    }
    for (i, x) in m.extension.iter().enumerate() {
        if let Some(r) = field(x, &scope, &[path, &[6, i as i32]].concat(), edition, (true, false, false), closed) {
            return Some(r);
        }
    }
    for (i, e) in m.enum_type.iter().enumerate() {
        if let Some(r) = enum_(e, &scope, &[path, &[4, i as i32]].concat()) {
            return Some(r);
        }
    }
    for (i, n) in m.nested_type.iter().enumerate() {
        if let Some(r) = message(n, &scope, &[path, &[3, i as i32]].concat(), edition, closed) {
            return Some(r);
        }
    }
    None
}

fn enum_(e: &EnumDescriptorProto, outer: &Features, path: &[i32]) -> Option<Refusal> {
    let open = !outer.child(e.options.as_ref().and_then(|o| o.features.as_ref())).enum_closed();
    if open && e.value.first().is_some_and(|v| v.number() != 0) {
        return Some(([path, &[2, 0, 2]].concat(), "The first enum value must be zero for open enums.".into()));
    }
    None
}

fn field(
    f: &FieldDescriptorProto,
    outer: &Features,
    path: &[i32],
    edition: i32,
    (extension, in_oneof, is_map): (bool, bool, bool),
    closed: &dyn Fn(&str) -> Option<bool>,
) -> Option<Refusal> {
    let name = [path, &[1]].concat();
    let at_name = |m: &str| Some((name.clone(), m.to_string()));
    let options = f.options.as_ref();
    let written = options.and_then(|o| o.features.as_ref());
    let resolved = outer.child(written);
    let repeated = f.label() == Label::Repeated;
    let ty = f.r#type();
    let is_message = matches!(ty, Type::Message | Type::Group);
    if options.is_some_and(|o| o.packed.is_some()) {
        return at_name(
            "Field option packed is not allowed under editions.  Use the repeated_field_encoding feature to control this behavior.",
        );
    }
    if edition >= EDITION_2024 && options.is_some_and(|o| o.ctype.is_some()) {
        return Some((
            path.to_vec(),
            "ctype option is not allowed under edition 2024 and beyond. Use the feature string_type = VIEW|CORD|STRING|... instead."
                .into(),
        ));
    }
    if let Some(w) = written {
        if w.field_presence == Some(FieldPresence::Unknown as i32) {
            return at_name(
                "Feature field `field_presence` must resolve to a known value, found FIELD_PRESENCE_UNKNOWN",
            );
        }
        if w.field_presence.is_some() {
            if extension && w.field_presence == Some(FieldPresence::LegacyRequired as i32) {
                return at_name("Extensions can't be required.");
            }
            if extension {
                return at_name("Extensions can't specify field presence.");
            }
            if repeated {
                return at_name("Repeated fields can't specify field presence.");
            }
            if in_oneof {
                return at_name("Oneof fields can't specify field presence.");
            }
            if is_message && w.field_presence == Some(FieldPresence::Implicit as i32) {
                return at_name("Message fields can't specify implicit presence.");
            }
        }
        if w.message_encoding.is_some() && (!is_message || is_map) {
            return at_name("Only message fields can specify message encoding.");
        }
        if w.repeated_field_encoding.is_some() && !repeated {
            return at_name("Only repeated fields can specify repeated field encoding.");
        }
        if w.repeated_field_encoding == Some(RepeatedFieldEncoding::Packed as i32)
            && matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group)
        {
            return at_name("Only repeated primitive fields can specify PACKED repeated field encoding.");
        }
        if w.utf8_validation.is_some() && ty != Type::String {
            return at_name("Only string fields can specify utf8 validation.");
        }
    }
    let implicit =
        !repeated && !extension && !in_oneof && !is_message && resolved.field_presence() == FieldPresence::Implicit;
    if implicit && f.default_value.is_some() {
        return at_name("Implicit presence fields can't specify defaults.");
    }
    if implicit && ty == Type::Enum && closed(f.type_name()) == Some(true) {
        return at_name("Implicit presence enum fields must always be open.");
    }
    None
}

/// Every enum of `fd` by full name (`.pkg.Enum`) and whether it is closed: proto2 enums are,
/// proto3 enums are not, an editions enum is what its `enum_type` feature resolves to.
pub fn closed_enums(fd: &FileDescriptorProto) -> Vec<(String, bool)> {
    fn walk(
        out: &mut Vec<(String, bool)>,
        scope: &str,
        features: &Features,
        enums: &[EnumDescriptorProto],
        messages: &[DescriptorProto],
        syntax: &str,
    ) {
        for e in enums {
            let closed = match syntax {
                "editions" => features.child(e.options.as_ref().and_then(|o| o.features.as_ref())).enum_closed(),
                "proto3" => false,
                _ => true,
            };
            out.push((format!("{scope}.{}", e.name()), closed));
        }
        for m in messages {
            let f = features.child(m.options.as_ref().and_then(|o| o.features.as_ref()));
            walk(out, &format!("{scope}.{}", m.name()), &f, &m.enum_type, &m.nested_type, syntax);
        }
    }
    let mut out = Vec::new();
    let scope = if fd.package().is_empty() { String::new() } else { format!(".{}", fd.package()) };
    let file = Features::file(fd);
    walk(&mut out, &scope, &file, &fd.enum_type, &fd.message_type, fd.syntax.as_deref().unwrap_or("proto2"));
    out
}
