//! Semver for the registry: classify the change set (major = breaking, minor = additions,
//! patch = comments/options that do not break), read the declared version at the baseline and
//! now (`CHANGELOG.md` keep-a-changelog style, else `VERSION`), and require a big enough bump.
use crate::diagnostics::{Diagnostic, FileRef, Severity, Span};
use crate::proto::breaking::Revision;
use crate::proto::breaking::model::Side;
use crate::rules::RuleInfo;
use semver::Version;
use std::collections::BTreeMap;
use std::path::Path;

pub const SEMVER_BUMP_TOO_SMALL: RuleInfo = RuleInfo {
    categories: &["NOVA", "SEMVER"],
    summary: "the registry's declared version bump is at least what the change set needs",
    docs: r#"## What it does
`nova proto check` classifies the registry change set: **major** when any breaking rule reports a
finding, **minor** when files, messages, fields, enums, enum values, services, RPCs or extensions
were added, **patch** when only comments or non-breaking options changed. It reads the declared
version at the baseline and now (the top released `## [x.y.z]` entry of `CHANGELOG.md`, skipping
`[Unreleased]`, else the `VERSION` file) and reports when the bump is smaller than needed.
Before 1.0, semver's 0.x rules apply: a breaking change needs a minor bump, an addition a patch bump.

## Why
Consumers pin registry versions; a breaking change released as a minor version breaks them on
an update they were told is safe.

## Example
Previous `CHANGELOG.md`: `## [1.2.0] - 2026-01-10`; a field was deleted; current
`CHANGELOG.md`: `## [1.3.0] - 2026-02-01` (reported: the change is major, release 2.0.0).

Passing: `## [2.0.0] - 2026-02-01`.

## Fix
Release the suggested version (printed with a changelog stub), or make the change compatible.
"#,
    ..RuleInfo::new("SEMVER_BUMP_TOO_SMALL", "proto")
};

pub fn rules() -> Vec<&'static RuleInfo> {
    vec![&SEMVER_BUMP_TOO_SMALL]
}

/// How big a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What changed between two revisions, for the verdict and the changelog stub.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub breaking: Vec<String>,
    pub added: Vec<String>,
    pub patch: Vec<String>,
}

impl Changes {
    pub fn bump(&self) -> Bump {
        if !self.breaking.is_empty() {
            Bump::Major
        } else if !self.added.is_empty() {
            Bump::Minor
        } else if !self.patch.is_empty() {
            Bump::Patch
        } else {
            Bump::None
        }
    }
}

/// Collect the change set. `breaking` are the breaking findings of the comparison.
pub fn changes(prev: &Revision, cur: &Revision, breaking: &[Diagnostic]) -> Changes {
    let mut ch = Changes {
        breaking: breaking
            .iter()
            .map(|d| match &d.file {
                Some(f) => format!("{} ({})", d.message, f.path),
                None => d.message.clone(),
            })
            .collect(),
        ..Default::default()
    };
    let no_ref = |n: &str| FileRef::virtual_path(n);
    let p = Side::new(&prev.compiled.files, &no_ref);
    let c = Side::new(&cur.compiled.files, &no_ref);
    for name in c.files.keys() {
        if !p.files.contains_key(name) {
            ch.added.push(format!("file `{name}`"));
        }
    }
    for (fqn, m) in &c.messages {
        if m.is_map_entry() {
            continue;
        }
        match p.messages.get(fqn) {
            None => ch.added.push(format!("message `{fqn}`")),
            Some(pm) => {
                for f in &m.fields {
                    if pm.field(f.number()).is_none() {
                        ch.added.push(format!("field `{fqn}.{}` = {}", f.name(), f.number()));
                    }
                }
            }
        }
    }
    for (fqn, e) in &c.enums {
        match p.enums.get(fqn) {
            None => ch.added.push(format!("enum `{fqn}`")),
            Some(pe) => {
                for v in &e.desc.value {
                    if !pe.desc.value.iter().any(|x| x.number() == v.number()) {
                        ch.added.push(format!("enum value `{fqn}.{}` = {}", v.name(), v.number()));
                    }
                }
            }
        }
    }
    for (fqn, s) in &c.services {
        match p.services.get(fqn) {
            None => ch.added.push(format!("service `{fqn}`")),
            Some(ps) => {
                for m in &s.desc.method {
                    if !ps.desc.method.iter().any(|x| x.name() == m.name()) {
                        ch.added.push(format!("RPC `{fqn}.{}`", m.name()));
                    }
                }
            }
        }
    }
    for ((extendee, n), x) in &c.extensions {
        if !p.extensions.contains_key(&(extendee.clone(), *n)) {
            ch.added.push(format!("extension `{}` of `{extendee}`", x.ext_fqn));
        }
    }
    for (name, src) in &cur.set.files {
        if let Some(old) = prev.set.files.get(name)
            && old.text != src.text
        {
            ch.patch.push(format!("`{name}` changed (comments, options or formatting)"));
        }
    }
    ch
}

/// A version a registry declares, with where.
#[derive(Debug, Clone)]
pub struct Declared {
    pub version: Version,
    /// `CHANGELOG.md` or `VERSION`.
    pub file: String,
    pub line: usize,
}

/// Read the declared version from `CHANGELOG.md` (preferred) or `VERSION` texts.
/// A version that does not parse is an input error at its line.
pub fn declared(files: &BTreeMap<String, String>, where_: &str) -> Result<Option<Declared>, Box<Diagnostic>> {
    let bad = |file: &str, line: usize, text: &str, e: String| {
        Box::new(
            Diagnostic::input_error(
                "proto",
                "SEMVER_VERSION",
                format!("{where_} {file}: `{text}` is not a semantic version ({e})"),
            )
            .at(FileRef::virtual_path(file), Some(Span::new(line, 1, line, 1)))
            .with_help("write versions as MAJOR.MINOR.PATCH, e.g. `## [1.4.0] - 2026-03-01`"),
        )
    };
    if let Some(text) = files.get("CHANGELOG.md") {
        for (i, line) in text.lines().enumerate() {
            let Some(h) = line.strip_prefix("## ") else { continue };
            let h = h.trim();
            let token = if let Some(rest) = h.strip_prefix('[') {
                rest.split(']').next().unwrap_or("")
            } else {
                h.split_whitespace().next().unwrap_or("")
            };
            if token.eq_ignore_ascii_case("unreleased") {
                continue;
            }
            let v = token.trim().trim_start_matches('v');
            return match Version::parse(v) {
                Ok(version) => Ok(Some(Declared { version, file: "CHANGELOG.md".into(), line: i + 1 })),
                Err(e) => Err(bad("CHANGELOG.md", i + 1, token, e.to_string())),
            };
        }
    }
    if let Some(text) = files.get("VERSION") {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        return match Version::parse(t.trim_start_matches('v')) {
            Ok(version) => Ok(Some(Declared { version, file: "VERSION".into(), line: 1 })),
            Err(e) => Err(bad("VERSION", 1, t, e.to_string())),
        };
    }
    Ok(None)
}

/// The bump a change of size `needed` requires from `prev` (0.x: breaking -> minor, additions -> patch).
pub fn required(prev: &Version, needed: Bump) -> Bump {
    if prev.major == 0 {
        match needed {
            Bump::Major => Bump::Minor,
            Bump::Minor => Bump::Patch,
            b => b,
        }
    } else {
        needed
    }
}

/// The bump from `a` to `b` (`None` when `b` is not newer).
pub fn actual(a: &Version, b: &Version) -> Bump {
    if b <= a {
        Bump::None
    } else if b.major > a.major {
        Bump::Major
    } else if b.minor > a.minor {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

pub fn next(v: &Version, bump: Bump) -> Version {
    match bump {
        Bump::Major => Version::new(v.major + 1, 0, 0),
        Bump::Minor => Version::new(v.major, v.minor + 1, 0),
        Bump::Patch => Version::new(v.major, v.minor, v.patch + 1),
        Bump::None => v.clone(),
    }
}

/// The semver verdict of `nova proto check`.
pub struct Verdict {
    pub diagnostics: Vec<Diagnostic>,
    pub human: String,
    pub json: serde_json::Value,
}

/// Judge the change set against the declared versions. `registry` is the registry on disk;
/// `display_prefix` is how the report shows paths inside it.
pub fn verdict(ch: &Changes, prev_files: &BTreeMap<String, String>, registry: &Path, display_prefix: &str) -> Verdict {
    let mut diagnostics = Vec::new();
    let mut cur_files = BTreeMap::new();
    for name in ["CHANGELOG.md", "VERSION"] {
        let p = registry.join(name);
        if p.is_file() {
            match crate::fsutil::read_text(&p) {
                Ok(t) => {
                    cur_files.insert(name.to_string(), t);
                }
                Err(e) => diagnostics.push(Diagnostic::input_error("proto", "IO", e.message)),
            }
        }
    }
    let locate = |d: Box<Diagnostic>, at_baseline: bool| {
        let mut d = *d;
        if let Some(f) = &mut d.file {
            if at_baseline {
                f.path = format!("baseline:{display_prefix}{}", f.path);
            } else {
                f.abs = Some(registry.join(&f.path));
                f.path = format!("{display_prefix}{}", f.path);
            }
        }
        d
    };
    let prev = declared(prev_files, "baseline").map_err(|d| locate(d, true));
    let cur = declared(&cur_files, "current").map_err(|d| locate(d, false));
    let needed = ch.bump();
    let mut human = String::new();
    let mut json = serde_json::json!({
        "change": needed.as_str(),
        "breaking": ch.breaking,
        "added": ch.added,
        "changed_files": ch.patch,
    });
    let (prev, cur) = match (prev, cur) {
        (Err(a), Err(b)) => {
            diagnostics.push(a);
            diagnostics.push(b);
            return Verdict { diagnostics, human, json };
        }
        (Err(d), _) | (_, Err(d)) => {
            diagnostics.push(d);
            return Verdict { diagnostics, human, json };
        }
        (Ok(p), Ok(c)) => (p, c),
    };
    human.push_str(&format!("\nsemver: the change set is {}", needed.as_str().to_uppercase()));
    let mut suggested = None;
    if let Some(p) = &prev {
        let req = required(&p.version, needed);
        let s = next(&p.version, req);
        json["previous_version"] = p.version.to_string().into();
        json["required_bump"] = req.as_str().into();
        json["suggested_version"] = s.to_string().into();
        suggested = Some(s.clone());
        if let Some(c) = &cur {
            json["current_version"] = c.version.to_string().into();
            let got = actual(&p.version, &c.version);
            // Leaving 0.x for 1.0 is always enough.
            let enough = got >= req || (p.version.major == 0 && c.version.major > 0);
            human.push_str(&format!("; declared {} -> {} ({} bump)", p.version, c.version, got.as_str()));
            if !enough {
                let mut d = Diagnostic::new(
                    "proto",
                    SEMVER_BUMP_TOO_SMALL.id,
                    Severity::Error,
                    format!(
                        "the registry change set is {} ({} bump needed from {}), but the declared version went from {} to {}; release {s}",
                        needed.as_str(),
                        req.as_str(),
                        p.version,
                        p.version,
                        c.version
                    ),
                );
                d.file =
                    Some(FileRef { path: format!("{display_prefix}{}", c.file), abs: Some(registry.join(&c.file)) });
                d.span = Some(Span::new(c.line, 1, c.line, 1));
                diagnostics.push(d.with_help(format!("declare {s} in {} (changelog stub below)", c.file)));
            }
        } else {
            human.push_str(&format!("; declared {} at the baseline, no version now", p.version));
        }
        human.push_str(&format!("; suggested next version {s}\n"));
    } else {
        human.push_str("; no declared version at the baseline (CHANGELOG.md or VERSION), bump not checked\n");
        if let Some(c) = &cur {
            json["current_version"] = c.version.to_string().into();
        }
    }
    if needed != Bump::None {
        let stub = changelog_stub(ch, suggested.as_ref());
        human.push_str("changelog stub:\n");
        for l in stub.lines() {
            human.push_str(&format!("  {l}\n"));
        }
        json["changelog_stub"] = stub.into();
    }
    Verdict { diagnostics, human, json }
}

fn changelog_stub(ch: &Changes, version: Option<&Version>) -> String {
    let mut s = match version {
        Some(v) => format!("## [{v}] - YYYY-MM-DD\n"),
        None => "## [Unreleased]\n".to_string(),
    };
    if !ch.breaking.is_empty() {
        s.push_str("### Changed (BREAKING)\n");
        for b in &ch.breaking {
            s.push_str(&format!("- {b}\n"));
        }
    }
    if !ch.added.is_empty() {
        s.push_str("### Added\n");
        for a in &ch.added {
            s.push_str(&format!("- {a}\n"));
        }
    }
    if ch.breaking.is_empty() && ch.added.is_empty() && !ch.patch.is_empty() {
        s.push_str("### Changed\n");
        for p in &ch.patch {
            s.push_str(&format!("- {p}\n"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(name: &str, text: &str) -> BTreeMap<String, String> {
        BTreeMap::from([(name.to_string(), text.to_string())])
    }

    #[test]
    fn changelog_top_release_skips_unreleased() {
        let t = "# Changelog\n\n## [Unreleased]\n- x\n\n## [1.4.2] - 2026-01-01\n## [1.4.1]\n";
        let d = declared(&files("CHANGELOG.md", t), "current").unwrap().unwrap();
        assert_eq!(d.version, Version::new(1, 4, 2));
        assert_eq!(d.line, 6);
        let v = declared(&files("VERSION", "v0.3.1\n"), "current").unwrap().unwrap();
        assert_eq!(v.version, Version::new(0, 3, 1));
    }

    #[test]
    fn corrupt_version_is_an_input_error_at_its_line() {
        let d = declared(&files("CHANGELOG.md", "## [Unreleased]\n## [1.x] - 2026\n"), "current").unwrap_err();
        assert_eq!(d.kind, crate::diagnostics::Kind::InputError);
        assert_eq!(d.span.unwrap().line, 2);
    }

    #[test]
    fn zero_x_rules() {
        let v = Version::new(0, 3, 1);
        assert_eq!(required(&v, Bump::Major), Bump::Minor);
        assert_eq!(required(&v, Bump::Minor), Bump::Patch);
        assert_eq!(next(&v, required(&v, Bump::Major)), Version::new(0, 4, 0));
        let v1 = Version::new(1, 2, 3);
        assert_eq!(next(&v1, required(&v1, Bump::Minor)), Version::new(1, 3, 0));
        assert_eq!(actual(&v1, &Version::new(1, 2, 4)), Bump::Patch);
        assert_eq!(actual(&v1, &Version::new(1, 2, 3)), Bump::None);
    }
}
