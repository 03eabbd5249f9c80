#!/usr/bin/env bash
# Time `ftlsite build` cold, as a no-op rebuild, and after a one-message edit.
#
# Usage: scripts/bench-incremental.sh
#   PAGES      pages per locale (default 10000)
#   LOCALES    locales, source included (default 2)
#   MESSAGES   messages rendered per page (default 20)
#   RUNS       timed runs of each kind (default 5), after one untimed warm-up build
#   FTLSITE    ftlsite binary (default target/release/ftlsite, built when missing)
#   WORK       where the site and output go (default /dev/shm/ftlsite-incremental)
#
# The site is generated once by examples/gen_site.rs. Each round runs, in this order:
#   cold:     the output deleted (outside the timing), then `ftlsite build`
#   no-op:    `ftlsite build` again over that output, nothing changed
#   message:  one message of the source locale edited (alternately two texts), then a build
# and the medians of each kind are printed with the ratio to cold and the summary line's
# counts of the last run. Reports only: no timed assertions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
ftlsite="${FTLSITE:-$root/target/release/ftlsite}"
if [[ ! -x "$ftlsite" ]]; then
    (cd "$root" && cargo build --release --quiet --bin ftlsite)
fi
work="${WORK:-/dev/shm/ftlsite-incremental}"
pages="${PAGES:-10000}"
mkdir -p "$work"
(cd "$root" && cargo run --release --quiet --example gen_site -- --pages "$pages" \
    --locales "${LOCALES:-2}" --messages "${MESSAGES:-20}" --out "$work/gen" >/dev/null)

FTLSITE_BIN="$ftlsite" WORK="$work" RUNS="${RUNS:-5}" python3 - <<'PY'
import os, re, shutil, statistics, subprocess, time

ftl, work, runs = os.environ["FTLSITE_BIN"], os.environ["WORK"], int(os.environ["RUNS"])
site, out = os.path.join(work, "gen", "ftlsite"), os.path.join(work, "out")
ftl_file = os.path.join(site, "locales", "en-US", "messages.ftl")
original = open(ftl_file, encoding="utf-8").read()
# One message of the source locale, rendered by some of the pages.
line = re.search(r"^msg-00007 = .*$", original, re.M).group(0)


def build():
    start = time.perf_counter()
    p = subprocess.run([ftl, "build", "--site", site, "--out", out], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"build failed:\n{p.stdout}{p.stderr}")
    return wall, [l for l in p.stdout.splitlines() if l.startswith("built ")][-1]


times = {"cold": [], "no-op": [], "message": []}
lines = {}
try:
    shutil.rmtree(out, ignore_errors=True)
    build()
    for r in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        times["cold"].append(build()[0])
        t, lines["no-op"] = build(); times["no-op"].append(t)
        edited = original.replace(line, f"{line} (edit {r})", 1)
        open(ftl_file, "w", encoding="utf-8").write(edited)
        t, lines["message"] = build(); times["message"].append(t)
        open(ftl_file, "w", encoding="utf-8").write(original)
        build()  # back to the original text, untimed
finally:
    open(ftl_file, "w", encoding="utf-8").write(original)

cold = statistics.median(times["cold"])
print(f"ftlsite {subprocess.run([ftl, '--version'], capture_output=True, text=True).stdout.strip()}, "
      f"{runs} runs each, medians; edited message: {line.split(' = ')[0]}")
print(f"{'build':<10} {'median s':>9} {'/ cold':>7}  runs")
for kind, ts in times.items():
    m = statistics.median(ts)
    print(f"{kind:<10} {m:>9.2f} {m / cold:>7.2f}  " + " ".join(f"{t:.2f}" for t in ts))
for kind in ("no-op", "message"):
    print(f"{kind}: {lines[kind]}")
PY
