#!/usr/bin/env bash
# Save-to-reload latency of `ftlsite serve`: copy the shipped site to a temp dir, serve it on a
# free port, listen on the SSE endpoint, then 11 times change a message in locales/zh-CN/*.ftl
# and time until the reload event arrives and the page serves the new text. Prints the median.
# Usage: scripts/bench-serve.sh [path/to/ftlsite]   (default: target/release/ftlsite, built if needed)
# Another site: SITE_DIR=DIR PAGE=/zh-CN/pages/00000.html FTL=locales/zh-CN/messages.ftl \
#   KEY=msg-00000 scripts/bench-serve.sh  (e.g. a site written by examples/gen_site.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/ftlsite}
if [ -z "${1:-}" ]; then cargo build --release --quiet; fi
exec python3 - "$BIN" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

bin_ = os.path.abspath(sys.argv[1])
src = os.environ.get("SITE_DIR", ".")
page_path = os.environ.get("PAGE", "/zh-CN/privacy/default.html")
ftl_rel = os.environ.get("FTL", "locales/zh-CN/privacy.ftl")
key = os.environ.get("KEY", "privacy-hero-title")
tmp = tempfile.mkdtemp(prefix="ftlsite-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
for entry in ["site.toml", "glossary.toml", "activation.lock", "locales", "templates", "assets", "pages"]:
    path = os.path.join(src, entry)
    if os.path.isdir(path):
        shutil.copytree(path, os.path.join(tmp, entry))
    elif os.path.isfile(path):
        shutil.copy(path, tmp)
proc = subprocess.Popen([bin_, "serve", "--site", tmp, "--port", "0"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    line = proc.stdout.readline().strip()
    assert line.startswith("serving http://127.0.0.1:"), line
    port = int(line.rsplit(":", 1)[1].strip("/"))
    page = f"http://127.0.0.1:{port}{page_path}"
    urllib.request.urlopen(page).read()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /__ftlsite/events?v=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(4096)
    ftl = os.path.join(tmp, ftl_rel)
    original = open(ftl, encoding="utf-8").read()
    lines = original.splitlines()
    idx = next(i for i, l in enumerate(lines) if l.startswith(key + " = "))
    samples = []
    for run in range(int(os.environ.get("RUNS", "15"))):
        time.sleep(0.3)  # let the previous burst settle
        marker = f"隐私{run}基准"
        lines[idx] = f"{key} = {marker}"
        buf = b""
        start = time.perf_counter()
        with open(ftl, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        while b"event: reload" not in buf:
            buf += sock.recv(4096)
        got_event = time.perf_counter()
        while marker not in urllib.request.urlopen(page).read().decode("utf-8"):
            pass
        done = time.perf_counter()
        samples.append((got_event - start, done - start))
        print(f"run {run + 1:2}: reload event {1000 * (got_event - start):6.1f} ms, new page {1000 * (done - start):6.1f} ms")
    med_event = statistics.median(s[0] for s in samples) * 1000
    med_page = statistics.median(s[1] for s in samples) * 1000
    print(f"median: reload event {med_event:.1f} ms, new page served {med_page:.1f} ms (target < 200 ms)")
finally:
    proc.terminate()
    proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
PY
