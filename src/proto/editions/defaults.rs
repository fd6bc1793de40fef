//! `default = ...` in an editions file: the pre-pass renamed it to an option protox's proto3 mode
//! keeps as an uninterpreted option (`DEFAULT_SENTINEL`); here it becomes the field's
//! `default_value`, written as protoc writes it, with protoc's location (`[.., 7]`, the value).
use super::{DEFAULT_SENTINEL, Pre, span_of, span_start};
use crate::proto::frontend::FrontendError;
use prost_types::field_descriptor_proto::Type;
use prost_types::{FieldDescriptorProto, FileDescriptorProto, UninterpretedOption};

/// Move every sentinel option of `fd` into its field's `default_value`.
pub(super) fn apply(fd: &mut FileDescriptorProto, pre: &Pre, text: &str) -> Result<(), FrontendError> {
    if pre.defaults.is_empty() {
        return Ok(());
    }
    let mut fields: Vec<Vec<i32>> = Vec::new();
    collect_fields(fd, &mut fields);
    let mut info = fd.source_code_info.take().unwrap_or_default();
    for path in fields {
        let Some(f) = field_mut(fd, &path) else { continue };
        let Some(options) = f.options.as_mut() else { continue };
        let Some(k) = options.uninterpreted_option.iter().position(is_sentinel) else { continue };
        let option = options.uninterpreted_option.remove(k);
        if options == &mut prost_types::FieldOptions::default() {
            f.options = None;
        }
        // The option's location gives the renamed word's offset, hence the value's range.
        let opt_path: Vec<i32> = [path.as_slice(), &[8, 999, k as i32]].concat();
        let at = info.location.iter().find(|l| l.path == opt_path).and_then(|l| span_start(text, &l.span));
        let value = at.and_then(|s| pre.defaults.iter().find(|(o, _)| *o == s)).map(|(_, v)| *v);
        info.location.retain(|l| l.path != opt_path);
        // Later uninterpreted options of the field (and anything below them) move up by one.
        let n = opt_path.len();
        for l in &mut info.location {
            if l.path.len() >= n && l.path[..n - 1] == opt_path[..n - 1] && l.path[n - 1] > k as i32 {
                l.path[n - 1] -= 1;
            }
        }
        let (s, e) = value.unwrap_or((0, 0));
        let negative = text[s..e].starts_with('-');
        let Some(default) = default_value(f, &option, negative) else {
            let message = format!("Default value for field \"{}\" is not valid.", f.name());
            return Err(FrontendError::At { message, start: s, end: e });
        };
        f.default_value = Some(default);
        if value.is_some() {
            info.location.push(prost_types::source_code_info::Location {
                path: [path.as_slice(), &[7]].concat(),
                span: span_of(text, (s, e)),
                ..Default::default()
            });
        }
    }
    fd.source_code_info = Some(info);
    Ok(())
}

fn is_sentinel(o: &UninterpretedOption) -> bool {
    matches!(o.name.as_slice(), [p] if !p.is_extension && p.name_part == DEFAULT_SENTINEL)
}

fn collect_fields(fd: &FileDescriptorProto, out: &mut Vec<Vec<i32>>) {
    fn msg(m: &prost_types::DescriptorProto, path: Vec<i32>, out: &mut Vec<Vec<i32>>) {
        out.extend((0..m.field.len()).map(|i| [path.as_slice(), &[2, i as i32]].concat()));
        out.extend((0..m.extension.len()).map(|i| [path.as_slice(), &[6, i as i32]].concat()));
        for (i, n) in m.nested_type.iter().enumerate() {
            msg(n, [path.as_slice(), &[3, i as i32]].concat(), out);
        }
    }
    for (i, m) in fd.message_type.iter().enumerate() {
        msg(m, vec![4, i as i32], out);
    }
    out.extend((0..fd.extension.len()).map(|i| vec![7, i as i32]));
}

fn field_mut<'a>(fd: &'a mut FileDescriptorProto, path: &[i32]) -> Option<&'a mut FieldDescriptorProto> {
    let ix = |i: i32| usize::try_from(i).ok();
    if let [7, i] = path {
        return fd.extension.get_mut(ix(*i)?);
    }
    let (msg, last) = path.split_at(path.len().checked_sub(2)?);
    let m = crate::proto::frontend::message_at_mut(fd, msg)?;
    match last {
        [2, i] => m.field.get_mut(ix(*i)?),
        [6, i] => m.extension.get_mut(ix(*i)?),
        _ => None,
    }
}

/// protoc's `default_value` text for an option value on a field of this type (`None`: invalid).
fn default_value(f: &FieldDescriptorProto, o: &UninterpretedOption, negative: bool) -> Option<String> {
    let sign = if negative { "-" } else { "" };
    let Some(ty) = f.r#type.and_then(|t| Type::try_from(t).ok()) else {
        // A named type, not resolved yet: an enum value's name.
        return o.identifier_value.clone().filter(|_| !negative);
    };
    match ty {
        Type::Bool => o.identifier_value.clone().filter(|v| v == "true" || v == "false"),
        Type::String => o.string_value.as_ref().and_then(|b| String::from_utf8(b.clone()).ok()),
        Type::Bytes => o.string_value.as_ref().map(|b| c_escape(b)),
        Type::Float | Type::Double => {
            let v = if let Some(d) = o.double_value {
                d
            } else if let Some(p) = o.positive_int_value {
                p as f64
            } else if let Some(n) = o.negative_int_value {
                n as f64
            } else {
                match o.identifier_value.as_deref()? {
                    "inf" => return Some(format!("{sign}inf")),
                    "nan" => return Some("nan".into()),
                    _ => return None,
                }
            };
            Some(if ty == Type::Float { simple_ftoa(v as f32) } else { simple_dtoa(v) })
        }
        Type::Group | Type::Message => None,
        Type::Enum => o.identifier_value.clone(),
        _ => {
            if let Some(p) = o.positive_int_value {
                Some(p.to_string())
            } else {
                o.negative_int_value.map(|n| n.to_string())
            }
        }
    }
}

/// protoc's `CEscape`: the escapes C knows, other bytes outside printable ASCII in octal.
fn c_escape(b: &[u8]) -> String {
    let mut s = String::new();
    for &c in b {
        match c {
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            b'"' => s.push_str("\\\""),
            b'\'' => s.push_str("\\'"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\{c:03o}")),
        }
    }
    s
}

/// C's `%.{precision}g`.
fn format_g(v: f64, precision: usize) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.*e}", precision - 1, v);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let m = trim_zeros(mantissa);
        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (precision as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

/// protoc's `SimpleDtoa`: 15 significant digits when they read back as the same double, else 17.
fn simple_dtoa(v: f64) -> String {
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if v.is_nan() {
        return "nan".into();
    }
    let short = format_g(v, 15);
    if short.parse::<f64>().ok() == Some(v) { short } else { format_g(v, 17) }
}

/// protoc's `SimpleFtoa`: 6 significant digits when they read back as the same float, else 9.
fn simple_ftoa(v: f32) -> String {
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if v.is_nan() {
        return "nan".into();
    }
    let short = format_g(f64::from(v), 6);
    if short.parse::<f32>().ok() == Some(v) { short } else { format_g(f64::from(v), 9) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_written_as_protoc_writes_them() {
        for (v, want) in [(1e10, "10000000000"), (1.5, "1.5"), (1e20, "1e+20"), (0.1, "0.1"), (1e-5, "1e-05")] {
            assert_eq!(simple_dtoa(v), want);
        }
        assert_eq!(simple_ftoa(0.1), "0.1");
        assert_eq!(simple_ftoa(3.4028235e38), "3.40282347e+38");
        assert_eq!(c_escape(b"a\x00\xff\"\n"), "a\\000\\377\\\"\\n");
    }
}
