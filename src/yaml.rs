//! Reading YAML nova is given (buf.yaml, `.proto-lint.yaml`): one parse function with bounded
//! nesting, so a hostile file ends fast in a located input error instead of a parser working in
//! quadratic time or a stack overflow.
use crate::error::NovaError;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The deepest flow (`[...]`, `{...}`) or block nesting nova reads. Configuration files nest a
/// few levels; 64 leaves room for any real one.
pub const MAX_DEPTH: usize = 64;

/// Parse `text` (read from `path`, named in errors) as `T`. Nesting deeper than [`MAX_DEPTH`] is
/// an error at the line and column where it goes past the limit; a syntax error is located too.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, NovaError> {
    if let Some((line, col)) = too_deep(text) {
        return Err(NovaError::new(format!(
            "invalid YAML in {}: nested deeper than {MAX_DEPTH} levels",
            path.display()
        ))
        .at(path, Some(line), Some(col))
        .with_help("configuration files nest a few levels; this one is malformed or hostile"));
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let loc = e.location();
        NovaError::new(format!("invalid YAML in {}: {e}", path.display())).at(
            path,
            loc.as_ref().map(|l| l.line()),
            loc.as_ref().map(|l| l.column()),
        )
    })
}

/// Where `text` first nests deeper than [`MAX_DEPTH`] (1-based line and character column): flow
/// brackets outside quotes and comments, plus block levels (a level per deeper indentation).
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    // Indentations of the enclosing block levels.
    let mut blocks: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if flow == 0 && !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            while blocks.last().is_some_and(|&b| b >= indent) {
                blocks.pop();
            }
            blocks.push(indent);
            if blocks.len() > MAX_DEPTH {
                return Some((i + 1, indent + 1));
            }
        }
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    if flow + blocks.len() > MAX_DEPTH {
                        return Some((i + 1, col + 1));
                    }
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_nesting_is_a_located_error_and_fast() {
        let n = 200_000;
        let text = format!("version: v2\nlint:\n  use: {}{}\n", "[".repeat(n), "]".repeat(n));
        let start = std::time::Instant::now();
        let e = parse::<serde_yaml_ng::Value>(&text, Path::new("buf.yaml")).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
        assert!(e.message.contains("nested deeper than 64"), "{}", e.message);
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.column), (Some(3), Some(8 + MAX_DEPTH - 2)));
        // Deep block nesting too.
        let block: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i * 2))).collect();
        assert!(parse::<serde_yaml_ng::Value>(&block, Path::new("x.yaml")).unwrap_err().message.contains("deeper"));
    }

    #[test]
    fn ordinary_files_parse() {
        let text = "version: v2\nmodules:\n  - path: proto\n    excludes: [proto/gen, \"a[b\"]\n    lint:\n      use: [STANDARD] # [[[[\nbreaking:\n  use: [FILE]\n";
        let v: serde_yaml_ng::Value = parse(text, Path::new("buf.yaml")).unwrap();
        assert_eq!(v["modules"][0]["excludes"][1].as_str(), Some("a[b"));
        let e = parse::<serde_yaml_ng::Value>("a: [b\nc: d: e\n", Path::new("x.yaml")).unwrap_err();
        assert!(e.location.unwrap().line.is_some());
    }
}
