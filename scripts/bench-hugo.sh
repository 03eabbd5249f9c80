#!/usr/bin/env bash
# Time `ftlsite build` against `hugo` on the same generated multilingual site.
#
# Usage: scripts/bench-hugo.sh
#   SIZES      page counts to measure (default "1000 5000 10000")
#   LOCALES    locales per site, source included (default 2: en-US + zh-CN)
#   MESSAGES   messages rendered per page, K (default 20; each catalog has K*50)
#   RUNS       timed runs per tool and size (default 5), after one untimed warm-up each
#   FTLSITE    ftlsite binary (default target/release/ftlsite; built with
#              `cargo build --release` when missing)
#   BEFORE     another ftlsite binary (an earlier build) to time in the same alternation, for
#              before/after tables; its output goes to WORK/out-before
#   (the I/O floor, examples/floor.rs, rewrites ftlsite's finished output after each pair of runs)
#   WORK       where the generated sites and outputs go (default /dev/shm/ftlsite-bench)
#
# For each size the two sites are generated once by examples/gen_site.rs (not timed). Then the
# runs alternate ftlsite, hugo, ftlsite, hugo, ... Each run is `/usr/bin/time -v` around
#   ftlsite build --site WORK/N/ftlsite --out WORK/out-ftlsite
#   hugo --quiet -s WORK/N/hugo -d WORK/out-hugo
# with the output folder deleted before the run (outside the timing). Wall time is measured
# around the `/usr/bin/time` process (finer than its 10 ms `Elapsed`), peak RSS is its
# "Maximum resident set size", CPU is its user+sys time.
#
# Prints, per size and tool: median wall seconds, pages/s (N*L / median), ms per page, median
# peak RSS in MiB, CPU/wall; and hugo/ftlsite per size. Reports only: no timed assertions.
# Exit status 0 after a run, 2 if hugo is not installed, 1 on any other failure (a build that
# fails or writes the wrong number of pages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if ! command -v hugo >/dev/null 2>&1; then
    echo "bench-hugo: hugo is not installed; install it with 'apt-get install -y hugo' (Debian)" >&2
    exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench-hugo: /usr/bin/time missing; installing the Debian 'time' package" >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi

ftlsite="${FTLSITE:-$root/target/release/ftlsite}"
if [[ ! -x "$ftlsite" ]]; then
    echo "bench-hugo: building $ftlsite (cargo build --release)" >&2
    (cd "$root" && cargo build --release --quiet)
fi

work="${WORK:-/dev/shm/ftlsite-bench}"
mkdir -p "$work"

# The generator is std-only: build it with cargo, or with plain rustc when the library does not
# compile at the moment (examples link the crate's library).
gen="$work/gen_site"
floor="$work/floor"
if (cd "$root" && cargo build --release --quiet --example gen_site --example floor 2>/dev/null); then
    gen="$root/target/release/examples/gen_site"
    floor="$root/target/release/examples/floor"
else
    echo "bench-hugo: cargo could not build the examples; compiling them with rustc" >&2
    rustc -O --edition 2021 "$root/examples/gen_site.rs" -o "$gen"
    rustc -O --edition 2021 "$root/examples/floor.rs" -o "$floor"
fi

SIZES="${SIZES:-1000 5000 10000}" LOCALES="${LOCALES:-2}" MESSAGES="${MESSAGES:-20}" \
RUNS="${RUNS:-5}" FTLSITE_BIN="$ftlsite" BEFORE_BIN="${BEFORE:-}" GEN="$gen" FLOOR="$floor" WORK="$work" python3 - <<'EOF'
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sizes = [int(s) for s in os.environ["SIZES"].split()]
L = int(os.environ["LOCALES"])
K = int(os.environ["MESSAGES"])
runs = int(os.environ["RUNS"])
ftl = os.environ["FTLSITE_BIN"]
gen = os.environ["GEN"]
floor = os.environ["FLOOR"]
work = os.environ["WORK"]
before = os.environ.get("BEFORE_BIN", "")


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001
        return f"? ({e})"


print(f"ftlsite: {ftl}  ({version([ftl, '--version'])})")
if before:
    print(f"before:  {before}  ({version([before, '--version'])})")
print(f"hugo:    {version(['hugo', 'version'])}")
print(f"nproc {os.cpu_count()}, L={L} locales, K={K} messages/page, {runs} runs (+1 warm-up) per tool")


def timed(cmd, out):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"bench-hugo: command failed ({p.returncode}): {' '.join(cmd)}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", p.stderr).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", p.stderr).group(1))
    return wall, rss / 1024.0, user + sys_


def count_pages(tool, out):
    if tool in ("ftlsite", "before"):
        return len(glob.glob(os.path.join(out, "*", "pages", "*.html")))
    return len(glob.glob(os.path.join(out, "*", "pages", "*", "index.html")))


rows = []
floor_by_n = {}
for n in sizes:
    d = os.path.join(work, str(n))
    subprocess.run([gen, "--pages", str(n), "--locales", str(L), "--messages", str(K), "--out", d],
                   check=True, stdout=subprocess.DEVNULL)
    cmds = {
        "ftlsite": ([ftl, "build", "--site", os.path.join(d, "ftlsite"), "--out", os.path.join(work, "out-ftlsite")],
                    os.path.join(work, "out-ftlsite")),
        "hugo": (["hugo", "--quiet", "-s", os.path.join(d, "hugo"), "-d", os.path.join(work, "out-hugo")],
                 os.path.join(work, "out-hugo")),
    }
    if before:
        cmds["before"] = ([before, "build", "--site", os.path.join(d, "ftlsite"), "--out",
                           os.path.join(work, "out-before")], os.path.join(work, "out-before"))
    # Untimed warm-up (page cache, Hugo's resources/), and a check of what each tool wrote.
    for tool, (cmd, out) in cmds.items():
        timed(cmd, out)
        got = count_pages(tool, out)
        if got != n * L:
            sys.exit(f"bench-hugo: {tool} wrote {got} pages for N={n}, expected {n * L}")
    res = {t: [] for t in cmds}
    floors = []
    for _ in range(runs):
        for tool, (cmd, out) in cmds.items():
            res[tool].append(timed(cmd, out))
        # The I/O floor: the same bytes to the same paths, from ftlsite's finished output.
        p = subprocess.run([floor, cmds["ftlsite"][1], os.path.join(work, "out-floor"), "--runs", "1"],
                           capture_output=True, text=True, check=True)
        floors.append(float(re.search(r"median ([\d.]+) ms", p.stdout).group(1)) / 1000.0)
    shutil.rmtree(os.path.join(work, "out-floor"), ignore_errors=True)
    floor_by_n[n] = statistics.median(floors)
    print(f"  N={n:>6} floor    runs: " + " ".join(f"{f:.3f}s" for f in floors), flush=True)
    for tool in cmds:
        wall = statistics.median(r[0] for r in res[tool])
        rss = statistics.median(r[1] for r in res[tool])
        cpu = statistics.median(r[2] for r in res[tool])
        rows.append((n, tool, wall, n * L / wall, wall * 1000 / (n * L), rss, cpu / wall,
                     min(r[0] for r in res[tool]), max(r[0] for r in res[tool])))
        print(f"  N={n:>6} {tool:<8} runs: " + " ".join(f"{r[0]:.3f}s/{r[1]:.0f}MiB" for r in res[tool]),
              flush=True)

print()
print(f"Pages = N x {L} locales; median of {runs} runs; ms/page = median / pages.")
print()
print("| N | tool | median s | min-max s | pages/s | ms/page | peak RSS MiB | CPU/wall |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
for n, tool, wall, pps, mspp, rss, par, lo, hi in rows:
    print(f"| {n} | {tool} | {wall:.3f} | {lo:.3f}-{hi:.3f} | {pps:,.0f} | {mspp:.3f} | {rss:.0f} | {par:.2f} |")


def row(n, tool):
    return next(r for r in rows if r[0] == n and r[1] == tool)


print()
print("| N | hugo/ftlsite (time) | hugo/ftlsite (peak RSS) | I/O floor s | ftlsite/floor |")
print("|---:|---:|---:|---:|---:|")
for n in sizes:
    f, h = row(n, "ftlsite"), row(n, "hugo")
    print(f"| {n} | {h[2] / f[2]:.2f}x | {h[5] / f[5]:.2f}x | {floor_by_n[n]:.3f} | {f[2] / floor_by_n[n]:.2f}x |")
if before:
    print()
    print("| N | before s | after s | before/after (time) | before/after (peak RSS) |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        f, b = row(n, "ftlsite"), row(n, "before")
        print(f"| {n} | {b[2]:.3f} | {f[2]:.3f} | {b[2] / f[2]:.2f}x | {b[5] / f[5]:.2f}x |")
EOF
