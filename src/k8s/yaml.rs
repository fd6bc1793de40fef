//! A located YAML tree for manifests: every node keeps the file, line and column it came from, so
//! a finding points at the offending key (or at the object a key is missing from).
//!
//! The tree is built from saphyr-parser's events with an explicit stack (no recursion), under
//! three budgets that end in a located error instead of a slow or unbounded run: nesting depth,
//! nodes per document (aliases count with the size of what they expand to, so a "billion laughs"
//! stops at the budget, not after a billion copies), and file size.
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::collections::HashMap;

/// Deepest nesting of mappings and sequences read. Manifests nest about 10 levels.
pub const MAX_DEPTH: usize = 200;
/// Most nodes one document may hold once aliases are expanded.
pub const MAX_NODES: usize = 1_000_000;
/// Largest manifest file read (bytes).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// Index of a source file in the run's file table.
pub type FileId = u32;

/// A 1-based line and character column in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar's text; `plain` is false for quoted and block scalars (`"80"` is a string).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys in document order.
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// Why a file could not be read as YAML, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// `YAML_SYNTAX` or `YAML_LIMIT` (registered in `crate::input_errors`).
    pub code: &'static str,
    pub message: String,
    pub line: u32,
    pub col: u32,
}

impl Node {
    pub fn scalar(text: impl Into<String>, pos: Pos) -> Node {
        Node { value: Value::Scalar { text: text.into(), plain: true }, pos }
    }
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }
    /// The key node and value of `key` in a mapping (the key's position is where findings point).
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(k, v)| (k, v)),
            _ => None,
        }
    }
    /// The value at a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }
    /// A scalar's text (`None` for mappings, sequences and null).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, plain } if !(*plain && is_null(text)) => Some(text),
            _ => None,
        }
    }
    /// A plain or quoted scalar read as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_str().and_then(|s| s.trim().parse().ok())
    }
    /// Whether the scalar is a plain integer (a `targetPort: 8080`, not `targetPort: "http"`).
    pub fn is_int(&self) -> bool {
        matches!(&self.value, Value::Scalar { plain: true, .. }) && self.as_i64().is_some()
    }
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(v) => v,
            _ => &[],
        }
    }
    pub fn pairs(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// One document of a file.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    /// The kustomization directory that rendered it (`None`: read from a file as it is).
    pub origin: Option<std::path::PathBuf>,
    /// The object's name in its own file, when a kustomization renamed it (`namePrefix`).
    pub original_name: Option<String>,
}

enum Frame {
    Seq { items: Vec<Node>, pos: Pos, anchor: usize, nodes: usize },
    Map { pairs: Vec<(Node, Node)>, key: Option<Node>, pos: Pos, anchor: usize, nodes: usize },
}

/// Parse every document of `text` (file `file`). Empty documents are skipped.
pub fn parse(text: &str, file: FileId) -> Result<Vec<Document>, YamlError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(YamlError {
            code: "YAML_LIMIT",
            message: format!("file is {} bytes; manifests over {} MiB are not read", text.len(), MAX_FILE_BYTES >> 20),
            line: 1,
            col: 1,
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // anchor id -> (node, its size in nodes); ids restart per parser, anchors are per document.
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut doc_nodes = 0usize;
    let limit =
        |code: &'static str, message: String, pos: Pos| YamlError { code, message, line: pos.line, col: pos.col };
    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e: ScanError| YamlError {
            code: "YAML_SYNTAX",
            message: e.info().to_string(),
            line: e.marker().line() as u32,
            col: e.marker().col() as u32 + 1,
        })?;
        let pos = Pos { file, line: span.start.line() as u32, col: span.start.col() as u32 + 1 };
        // Every node counts once where it starts; an alias counts the size of what it copies.
        doc_nodes += match &event {
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => 1,
            Event::Alias(id) => anchors.get(id).map_or(0, |(_, size)| *size),
            _ => 0,
        };
        if doc_nodes > MAX_NODES {
            let what = if matches!(event, Event::Alias(_)) {
                format!("aliases expand this document past {MAX_NODES} nodes (a \"billion laughs\"?)")
            } else {
                format!("this document has more than {MAX_NODES} nodes")
            };
            return Err(limit("YAML_LIMIT", format!("{what}; the document is not read"), pos));
        }
        // A finished node (and its size) to hand to the enclosing frame.
        let done: Option<(Node, usize, usize)> = match event {
            Event::DocumentStart(_) => {
                anchors.clear();
                doc_nodes = 0;
                None
            }
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                Some((Node { value: Value::Scalar { text: text.into_owned(), plain }, pos }, 1, anchor))
            }
            Event::Alias(id) => {
                let (node, size) = anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    code: "YAML_SYNTAX",
                    message: "alias to an unknown anchor".into(),
                    line: pos.line,
                    col: pos.col,
                })?;
                Some((node, size, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(limit(
                        "YAML_LIMIT",
                        format!("nested deeper than {MAX_DEPTH} levels; the document is not read"),
                        pos,
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { items: Vec::new(), pos, anchor, nodes: 1 }
                } else {
                    Frame::Map { pairs: Vec::new(), key: None, pos, anchor, nodes: 1 }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { items, pos, anchor, nodes }) => {
                    Some((Node { value: Value::Seq(items), pos }, nodes, anchor))
                }
                Some(Frame::Map { pairs, pos, anchor, nodes, .. }) => {
                    Some((Node { value: Value::Map(pairs), pos }, nodes, anchor))
                }
                None => None,
            },
            _ => None,
        };
        let Some((node, size, anchor)) = done else { continue };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        match stack.last_mut() {
            None => {
                if !matches!(&node.value, Value::Scalar { text, plain: true } if is_null(text)) {
                    docs.push(Document { root: node, origin: None, original_name: None });
                }
            }
            Some(Frame::Seq { items, nodes, .. }) => {
                *nodes += size;
                items.push(node);
            }
            Some(Frame::Map { pairs, key, nodes, .. }) => {
                *nodes += size;
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => pairs.push((k, node)),
                }
            }
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_positions() {
        let text = "a: 1\n---\nkind: Service\nspec:\n  ports:\n    - port: 80\n      name: \"http\"\n";
        let docs = parse(text, 3).unwrap();
        assert_eq!(docs.len(), 2);
        let (k, v) = docs[1].root.entry("kind").unwrap();
        assert_eq!((k.pos.line, k.pos.col, v.pos.col), (3, 1, 7));
        let port = &docs[1].root.at(&["spec", "ports"]).unwrap().items()[0];
        assert_eq!((port.pos.line, port.pos.col), (6, 7));
        assert_eq!(port.get("port").unwrap().as_i64(), Some(80));
        assert!(port.get("port").unwrap().is_int() && !port.get("name").unwrap().is_int());
        assert_eq!(port.entry("name").unwrap().0.pos, Pos { file: 3, line: 7, col: 7 });
    }

    #[test]
    fn aliases_expand_and_nulls_are_none() {
        let docs = parse("base: &b {x: 1}\nother: *b\nempty:\n", 0).unwrap();
        assert_eq!(docs[0].root.at(&["other", "x"]).unwrap().as_i64(), Some(1));
        assert!(docs[0].root.get("empty").unwrap().as_str().is_none());
    }

    #[test]
    fn billion_laughs_is_a_located_limit_fast() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let start = std::time::Instant::now();
        let e = parse(&text, 0).unwrap_err();
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        assert_eq!(e.code, "YAML_LIMIT");
        assert!(e.line >= 6, "{e:?}");
    }

    #[test]
    fn deep_nesting_is_a_located_limit() {
        let n = 100_000;
        let text = format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        let e = parse(&text, 0).unwrap_err();
        assert_eq!(e.line, 1, "{e:?}");
        let block: String = (0..300).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        let e = parse(&block, 0).unwrap_err();
        assert_eq!((e.code, e.line), ("YAML_LIMIT", 201), "{e:?}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let e = parse("a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert_eq!(e.code, "YAML_SYNTAX");
        assert!(e.line >= 1);
    }
}
