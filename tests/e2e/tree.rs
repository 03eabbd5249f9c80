//! File-tree helpers: copy fixtures and the shipped site, read output trees.

use std::collections::BTreeMap;
use std::path::Path;

/// The repository root, where the shipped site lives.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a file, or a folder recursively in name order, skipping entries named in `skip`
/// (at the top level only).
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    if !from.is_dir() {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::copy(from, to).expect("copy");
        return;
    }
    std::fs::create_dir_all(to).expect("mkdir");
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .expect("read_dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if !skip.iter().any(|s| name == *s) {
            copy_tree(&e.path(), &to.join(&name), &[]);
        }
    }
}

/// Copies the shipped site (every entry of `ftlsite::site::INPUTS` the repository has) into
/// `dest`.
pub fn copy_shipped_site(dest: &Path) {
    for name in ftlsite::site::INPUTS {
        let from = repo().join(name);
        if from.exists() {
            copy_tree(&from, &dest.join(name), &[]);
        }
    }
}

/// Every file under `dir`, by `/`-separated relative path.
/// [`read_tree`] without the incremental-build cache, which only a full build writes: what a
/// merge of shards must reproduce.
pub fn read_site_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(dir);
    tree.remove(".ftlsite-cache");
    tree
}

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(key) = ftlsite::site::relative_key(dir, &p) {
                out.insert(key, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}
