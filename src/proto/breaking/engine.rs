//! The comparison context every breaking rule runs over, plus the helpers rule families share
//! (file options, per-file and per-package deletions, reserved/extension range coverage).
use super::model::{EnumInfo, FieldInfo, FileInfo, MessageInfo, ServiceInfo, Side};
use crate::diagnostics::{FileRef, Span};
use crate::proto::descriptor::FileDescriptorProto;
use std::sync::OnceLock;

/// The previous and the current revision.
pub struct Cx<'a> {
    pub prev: &'a Side<'a>,
    pub cur: &'a Side<'a>,
    /// `matched_fields`, computed once: a dozen rules walk it.
    matched_fields: OnceLock<Vec<(&'a FieldInfo<'a>, &'a FieldInfo<'a>)>>,
}

/// One finding before it becomes a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub file: Option<FileRef>,
    /// Path relative to the module root (for `ignore` / `ignore_only`).
    pub import: Option<String>,
    pub span: Option<Span>,
    pub message: String,
    /// Packages of the element on both sides (for `ignore_unstable_packages`).
    pub packages: Vec<String>,
}

#[derive(Default)]
pub struct Out {
    pub findings: Vec<Finding>,
}

impl Out {
    /// A finding in the current file `file` (an import name) at `span`.
    pub fn add(
        &mut self,
        rule: &'static str,
        cur: &Side<'_>,
        file: Option<&str>,
        span: Option<Span>,
        packages: &[&str],
        message: String,
    ) {
        let (file_ref, import) = match file {
            Some(name) => match cur.file(name) {
                Some(fi) => (Some(fi.file_ref.clone()), Some(name.to_string())),
                None => (Some(FileRef::virtual_path(name)), Some(name.to_string())),
            },
            None => (None, None),
        };
        self.findings.push(Finding {
            rule,
            file: file_ref,
            import,
            span,
            message,
            packages: packages.iter().map(|p| p.to_string()).collect(),
        });
    }

    /// A finding on an element matched in both revisions: in the current element's file at
    /// `span`, under both revisions' packages.
    pub fn matched<E: Element>(
        &mut self,
        rule: &'static str,
        cx: &Cx<'_>,
        (prev, cur): (&E, &E),
        span: Option<Span>,
        message: String,
    ) {
        self.add(rule, cx.cur, Some(cur.file_name()), span, &[prev.package_name(), cur.package_name()], message);
    }

    /// [`Out::matched`] at the current element itself.
    pub fn at<E: Element>(&mut self, rule: &'static str, cx: &Cx<'_>, pair: (&E, &E), message: String) {
        let span = pair.1.loc(cx);
        self.matched(rule, cx, pair, span, message);
    }
}

/// A message, enum, service or field: what a finding about it needs to know.
pub trait Element {
    fn file_name(&self) -> &str;
    fn package_name(&self) -> &str;
    /// Where it is declared in the current revision.
    fn loc(&self, cx: &Cx<'_>) -> Option<Span>;
}

macro_rules! element {
    ($($t:ident),*) => {$(
        impl Element for $t<'_> {
            fn file_name(&self) -> &str {
                self.file
            }
            fn package_name(&self) -> &str {
                self.package
            }
            fn loc(&self, cx: &Cx<'_>) -> Option<Span> {
                cx.cur.loc(self.file, &self.path)
            }
        }
    )*};
}
element!(MessageInfo, EnumInfo, ServiceInfo);

impl Element for FieldInfo<'_> {
    fn file_name(&self) -> &str {
        self.file
    }
    fn package_name(&self) -> &str {
        self.package
    }
    fn loc(&self, cx: &Cx<'_>) -> Option<Span> {
        cx.field_loc(self, &[])
    }
}

impl<'a> Cx<'a> {
    pub fn new(prev: &'a Side<'a>, cur: &'a Side<'a>) -> Cx<'a> {
        Cx { prev, cur, matched_fields: OnceLock::new() }
    }
    pub fn matched_files(&self) -> Vec<(&FileInfo<'a>, &FileInfo<'a>)> {
        self.prev.files.iter().filter_map(|(n, p)| self.cur.files.get(n).map(|c| (p, c))).collect()
    }
    pub fn matched_messages(&self) -> Vec<(&MessageInfo<'a>, &MessageInfo<'a>)> {
        self.prev.messages.iter().filter_map(|(n, p)| self.cur.messages.get(n).map(|c| (p, c))).collect()
    }
    pub fn matched_enums(&self) -> Vec<(&EnumInfo<'a>, &EnumInfo<'a>)> {
        self.prev.enums.iter().filter_map(|(n, p)| self.cur.enums.get(n).map(|c| (p, c))).collect()
    }
    pub fn matched_services(&self) -> Vec<(&ServiceInfo<'a>, &ServiceInfo<'a>)> {
        self.prev.services.iter().filter_map(|(n, p)| self.cur.services.get(n).map(|c| (p, c))).collect()
    }
    /// Fields of matched messages paired by number, then extensions paired by (extendee, number).
    pub fn matched_fields(&self) -> impl Iterator<Item = (&'a FieldInfo<'a>, &'a FieldInfo<'a>)> + '_ {
        let (prev, cur): (&'a Side<'a>, &'a Side<'a>) = (self.prev, self.cur);
        let all = self.matched_fields.get_or_init(|| {
            let mut out = Vec::new();
            for (n, pm) in &prev.messages {
                let Some(cm) = cur.messages.get(n) else { continue };
                for pf in &pm.fields {
                    if let Some(cf) = cm.field(pf.number()) {
                        out.push((pf, cf));
                    }
                }
            }
            for (k, p) in &prev.extensions {
                if let Some(c) = cur.extensions.get(k) {
                    out.push((p, c));
                }
            }
            out
        });
        all.iter().copied()
    }

    /// Fields of matched messages whose number the current message no longer declares.
    pub fn deleted_fields(&self) -> Vec<(&MessageInfo<'a>, &MessageInfo<'a>, &FieldInfo<'a>)> {
        let mut out = Vec::new();
        for (p, c) in self.matched_messages() {
            out.extend(p.fields.iter().filter(|f| c.field(f.number()).is_none()).map(|f| (p, c, f)));
        }
        out
    }

    /// Where to report an element deleted from `prev_file` whose enclosing message was
    /// `parent`: the closest enclosing message that survives in the same current file, else
    /// the file's first line.
    pub fn deleted_in_file(&self, prev_file: &str, parent: Option<&str>) -> (Option<&'a str>, Option<Span>) {
        let Some(cf) = self.cur.files.get(prev_file) else { return (None, None) };
        let mut p = parent.map(str::to_string);
        while let Some(fqn) = p {
            if let Some(cm) = self.cur.messages.get(&fqn)
                && cm.file == prev_file
            {
                return (Some(cm.file), cf.loc(&cm.path));
            }
            p = self.prev.messages.get(&fqn).and_then(|m| m.parent.clone());
        }
        (Some(cf.name), Some(Span::file_start()))
    }

    /// Where to report an element deleted from a package: the closest surviving enclosing
    /// message, else the first line of the file it was in (if that file still exists).
    pub fn deleted_in_package(&self, prev_file: &str, parent: Option<&str>) -> (Option<&'a str>, Option<Span>) {
        let mut p = parent.map(str::to_string);
        while let Some(fqn) = p {
            if let Some(cm) = self.cur.messages.get(&fqn) {
                return (Some(cm.file), self.cur.loc(cm.file, &cm.path));
            }
            p = self.prev.messages.get(&fqn).and_then(|m| m.parent.clone());
        }
        match self.cur.files.get(prev_file) {
            Some(cf) => (Some(cf.name), Some(Span::file_start())),
            None => (None, None),
        }
    }

    /// Location of a current message.
    pub fn msg_loc(&self, m: &MessageInfo<'_>) -> Option<Span> {
        self.cur.loc(m.file, &m.path)
    }
    /// Location of a current field's sub-element (`suffix`), else of the field.
    pub fn field_loc(&self, f: &FieldInfo<'_>, suffix: &[i32]) -> Option<Span> {
        let fi = self.cur.files.get(f.file)?;
        fi.loc_or(&f.loc_key(suffix), &f.path).or_else(|| {
            // Fields of a map's synthetic entry have no source: point at the map field.
            let entry = self.cur.messages.get(&f.container_fqn).filter(|m| m.is_map_entry())?;
            let parent = self.cur.messages.get(entry.parent.as_deref()?)?;
            let pf = parent.fields.iter().find(|x| x.desc.type_name().trim_start_matches('.') == entry.fqn)?;
            fi.loc(&pf.path)
        })
    }
}

/// `FILE_SAME_<OPTION>`: a file option's effective value must not change.
pub fn file_option(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    option: &str,
    field_number: i32,
    value: fn(&FileDescriptorProto) -> String,
) {
    file_property(cx, out, rule, &[8, field_number], |f| value(f.fd), &format!("File option \"{option}\""));
}

/// `FILE_SAME_*`: a property of a file that must not change, reported as `{what} changed from
/// "{previous}" to "{current}".` at the element `path` of the current file.
pub fn file_property(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    path: &[i32],
    value: impl Fn(&FileInfo<'_>) -> String,
    what: &str,
) {
    for (p, c) in cx.matched_files() {
        let (pv, cv) = (value(p), value(c));
        if pv != cv {
            // A property that is gone has no location: buf reports those at the file's start.
            let span = c.loc(path).or(Some(Span::file_start()));
            out.add(
                rule,
                cx.cur,
                Some(c.name),
                span,
                &[p.package(), c.package()],
                format!("{what} changed from \"{pv}\" to \"{cv}\"."),
            );
        }
    }
}

/// Kinds of top-level-or-nested elements the `*_NO_DELETE` families look at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message,
    Enum,
    Service,
    Extension,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Enum => "enum",
            Kind::Service => "service",
            Kind::Extension => "extension",
        }
    }
}

/// (file, package, key, display name, parent) of every element of `kind` in a revision.
fn elements<'s>(side: &'s Side<'_>, kind: Kind) -> Vec<(&'s str, &'s str, String, String, Option<String>)> {
    match kind {
        Kind::Message => side
            .messages
            .values()
            .filter(|m| !m.is_map_entry())
            .map(|m| (m.file, m.package, m.fqn.clone(), m.name.clone(), m.parent.clone()))
            .collect(),
        Kind::Enum => {
            side.enums.values().map(|e| (e.file, e.package, e.fqn.clone(), e.name.clone(), e.parent.clone())).collect()
        }
        Kind::Service => {
            side.services.values().map(|s| (s.file, s.package, s.fqn.clone(), s.name.clone(), None)).collect()
        }
        Kind::Extension => side
            .extensions
            .iter()
            .map(|((extendee, n), x)| {
                let rel = match x.package {
                    "" => x.ext_fqn.clone(),
                    p => x.ext_fqn.strip_prefix(&format!("{p}.")).unwrap_or(&x.ext_fqn).to_string(),
                };
                (x.file, x.package, format!("{extendee}#{n}"), rel, x.scope.clone())
            })
            .collect(),
    }
}

/// `<KIND>_NO_DELETE` (FILE category): an element present in a file that still exists must
/// still be in that file.
pub fn no_delete_in_file(cx: &Cx<'_>, out: &mut Out, rule: &'static str, kind: Kind) {
    let cur: std::collections::HashSet<(String, String)> =
        elements(cx.cur, kind).into_iter().map(|(f, _, k, _, _)| (f.to_string(), k)).collect();
    for (file, package, key, name, parent) in elements(cx.prev, kind) {
        if !cx.cur.files.contains_key(file) || cur.contains(&(file.to_string(), key)) {
            continue;
        }
        let (f, span) = cx.deleted_in_file(file, parent.as_deref());
        out.add(
            rule,
            cx.cur,
            f,
            span,
            &[package],
            format!("Previously present {} \"{name}\" was deleted from file.", kind.word()),
        );
    }
}

/// `PACKAGE_<KIND>_NO_DELETE`: an element of a package that still exists must still be in it
/// (in any of its files).
///
/// As buf, a package left with no message (enum, extension) at all in the current revision is
/// not judged for messages (enums, extensions): buf compares per package only where the current
/// revision has elements of that kind. Services are judged in every package that still exists.
pub fn no_delete_in_package(cx: &Cx<'_>, out: &mut Out, rule: &'static str, kind: Kind) {
    let cur_elements = elements(cx.cur, kind);
    let with_kind: std::collections::HashSet<&str> = cur_elements.iter().map(|(_, p, _, _, _)| *p).collect();
    let cur: std::collections::HashSet<(String, String)> =
        cur_elements.iter().map(|(_, p, k, _, _)| (p.to_string(), k.clone())).collect();
    for (file, package, key, name, parent) in elements(cx.prev, kind) {
        if !cx.cur.packages.contains_key(package) || cur.contains(&(package.to_string(), key)) {
            continue;
        }
        if kind != Kind::Service && !with_kind.contains(package) {
            continue;
        }
        let (f, span) = cx.deleted_in_package(file, parent.as_deref());
        out.add(
            rule,
            cx.cur,
            f,
            span,
            &[package],
            format!("Previously present {} \"{name}\" was deleted from package \"{package}\".", kind.word()),
        );
    }
}

/// Inclusive number ranges.
pub type Ranges = Vec<(i64, i64)>;

/// Whether every number of `r` lies inside `set`.
pub fn covered(r: (i64, i64), set: &Ranges) -> bool {
    let mut sorted = set.clone();
    sorted.sort();
    let mut next = r.0;
    for (s, e) in sorted {
        if s > next {
            break;
        }
        if e >= next {
            next = e + 1;
        }
        if next > r.1 {
            return true;
        }
    }
    next > r.1
}

pub fn contains(set: &Ranges, n: i64) -> bool {
    set.iter().any(|(s, e)| *s <= n && n <= *e)
}

/// buf's range text: `5`, `5-9`, `5-max`.
pub fn range_string(r: (i64, i64), max: i64) -> String {
    if r.0 == r.1 {
        r.0.to_string()
    } else if r.1 >= max {
        format!("{}-max", r.0)
    } else {
        format!("{}-{}", r.0, r.1)
    }
}

/// A message or an enum: the elements with reserved numbers and names.
pub trait Reserving: Element {
    /// buf's word for it in messages.
    const KIND: &'static str;
    /// Its highest number (printed as `max`).
    const MAX: i64;
    fn reserved(&self) -> Ranges;
    fn reserved_names(&self) -> &[String];
    fn display_name(&self) -> &str;
}

macro_rules! reserving {
    ($($t:ident: $kind:literal, $max:expr, $reserved:path;)*) => {$(
        impl Reserving for $t<'_> {
            const KIND: &'static str = $kind;
            const MAX: i64 = $max;
            fn reserved(&self) -> Ranges {
                $reserved(self)
            }
            fn reserved_names(&self) -> &[String] {
                &self.desc.reserved_name
            }
            fn display_name(&self) -> &str {
                &self.name
            }
        }
    )*};
}
reserving! {
    MessageInfo: "message", FIELD_MAX, message_reserved;
    EnumInfo: "enum", ENUM_MAX, enum_reserved;
}

/// Every range `ranges` gives the previous element must still be covered by the current one's;
/// `what` names the ranges (`reserved range`, `extension range`).
pub fn ranges_kept<E: Reserving>(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    (p, c): (&E, &E),
    what: &str,
    ranges: fn(&E) -> Ranges,
) {
    let cur = ranges(c);
    for r in ranges(p) {
        if !covered(r, &cur) {
            let range = range_string(r, E::MAX);
            let message =
                format!("Previously present {what} \"{range}\" on {} \"{}\" was deleted.", E::KIND, c.display_name());
            out.at(rule, cx, (p, c), message);
        }
    }
}

/// `RESERVED_<KIND>_NO_DELETE`: reserved ranges and names of matched elements are kept.
pub fn reserved_kept<'c, E: Reserving + 'c>(
    cx: &Cx<'_>,
    out: &mut Out,
    rule: &'static str,
    pairs: Vec<(&'c E, &'c E)>,
) {
    for (p, c) in pairs {
        ranges_kept(cx, out, rule, (p, c), "reserved range", E::reserved);
        for n in p.reserved_names() {
            if !c.reserved_names().contains(n) {
                let message = format!(
                    "Previously present reserved name \"{n}\" on {} \"{}\" was deleted.",
                    E::KIND,
                    c.display_name()
                );
                out.at(rule, cx, (p, c), message);
            }
        }
    }
}

/// Highest field number.
pub const FIELD_MAX: i64 = 536_870_911;
/// Highest enum value number.
pub const ENUM_MAX: i64 = i32::MAX as i64;

pub fn message_reserved(m: &MessageInfo<'_>) -> Ranges {
    m.desc.reserved_range.iter().map(|r| (r.start() as i64, r.end() as i64 - 1)).collect()
}
pub fn message_extension_ranges(m: &MessageInfo<'_>) -> Ranges {
    m.desc.extension_range.iter().map(|r| (r.start() as i64, r.end() as i64 - 1)).collect()
}
pub fn enum_reserved(e: &EnumInfo<'_>) -> Ranges {
    e.desc.reserved_range.iter().map(|r| (r.start() as i64, r.end() as i64)).collect()
}

/// Whether the last component of a package is an unstable version (`v1alpha1`, `v1beta`,
/// `v1test`, `v1p1beta1`).
pub fn is_unstable_package(package: &str) -> bool {
    let last = package.rsplit('.').next().unwrap_or("");
    let Some(rest) = last.strip_prefix('v') else { return false };
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let mut tail = &rest[digits..];
    if tail.starts_with("test") {
        return true;
    }
    if let Some(t) = tail.strip_prefix('p') {
        let d = t.chars().take_while(|c| c.is_ascii_digit()).count();
        if d == 0 {
            return false;
        }
        tail = &t[d..];
    }
    for word in ["alpha", "beta"] {
        if let Some(t) = tail.strip_prefix(word) {
            return t.chars().all(|c| c.is_ascii_digit());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstable_packages() {
        for p in ["a.v1alpha1", "a.v1beta", "a.v2test", "a.v2testfoo", "a.v1p1beta1", "v1alpha"] {
            assert!(is_unstable_package(p), "{p}");
        }
        for p in ["a.v1", "a", "a.v1alphax", "a.beta1", ""] {
            assert!(!is_unstable_package(p), "{p}");
        }
    }

    #[test]
    fn coverage() {
        assert!(covered((1, 4), &vec![(1, 2), (3, 4)]));
        assert!(!covered((1, 5), &vec![(1, 2), (3, 4)]));
        assert!(covered((3, 3), &vec![(1, 10)]));
        assert!(!covered((0, 0), &vec![(1, 10)]));
    }
}
