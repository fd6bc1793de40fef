//! File helpers shared by every checker: reading text with clear errors, atomic writes.
use crate::error::NovaError;
use std::io::Write;
use std::path::Path;

/// Read a file as UTF-8. A non-UTF-8 file is an error naming the file and the line of the first bad byte.
pub fn read_text(path: &Path) -> Result<String, NovaError> {
    let bytes = std::fs::read(path).map_err(|e| NovaError::io(path, &e))?;
    decode_utf8(path, bytes)
}

/// Decode bytes read from `path` as UTF-8 (a BOM is dropped).
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, NovaError> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let col = valid - bytes[..valid].iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
            Err(NovaError::new(format!("{} is not valid UTF-8 (invalid byte at offset {valid})", path.display())).at(
                path,
                Some(line),
                Some(col),
            ))
        }
    }
}

/// Write `contents` to `path` atomically: a temp file in the same directory, then a rename.
/// Never leaves a partial file behind.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), NovaError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| NovaError::new(format!("cannot write in {}: {e}", dir.display())).at(dir, None, None))?;
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| NovaError::new(format!("cannot write {}: {e}", path.display())).at(path, None, None))?;
    tmp.persist(path)
        .map_err(|e| NovaError::new(format!("cannot write {}: {}", path.display(), e.error)).at(path, None, None))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_points_at_line() {
        let err = decode_utf8(Path::new("x.proto"), b"ok\nab\xffc".to_vec()).unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!(loc.line, Some(2));
        assert_eq!(loc.column, Some(3));
    }

    #[test]
    fn atomic_write_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
    }
}
