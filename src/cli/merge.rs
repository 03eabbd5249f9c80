//! `ftlsite merge OUT SHARD_DIR...`: join the outputs of `build --shard I/N` into one tree.
//!
//! Every shard writes its share of the pages plus the files every shard shares (assets,
//! sitemap.xml, the root page), which are identical across shards. Merging is a union; a path
//! two shards wrote with different bytes means the shards came from different inputs, and is
//! an error rather than a silent pick.
//!
//! Only shard outputs are accepted: each folder must carry the `.ftlsite-output` marker of a
//! `build --shard I/N`, all with the same N and the same site fingerprint, every I from 1 to N
//! exactly once. A site folder or a full build given by mistake is refused before anything is
//! read, so its sources never end up in the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::ExitStatus;
use crate::output::{self, Marker, ShardMark, MARKER};

/// Arguments of `ftlsite merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged output folder; replaced as a whole only when the merge succeeds. A
    /// non-empty folder must be an earlier ftlsite output; a symlink is followed.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// The shard output folders, one per `build --shard I/N`.
    #[arg(value_name = "SHARD_DIR", required = true)]
    pub shards: Vec<PathBuf>,
    /// Replace OUT even when it is not empty and not an ftlsite output: everything in it is
    /// deleted.
    #[arg(long)]
    pub force: bool,
}

/// Why the shard folders cannot be merged, with the exit status it deserves.
fn refuse(status: ExitStatus, msg: String) -> anyhow::Result<ExitStatus> {
    eprintln!("error: {msg}; nothing was written");
    Ok(status)
}

/// Runs the merge.
pub fn run(args: &MergeArgs) -> anyhow::Result<ExitStatus> {
    if let Err(e) = output::interrupt::install() {
        eprintln!("warning: cannot watch for Ctrl-C ({e}); an interrupted merge leaves its staging folder for the next run to delete");
    }
    let mut marks: Vec<(&Path, String, ShardMark)> = Vec::new();
    for shard in &args.shards {
        if !shard.is_dir() {
            return refuse(
                ExitStatus::Error,
                format!("{} is not a folder", shard.display()),
            );
        }
        match Marker::read(shard) {
            Ok(Marker {
                site,
                shard: Some(mark),
                ..
            }) => marks.push((shard, site, mark)),
            Ok(_) => {
                return refuse(
                    ExitStatus::Error,
                    format!(
                        "{} is a full build, not a shard; merge takes the outputs of `ftlsite build --shard I/N`",
                        shard.display()
                    ),
                )
            }
            Err(reason) => {
                return refuse(
                    ExitStatus::Error,
                    format!(
                        "{} is not the output of `ftlsite build --shard I/N`: {reason}",
                        shard.display()
                    ),
                )
            }
        }
    }
    let site = match check_shards(&marks) {
        Ok(site) => site,
        Err((status, msg)) => return refuse(status, msg),
    };
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut from: BTreeMap<String, PathBuf> = BTreeMap::new();
    for shard in &args.shards {
        for entry in walkdir::WalkDir::new(shard).sort_by_file_name() {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(key) = crate::site::relative_key(shard, entry.path()) else {
                continue;
            };
            if key == MARKER {
                continue;
            }
            let bytes = std::fs::read(entry.path())?;
            match files.get(&key) {
                Some(existing) if *existing != bytes => {
                    let first = from
                        .get(&key)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    return refuse(
                        ExitStatus::Failure,
                        format!(
                            "{key} differs between shards {first} and {}; were they built from the same inputs?",
                            shard.display()
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    from.insert(key.clone(), shard.clone());
                    files.insert(key, bytes);
                }
            }
        }
    }
    let options = output::Options {
        marker: Marker::new(site, None),
        force: args.force,
    };
    match output::write(&files, &args.out, &options) {
        Ok(w) => {
            for folder in &w.swept {
                eprintln!(
                    "note: removed {}, left by an interrupted run",
                    folder.display()
                );
            }
            println!(
                "merged {} shard(s) into {} ({} files)",
                args.shards.len(),
                w.out.display(),
                w.files
            );
            Ok(ExitStatus::Success)
        }
        Err(e) => Ok(super::output_error(&e)),
    }
}

/// Checks that the shards are the N shares of one build: one N, one site fingerprint, every
/// index once. Returns the fingerprint.
fn check_shards(marks: &[(&Path, String, ShardMark)]) -> Result<String, (ExitStatus, String)> {
    let Some((first, site, mark)) = marks.first() else {
        return Err((ExitStatus::Error, "no shard folders given".into()));
    };
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for (dir, other_site, m) in marks {
        if m.count != mark.count {
            return Err((
                ExitStatus::Error,
                format!(
                    "{} is shard {}/{} but {} is shard {}/{}: shards of different splits cannot be merged",
                    first.display(),
                    mark.index,
                    mark.count,
                    dir.display(),
                    m.index,
                    m.count
                ),
            ));
        }
        if let Some(prev) = seen.insert(m.index, dir) {
            return Err((
                ExitStatus::Error,
                format!(
                    "{} and {} are both shard {}/{}",
                    prev.display(),
                    dir.display(),
                    m.index,
                    m.count
                ),
            ));
        }
        if other_site != site {
            return Err((
                ExitStatus::Failure,
                format!(
                    "{} and {} were built from different inputs or options (site fingerprints {site} and {other_site})",
                    first.display(),
                    dir.display()
                ),
            ));
        }
    }
    let missing: Vec<String> = (1..=mark.count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{}", mark.count))
        .collect();
    if !missing.is_empty() {
        return Err((
            ExitStatus::Error,
            format!(
                "shard(s) {} missing; merge needs all {} shards",
                missing.join(", "),
                mark.count
            ),
        ));
    }
    Ok(site.clone())
}
