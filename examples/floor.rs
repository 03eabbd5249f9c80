//! The I/O floor of a build: writes the files of a finished build again, the same bytes to
//! the same paths, with nothing else to do. `ftlsite build`'s wall time divided by this
//! program's is how far the build is from what the file system allows.
//!
//! ```sh
//! cargo run --release --example floor -- FINISHED_OUTPUT NEW_DIR [--runs N] [--threads N]
//! ```
//!
//! The files are read into memory first (not timed). Each run deletes `NEW_DIR`, then times:
//! creating every folder (parents first, each once), and writing every file with one
//! `std::fs::write` on as many threads as `ftlsite build` uses (rayon's default: one per
//! core), files dealt round-robin in path order. Prints each run's milliseconds and the
//! median.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut runs = 5usize;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--threads" => threads = it.next().and_then(|v| v.parse().ok()).unwrap_or(threads),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [from, to] = positional.as_slice() else {
        eprintln!("usage: floor FINISHED_OUTPUT NEW_DIR [--runs N] [--threads N]");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(from, Path::new(""), &mut files);
    files.sort();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .flat_map(|(p, _)| p.ancestors().skip(1).map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    dirs.sort();
    dirs.dedup();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "{} files, {} folders, {:.1} MiB, {threads} thread(s)",
        files.len(),
        dirs.len(),
        bytes as f64 / 1048576.0
    );
    let mut times = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(to);
        let start = Instant::now();
        std::fs::create_dir(to).expect("create the output folder");
        for d in &dirs {
            // Parents come first in sorted order, so each folder is one mkdir.
            std::fs::create_dir(to.join(d)).expect("create a folder");
        }
        std::thread::scope(|s| {
            for k in 0..threads {
                let files = &files;
                s.spawn(move || {
                    for (path, data) in files.iter().skip(k).step_by(threads) {
                        std::fs::write(to.join(path), data).expect("write a file");
                    }
                });
            }
        });
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("{ms:.1} ms");
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!("median {:.1} ms over {runs} run(s)", times[times.len() / 2]);
}

/// Every regular file under `root/rel`, with its path relative to `root` and its bytes.
fn collect(root: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let dir = std::fs::read_dir(root.join(rel)).expect("read the finished output");
    for entry in dir.flatten() {
        let path = rel.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            collect(root, &path, out);
        } else if kind.is_file() {
            out.push((
                path.clone(),
                std::fs::read(root.join(&path)).expect("read a file"),
            ));
        }
    }
}
