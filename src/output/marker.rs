//! Write stage: the `.ftlsite-output` marker that identifies a folder as ftlsite output.
//!
//! Every build and merge writes the marker at the root of its output. A later build replaces a
//! non-empty folder only when it carries the marker (or under `--force`), so pointing `--out`
//! at a project folder by mistake deletes nothing. `merge` reads the marker of each shard to
//! check that the shards belong together.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// File name of the marker, at the root of every output.
pub const MARKER: &str = ".ftlsite-output";

/// The marker layout this release writes.
pub const FORMAT: u32 = 1;

/// The content of `.ftlsite-output`.
///
/// The file is one JSON object, pretty-printed with a trailing newline. It holds no timestamp,
/// so identical builds give byte-identical markers:
///
/// ```json
/// {
///   "format": 1,
///   "tool": "ftlsite",
///   "version": "0.1.0",
///   "site": "4f0c1a9e2b7d3c58",
///   "shard": {
///     "index": 2,
///     "count": 3
///   }
/// }
/// ```
///
/// - `format`: the version of this layout; readers accept unknown keys.
/// - `version`: the ftlsite release that wrote the folder.
/// - `site`: the [`fingerprint`] of the inputs and options the output was built from.
/// - `shard`: present only in the output of `build --shard I/N` (`index` is 1-based); a full
///   build and a merge have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// Layout version, [`FORMAT`] when written by this release.
    pub format: u32,
    /// Always `ftlsite`.
    pub tool: String,
    /// The ftlsite version that wrote the output.
    pub version: String,
    /// Fingerprint of the inputs and build options (see [`fingerprint`]).
    pub site: String,
    /// Which share of the pages this output holds, for `build --shard I/N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardMark>,
}

/// `I/N` of a shard output, `index` counted from 1 as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardMark {
    /// 1-based share.
    pub index: usize,
    /// Number of shares.
    pub count: usize,
}

/// Why a folder's marker could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MarkerError {
    /// The folder has no `.ftlsite-output`.
    #[error("it has no {MARKER} file")]
    Missing,
    /// The file exists but is not an ftlsite marker.
    #[error("its {MARKER} is not an ftlsite marker: {0}")]
    Invalid(String),
    /// The file could not be read.
    #[error("its {MARKER} cannot be read: {0}")]
    Io(std::io::Error),
}

impl Marker {
    /// A marker for output built by this release from inputs with fingerprint `site`.
    pub fn new(site: String, shard: Option<ShardMark>) -> Marker {
        Marker {
            format: FORMAT,
            tool: "ftlsite".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            site,
            shard,
        }
    }

    /// The file's bytes: pretty JSON and a newline, the same for the same marker.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }

    /// Parses a marker file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Marker, MarkerError> {
        let marker: Marker =
            serde_json::from_slice(bytes).map_err(|e| MarkerError::Invalid(e.to_string()))?;
        if marker.tool != "ftlsite" {
            return Err(MarkerError::Invalid(format!(
                "written by `{}`, not ftlsite",
                marker.tool
            )));
        }
        Ok(marker)
    }

    /// Reads the marker at the root of `dir`. A symlink named like the marker does not count.
    pub fn read(dir: &Path) -> Result<Marker, MarkerError> {
        let path = dir.join(MARKER);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(MarkerError::Invalid("not a regular file".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(MarkerError::Missing),
            Err(e) => return Err(MarkerError::Io(e)),
        }
        let bytes = std::fs::read(&path).map_err(MarkerError::Io)?;
        Marker::parse(&bytes)
    }
}

/// A 64-bit fingerprint, as 16 lowercase hex digits, of named byte strings, with the page
/// fingerprints' length-prefixed SipHash-1-3 ([`crate::render::inputs`]): no two different
/// lists collide by concatenation. The build passes every site input (path and bytes) and its
/// options; shards with the same fingerprint were built from the same inputs in the same way.
pub fn fingerprint<'a>(items: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut hash = crate::render::inputs::Hash::new();
    for (name, bytes) in items {
        hash.str(name);
        hash.bytes(bytes);
    }
    format!("{:016x}", hash.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_and_is_stable() {
        let m = Marker::new(
            "0123456789abcdef".into(),
            Some(ShardMark { index: 2, count: 3 }),
        );
        let bytes = m.to_bytes();
        assert_eq!(bytes, m.clone().to_bytes());
        assert_eq!(Marker::parse(&bytes).unwrap(), m);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("{\n  \"format\": 1,\n"), "{text}");
        assert!(text.ends_with("}\n"));
        let full = Marker::new("0123456789abcdef".into(), None);
        assert!(!String::from_utf8(full.to_bytes())
            .unwrap()
            .contains("shard"));
    }

    #[test]
    fn foreign_or_broken_markers_are_refused() {
        assert!(matches!(
            Marker::parse(b"{\"format\":1,\"tool\":\"hugo\",\"version\":\"1\",\"site\":\"x\"}"),
            Err(MarkerError::Invalid(_))
        ));
        assert!(matches!(
            Marker::parse(b"not json"),
            Err(MarkerError::Invalid(_))
        ));
        // Newer layouts may add keys.
        assert!(Marker::parse(
            b"{\"format\":2,\"tool\":\"ftlsite\",\"version\":\"9\",\"site\":\"x\",\"new\":true}"
        )
        .is_ok());
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Marker::read(dir.path()),
            Err(MarkerError::Missing)
        ));
    }

    #[test]
    fn fingerprint_separates_names_from_values() {
        let a = fingerprint([("ab", b"c".as_slice())]);
        let b = fingerprint([("a", b"bc".as_slice())]);
        assert_ne!(a, b);
        assert_eq!(a, fingerprint([("ab", b"c".as_slice())]));
        assert_eq!(a.len(), 16);
    }
}
