//! Helpers several rules share: enum value grouping, type comparison, wire/JSON compatibility
//! groups, default values, RPC pairing.
use crate::diagnostics::Span;
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::{Cardinality, EnumInfo, FieldInfo, FileInfo, ServiceInfo, Side};
use crate::proto::descriptor::MethodDescriptorProto;
use crate::proto::descriptor::field_descriptor_proto::Type;
use std::collections::BTreeMap;

/// Number -> names (several with `allow_alias`), in declaration order.
pub fn enum_numbers<'a>(e: &EnumInfo<'a>) -> BTreeMap<i32, Vec<&'a str>> {
    let mut m: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for v in &e.desc.value {
        m.entry(v.number()).or_default().push(v.name());
    }
    m
}

pub fn enum_names<'e>(e: &'e EnumInfo<'_>, n: i32) -> Vec<&'e str> {
    e.desc.value.iter().filter(|v| v.number() == n).map(|v| v.name()).collect()
}

/// A value number of a matched enum that the current enum no longer declares, with its
/// previous names.
pub type DeletedValue<'c, 'a> = (&'c EnumInfo<'a>, &'c EnumInfo<'a>, i32, Vec<&'a str>);

pub fn deleted_enum_values<'c, 'a>(cx: &'c Cx<'a>) -> Vec<DeletedValue<'c, 'a>> {
    let mut out = Vec::new();
    for (p, c) in cx.matched_enums() {
        for (n, names) in enum_numbers(p) {
            if !c.desc.value.iter().any(|v| v.number() == n) {
                out.push((p, c, n, names));
            }
        }
    }
    out
}

/// Same type on the wire: a `DELIMITED` message field is a group (a proto2 group converted to an
/// editions message field with `features.message_encoding = DELIMITED` keeps its type).
pub fn same_type(p: &FieldInfo<'_>, c: &FieldInfo<'_>) -> bool {
    p.wire_ty() == c.wire_ty()
        && p.desc.type_name().trim_start_matches('.') == c.desc.type_name().trim_start_matches('.')
}

/// The type as users read it; a group and a message of the same name are told apart, as buf
/// does: `group` (proto2), `message (delimited encoding)` (editions), `message`.
pub fn type_label(f: &FieldInfo<'_>, other: &FieldInfo<'_>) -> String {
    let s = f.type_string();
    if s == other.type_string() && f.wire_ty() != other.wire_ty() {
        match (f.ty(), f.wire_ty()) {
            (Type::Message, Type::Group) => "message (delimited encoding)".to_string(),
            (_, t) => crate::proto::breaking::model::scalar_name(t).to_string(),
        }
    } else {
        s
    }
}

/// Location of a field's type in the current tree.
pub fn type_loc(cx: &Cx<'_>, c: &FieldInfo<'_>) -> Option<Span> {
    if matches!(c.ty(), Type::Message | Type::Enum | Type::Group) {
        cx.field_loc(c, &[6])
    } else {
        cx.field_loc(c, &[5])
    }
}

/// Whether a field may change from type `p` to type `c` (two different types, or the same kind
/// naming another enum or message) and still be read on the wire, as buf 1.75 judges it (checked
/// on every pair of the 15 scalar types, two enums and two messages): int32, uint32, int64,
/// uint64 and bool read each other; sint32/sint64, fixed32/sfixed32 and fixed64/sfixed64 pair up;
/// string may become bytes (not the reverse); enums are not integers here, and another enum or
/// message type is a break.
pub fn wire_compatible(p: Type, c: Type) -> bool {
    let group = |t: Type| match t {
        Type::Int32 | Type::Uint32 | Type::Int64 | Type::Uint64 | Type::Bool => 1,
        Type::Sint32 | Type::Sint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        _ => 0,
    };
    p != c && ((p, c) == (Type::String, Type::Bytes) || (group(p) != 0 && group(p) == group(c)))
}

/// [`wire_compatible`] for wire and JSON together, as buf 1.75 judges it: only int32/uint32,
/// int64/uint64, fixed32/sfixed32 and fixed64/sfixed64 (64-bit integers are strings in JSON, so
/// 32 and 64 bits do not mix).
pub fn wire_json_compatible(p: Type, c: Type) -> bool {
    let group = |t: Type| match t {
        Type::Int32 | Type::Uint32 => 1,
        Type::Int64 | Type::Uint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        _ => 0,
    };
    p != c && group(p) != 0 && group(p) == group(c)
}

/// buf's cardinality groups (checked with buf 1.75 on every pair of cardinalities for string,
/// int32 and message fields, in and across proto2 and proto3): singular (explicit or implicit
/// presence), required, repeated; a map is repeated on the wire and a group of its own in JSON.
/// A field that moves between groups is reported with its shape (`map` or the cardinality).
pub fn cardinality_group_changed(cx: &Cx<'_>, out: &mut Out, rule: &'static str, map_is_own_group: bool) {
    let group = |side: &Side<'_>, f: &FieldInfo<'_>| match f.cardinality() {
        _ if side.is_map(f) && map_is_own_group => 4,
        Cardinality::Repeated => 3,
        Cardinality::Required => 2,
        _ => 1,
    };
    let breaks = |cx: &Cx<'_>, p: &FieldInfo<'_>, c: &FieldInfo<'_>| group(cx.prev, p) != group(cx.cur, c);
    let shape = |side: &Side<'_>, f: &FieldInfo<'_>| if side.is_map(f) { "map" } else { f.cardinality().as_str() };
    field_cardinality_changed(cx, out, rule, breaks, shape);
}

/// Fields of synthetic map-entry messages: their shape is fixed by the map syntax.
pub fn in_map_entry(cx: &Cx<'_>, p: &FieldInfo<'_>, c: &FieldInfo<'_>) -> bool {
    let entry = |side: &Side<'_>, f: &FieldInfo<'_>| {
        !f.extension && side.messages.get(&f.container_fqn).is_some_and(|m| m.is_map_entry())
    };
    entry(cx.prev, p) && entry(cx.cur, c)
}

/// The default a reader uses when the field is absent.
pub fn effective_default(side: &Side<'_>, f: &FieldInfo<'_>) -> String {
    if let Some(d) = &f.desc.default_value {
        return d.clone();
    }
    match f.ty() {
        Type::String | Type::Bytes => String::new(),
        Type::Bool => "false".into(),
        Type::Enum => side
            .enums
            .get(f.desc.type_name().trim_start_matches('.'))
            .and_then(|e| e.desc.value.first())
            .map(|v| v.name().to_string())
            .unwrap_or_default(),
        _ => "0".into(),
    }
}

/// Compare defaults by meaning: numbers numerically, the rest textually.
pub fn defaults_equal(t: Type, a: &str, b: &str) -> bool {
    match t {
        Type::Float | Type::Double => {
            let parse = |s: &str| -> Option<f64> {
                match s.trim().to_ascii_lowercase().as_str() {
                    "inf" | "infinity" => Some(f64::INFINITY),
                    "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                    "nan" => Some(f64::NAN),
                    x => x.parse().ok(),
                }
            };
            match (parse(a), parse(b)) {
                (Some(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
                _ => a == b,
            }
        }
        Type::String | Type::Bytes | Type::Enum | Type::Message | Type::Group => a == b,
        Type::Bool => a.trim() == b.trim(),
        _ => match (parse_int(a), parse_int(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

fn parse_int(s: &str) -> Option<i128> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if s.len() > 1 && s.starts_with('0') {
        i128::from_str_radix(&s[1..], 8).ok()?
    } else {
        s.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// RPCs of matched services paired by name, with the current method's source path.
pub type MethodPair<'c, 'a> =
    (&'c ServiceInfo<'a>, &'c ServiceInfo<'a>, &'a MethodDescriptorProto, &'a MethodDescriptorProto, Vec<i32>);

pub fn matched_methods<'c, 'a>(cx: &'c Cx<'a>) -> Vec<MethodPair<'c, 'a>> {
    let mut out = Vec::new();
    for (ps, cs) in cx.matched_services() {
        for pm in &ps.desc.method {
            if let Some((i, cm)) = cs.desc.method.iter().enumerate().find(|(_, m)| m.name() == pm.name()) {
                let mut path = cs.path.clone();
                path.extend_from_slice(&[2, i as i32]);
                out.push((ps, cs, pm, cm, path));
            }
        }
    }
    out
}

/// Where an RPC_SAME_* finding goes when the current method's element has no location (an option
/// that was removed): the method, or, as buf does for a removed option, the file's first line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Method,
    FileStart,
}

/// The RPC_SAME_* rules over one property of a method: report every matched RPC whose `value`
/// differs between the revisions, at the current method's element `suffix` (`&[]`: the method
/// itself; see [`Missing`] when that element has no location), with `describe(rpc, service,
/// previous, current)` as the message.
pub fn method_property_changed<T: PartialEq>(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    (suffix, missing): (&[i32], Missing),
    value: impl Fn(&MethodDescriptorProto) -> T,
    describe: impl Fn(&str, &str, &T, &T) -> String,
) {
    for (ps, cs, pm, cm, path) in matched_methods(cx) {
        let (a, b) = (value(pm), value(cm));
        if a != b {
            let span = cx.cur.files.get(cs.file).and_then(|f| match missing {
                Missing::Method => f.loc_or(&[path.as_slice(), suffix].concat(), &path),
                Missing::FileStart => f.loc(&[path.as_slice(), suffix].concat()).or(Some(Span::file_start())),
            });
            out.matched(rule, cx, (ps, cs), span, describe(cm.name(), &cs.name, &a, &b));
        }
    }
}

/// The FIELD_SAME_* rules over one property of a field: report every matched field whose
/// `value` differs as `{field} changed {what} from "{previous}" to "{current}".` (without the
/// quotes unless `quoted`, as buf words it), at `at(current file, current field)`, else at the
/// field. A `None` value means the rule does not apply to the field.
pub fn field_property_changed<T: PartialEq + std::fmt::Display>(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    at: impl Fn(&FileInfo<'_>, &FieldInfo<'_>) -> Option<Span>,
    value: impl Fn(&Side<'_>, &FieldInfo<'_>) -> Option<T>,
    (what, quoted): (&str, bool),
) {
    for (p, c) in cx.matched_fields() {
        let (Some(a), Some(b)) = (value(cx.prev, p), value(cx.cur, c)) else { continue };
        if a != b {
            let q = if quoted { "\"" } else { "" };
            let message = format!("{} changed {what} from {q}{a}{q} to {q}{b}{q}.", c.describe());
            let span = cx.cur.files.get(c.file).and_then(|f| at(f, c)).or_else(|| cx.field_loc(c, &[]));
            out.matched(rule, cx, (p, c), span, message);
        }
    }
}

/// The FIELD_*_TYPE rules: report a matched field whose type changed unless `compatible(previous,
/// current)` says the change keeps what the rule protects; `see` ends the message (buf points the
/// WIRE rules at protobuf's compatibility rules).
pub fn field_type_changed(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    compatible: fn(Type, Type) -> bool,
    see: &str,
) {
    for (p, c) in cx.matched_fields() {
        if same_type(p, c) || compatible(p.wire_ty(), c.wire_ty()) {
            continue;
        }
        let message =
            format!("{} changed type from \"{}\" to \"{}\".{see}", c.describe(), type_label(p, c), type_label(c, p));
        out.matched(rule, cx, (p, c), type_loc(cx, c), message);
    }
}

/// The FIELD_*_CARDINALITY rules: report a matched field (outside map entries) for which
/// `breaks(cx, previous, current)` holds, naming each side's shape with `shape`.
pub fn field_cardinality_changed(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    breaks: impl Fn(&Cx<'_>, &FieldInfo<'_>, &FieldInfo<'_>) -> bool,
    shape: impl Fn(&Side<'_>, &FieldInfo<'_>) -> &'static str,
) {
    for (p, c) in cx.matched_fields() {
        if in_map_entry(cx, p, c) || !breaks(cx, p, c) {
            continue;
        }
        let message =
            format!("{} changed cardinality from \"{}\" to \"{}\".", c.describe(), shape(cx.prev, p), shape(cx.cur, c));
        out.matched(rule, cx, (p, c), cx.field_loc(c, &[4]), message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compare_by_value() {
        assert!(defaults_equal(Type::Double, "1.0", "1"));
        assert!(defaults_equal(Type::Int32, "0x10", "16"));
        assert!(!defaults_equal(Type::Int32, "3", "5"));
        assert!(defaults_equal(Type::Float, "inf", "Infinity"));
    }
}
