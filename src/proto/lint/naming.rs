//! Case conversions with buf's exact word-splitting, so a name passes here iff it passes buf.
//!
//! buf checks a name by converting it and comparing: `name == to_lower_snake_case(name)`.
//! Delimiters are `.`, `-`, `_` and whitespace; a new word starts at an upper-case letter that is
//! followed by a lower-case one or preceded by a lower-case one (`HTTPServer` -> `http_server`).

pub fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

fn is_new_word(c: char, on_digits: bool) -> bool {
    c.is_uppercase() || (on_digits && c.is_ascii_digit())
}

fn snake(s: &str, on_digits: bool) -> String {
    let s = s.trim_matches(is_delimiter);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &orig) in chars.iter().enumerate() {
        let c = if is_delimiter(orig) { '_' } else { orig };
        if i == 0 {
            out.push(c);
            continue;
        }
        let last_us = out.ends_with('_');
        let next_starts_lower = i + 1 < chars.len() && !is_new_word(chars[i + 1], true) && !is_delimiter(chars[i + 1]);
        if is_new_word(c, on_digits)
            && !last_us
            && (next_starts_lower || (on_digits && c.is_ascii_digit()) || chars[i - 1].is_lowercase())
        {
            out.push('_');
            out.push(c);
        } else if !(c == '_' && last_us) {
            out.push(c);
        }
    }
    out
}

pub fn to_lower_snake_case(s: &str) -> String {
    snake(s, false).to_lowercase()
}

pub fn to_upper_snake_case(s: &str) -> String {
    snake(s, false).to_uppercase()
}

/// buf's PascalCase: drop delimiters, upper-case the first letter and every letter after a
/// delimiter, keep existing capitals, lower-case everything else.
pub fn to_pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    for (i, c) in s.trim().chars().enumerate() {
        if !is_delimiter(c) {
            if i == 0 || prev.is_some_and(is_delimiter) || c.is_uppercase() {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        prev = Some(c);
    }
    out
}

pub fn is_lower_snake_case(s: &str) -> bool {
    s == to_lower_snake_case(s)
}

pub fn is_upper_snake_case(s: &str) -> bool {
    s == to_upper_snake_case(s)
}

pub fn is_pascal_case(s: &str) -> bool {
    s == to_pascal_case(s)
}

/// The three name styles buf's *_CASE rules ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Pascal,
    LowerSnake,
    UpperSnake,
}

impl Case {
    /// How findings spell the style.
    pub fn label(self) -> &'static str {
        match self {
            Case::Pascal => "PascalCase",
            Case::LowerSnake => "lower_snake_case",
            Case::UpperSnake => "UPPER_SNAKE_CASE",
        }
    }
    /// `s` rewritten in this style.
    pub fn apply(self, s: &str) -> String {
        match self {
            Case::Pascal => to_pascal_case(s),
            Case::LowerSnake => to_lower_snake_case(s),
            Case::UpperSnake => to_upper_snake_case(s),
        }
    }
}

/// Stability of a package version component (`v1`, `v1beta2`, `v1test`, `v2p1alpha1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stability {
    Stable,
    Alpha,
    Beta,
    Test,
}

/// Parse a package's last component as buf's package version: `v\d+`, `v\d+test.*`,
/// `v\d+(alpha|beta)\d*`, `v\d+p\d+(alpha|beta)\d*`. Major version 0 is not a version.
pub fn parse_version(component: &str) -> Option<Stability> {
    let rest = component.strip_prefix('v')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let major: u64 = rest[..digits].parse().ok()?;
    if major == 0 {
        return None;
    }
    let mut tail = &rest[digits..];
    if tail.is_empty() {
        return Some(Stability::Stable);
    }
    if tail.starts_with("test") {
        return Some(Stability::Test);
    }
    // As buf 1.75: a patch or pre-release number, when present, is at least 1 (`v1p0beta1`,
    // `v2beta0` are malformed; `v2beta01` is `v2beta1`).
    let positive = |n: &str| n.parse::<u64>().is_ok_and(|n| n > 0);
    if let Some(p) = tail.strip_prefix('p') {
        let d = p.bytes().take_while(u8::is_ascii_digit).count();
        if d == 0 || !positive(&p[..d]) {
            return None;
        }
        tail = &p[d..];
    }
    let (stability, num) = if let Some(n) = tail.strip_prefix("alpha") {
        (Stability::Alpha, n)
    } else if let Some(n) = tail.strip_prefix("beta") {
        (Stability::Beta, n)
    } else {
        return None;
    };
    let well_formed = num.is_empty() || (num.bytes().all(|b| b.is_ascii_digit()) && positive(num));
    well_formed.then_some(stability)
}

/// The version of a package (its last component), if it has one. A package that is only a
/// version (`package v1;`) has none, as buf says: the version suffixes a name.
pub fn package_version(package: &str) -> Option<Stability> {
    let (name, last) = package.rsplit_once('.')?;
    if name.is_empty() {
        return None;
    }
    parse_version(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_like_buf() {
        assert_eq!(to_lower_snake_case("fooBar"), "foo_bar");
        assert_eq!(to_lower_snake_case("HTTPServer"), "http_server");
        assert_eq!(to_lower_snake_case("foo__bar"), "foo_bar");
        assert_eq!(to_lower_snake_case("_foo"), "foo");
        assert_eq!(to_lower_snake_case("foo_1"), "foo_1");
        assert_eq!(to_lower_snake_case("foo1"), "foo1");
        assert_eq!(to_upper_snake_case("Foo2Bar"), "FOO2_BAR");
        assert_eq!(to_upper_snake_case("HTTP2Version"), "HTTP2_VERSION");
        assert_eq!(to_upper_snake_case("FooBAR"), "FOO_BAR");
        assert!(is_upper_snake_case("FOO_BAR_1"));
        assert!(!is_upper_snake_case("Foo_BAR"));
        assert!(!is_lower_snake_case("foo_bar_"));
    }

    #[test]
    fn pascal_case_like_buf() {
        assert!(is_pascal_case("FooBar"));
        assert!(is_pascal_case("HTTPServer"));
        assert!(is_pascal_case("Foo1bar"));
        assert!(!is_pascal_case("fooBar"));
        assert!(!is_pascal_case("Foo_bar"));
        assert_eq!(to_pascal_case("get_foo"), "GetFoo");
    }

    #[test]
    fn versions() {
        for ok in ["v1", "v12", "v1test", "v1testfoo", "v1alpha", "v1beta2", "v1p1alpha", "v2p3beta1"] {
            assert!(parse_version(ok).is_some(), "{ok}");
        }
        for bad in [
            "v",
            "v0",
            "1",
            "version1",
            "v1gamma",
            "v1p",
            "v1p1",
            "v1alpha1x",
            "vx1",
            "v2beta0",
            "v2alpha0",
            "v1p0beta1",
        ] {
            assert!(parse_version(bad).is_none(), "{bad}");
        }
        assert_eq!(parse_version("v1"), Some(Stability::Stable));
        assert_eq!(parse_version("v1p1beta1"), Some(Stability::Beta));
        // Checked against buf 1.75 (tests/fixtures/buf-parity/lint-package-edge-cases).
        for ok in ["v01", "v2beta01", "v1p01alpha", "v1test0", "v10", "v1beta10"] {
            assert!(parse_version(ok).is_some(), "{ok}");
        }
        assert_eq!(package_version("v1"), None);
        assert_eq!(package_version("foo.v1"), Some(Stability::Stable));
    }
}
