#!/usr/bin/env bash
# Count the instructions one cold build executes, for each of several ftlsite binaries, under
# valgrind's cachegrind (no cache simulation). The count does not depend on what else the
# machine is doing, so it tells a 2% change apart where wall-clock medians on a shared machine
# cannot; it does not see cache misses, page faults or waiting, so it complements the timed
# benchmarks (bench-hugo.sh) and does not replace them.
#
# Usage: scripts/bench-instructions.sh BINARY [BINARY ...]
#   PAGES      pages per locale of the generated site (default 1000; 10000 takes about a
#              minute per binary under valgrind)
#   WORK       where the generated site and the outputs go (default /dev/shm/ftlsite-instr)
#
# Prints, per binary, the instructions executed (valgrind's "I refs") and the ratio to the
# first binary. Exit status 0 after a run, 2 if valgrind is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [[ $# -lt 1 ]]; then
    echo "usage: scripts/bench-instructions.sh BINARY [BINARY ...]" >&2
    exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench-instructions: valgrind is not installed ('apt-get install -y valgrind')" >&2
    exit 2
fi

pages="${PAGES:-1000}"
work="${WORK:-/dev/shm/ftlsite-instr}"
mkdir -p "$work"
(cd "$root" && cargo build --release --quiet --example gen_site)
site="$work/$pages"
if [[ ! -d "$site/ftlsite" ]]; then
    "$root/target/release/examples/gen_site" --pages "$pages" --locales 2 --messages 20 \
        --out "$site" >/dev/null
fi

first=""
for bin in "$@"; do
    out="$work/out"
    rm -rf "$out"
    refs="$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" build --site "$site/ftlsite" --out "$out" 2>&1 >/dev/null |
        sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,)"
    if [[ -z "$refs" ]]; then
        echo "bench-instructions: no count for $bin" >&2
        exit 1
    fi
    first="${first:-$refs}"
    awk -v b="$bin" -v r="$refs" -v f="$first" \
        'BEGIN { printf "%-40s %15.0f instructions  %.3f of the first\n", b, r, r / f }'
done
rm -rf "$work/out"
