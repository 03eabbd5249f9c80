#!/usr/bin/env bash
# Compare `ftlsite check` with Mozilla's compare-locales on a Fluent corpus.
#
# Usage: scripts/compare-corpus.sh [CORPUS_DIR]
#   CORPUS_DIR  locales dir holding en/ and zh-CN/ (default: tests/fixtures/www-l10n)
#   FTLSITE     ftlsite binary (default: target/release/ftlsite)
#
# Needs python3 and compare-locales 9.x (pip install 'compare-locales>=9,<10').
# Runs compare-locales (config scripts/compare-locales.toml) and
# `ftlsite check --format json` for zh-CN against en, then compares per file the
# sets of missing and obsolete entry ids (scripts/compare_corpus.py).
#
# Exit status: 0 the sets agree, 1 they differ, 2 a tool is missing or failed
# (when only the ftlsite binary is missing, compare-locales' results are
# still printed first).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

corpus="${1:-$root/tests/fixtures/www-l10n}"
if [[ ! -d "$corpus" ]]; then
    echo "compare-corpus: corpus dir not found: $corpus" >&2
    exit 2
fi
corpus="$(cd "$corpus" && pwd)"
ftlsite="${FTLSITE:-$root/target/release/ftlsite}"
source_locale=en
locale=zh-CN

if ! command -v compare-locales >/dev/null 2>&1; then
    echo "compare-corpus: compare-locales not found (pip install 'compare-locales>=9,<10')" >&2
    exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# compare-locales resolves basepath against the config file's folder: use a
# copy whose basepath is the corpus, and the corpus as l10n-base-dir.
sed "s|^basepath = .*|basepath = \"$corpus\"|" "$here/compare-locales.toml" >"$tmp/l10n.toml"

echo "compare-locales $(compare-locales --version 2>&1 | awk '{print $NF}') on $corpus ($locale vs $source_locale)"
if ! compare-locales --return-zero --json "$tmp/cl.json" "$tmp/l10n.toml" "$corpus" "$locale" \
    >"$tmp/cl.out" 2>&1 || [[ ! -s "$tmp/cl.json" ]]; then
    cat "$tmp/cl.out" >&2
    echo "compare-corpus: compare-locales failed" >&2
    exit 2
fi

if [[ ! -x "$ftlsite" ]]; then
    python3 "$here/compare_corpus.py" --corpus "$corpus" \
        --source-locale "$source_locale" --locale "$locale" --cl-json "$tmp/cl.json" || true
    echo "compare-corpus: ftlsite binary not found at $ftlsite" >&2
    echo "  build it with 'cargo build --release' or set FTLSITE=/path/to/ftlsite" >&2
    exit 2
fi

echo "ftlsite: $ftlsite"
set +e
"$ftlsite" check --locales-dir "$corpus" --source-locale "$source_locale" \
    --locale "$locale" --format json >"$tmp/ftlsite.json" 2>"$tmp/ftlsite.err"
rc=$?
set -e
# `check` exits non-zero when it finds errors; only a run without JSON is a failure.
if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/ftlsite.json" 2>/dev/null; then
    cat "$tmp/ftlsite.err" >&2
    head -c 2000 "$tmp/ftlsite.json" >&2
    echo "compare-corpus: ftlsite check (exit $rc) did not print JSON" >&2
    exit 2
fi

set +e
python3 "$here/compare_corpus.py" --corpus "$corpus" \
    --source-locale "$source_locale" --locale "$locale" \
    --cl-json "$tmp/cl.json" --ftlsite-json "$tmp/ftlsite.json"
exit $?
