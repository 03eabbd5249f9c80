#!/usr/bin/env python3
"""How `ftlsite check` scales with the size of one file.

Usage: scripts/bench-scale.py [--runs N] [--sizes 5000,10000,20000,40000] [--variants 100000]

Generates, in a temp dir, bare Fluent trees whose source locale (en) has one file with N messages
and whose target (zh-CN) has the same file empty, so every message is one E201 diagnostic in that
one file; and a tree with one message whose select has V variants. Times the release binary
(FTLSITE, default target/release/ftlsite; build it with `cargo build --release`) with
`--format json` and with the default text format, and the vendored mozilla.org corpus
(tests/fixtures/www-l10n). Prints the median wall time of N runs (after one warm-up) in ms and,
for the sizes, the ratio of each time to the smallest size's (linear growth from 5k to 40k is
8x). Reports only; there are no thresholds.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree(dir_, source, target):
    for locale, text in (("en", source), ("zh-CN", target)):
        os.makedirs(os.path.join(dir_, locale), exist_ok=True)
        with open(os.path.join(dir_, locale, "main.ftl"), "w", encoding="utf-8") as f:
            f.write(text)


def median_ms(cmd, runs):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="5000,10000,20000,40000")
    ap.add_argument("--variants", type=int, default=100000)
    args = ap.parse_args()
    ftlsite = os.environ.get("FTLSITE", os.path.join(ROOT, "target", "release", "ftlsite"))
    if not os.access(ftlsite, os.X_OK):
        print(f"bench-scale: no ftlsite binary at {ftlsite}; run `cargo build --release`", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'case':<28} {'json ms':>10} {'text ms':>10} {'json x':>8} {'text x':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        base = None
        for n in sizes:
            d = os.path.join(tmp, f"n{n}")
            source = "".join(f"message-{i} = Text of message number {i}.\n" for i in range(n))
            tree(d, source, "")
            check = [ftlsite, "check", "--locales-dir", d, "--source-locale", "en"]
            j = median_ms(check + ["--format", "json"], args.runs)
            t = median_ms(check, args.runs)
            base = base or (j, t)
            print(f"{n:>6} messages, one file    {j:>10.0f} {t:>10.0f} {j / base[0]:>7.2f}x {t / base[1]:>7.2f}x")
        d = os.path.join(tmp, "variants")
        keys = "".join(f"    [v{i}] Variant {i}\n" for i in range(args.variants))
        sel = f"m = {{ $k ->\n{keys}   *[other] Other\n}}\n"
        tree(d, sel, sel.replace("Variant", "变体"))
        check = [ftlsite, "check", "--locales-dir", d, "--source-locale", "en"]
        j = median_ms(check + ["--format", "json"], args.runs)
        t = median_ms(check, args.runs)
        print(f"{args.variants:>6} variants, one select {j:>10.0f} {t:>10.0f}")
        corpus = os.path.join(ROOT, "tests", "fixtures", "www-l10n")
        check = [ftlsite, "check", "--locales-dir", corpus, "--source-locale", "en"]
        j = median_ms(check + ["--format", "json"], args.runs)
        t = median_ms(check, args.runs)
        print(f"{'mozilla.org en + zh-CN':<28} {j:>10.0f} {t:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
