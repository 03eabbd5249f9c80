//! `ftlsite merge OUT SHARD_DIR...`: join the outputs of `build --shard I/N` into one tree.
//!
//! Every shard writes its share of the pages plus the files every shard shares (assets,
//! sitemap.xml, the root page), which are identical across shards. Merging is a union; a path
//! two shards wrote with different bytes means the shards came from different inputs, and is
//! an error rather than a silent pick.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use super::ExitStatus;
use crate::output;

/// Arguments of `ftlsite merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged output folder; replaced as a whole only when the merge succeeds.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// The shard output folders.
    #[arg(value_name = "SHARD_DIR", required = true)]
    pub shards: Vec<PathBuf>,
}

/// Runs the merge.
pub fn run(args: &MergeArgs) -> anyhow::Result<ExitStatus> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut from: BTreeMap<String, PathBuf> = BTreeMap::new();
    for shard in &args.shards {
        if !shard.is_dir() {
            eprintln!("error: {} is not a folder", shard.display());
            return Ok(ExitStatus::Error);
        }
        for entry in walkdir::WalkDir::new(shard).sort_by_file_name() {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(key) = crate::site::relative_key(shard, entry.path()) else {
                continue;
            };
            let bytes = std::fs::read(entry.path())?;
            match files.get(&key) {
                Some(existing) if *existing != bytes => {
                    let first = from
                        .get(&key)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    eprintln!(
                        "error: {key} differs between shards {first} and {}; were they built from the same inputs?",
                        shard.display()
                    );
                    return Ok(ExitStatus::Failure);
                }
                Some(_) => {}
                None => {
                    from.insert(key.clone(), shard.clone());
                    files.insert(key, bytes);
                }
            }
        }
    }
    match output::write(&files, &args.out) {
        Ok(w) => {
            println!(
                "merged {} shard(s) into {} ({} files)",
                args.shards.len(),
                w.out.display(),
                w.files
            );
            Ok(ExitStatus::Success)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitStatus::Error)
        }
    }
}
