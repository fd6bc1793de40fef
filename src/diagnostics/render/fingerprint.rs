//! Stable finding fingerprints, shared by the formats that track findings across runs (SARIF's
//! `partialFingerprints`, GitLab Code Quality's `fingerprint`): both must name a finding the same
//! way, so a finding keeps its identity whichever report a CI system reads.
use super::location::{RepoPaths, Sources};
use crate::diagnostics::{Diagnostic, Kind, Report};
use std::collections::HashMap;

/// Whether a diagnostic is a SARIF `result` (a finding in a file). Only these carry SARIF
/// fingerprints; input errors and findings about no file are notifications there.
pub fn is_located_finding(d: &Diagnostic) -> bool {
    d.kind == Kind::Finding && d.file.is_some()
}

/// Computes fingerprints in document order. Identical findings are told apart by an occurrence
/// counter, so one `Fingerprinter` must see the same diagnostics in the same order in every format.
pub struct Fingerprinter<'a> {
    sources: &'a Sources<'a>,
    paths: &'a RepoPaths,
    /// Mixed into the identity; empty for located findings (the SARIF value, pinned), non-empty
    /// for diagnostics SARIF does not fingerprint, so they never collide with a finding.
    salt: &'static str,
    occurrences: HashMap<String, usize>,
}

impl<'a> Fingerprinter<'a> {
    /// For located findings: the values SARIF puts in `partialFingerprints`.
    pub fn new(sources: &'a Sources<'a>, paths: &'a RepoPaths) -> Self {
        Fingerprinter { sources, paths, salt: "", occurrences: HashMap::new() }
    }

    /// For input errors and findings without a file (formats that need a fingerprint for every entry).
    pub fn for_unlocated(sources: &'a Sources<'a>, paths: &'a RepoPaths) -> Self {
        Fingerprinter { sources, paths, salt: "unlocated\u{0}", occurrences: HashMap::new() }
    }

    /// `(nova/v1 key, primaryLocationLineHash)` from what identifies a finding to a reader: rule,
    /// file, message and the whitespace-normalised text of the line it points at, never the line
    /// number, so a finding keeps its fingerprint when unrelated lines above it move.
    pub fn next(&mut self, d: &Diagnostic) -> (String, String) {
        let path = d.file.as_ref().map(|f| self.paths.rel(f)).unwrap_or_default();
        let line = match (&d.file, d.span) {
            (Some(f), Some(s)) => self
                .sources
                .get(f)
                .and_then(|src| src.line_text(s.line).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let identity = format!("{}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}", self.salt, d.checker, d.rule, path, d.message, line);
        let n = self.occurrences.entry(identity.clone()).or_insert(0);
        *n += 1;
        let hash = stable_hash(&identity);
        (format!("{hash:032x}:{n}"), format!("{:016x}:{n}", (hash >> 64) as u64))
    }
}

/// Fingerprints (the `nova/v1` key) for every diagnostic of a report, in order: located findings
/// get exactly the SARIF value, the rest a value of their own.
pub fn all(sources: &Sources, paths: &RepoPaths, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut located = Fingerprinter::new(sources, paths);
    let mut other = Fingerprinter::for_unlocated(sources, paths);
    diagnostics.iter().map(|d| if is_located_finding(d) { located.next(d).0 } else { other.next(d).0 }).collect()
}

/// The findings a baseline hid from `report` (fingerprinted with the shown ones, so every format
/// numbers a finding as the baseline does).
pub fn hidden(report: &Report) -> Vec<Diagnostic> {
    report.baseline.as_ref().map(|b| b.hidden.iter().map(|(d, _)| d.clone()).collect()).unwrap_or_default()
}

/// The order in which a run's findings were fingerprinted when a baseline hid some of them: the
/// shown and the hidden diagnostics merged by the report's sort order, so a finding gets the same
/// occurrence number whether or not an identical one next to it is hidden. Each item is
/// `(hidden, index)`. Without hidden diagnostics this is document order.
fn merged_order(shown: &[Diagnostic], hidden: &[Diagnostic]) -> Vec<(bool, usize)> {
    let mut order: Vec<(bool, usize)> =
        (0..shown.len()).map(|i| (false, i)).chain((0..hidden.len()).map(|i| (true, i))).collect();
    if !hidden.is_empty() {
        let d = |&(h, i): &(bool, usize)| if h { &hidden[i] } else { &shown[i] };
        order.sort_by(|a, b| d(a).sort_key().cmp(&d(b).sort_key()));
    }
    order
}

/// `(nova/v1 key, primaryLocationLineHash)` of every located finding of `shown` and of `hidden`
/// (findings a baseline hid), numbered together as [`merged_order`] says; `None` for the rest.
pub type Pair = Option<(String, String)>;
pub fn located_with_hidden(
    sources: &Sources,
    paths: &RepoPaths,
    shown: &[Diagnostic],
    hidden: &[Diagnostic],
) -> (Vec<Pair>, Vec<Pair>) {
    let mut fp = Fingerprinter::new(sources, paths);
    let (mut a, mut b) = (vec![None; shown.len()], vec![None; hidden.len()]);
    for (h, i) in merged_order(shown, hidden) {
        let d = if h { &hidden[i] } else { &shown[i] };
        if is_located_finding(d) {
            let v = Some(fp.next(d));
            if h { b[i] = v } else { a[i] = v }
        }
    }
    (a, b)
}

/// [`all`] for the shown diagnostics of a run whose baseline hid `hidden`.
pub fn all_with_hidden(
    sources: &Sources,
    paths: &RepoPaths,
    shown: &[Diagnostic],
    hidden: &[Diagnostic],
) -> Vec<String> {
    let mut located = Fingerprinter::new(sources, paths);
    let mut other = Fingerprinter::for_unlocated(sources, paths);
    let mut out = vec![String::new(); shown.len()];
    for (h, i) in merged_order(shown, hidden) {
        let d = if h { &hidden[i] } else { &shown[i] };
        let v = if is_located_finding(d) { located.next(d).0 } else { other.next(d).0 };
        if !h {
            out[i] = v;
        }
    }
    out
}

/// 128-bit FNV-1a: fixed across Rust versions and platforms (`DefaultHasher` promises neither).
pub fn stable_hash(s: &str) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_findings_keep_their_occurrence_numbers() {
        use crate::diagnostics::{FileRef, Severity, Span};
        let at = |line| {
            Diagnostic::new("migrations", "R", Severity::Error, "same")
                .at(FileRef::virtual_path("a.sql"), Some(Span::new(line, 1, line, 1)))
        };
        let report = Report::new();
        let (sources, paths) = (Sources::new(&report), RepoPaths::new(None));
        let whole = all(&sources, &paths, &[at(3), at(5)]);
        // The first is hidden by a baseline: the second still gets its own number, not the first's.
        let (shown, hidden) = located_with_hidden(&sources, &paths, &[at(5)], &[at(3)]);
        assert_eq!(shown[0].as_ref().map(|p| &p.0), Some(&whole[1]));
        assert_eq!(hidden[0].as_ref().map(|p| &p.0), Some(&whole[0]));
        assert_eq!(all_with_hidden(&sources, &paths, &[at(5)], &[at(3)]), vec![whole[1].clone()]);
        assert_ne!(whole[0], whole[1]);
    }

    #[test]
    fn hash_is_fixed() {
        // Pinned: changing the hash would reopen every code-scanning alert of every user.
        assert_eq!(stable_hash(""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(stable_hash("a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
