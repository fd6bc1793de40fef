//! What a lint rule sees: the files of one module (compiled, with source info), the linked pool,
//! the options, and a flat list of every element with its source-info path.
use crate::proto::descriptor::source_code_info::Location;
use crate::proto::descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    MethodDescriptorProto, OneofDescriptorProto, ServiceDescriptorProto,
};
use crate::proto::lint::naming;
use crate::proto::loader::ProtoSource;
use prost_reflect::DescriptorPool;
use std::sync::OnceLock;

/// Source-info path tags (field numbers in descriptor.proto).
pub mod tag {
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_DEPENDENCY: i32 = 3;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const FILE_EXTENSION: i32 = 7;
    pub const FILE_OPTIONS: i32 = 8;
    pub const FILE_SYNTAX: i32 = 12;
    pub const MSG_FIELD: i32 = 2;
    pub const MSG_NESTED: i32 = 3;
    pub const MSG_ENUM: i32 = 4;
    pub const MSG_EXTENSION: i32 = 6;
    pub const MSG_ONEOF: i32 = 8;
    pub const ENUM_VALUE: i32 = 2;
    pub const ENUM_OPTIONS: i32 = 3;
    pub const ENUM_OPT_ALLOW_ALIAS: i32 = 2;
    pub const SERVICE_METHOD: i32 = 2;
    pub const NAME: i32 = 1;
    pub const VALUE_NUMBER: i32 = 2;
    pub const FIELD_NUMBER: i32 = 3;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
}

/// buf's configurable rule options.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub enum_zero_value_suffix: String,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: String,
    /// Inclusive field-number ranges for NOVA_FIELD_NUMBER_RANGE, with their names.
    pub field_ranges: Vec<(String, i32, i32)>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            enum_zero_value_suffix: "_UNSPECIFIED".into(),
            rpc_allow_same_request_response: false,
            rpc_allow_google_protobuf_empty_requests: false,
            rpc_allow_google_protobuf_empty_responses: false,
            service_suffix: "Service".into(),
            field_ranges: Vec::new(),
        }
    }
}

/// One linted file.
pub struct LintFile<'a> {
    /// Import name: path relative to its module root (`auth/v1/auth.proto`).
    pub name: &'a str,
    pub src: &'a ProtoSource,
    pub fd: &'a FileDescriptorProto,
    /// Indexes of the locations sorted by path (equal paths in file order); built on first use.
    locs: OnceLock<Vec<u32>>,
    /// Line starts of the text, for character columns; built when the file gets a finding.
    text: OnceLock<crate::proto::span::SourceText<'a>>,
}

impl<'a> LintFile<'a> {
    pub fn new(name: &'a str, src: &'a ProtoSource, fd: &'a FileDescriptorProto) -> Self {
        LintFile { name, src, fd, locs: OnceLock::new(), text: OnceLock::new() }
    }
    /// The file's text, indexed for converting source-info spans.
    pub fn source_text(&self) -> &crate::proto::span::SourceText<'a> {
        self.text.get_or_init(|| crate::proto::span::SourceText::new(&self.src.text))
    }
    fn all_locations(&self) -> &'a [Location] {
        self.fd.source_code_info.as_ref().map(|s| s.location.as_slice()).unwrap_or(&[])
    }
    /// The location of `path` (the first one, as in protoc). The empty path (the whole file) has none.
    pub fn location(&self, path: &[i32]) -> Option<&'a Location> {
        if path.is_empty() {
            return None;
        }
        let all = self.all_locations();
        let sorted = self.location_index();
        let k = sorted.partition_point(|&i| all[i as usize].path.as_slice() < path);
        sorted.get(k).map(|&i| &all[i as usize]).filter(|l| l.path == path)
    }
    fn location_index(&self) -> &[u32] {
        let all = self.all_locations();
        self.locs.get_or_init(|| {
            let mut v: Vec<u32> = (0..all.len() as u32).collect();
            // Stable: among equal paths, the first location stays first.
            v.sort_by(|&a, &b| all[a as usize].path.cmp(&all[b as usize].path));
            v
        })
    }
    /// Build what reporting a finding in this file reads (the location index, the line starts)
    /// now, so that files can be prepared in parallel before their findings are reported.
    pub fn prepare_for_findings(&self) {
        self.location_index();
        self.source_text();
    }
    /// Whether `path` has a location, by a scan that builds no index (for one-off questions).
    pub fn has_location(&self, path: &[i32]) -> bool {
        self.all_locations().iter().any(|l| l.path == path)
    }
    /// Every location that has a leading comment.
    pub fn commented_locations(&self) -> impl Iterator<Item = &'a Location> {
        self.all_locations().iter().filter(|l| l.leading_comments.as_deref().is_some_and(|c| !c.is_empty()))
    }
    pub fn package(&self) -> &'a str {
        self.fd.package.as_deref().unwrap_or("")
    }
    /// Directory of the file relative to its module root (`.` at the root).
    pub fn dir(&self) -> &'a str {
        match self.name.rfind('/') {
            Some(i) => &self.name[..i],
            None => ".",
        }
    }
    /// Leading comment of the element at `path` (empty when none).
    pub fn leading_comment(&self, path: &[i32]) -> &'a str {
        self.location(path).and_then(|l| l.leading_comments.as_deref()).unwrap_or("")
    }
}

pub struct MessageEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub msg: &'a DescriptorProto,
    pub full_name: String,
    pub is_map_entry: bool,
}

pub struct FieldEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub field: &'a FieldDescriptorProto,
    /// The containing message is a synthetic map entry.
    pub in_map_entry: bool,
    pub is_extension: bool,
    pub message_name: String,
}

pub struct OneofEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub oneof: &'a OneofDescriptorProto,
    /// proto3 `optional` creates a synthetic oneof nobody wrote.
    pub synthetic: bool,
}

pub struct EnumEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub en: &'a EnumDescriptorProto,
}

pub struct EnumValueEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub value: &'a EnumValueDescriptorProto,
    pub enum_name: &'a str,
    pub index: usize,
}

pub struct ServiceEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub service: &'a ServiceDescriptorProto,
}

pub struct MethodEl<'a> {
    pub file: usize,
    pub path: Vec<i32>,
    pub method: &'a MethodDescriptorProto,
    pub service: &'a ServiceDescriptorProto,
    pub full_name: String,
}

/// Everything the rules of one module run over.
pub struct Cx<'a> {
    pub files: Vec<LintFile<'a>>,
    pub pool: &'a DescriptorPool,
    pub opts: &'a LintOptions,
    pub messages: Vec<MessageEl<'a>>,
    pub fields: Vec<FieldEl<'a>>,
    pub oneofs: Vec<OneofEl<'a>>,
    pub enums: Vec<EnumEl<'a>>,
    pub values: Vec<EnumValueEl<'a>>,
    pub services: Vec<ServiceEl<'a>>,
    pub methods: Vec<MethodEl<'a>>,
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") }
}

impl<'a> Cx<'a> {
    pub fn new(files: Vec<LintFile<'a>>, pool: &'a DescriptorPool, opts: &'a LintOptions) -> Self {
        let mut cx = Cx {
            files,
            pool,
            opts,
            messages: vec![],
            fields: vec![],
            oneofs: vec![],
            enums: vec![],
            values: vec![],
            services: vec![],
            methods: vec![],
        };
        for fi in 0..cx.files.len() {
            let fd = cx.files[fi].fd;
            let pkg = fd.package.as_deref().unwrap_or("");
            for (i, m) in fd.message_type.iter().enumerate() {
                cx.walk_message(fi, vec![tag::FILE_MESSAGE, i as i32], m, pkg);
            }
            for (i, e) in fd.enum_type.iter().enumerate() {
                cx.push_enum(fi, vec![tag::FILE_ENUM, i as i32], e);
            }
            // Extensions declared at file level are fields too (buf's field rules see them).
            for (i, f) in fd.extension.iter().enumerate() {
                cx.fields.push(FieldEl {
                    file: fi,
                    path: vec![tag::FILE_EXTENSION, i as i32],
                    field: f,
                    in_map_entry: false,
                    is_extension: true,
                    message_name: pkg.to_string(),
                });
            }
            for (i, s) in fd.service.iter().enumerate() {
                let spath = vec![tag::FILE_SERVICE, i as i32];
                for (j, m) in s.method.iter().enumerate() {
                    cx.methods.push(MethodEl {
                        file: fi,
                        path: with(&spath, &[tag::SERVICE_METHOD, j as i32]),
                        method: m,
                        service: s,
                        full_name: join(&join(pkg, s.name()), m.name()),
                    });
                }
                cx.services.push(ServiceEl { file: fi, path: spath, service: s });
            }
        }
        cx
    }

    fn walk_message(&mut self, fi: usize, path: Vec<i32>, m: &'a DescriptorProto, scope: &str) {
        let full_name = join(scope, m.name());
        let is_map_entry = m.options.as_ref().and_then(|o| o.map_entry).unwrap_or(false);
        // Fields first, then the extensions declared inside the message (never map-entry fields).
        let fields = m.field.iter().enumerate().map(|(i, f)| (tag::MSG_FIELD, i, f, false));
        let extensions = m.extension.iter().enumerate().map(|(i, f)| (tag::MSG_EXTENSION, i, f, true));
        for (t, i, f, is_extension) in fields.chain(extensions) {
            self.fields.push(FieldEl {
                file: fi,
                path: with(&path, &[t, i as i32]),
                field: f,
                in_map_entry: is_map_entry && !is_extension,
                is_extension,
                message_name: full_name.clone(),
            });
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            let members: Vec<_> = m.field.iter().filter(|f| f.oneof_index == Some(i as i32)).collect();
            let synthetic = members.len() == 1 && members[0].proto3_optional == Some(true);
            self.oneofs.push(OneofEl { file: fi, path: with(&path, &[tag::MSG_ONEOF, i as i32]), oneof: o, synthetic });
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.push_enum(fi, with(&path, &[tag::MSG_ENUM, i as i32]), e);
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            self.walk_message(fi, with(&path, &[tag::MSG_NESTED, i as i32]), n, &full_name);
        }
        self.messages.push(MessageEl { file: fi, path, msg: m, full_name, is_map_entry });
    }

    fn push_enum(&mut self, fi: usize, path: Vec<i32>, e: &'a EnumDescriptorProto) {
        for (i, v) in e.value.iter().enumerate() {
            let path = with(&path, &[tag::ENUM_VALUE, i as i32]);
            self.values.push(EnumValueEl { file: fi, path, value: v, enum_name: e.name(), index: i });
        }
        self.enums.push(EnumEl { file: fi, path, en: e });
    }
}

/// A finding before suppression, severity and rendering: the rule is the one being run.
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: usize,
    /// Source-info path of the location the finding points at (`[]` = the whole file, 1:1).
    pub path: Vec<i32>,
    pub message: String,
}

/// Where a rule writes its findings.
#[derive(Default)]
pub struct Out {
    pub findings: Vec<Finding>,
}

impl Out {
    pub fn add(&mut self, file: usize, path: Vec<i32>, message: impl Into<String>) {
        self.findings.push(Finding { file, path, message: message.into() });
    }
}

pub fn with(base: &[i32], tail: &[i32]) -> Vec<i32> {
    let mut p = base.to_vec();
    p.extend_from_slice(tail);
    p
}

/// A rule's checker: runs over one module's files.
pub type CheckFn = fn(&Cx, &mut Out);

/// Strip a leading `.` from a fully-qualified type reference.
pub fn type_ref(name: &str) -> &str {
    name.strip_prefix('.').unwrap_or(name)
}

/// Non-empty leading comment in buf's sense: at least one line that is not blank and not an ignore directive.
pub fn has_doc_comment(comment: &str) -> bool {
    comment
        .lines()
        .map(str::trim)
        .any(|l| !l.is_empty() && !l.starts_with("buf:lint:ignore") && !l.starts_with("nova:ignore"))
}

/// The COMMENT_* rules: report `what` at the element's name unless it has a leading doc comment.
/// Elements the compiler synthesised (map entries) have no location and no comment to ask for.
pub fn require_doc_comment(cx: &Cx, out: &mut Out, file: usize, path: &[i32], what: &str, name: &str) {
    let f = &cx.files[file];
    if f.location(path).is_none() || has_doc_comment(f.leading_comment(path)) {
        return;
    }
    // At the element's first token (the `message` / `enum` / `rpc` keyword, a field's label or
    // type), as buf reports it.
    out.add(file, path.to_vec(), format!("{what} \"{name}\" should have a non-empty comment for documentation."));
}

/// The *_CASE rules: report `{what} name "{name}" should be {case}, such as "{fixed}".` at the
/// element's name unless the name already is in that case.
pub fn require_case(out: &mut Out, file: usize, path: &[i32], what: &str, name: &str, case: naming::Case) {
    let fixed = case.apply(name);
    if name != fixed {
        out.add(
            file,
            with(path, &[tag::NAME]),
            format!("{what} name \"{name}\" should be {}, such as \"{fixed}\".", case.label()),
        );
    }
}

/// RPC_{REQUEST,RESPONSE}_STANDARD_NAME: the message an RPC takes (or returns), read by
/// `type_of`, is named `<Rpc><Suffix>` or `<Service><Rpc><Suffix>`; `google.protobuf.Empty`
/// passes when `allow_empty`. Reported at the element `type_tag` of the method.
pub fn rpc_standard_name(
    cx: &Cx,
    out: &mut Out,
    suffix: &str,
    type_of: fn(&MethodDescriptorProto) -> &str,
    type_tag: i32,
    allow_empty: bool,
) {
    let word = suffix.to_lowercase();
    for m in &cx.methods {
        let full = type_ref(type_of(m.method));
        if allow_empty && full == "google.protobuf.Empty" {
            continue;
        }
        let name = full.rsplit('.').next().unwrap_or(full);
        let e1 = format!("{}{suffix}", naming::to_pascal_case(m.method.name()));
        let e2 = format!("{}{e1}", naming::to_pascal_case(m.service.name()));
        if name != e1 && name != e2 {
            out.add(
                m.file,
                with(&m.path, &[type_tag]),
                format!("RPC {word} type \"{name}\" should be named \"{e1}\" or \"{e2}\"."),
            );
        }
    }
}

/// RPC_NO_{CLIENT,SERVER}_STREAMING: report every RPC for which `streams` holds, at the whole
/// RPC, as `RPC "{name}" is {side} streaming.`.
pub fn rpc_no_streaming(cx: &Cx, out: &mut Out, side: &str, streams: fn(&MethodDescriptorProto) -> bool) {
    for m in cx.methods.iter().filter(|m| streams(m.method)) {
        out.add(m.file, m.path.clone(), format!("RPC \"{}\" is {side} streaming.", m.method.name()));
    }
}

/// The `package` statement, or the whole file when there is none.
pub fn package_path(f: &LintFile) -> Vec<i32> {
    if f.package().is_empty() { vec![] } else { vec![tag::FILE_PACKAGE] }
}

/// buf's PACKAGE_SAME_* check: every file of a package has the same value of a file option
/// (unset counts as its own value). Reported at the option, or at the file when it is unset.
pub fn same_file_option(cx: &Cx, out: &mut Out, option: &str, option_tag: i32, value: impl Fn(&LintFile) -> String) {
    let mut pkgs: std::collections::BTreeMap<&str, Vec<(usize, String)>> = Default::default();
    for (i, f) in cx.files.iter().enumerate() {
        if f.package().is_empty() {
            continue;
        }
        pkgs.entry(f.package()).or_default().push((i, value(f)));
    }
    for (pkg, files) in pkgs {
        let values: std::collections::BTreeSet<&str> = files.iter().map(|(_, v)| v.as_str()).collect();
        if values.len() < 2 {
            continue;
        }
        let unset = values.contains("");
        let named: Vec<&str> = values.into_iter().filter(|v| !v.is_empty()).collect();
        let msg = if unset {
            format!(
                "Files in package \"{pkg}\" have both values \"{}\" and no value for option \"{option}\" and all values must be equal.",
                named.join(",")
            )
        } else {
            format!(
                "Files in package \"{pkg}\" have multiple values \"{}\" for option \"{option}\" and all values must be equal.",
                named.join(",")
            )
        };
        for (i, _) in files {
            let path = vec![tag::FILE_OPTIONS, option_tag];
            let path = if cx.files[i].location(&path).is_some() { path } else { vec![] };
            out.add(i, path, msg.clone());
        }
    }
}
