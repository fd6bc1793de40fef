//! What protoc refuses in proto2 and proto3 files (and editions files alike) that protox's
//! linker accepts, checked on the linked descriptor with protoc's message at protoc's place
//! (the conformance test compares both). Editions-only checks are in `editions::check`.
use crate::proto::descriptor::field_descriptor_proto::{Label, Type};
use crate::proto::descriptor::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};

/// An error: the source-info path it is reported at, and protoc's message.
pub type Refusal = (Vec<i32>, String);

/// The first thing protoc refuses in `fd`. `enum_is_closed` answers for enums by full name
/// (`.pkg.Enum`), `None` when unknown.
pub fn check(fd: &FileDescriptorProto, enum_is_closed: &dyn Fn(&str) -> Option<bool>) -> Option<Refusal> {
    let proto3 = fd.syntax.as_deref() == Some("proto3");
    let pkg = fd.package();
    for (i, m) in fd.message_type.iter().enumerate() {
        let scope = if pkg.is_empty() { m.name().to_string() } else { format!("{pkg}.{}", m.name()) };
        if let Some(r) = message(m, &scope, &[4, i as i32], proto3, enum_is_closed) {
            return Some(r);
        }
    }
    for (i, x) in fd.extension.iter().enumerate() {
        if let Some(r) = field(x, &[7, i as i32], true) {
            return Some(r);
        }
    }
    None
}

fn message(
    m: &DescriptorProto,
    full: &str,
    path: &[i32],
    proto3: bool,
    closed: &dyn Fn(&str) -> Option<bool>,
) -> Option<Refusal> {
    let at = |tail: &[i32]| [path, tail].concat();
    for (i, r) in m.extension_range.iter().enumerate() {
        if proto3 {
            return Some((at(&[5, i as i32]), "Extension ranges are not allowed in proto3.".into()));
        }
        if r.end() <= r.start() {
            return Some((at(&[5, i as i32]), "Extension range end number must be greater than start number.".into()));
        }
    }
    for (i, f) in m.field.iter().enumerate() {
        let p = at(&[2, i as i32]);
        if m.reserved_name.iter().any(|n| n == f.name()) {
            return Some(([p.as_slice(), &[1]].concat(), format!("Field name \"{}\" is reserved.", f.name())));
        }
        if proto3 && f.r#type() == Type::Enum && closed(f.type_name()) == Some(true) {
            let message = format!(
                "Enum type \"{}\" is not an open enum, but is used in \"{full}\" which is a proto3 message type.",
                f.type_name().trim_start_matches('.')
            );
            return Some(([p.as_slice(), &[6]].concat(), message));
        }
        if let Some(r) = field(f, &p, false) {
            return Some(r);
        }
    }
    for (i, x) in m.extension.iter().enumerate() {
        if let Some(r) = field(x, &at(&[6, i as i32]), true) {
            return Some(r);
        }
    }
    for (i, n) in m.nested_type.iter().enumerate() {
        if let Some(r) = message(n, &format!("{full}.{}", n.name()), &at(&[3, i as i32]), proto3, closed) {
            return Some(r);
        }
    }
    None
}

/// Checks of one field or extension; errors about its type are at the type (`[.., 5]` for a
/// scalar, `[.., 6]` for a named type), as protoc reports them.
fn field(f: &FieldDescriptorProto, path: &[i32], extension: bool) -> Option<Refusal> {
    let ty = f.r#type();
    let type_path = [path, &[if f.type_name.is_some() { 6 } else { 5 }]].concat();
    if extension && has_json_name_option(f) {
        return Some(([path, &[10]].concat(), "option json_name is not allowed on extension fields.".into()));
    }
    let options = f.options.as_ref();
    let primitive = !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group);
    if options.and_then(|o| o.packed) == Some(true) && !(f.label() == Label::Repeated && primitive) {
        return Some((type_path, "[packed = true] can only be specified for repeated primitive fields.".into()));
    }
    let long = matches!(ty, Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64);
    if options.and_then(|o| o.jstype).is_some() && !long {
        return Some((
            type_path,
            "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.".into(),
        ));
    }
    None
}

/// Whether the `json_name` of an extension was written: protoc and the linker fill in the
/// default one for every field and extension, so a written one is one that differs from it (an
/// explicit `json_name` equal to the default is not told apart).
fn has_json_name_option(f: &FieldDescriptorProto) -> bool {
    f.json_name.as_deref().is_some_and(|j| j != crate::proto::breaking::model::default_json_name(f.name()))
}
