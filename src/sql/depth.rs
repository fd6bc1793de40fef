//! The nesting guard: squawk's parser (and the passes over its trees) recurse once per level of
//! parentheses, so `SELECT ((((...1...))))` nested 20,000 deep overflows the stack and aborts the
//! process. Before parsing, nova measures the bracket nesting of the file, including the code inside
//! dollar-quoted bodies (`DO $$ ... $$`, plpgsql functions), which are parsed too; a file deeper
//! than `LIMIT` is an input error at the bracket that crosses it. PostgreSQL's own parser gives up
//! before that depth (its parser stack holds 10,000 entries: "memory exhausted").

/// Deepest accepted nesting of `(` / `[`. PostgreSQL 18 (libpg_query) parses 9,993 nested
/// parentheses and fails at 10,000.
pub const LIMIT: usize = 10_000;

/// The byte offset of the first `(` or `[` that opens level `limit + 1`, if any. Iterative: each
/// dollar-quoted body is scanned as code on its own (a work list, no recursion).
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut work = vec![(0usize, b.len())];
    while let Some((start, end)) = work.pop() {
        let mut depth = 0usize;
        let mut i = start;
        while i < end {
            match b[i] {
                b'(' | b'[' => {
                    depth += 1;
                    if depth > limit {
                        return Some(i);
                    }
                    i += 1;
                }
                b')' | b']' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    while i < end && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'*') => i = crate::sql::plpgsql::skip_block_comment(b, i, end),
                q @ (b'\'' | b'"') => {
                    let backslash = q == b'\'' && i > start && matches!(b[i - 1], b'e' | b'E');
                    i += 1;
                    while i < end {
                        if backslash && b[i] == b'\\' {
                            i += 2;
                        } else if b[i] == q {
                            i += 1;
                            if i < end && b[i] == q {
                                i += 1;
                            } else {
                                break;
                            }
                        } else {
                            i += 1;
                        }
                    }
                }
                b'$' => {
                    let mut j = i + 1;
                    while j < end && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
                        j += 1;
                    }
                    let is_tag = j < end && b[j] == b'$' && !b.get(i + 1).is_some_and(|c| c.is_ascii_digit());
                    if !is_tag {
                        i = j.max(i + 1);
                        continue;
                    }
                    let tag = &text[i..=j];
                    let body = j + 1;
                    match text[body..end].find(tag) {
                        Some(k) => {
                            work.push((body, body + k));
                            i = body + k + tag.len();
                        }
                        None => {
                            work.push((body, end));
                            i = end;
                        }
                    }
                }
                _ => i += 1,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_count_in_code_and_bodies_not_in_strings() {
        let deep = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(too_deep(&format!("SELECT {};", deep(5)), 5), None);
        assert_eq!(too_deep(&format!("SELECT {};", deep(6)), 5), Some(12));
        let body = format!("DO $x$ BEGIN PERFORM {}; END $x$;", deep(6));
        assert_eq!(too_deep(&body, 5), Some(body.find("((((((").unwrap() + 5));
        assert_eq!(too_deep(&format!("SELECT '{}', \"((((((\"; -- ((((((\n", "(".repeat(6)), 5), None);
        assert_eq!(too_deep("SELECT $1, $2 /* (((((( */;", 5), None);
    }
}
