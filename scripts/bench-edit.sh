#!/usr/bin/env bash
# Save-to-reload latency of the in-context editor: copy the shipped site to a temp dir, run
# `ftlsite serve --edit` on a free port, listen on the SSE endpoint as an open page does, then
# RUNS times save a new text for a message through the editor's API (POST
# /__ftlsite/edit/save, as the panel sends it) and time until the save is answered, until the
# reload event arrives, and until the page serves the new text. Prints each run and the medians.
# Usage: scripts/bench-edit.sh [path/to/ftlsite]   (default: target/release/ftlsite, built if needed)
# Environment: RUNS (default 21), KEY (default privacy-intro-integral), LOCALE (default zh-CN).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/ftlsite}
if [ -z "${1:-}" ]; then cargo build --release --quiet; fi
exec python3 - "$BIN" <<'PY'
import json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

bin_ = os.path.abspath(sys.argv[1])
runs = int(os.environ.get("RUNS", "21"))
key = os.environ.get("KEY", "privacy-intro-integral")
locale = os.environ.get("LOCALE", "zh-CN")
page_path = f"/{locale}/privacy/default.html"
tmp = tempfile.mkdtemp(prefix="ftlsite-bench-edit-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
for entry in ["site.toml", "l10n.lock", "glossary.toml", "activation.lock", "locales", "templates", "assets"]:
    if os.path.isdir(entry):
        shutil.copytree(entry, os.path.join(tmp, entry))
    elif os.path.isfile(entry):
        shutil.copy(entry, tmp)
proc = subprocess.Popen([bin_, "serve", "--site", tmp, "--port", "0", "--edit"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    line = proc.stdout.readline().strip()
    assert line.startswith("serving http://127.0.0.1:"), line
    port = int(line.rsplit(":", 1)[1].strip("/"))
    base = f"http://127.0.0.1:{port}"
    html = urllib.request.urlopen(base + page_path).read().decode("utf-8")
    token = re.search(r'var TOKEN = "([0-9a-f]+)"', html).group(1)
    headers = {"X-Ftlsite-Token": token, "Origin": base}

    def call(method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        h = dict(headers, **({"Content-Type": "application/json"} if data else {}))
        req = urllib.request.Request(base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    status, info = call("GET", f"/__ftlsite/edit/entry?locale={locale}&id={key}")
    assert status == 200, info
    file_hash = info["file"]["hash"]
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /__ftlsite/events?v=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(4096)
    samples = []
    for run in range(runs):
        time.sleep(0.3)  # let the folder watch report the previous write
        marker = f"隐私是核心{run}号"
        buf = b""
        start = time.perf_counter()
        status, answer = call("POST", "/__ftlsite/edit/save",
                              {"locale": locale, "id": key, "value": marker, "hash": file_hash})
        saved = time.perf_counter()
        assert status == 200 and answer["saved"], answer
        file_hash = answer["hash"]
        while b"event: reload" not in buf:
            buf += sock.recv(4096)
        event = time.perf_counter()
        while marker not in urllib.request.urlopen(base + page_path).read().decode("utf-8"):
            pass
        done = time.perf_counter()
        samples.append((saved - start, event - start, done - start))
        print(f"run {run + 1:2}: saved {1000 * (saved - start):6.1f} ms, reload event {1000 * (event - start):6.1f} ms, new text served {1000 * (done - start):6.1f} ms")
    med = [statistics.median(s[i] for s in samples) * 1000 for i in range(3)]
    print(f"median of {runs}: saved {med[0]:.1f} ms, reload event {med[1]:.1f} ms, new text served {med[2]:.1f} ms (target < 200 ms)")
finally:
    proc.terminate()
    proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
PY
