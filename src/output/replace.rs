//! Replacing one file atomically, for tools that rewrite a file in place (`ftlsite fmt`, the
//! in-context editor): the same idea as the staging folder, for one file.

use std::path::{Path, PathBuf};

use super::{io, OutputError};

/// Replaces the file at `path` with `data` atomically: the bytes go to a temporary file in the
/// same folder, which is then renamed over `path`, so a reader sees the old file or the new one
/// and never a part of either. The file keeps its permissions, and a symbolic link keeps
/// pointing at the file it names, which is the one replaced. On error `path` is untouched.
pub fn replace_file(path: &Path, data: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;

    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(io(&parent))?;
    tmp.write_all(data).map_err(io(&target))?;
    tmp.as_file().sync_all().map_err(io(&target))?;
    if let Ok(meta) = std::fs::metadata(&target) {
        std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(io(&target))?;
    }
    tmp.persist(&target).map_err(|e| OutputError::Io {
        path: target.clone(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn replace_file_keeps_permissions_and_symlinks_and_leaves_no_temp_file() {
        use std::os::unix::fs::{symlink, PermissionsExt};

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ftl");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.ftl");
        symlink(&file, &link).unwrap();

        replace_file(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.ftl", "link.ftl"]);
    }
}
