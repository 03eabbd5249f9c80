#!/usr/bin/env bash
# Time `ftlsite check` against Mozilla's compare-locales on the same corpus.
#
# Usage: scripts/bench-check.sh [CORPUS_DIR]
#   CORPUS_DIR  locales dir holding en/ and each of LOCALES (default: ../shared/corpus/www-l10n
#               if it exists, else tests/fixtures/www-l10n)
#   LOCALES     the localizations checked, space-separated (default "zh-CN"). Both tools
#               check all of them in one run. The 5-locale corpus of docs/performance.md is
#               mozilla-l10n/www-l10n at commit 442e139499cbf67e31cf7155ea4bdd4a69cfd87e:
#                 git clone https://github.com/mozilla-l10n/www-l10n && cd www-l10n &&
#                 git archive 442e139499cbf67e31cf7155ea4bdd4a69cfd87e en de fr es-ES ja zh-CN LICENSE |
#                   tar -x -C /dev/shm/www5
#               then: LOCALES="de fr es-ES ja zh-CN" scripts/bench-check.sh /dev/shm/www5
#   FTLSITE     ftlsite binary (default: target/release/ftlsite; build it with
#               `cargo build --release`)
#   BEFORE      another ftlsite binary (an earlier build), timed in the same run for
#               before/after tables
#   CL_RUNS, FTLSITE_RUNS  timed runs (default 5 and 11), after one untimed warm-up each
#
# Prints the median wall time of each tool in ms, entries per second (entries =
# messages + terms of the reference and the localization, the entries both tools
# parse) and the ratio. Reports only: there are no timed assertions. Exit status
# 0 after a run, 2 if the ftlsite binary, compare-locales or the corpus is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [[ $# -ge 1 ]]; then
    corpus="$1"
elif [[ -d "$root/../shared/corpus/www-l10n" ]]; then
    corpus="$root/../shared/corpus/www-l10n"
else
    corpus="$root/tests/fixtures/www-l10n"
fi
locales="${LOCALES:-zh-CN}"
for l in en $locales; do
    if [[ ! -d "$corpus/$l" ]]; then
        echo "bench-check: no $l/ under corpus dir $corpus" >&2
        exit 2
    fi
done
corpus="$(cd "$corpus" && pwd)"

ftlsite="${FTLSITE:-$root/target/release/ftlsite}"
if [[ ! -x "$ftlsite" ]]; then
    echo "bench-check: ftlsite binary not found at $ftlsite" >&2
    echo "  build it first with 'cargo build --release' (or set FTLSITE=/path/to/ftlsite)" >&2
    exit 2
fi
if ! command -v compare-locales >/dev/null 2>&1; then
    echo "bench-check: compare-locales not found (pip install 'compare-locales>=9,<10')" >&2
    exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# compare-locales resolves basepath against the config file's folder.
# compare-locales only checks locales its config lists: the list is replaced by LOCALES.
python3 - "$here/compare-locales.toml" "$corpus" $locales >"$tmp/l10n.toml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r'(?m)^basepath = .*$', 'basepath = "%s"' % sys.argv[2], text)
listed = "".join('    "%s",\n' % l for l in sys.argv[3:])
text = re.sub(r'(?ms)^locales = \[\n.*?^\]', "locales = [\n%s]" % listed, text)
sys.stdout.write(text)
PY

BEFORE="${BEFORE:-}" LOCALES="$locales" CORPUS="$corpus" FTLSITE_BIN="$ftlsite" CL_TOML="$tmp/l10n.toml" TMPD="$tmp" \
CL_RUNS="${CL_RUNS:-5}" FTLSITE_RUNS="${FTLSITE_RUNS:-11}" python3 - <<'EOF'
import os
import statistics
import subprocess
import sys
import time

from fluent.syntax import ast as ftl, parse

corpus = os.environ["CORPUS"]
tmp = os.environ["TMPD"]
cl_runs = int(os.environ["CL_RUNS"])
ft_runs = int(os.environ["FTLSITE_RUNS"])


def count_entries(locale_dir):
    n = 0
    for d, _, files in os.walk(locale_dir):
        for f in files:
            if f.endswith(".ftl"):
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    body = parse(fh.read(), with_spans=False).body
                n += sum(isinstance(e, (ftl.Message, ftl.Term)) for e in body)
    return n


locales = os.environ["LOCALES"].split()
n_ref = count_entries(os.path.join(corpus, "en"))
n_l10n = {l: count_entries(os.path.join(corpus, l)) for l in locales}
entries = n_ref + sum(n_l10n.values())

cl_cmd = ["compare-locales", "--return-zero", "--json", os.path.join(tmp, "cl.json"),
          os.environ["CL_TOML"], corpus] + locales
ft_cmd = [os.environ["FTLSITE_BIN"], "check", "--locales-dir", corpus,
          "--source-locale", "en"] + [a for l in locales for a in ("--locale", l)] + [
          "--format", "json"]


def bench(name, cmd, runs, ok_codes):
    # one untimed warm-up run, which also checks that the command works
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in ok_codes:
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
        sys.exit("bench-check: %s exited %d: %s" % (name, p.returncode, " ".join(cmd)))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print("%-16s median %9.1f ms  (min %.1f, max %.1f, %d runs)  %10.0f entries/s"
          % (name, med * 1e3, min(times) * 1e3, max(times) * 1e3, runs, entries / med))
    return med


print("corpus: %s" % corpus)
print("entries: %d (en %d + %s messages and terms)"
      % (entries, n_ref, " + ".join("%s %d" % kv for kv in n_l10n.items())))
cl = bench("compare-locales", cl_cmd, cl_runs, (0,))
# `ftlsite check` exits 1 when it finds errors (the corpus has missing files)
ft = bench("ftlsite check", ft_cmd, ft_runs, (0, 1))
print("ratio: ftlsite check is %.1fx %s than compare-locales (median wall time)"
      % ((cl / ft, "faster") if ft <= cl else (ft / cl, "slower")))
if os.environ["BEFORE"]:
    before = bench("ftlsite before", [os.environ["BEFORE"]] + ft_cmd[1:], ft_runs, (0, 1))
    print("ratio: the before binary is %.1fx faster than compare-locales; after/before %.2f"
          % (cl / before, ft / before))
EOF
