//! One revision of a proto module, indexed the way buf matches elements across revisions:
//! files by path, messages/enums/services by fully-qualified name, fields and enum values by
//! number, extensions by (extendee, number).
use crate::diagnostics::{FileRef, Span};
use crate::proto::descriptor::feature_set::{FieldPresence, JsonFormat, Utf8Validation};
use crate::proto::descriptor::field_descriptor_proto::{Label, Type};
use crate::proto::descriptor::pb::cpp_features::StringType;
use crate::proto::descriptor::{
    DescriptorProto, Edition, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto, ServiceDescriptorProto,
    edition_of,
};
use crate::proto::features::Features;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// One file of a revision.
pub struct FileInfo<'a> {
    /// Path relative to the module root (the import name).
    pub name: &'a str,
    pub fd: &'a FileDescriptorProto,
    /// Where users see it (relative to the input root, on disk when the revision is on disk).
    pub file_ref: FileRef,
    /// The file's text, to recover locations from when `fd` carries no source info.
    text: Option<Arc<str>>,
    /// Spans by source-info path, built on first use: most files never get a finding, and
    /// indexing every location of a large tree up front costs more than the comparison.
    locs: OnceLock<HashMap<Vec<i32>, Span>>,
}

impl FileInfo<'_> {
    pub fn package(&self) -> &str {
        self.fd.package()
    }
    /// `proto2` when the syntax statement is missing, as protoc does.
    pub fn syntax(&self) -> &str {
        match self.fd.syntax() {
            "" => "proto2",
            s => s,
        }
    }
    /// The span of the element at a source-info path, if the compiler recorded one.
    pub fn loc(&self, path: &[i32]) -> Option<Span> {
        self.locs.get_or_init(|| self.index_locations()).get(path).copied()
    }
    fn index_locations(&self) -> HashMap<Vec<i32>, Span> {
        let reparsed;
        let sci = match (&self.fd.source_code_info, &self.text) {
            (Some(sci), _) => sci,
            (None, Some(text)) => match crate::proto::loader::source_info(self.name, text) {
                Some(sci) => {
                    reparsed = sci;
                    &reparsed
                }
                None => return HashMap::new(),
            },
            (None, None) => return HashMap::new(),
        };
        let mut locs = HashMap::new();
        let text = self.text.as_deref().map(crate::proto::span::SourceText::new);
        for l in &sci.location {
            let Some(span) = crate::proto::span::from_source_info(&l.span, text.as_ref()) else { continue };
            // The first location recorded for a path is the whole element.
            locs.entry(l.path.clone()).or_insert(span);
        }
        locs
    }
    /// The text of the line `line` (1-based), when the file's text is at hand.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.text.as_deref()?.lines().nth(line.checked_sub(1)?)
    }

    /// `span` of an option's value widened to the whole `name = value` (protoc's and buf's
    /// location of a pseudo-option such as `default`); `span` itself when the text before the
    /// value is not `name =` on the same line.
    pub fn option_span(&self, span: Span, name: &str) -> Span {
        let Some(line) = self.line_text(span.line) else { return span };
        let chars: Vec<char> = line.chars().collect();
        let mut i = span.column.saturating_sub(1).min(chars.len());
        let skip_ws = |i: &mut usize| {
            while *i > 0 && chars[*i - 1].is_whitespace() {
                *i -= 1;
            }
        };
        skip_ws(&mut i);
        if i == 0 || chars[i - 1] != '=' {
            return span;
        }
        i -= 1;
        skip_ws(&mut i);
        let word: String =
            chars[..i].iter().rev().take(name.chars().count()).collect::<Vec<_>>().into_iter().rev().collect();
        if word != name {
            return span;
        }
        Span { column: i - name.chars().count() + 1, ..span }
    }

    /// The span of an option of the element at `elem` whose options are field `options_tag` of
    /// it: the interpreted path `[elem.., options_tag, interpreted..]` (`[8, 21, 4]` for a field's
    /// `features.utf8_validation`), else the uninterpreted option (`[.., options_tag, 999, k]`)
    /// whose text names `name` (`features.utf8_validation`): the linker leaves the paths of
    /// options it resolves late (editions features) uninterpreted in source info.
    pub fn option_loc(&self, elem: &[i32], options_tag: i32, interpreted: &[i32], name: &str) -> Option<Span> {
        let path = [elem, &[options_tag], interpreted].concat();
        if let Some(span) = self.loc(&path) {
            return Some(span);
        }
        let prefix = [elem, &[options_tag, 999]].concat();
        let locs = self.locs.get_or_init(|| self.index_locations());
        let mut found: Vec<(&Vec<i32>, Span)> = locs
            .iter()
            .filter(|(p, _)| p.len() == prefix.len() + 1 && p.starts_with(&prefix))
            .map(|(p, s)| (p, *s))
            .collect();
        found.sort_by_key(|(p, _)| p[prefix.len()]);
        found.into_iter().map(|(_, s)| s).find(|s| self.option_names(*s, name))
    }

    /// Whether the option whose text starts at `span` (`name = ...`, or `option name = ...;`) is `name`.
    fn option_names(&self, span: Span, name: &str) -> bool {
        let Some(line) = self.line_text(span.line) else { return false };
        let rest: String = line.chars().skip(span.column.saturating_sub(1)).collect();
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("option").filter(|r| r.starts_with(char::is_whitespace)).unwrap_or(rest);
        let written: String = rest.split('=').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
        written == name
    }

    /// The span at `path`, else at `fallback`.
    pub fn loc_or(&self, path: &[i32], fallback: &[i32]) -> Option<Span> {
        self.loc(path).or_else(|| self.loc(fallback))
    }
}

pub struct MessageInfo<'a> {
    pub file: &'a str,
    pub fqn: String,
    /// Name relative to the package (`Outer.Inner`), as buf prints it.
    pub name: String,
    pub desc: &'a DescriptorProto,
    pub path: Vec<i32>,
    /// Fully-qualified name of the enclosing message.
    pub parent: Option<String>,
    pub package: &'a str,
    /// Resolved `json_format` (proto3: ALLOW, proto2: LEGACY_BEST_EFFORT, editions: as resolved).
    pub json_format: JsonFormat,
    pub fields: Vec<FieldInfo<'a>>,
    /// Field number -> index in `fields` (the first field with that number): rules pair fields
    /// by number, and a scan per field made 18,000 fields in one message take seconds.
    pub by_number: HashMap<i32, usize>,
}

impl<'a> MessageInfo<'a> {
    pub fn is_map_entry(&self) -> bool {
        self.desc.options.as_ref().is_some_and(|o| o.map_entry())
    }
    pub fn field(&self, number: i32) -> Option<&FieldInfo<'a>> {
        self.by_number.get(&number).map(|&i| &self.fields[i])
    }
}

pub struct EnumInfo<'a> {
    pub file: &'a str,
    pub fqn: String,
    pub name: String,
    pub desc: &'a EnumDescriptorProto,
    pub path: Vec<i32>,
    pub parent: Option<String>,
    pub package: &'a str,
    /// Resolved `enum_type` is CLOSED (proto2, or editions with `features.enum_type = CLOSED`).
    pub closed: bool,
    pub json_format: JsonFormat,
}

pub struct ServiceInfo<'a> {
    pub file: &'a str,
    pub fqn: String,
    pub name: String,
    pub desc: &'a ServiceDescriptorProto,
    pub path: Vec<i32>,
    pub package: &'a str,
}

/// A field of a message, or an extension.
pub struct FieldInfo<'a> {
    pub file: &'a str,
    pub desc: &'a FieldDescriptorProto,
    pub path: Vec<i32>,
    /// Package-relative name of the containing message (the extendee for extensions).
    pub container: String,
    /// Fully-qualified name of the containing message (the extendee for extensions).
    pub container_fqn: String,
    pub extension: bool,
    /// Fully-qualified name of the extension (extensions only).
    pub ext_fqn: String,
    /// Message the extension is declared in (nested extensions only).
    pub scope: Option<String>,
    pub package: &'a str,
    /// What the rules read of the field's resolved features.
    pub features: FieldFeatures,
    /// The real (non-synthetic) oneof the field belongs to.
    pub oneof: Option<&'a str>,
}

/// The resolved features of a field the breaking rules compare (see `crate::proto::features`),
/// kept small: a large tree has hundreds of thousands of fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldFeatures {
    pub presence: FieldPresence,
    pub utf8_validation: Utf8Validation,
    /// A message-typed field encoded as a group (`DELIMITED`, or a proto2 group).
    pub delimited: bool,
    pub cpp_string_type: StringType,
    /// Java verifies UTF-8 when it parses the field.
    pub java_utf8_verify: bool,
}

impl FieldFeatures {
    fn of(f: &Features) -> FieldFeatures {
        FieldFeatures {
            presence: f.field_presence(),
            utf8_validation: f.utf8_validation(),
            delimited: f.delimited(),
            cpp_string_type: f.cpp_string_type(),
            java_utf8_verify: f.java_utf8_verify(),
        }
    }
}

/// How many values a field holds and whether it tracks presence (buf's "cardinality").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    Implicit,
    Explicit,
    Required,
    Repeated,
}

impl Cardinality {
    pub fn as_str(self) -> &'static str {
        match self {
            Cardinality::Implicit => "optional with implicit presence",
            Cardinality::Explicit => "optional with explicit presence",
            Cardinality::Required => "required",
            Cardinality::Repeated => "repeated",
        }
    }
}

impl FieldInfo<'_> {
    pub fn number(&self) -> i32 {
        self.desc.number()
    }
    pub fn name(&self) -> &str {
        self.desc.name()
    }
    pub fn ty(&self) -> Type {
        self.desc.r#type()
    }
    pub fn is_message_like(&self) -> bool {
        matches!(self.ty(), Type::Message | Type::Group)
    }
    /// The type on the wire: a message field with `DELIMITED` encoding is a group.
    pub fn wire_ty(&self) -> Type {
        match self.ty() {
            Type::Message if self.features.delimited => Type::Group,
            t => t,
        }
    }
    /// `int32`, `string`, or the fully-qualified name of a message/enum type.
    pub fn type_string(&self) -> String {
        match self.ty() {
            Type::Message | Type::Enum | Type::Group => self.desc.type_name().trim_start_matches('.').to_string(),
            t => scalar_name(t).to_string(),
        }
    }
    pub fn cardinality(&self) -> Cardinality {
        match self.desc.label() {
            Label::Repeated => Cardinality::Repeated,
            _ => match self.features.presence {
                FieldPresence::LegacyRequired => Cardinality::Required,
                FieldPresence::Implicit => Cardinality::Implicit,
                _ => Cardinality::Explicit,
            },
        }
    }
    /// `Field "1" with name "id" on message "User"`, as buf 1.75 words it: a field by its name on
    /// its message's own name (`Inner`, not `Outer.Inner`); an extension by its fully-qualified
    /// name on the extendee's (`Extension "100" with name "acme.v1.tag" on message "acme.v1.User"`).
    pub fn describe(&self) -> String {
        if self.extension {
            format!(
                "Extension \"{}\" with name \"{}\" on message \"{}\"",
                self.number(),
                self.ext_fqn,
                self.container_fqn
            )
        } else {
            format!("Field \"{}\" with name \"{}\" on message \"{}\"", self.number(), self.name(), self.message_name())
        }
    }
    /// The message a finding names: the containing message's own name for a field, the
    /// extendee's fully-qualified name for an extension (buf's wording).
    pub fn message_name(&self) -> &str {
        if self.extension { &self.container_fqn } else { self.container.rsplit('.').next().unwrap_or(&self.container) }
    }
    /// The JSON name protoc would use: the `json_name` option, else the lowerCamelCase name.
    pub fn json_name(&self) -> String {
        match &self.desc.json_name {
            Some(j) if !j.is_empty() => j.clone(),
            _ => default_json_name(self.name()),
        }
    }
    pub fn loc_key(&self, suffix: &[i32]) -> Vec<i32> {
        let mut p = self.path.clone();
        p.extend_from_slice(suffix);
        p
    }
}

pub fn scalar_name(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

pub fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Where an element is declared: its file, package and edition, the features it inherits, and
/// the prefix that makes its name fully qualified (`pkg.` at the top level, `pkg.Outer.` for
/// nested extensions).
#[derive(Clone, Copy)]
struct Origin<'a, 'p> {
    file: &'a str,
    fd: &'a FileDescriptorProto,
    package: &'a str,
    edition: Edition,
    features: Features,
    prefix: &'p str,
}

/// One revision, indexed.
#[derive(Default)]
pub struct Side<'a> {
    pub files: BTreeMap<&'a str, FileInfo<'a>>,
    pub messages: BTreeMap<String, MessageInfo<'a>>,
    pub enums: BTreeMap<String, EnumInfo<'a>>,
    pub services: BTreeMap<String, ServiceInfo<'a>>,
    /// (extendee FQN, number) -> extension.
    pub extensions: BTreeMap<(String, i32), FieldInfo<'a>>,
    /// package -> files declaring it.
    pub packages: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Side<'a> {
    /// Index compiled files. `refs` maps an import name to how users see the file.
    pub fn new(files: &'a BTreeMap<String, FileDescriptorProto>, refs: &dyn Fn(&str) -> FileRef) -> Side<'a> {
        Side::with_texts(files, refs, &|_| None)
    }

    /// Like `new`; files compiled without source info are located from their text (`texts`
    /// maps an import name to it), parsed again only if something in them is reported.
    pub fn with_texts(
        files: &'a BTreeMap<String, FileDescriptorProto>,
        refs: &dyn Fn(&str) -> FileRef,
        texts: &dyn Fn(&str) -> Option<Arc<str>>,
    ) -> Side<'a> {
        let mut side = Side::default();
        for (name, fd) in files {
            let text = texts(name);
            let info = FileInfo { name, fd, file_ref: refs(name), text, locs: OnceLock::new() };
            let package = fd.package();
            side.packages.entry(package).or_default().push(name);
            let prefix = if package.is_empty() { String::new() } else { format!("{package}.") };
            let features = Features::file(fd);
            let at = Origin { file: name, fd, package, edition: edition_of(fd), features, prefix: &prefix };
            for (i, m) in fd.message_type.iter().enumerate() {
                side.add_message(at, "", None, m, vec![4, i as i32]);
            }
            for (i, e) in fd.enum_type.iter().enumerate() {
                side.add_enum(at, "", None, e, vec![5, i as i32]);
            }
            for (i, s) in fd.service.iter().enumerate() {
                side.services.insert(
                    format!("{prefix}{}", s.name()),
                    ServiceInfo {
                        file: name,
                        fqn: format!("{prefix}{}", s.name()),
                        name: s.name().to_string(),
                        desc: s,
                        path: vec![6, i as i32],
                        package,
                    },
                );
            }
            for (i, x) in fd.extension.iter().enumerate() {
                side.add_extension(at, None, x, vec![7, i as i32]);
            }
            side.files.insert(name, info);
        }
        side
    }

    fn add_message(
        &mut self,
        at: Origin<'a, '_>,
        outer: &str,
        parent: Option<&str>,
        m: &'a DescriptorProto,
        path: Vec<i32>,
    ) {
        let Origin { file, package, prefix, .. } = at;
        let rel = if outer.is_empty() { m.name().to_string() } else { format!("{outer}.{}", m.name()) };
        let fqn = format!("{prefix}{rel}");
        let mf = at.features.child(m.options.as_ref().and_then(|o| o.features.as_ref()));
        let oneof_features: Vec<Features> =
            m.oneof_decl.iter().map(|o| mf.child(o.options.as_ref().and_then(|o| o.features.as_ref()))).collect();
        let is_entry = m.options.as_ref().is_some_and(|o| o.map_entry());
        let map_entries: HashSet<String> = m
            .nested_type
            .iter()
            .filter(|n| n.options.as_ref().is_some_and(|o| o.map_entry()))
            .map(|n| format!("{fqn}.{}", n.name()))
            .collect();
        let mut fields = Vec::new();
        for (i, f) in m.field.iter().enumerate() {
            let oneof = f.oneof_index.filter(|_| !f.proto3_optional()).and_then(|ix| m.oneof_decl.get(ix as usize));
            let scope = f.oneof_index.and_then(|ix| oneof_features.get(ix as usize)).unwrap_or(&mf);
            let mut features = FieldFeatures::of(&Features::field(scope, at.edition, at.fd, f));
            // Maps are length-prefixed whatever `message_encoding` says, their values too (protoc).
            if is_entry || map_entries.contains(f.type_name().trim_start_matches('.')) {
                features.delimited = false;
            }
            let mut p = path.clone();
            p.extend_from_slice(&[2, i as i32]);
            fields.push(FieldInfo {
                file,
                desc: f,
                path: p,
                container: rel.clone(),
                container_fqn: fqn.clone(),
                extension: false,
                ext_fqn: String::new(),
                scope: None,
                package,
                features,
                oneof: oneof.map(|o| o.name()),
            });
        }
        let mut by_number = HashMap::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            by_number.entry(f.desc.number()).or_insert(i);
        }
        let inner = Origin { features: mf, ..at };
        for (i, n) in m.nested_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend_from_slice(&[3, i as i32]);
            self.add_message(inner, &rel, Some(&fqn), n, p);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend_from_slice(&[4, i as i32]);
            self.add_enum(inner, &rel, Some(&fqn), e, p);
        }
        for (i, x) in m.extension.iter().enumerate() {
            let mut p = path.clone();
            p.extend_from_slice(&[6, i as i32]);
            self.add_extension(Origin { prefix: &format!("{fqn}."), ..inner }, Some(&fqn), x, p);
        }
        self.messages.insert(
            fqn.clone(),
            MessageInfo {
                file,
                fqn,
                name: rel,
                desc: m,
                path,
                parent: parent.map(str::to_string),
                package,
                json_format: mf.json_format(),
                by_number,
                fields,
            },
        );
    }

    fn add_enum(
        &mut self,
        at: Origin<'a, '_>,
        outer: &str,
        parent: Option<&str>,
        e: &'a EnumDescriptorProto,
        path: Vec<i32>,
    ) {
        let Origin { file, package, prefix, .. } = at;
        let rel = if outer.is_empty() { e.name().to_string() } else { format!("{outer}.{}", e.name()) };
        let fqn = format!("{prefix}{rel}");
        let ef = at.features.child(e.options.as_ref().and_then(|o| o.features.as_ref()));
        let parent = parent.map(str::to_string);
        let (closed, json_format) = (ef.enum_closed(), ef.json_format());
        self.enums.insert(
            fqn.clone(),
            EnumInfo { file, fqn, name: rel, desc: e, path, parent, package, closed, json_format },
        );
    }

    fn add_extension(&mut self, at: Origin<'a, '_>, scope: Option<&str>, x: &'a FieldDescriptorProto, path: Vec<i32>) {
        let Origin { file, package, prefix, .. } = at;
        let features = FieldFeatures::of(&Features::field(&at.features, at.edition, at.fd, x));
        let extendee = x.extendee().trim_start_matches('.').to_string();
        let container = match package {
            "" => extendee.clone(),
            p => extendee.strip_prefix(&format!("{p}.")).unwrap_or(&extendee).to_string(),
        };
        self.extensions.insert(
            (extendee.clone(), x.number()),
            FieldInfo {
                file,
                desc: x,
                path,
                container,
                container_fqn: extendee,
                extension: true,
                ext_fqn: format!("{prefix}{}", x.name()),
                scope: scope.map(str::to_string),
                package,
                features,
                oneof: None,
            },
        );
    }

    pub fn file(&self, name: &str) -> Option<&FileInfo<'a>> {
        self.files.get(name)
    }

    /// Span of the element at `path` in `file`.
    pub fn loc(&self, file: &str, path: &[i32]) -> Option<Span> {
        self.files.get(file).and_then(|f| f.loc(path))
    }

    /// Whether a field's message type is a map entry (a `map<K, V>` field).
    pub fn is_map(&self, f: &FieldInfo<'_>) -> bool {
        f.desc.label() == Label::Repeated
            && f.ty() == Type::Message
            && self.messages.get(f.desc.type_name().trim_start_matches('.')).is_some_and(|m| m.is_map_entry())
    }
}
