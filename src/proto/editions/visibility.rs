//! Symbol visibility (edition 2024): a message or enum marked `local`, or local by its file's
//! `default_symbol_visibility` (2024: `EXPORT_TOP_LEVEL`, nested types are local; 2026:
//! `STRICT`), cannot be used from another file. protoc refuses such a use at the reference.
use crate::proto::descriptor::feature_set::visibility_feature::DefaultSymbolVisibility as Default;
use crate::proto::descriptor::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto, SymbolVisibility};
use std::collections::{BTreeMap, HashMap};

/// Why a symbol cannot be used outside its file.
enum Local {
    Explicit,
    Defaulted(&'static str),
}

const EDITION_2024: i32 = 1001;
const EDITION_2026: i32 = 1002;

fn default_of(fd: &FileDescriptorProto) -> Default {
    let written = fd.options.as_ref().and_then(|o| o.features.as_ref()).and_then(|f| f.default_symbol_visibility);
    match written.and_then(|v| Default::try_from(v).ok()) {
        Some(d) if d != Default::Unknown => d,
        _ if fd.edition.unwrap_or(0) >= EDITION_2026 => Default::Strict,
        _ => Default::ExportTopLevel,
    }
}

/// The local symbols (`.pkg.Name`) of an edition 2024+ file.
fn locals(fd: &FileDescriptorProto, out: &mut HashMap<String, (String, Local)>) {
    let default = default_of(fd);
    let name = fd.name().to_string();
    let local_by_default = |nested: bool| -> Option<&'static str> {
        match default {
            Default::ExportAll | Default::Unknown => None,
            Default::ExportTopLevel => nested.then_some("EXPORT_TOP_LEVEL"),
            Default::LocalAll => Some("LOCAL_ALL"),
            Default::Strict => Some("STRICT"),
        }
    };
    let mut add = |full: String, visibility: Option<i32>, nested: bool| {
        let why = match visibility.and_then(|v| SymbolVisibility::try_from(v).ok()) {
            Some(SymbolVisibility::VisibilityLocal) => Some(Local::Explicit),
            Some(SymbolVisibility::VisibilityExport) => None,
            _ => local_by_default(nested).map(Local::Defaulted),
        };
        if let Some(why) = why {
            out.insert(full, (name.clone(), why));
        }
    };
    fn walk(
        scope: &str,
        messages: &[DescriptorProto],
        enums: &[EnumDescriptorProto],
        nested: bool,
        add: &mut dyn FnMut(String, Option<i32>, bool),
    ) {
        for e in enums {
            add(format!("{scope}.{}", e.name()), e.visibility, nested);
        }
        for m in messages {
            let full = format!("{scope}.{}", m.name());
            add(full.clone(), m.visibility, nested);
            walk(&full, &m.nested_type, &m.enum_type, true, add);
        }
    }
    let scope = if fd.package().is_empty() { String::new() } else { format!(".{}", fd.package()) };
    walk(&scope, &fd.message_type, &fd.enum_type, false, &mut add);
}

/// Files that use a symbol another file keeps local: (file, source-info path of the use, protoc's
/// message), the first use per file.
pub fn invisible_uses(files: &BTreeMap<String, FileDescriptorProto>) -> Vec<(String, Vec<i32>, String)> {
    let mut local = HashMap::new();
    for fd in
        files.values().filter(|f| f.syntax.as_deref() == Some("editions") && f.edition.unwrap_or(0) >= EDITION_2024)
    {
        locals(fd, &mut local);
    }
    if local.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (name, fd) in files {
        fn fields(m: &DescriptorProto, path: Vec<i32>, uses: &mut Vec<(Vec<i32>, String)>) {
            for (i, f) in m.field.iter().enumerate() {
                uses.push(([path.as_slice(), &[2, i as i32, 6]].concat(), f.type_name().to_string()));
            }
            for (i, x) in m.extension.iter().enumerate() {
                uses.push(([path.as_slice(), &[6, i as i32, 6]].concat(), x.type_name().to_string()));
                uses.push(([path.as_slice(), &[6, i as i32, 2]].concat(), x.extendee().to_string()));
            }
            for (i, n) in m.nested_type.iter().enumerate() {
                fields(n, [path.as_slice(), &[3, i as i32]].concat(), uses);
            }
        }
        let mut owned: Vec<(Vec<i32>, String)> = Vec::new();
        for (i, m) in fd.message_type.iter().enumerate() {
            fields(m, vec![4, i as i32], &mut owned);
        }
        for (i, x) in fd.extension.iter().enumerate() {
            owned.push((vec![7, i as i32, 6], x.type_name().to_string()));
            owned.push((vec![7, i as i32, 2], x.extendee().to_string()));
        }
        for (i, s) in fd.service.iter().enumerate() {
            for (j, m) in s.method.iter().enumerate() {
                owned.push((vec![6, i as i32, 2, j as i32, 2], m.input_type().to_string()));
                owned.push((vec![6, i as i32, 2, j as i32, 3], m.output_type().to_string()));
            }
        }
        let hit = owned.into_iter().find_map(|(path, symbol)| {
            let (defined_in, why) = local.get(&symbol)?;
            (defined_in != name).then(|| {
                let why = match why {
                    Local::Explicit => "It is explicitly marked 'local' and cannot be accessed outside its own file".to_string(),
                    Local::Defaulted(d) => format!(
                        "It defaulted to local from file-level 'option features.default_symbol_visibility = '{d}'; and cannot be accessed outside its own file"
                    ),
                };
                let symbol = symbol.trim_start_matches('.');
                (path, format!("Symbol \"{symbol}\", defined in \"{defined_in}\"  is not visible from \"{name}\". {why}"))
            })
        });
        if let Some((path, message)) = hit {
            out.push((name.clone(), path, message));
        }
    }
    out
}
