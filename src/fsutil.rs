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

/// Write `contents` to `path` atomically: a temp file in the same directory, fsynced, then a
/// rename. Never leaves a partial file behind. An existing file keeps its mode (and its owner and
/// group where the process may set them); a new file gets the mode `open(2)` would give it under
/// the process's umask (0644 under umask 022), not the temp file's 0600. A symbolic link is
/// followed: the file it points at is replaced, the link stays a link.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), NovaError> {
    write_file(path, contents, Durability::Sync, Replace::Allow)
}

/// [`write_atomic`] for a file that must not exist yet (a generator's new file): no fsync (a fresh
/// file replaces nothing a crash could lose), and a file that appeared in the meantime is not
/// overwritten (an error instead).
pub fn write_new(path: &Path, contents: &[u8]) -> Result<(), NovaError> {
    write_file(path, contents, Durability::NoSync, Replace::Refuse)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Durability {
    Sync,
    NoSync,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Allow,
    Refuse,
}

/// The one write path of nova: every file it creates or rewrites goes through here.
fn write_file(path: &Path, contents: &[u8], durability: Durability, replace: Replace) -> Result<(), NovaError> {
    let cannot = |e: &dyn std::fmt::Display| {
        NovaError::new(format!("cannot write {}: {e}", path.display())).at(path, None, None)
    };
    // Replace what a symbolic link points at, not the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if replace == Replace::Refuse && existing.is_some() {
        return Err(cannot(&"the file already exists"));
    }
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".nova-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666: the kernel applies the umask, exactly as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| NovaError::new(format!("cannot write in {}: {e}", dir.display())).at(dir, None, None))?;
    if let Some(meta) = &existing {
        keep_owner_and_mode(tmp.as_file(), meta).map_err(|e| cannot(&e))?;
    }
    tmp.write_all(contents).map_err(|e| cannot(&e))?;
    if durability == Durability::Sync {
        tmp.as_file().sync_all().map_err(|e| cannot(&e))?;
    }
    match replace {
        Replace::Allow => tmp.persist(&target).map(drop).map_err(|e| cannot(&e.error)),
        // A file that appeared since the check above is not overwritten.
        Replace::Refuse => tmp.persist_noclobber(&target).map(drop).map_err(|e| cannot(&e.error)),
    }
}

/// Give the replacement file the replaced file's owner, group and mode. The owner is best effort
/// (only root may give a file away; a group the user is not in is refused): a failure there keeps
/// the writer's own, like an editor does. The mode is set after the owner, because changing the
/// owner clears set-id bits.
#[cfg(unix)]
fn keep_owner_and_mode(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    if std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(meta.gid()));
    }
    file.set_permissions(meta.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(meta.permissions())
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

    #[cfg(unix)]
    #[test]
    fn rewriting_keeps_the_mode_and_a_link_stays_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        for m in [0o755, 0o640, 0o600, 0o444] {
            let p = d.path().join(format!("f{m:o}"));
            std::fs::write(&p, "old").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
            write_atomic(&p, b"new").unwrap();
            assert_eq!(mode(&p), m, "mode {m:o} changed");
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        }
        let target = d.path().join("target.sh");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o750)).unwrap();
        let link = d.path().join("link.sh");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(mode(&target), 0o750);
        // No temp file is left behind.
        let names: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with(".nova-tmp")), "{names:?}");
    }

    #[test]
    fn write_new_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f.txt");
        write_new(&p, b"one").unwrap();
        let err = write_new(&p, b"two").unwrap_err();
        assert!(err.message.contains("already exists"), "{}", err.message);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
    }
}
