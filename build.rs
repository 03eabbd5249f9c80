//! Embeds the shipped site (site.toml, locales/, templates/, assets/) into the binary.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    let mut table = String::from("/// Every file of the shipped site: (site-relative path, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n");
    for name in ["site.toml", "locales", "templates", "assets"] {
        println!("cargo::rerun-if-changed={name}");
        let start = root.join(name);
        if !start.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&start).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let _ = writeln!(table, "    ({key:?}, include_bytes!({:?})),", entry.path().display().to_string());
        }
    }
    table.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out).join("embedded.rs"), table) {
        println!("cargo::error=cannot write embedded.rs: {e}");
    }
}
