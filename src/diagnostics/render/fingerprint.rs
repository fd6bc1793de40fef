//! Stable finding fingerprints, shared by the formats that track findings across runs (SARIF's
//! `partialFingerprints`, GitLab Code Quality's `fingerprint`): both must name a finding the same
//! way, so a finding keeps its identity whichever report a CI system reads.
use super::location::{RepoPaths, Sources};
use crate::diagnostics::{Diagnostic, Kind};
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
    fn hash_is_fixed() {
        // Pinned: changing the hash would reopen every code-scanning alert of every user.
        assert_eq!(stable_hash(""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(stable_hash("a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
