#!/usr/bin/env python3
"""Replays the connection- and login-level attacks of docs/security.md against
a running server and prints what each got, as JSON lines:

  bench/attack_probe.py --port P --data-dir D [--pid PID] [probe ...]

Probes: silent (idle sockets from one address), upload (anonymous uploads
that push their bodies), body408 (a body that never comes), logins (wrong
logins from many addresses while a trainee reads). --data-dir is the
server's data.dir (the demo trainee's password is read from it); --pid
enables the RSS measurement of the upload probe. Run it against a release
build started with bench-like limits (see docs/security.md)."""

import argparse
import json
import socket
import statistics
import threading
import time
import urllib.request


def connect(port, source="127.0.0.1", timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_all(s, limit=1 << 20):
    out = b""
    try:
        while len(out) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    return out


def request(port, method, path, body=None, token=None, timeout=30.0):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=body.encode() if body is not None else None)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - start
    except OSError as e:
        return None, str(e).encode(), time.monotonic() - start


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def probe_silent(args):
    opened, refused, failed = [], 0, 0
    for _ in range(args.silent):
        try:
            opened.append(connect(args.port, "127.0.0.50", timeout=2.0))
        except OSError:
            failed += 1
    time.sleep(1.0)  # a refused connection has its 503 by now
    held = []
    for s in opened:
        s.settimeout(0.01)
        try:
            if s.recv(64).startswith(b"HTTP/1.1 503"):
                refused += 1
                s.close()
                continue
        except socket.timeout:
            pass
        except OSError:
            pass
        held.append(s)
    status, _, seconds = request(args.port, "GET", "/healthz", timeout=10)
    start = time.monotonic()
    closed = 0
    for s in held:
        s.settimeout(max(0.0, 65 - (time.monotonic() - start)))
        try:
            if s.recv(1) == b"":
                closed += 1
        except OSError:
            pass
    waited = time.monotonic() - start
    for s in held:
        s.close()
    return {"probe": "silent", "opened": args.silent, "held": len(held), "refused_503": refused,
            "connect_failed": failed, "healthz_status": status, "healthz_ms": round(seconds * 1000, 1),
            "held_closed_by_server": closed, "seconds_until_all_closed": round(waited, 1)}


def probe_upload(args):
    before = rss_kib(args.pid) if args.pid else None
    peak = [before or 0]
    statuses = []
    lock = threading.Lock()
    head = (b"POST /api/v1/knowledge/documents HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 67108864\r\n\r\n")
    chunk = b"x" * (1 << 20)

    def client(i):
        status = None
        try:
            s = connect(args.port, f"127.0.1.{i + 1}", timeout=30.0)
            s.sendall(head)
            try:
                for _ in range(args.upload_mib):
                    s.sendall(chunk)
            except OSError:
                pass
            reply = read_all(s, 4096)
            status = reply[9:12].decode() if reply.startswith(b"HTTP/1.1") else "reset"
            s.close()
        except OSError as e:
            status = type(e).__name__
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.uploads)]
    stop = threading.Event()

    def watch():
        while not stop.is_set() and args.pid:
            peak[0] = max(peak[0], rss_kib(args.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    counts = {s: statuses.count(s) for s in sorted(set(statuses), key=str)}
    return {"probe": "upload", "clients": args.uploads, "mib_each": args.upload_mib, "statuses": counts,
            "seconds": round(time.monotonic() - start, 1),
            "rss_growth_mib": round((peak[0] - before) / 1024, 1) if before is not None else None}


def probe_body408(args):
    s = connect(args.port)
    s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    s.settimeout(120)
    start = time.monotonic()
    reply = read_all(s)
    return {"probe": "body408", "response": reply.split(b"\r\n", 1)[0].decode() or "(closed without a response)",
            "seconds": round(time.monotonic() - start, 1)}


def probe_logins(args):
    with open(f"{args.data_dir}/demo-trainee.password") as f:
        password = f.read().strip()
    status, body, _ = request(args.port, "POST", "/api/v1/auth/login",
                              json.dumps({"username": "trainee", "password": password}))
    token = json.loads(body)["token"]
    latencies, done = [], threading.Event()

    def reader():
        while not done.is_set():
            _, _, seconds = request(args.port, "GET", "/api/v1/sessions?page_size=1", token=token)
            latencies.append(seconds * 1000)

    idle = []
    for _ in range(20):
        idle.append(request(args.port, "GET", "/api/v1/sessions?page_size=1", token=token)[2] * 1000)
    statuses = []
    lock = threading.Lock()

    def guess(i):
        s = connect(args.port, f"127.0.2.{i % 250 + 1}", timeout=60.0)
        body = json.dumps({"username": f"user{i}", "password": "wrong guess"}).encode()
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        reply = read_all(s, 4096)
        with lock:
            statuses.append(reply[9:12].decode() if reply else "none")
        s.close()

    r = threading.Thread(target=reader)
    r.start()
    start = time.monotonic()
    threads = [threading.Thread(target=guess, args=(i,)) for i in range(args.logins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    r.join()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0] * 99
    return {"probe": "logins", "wrong_logins": args.logins, "statuses": {s: statuses.count(s) for s in set(statuses)},
            "flood_seconds": round(time.monotonic() - start, 1),
            "read_ms_idle_p50": round(statistics.median(idle), 1),
            "read_ms_during_p50": round(statistics.median(latencies), 1) if latencies else None,
            "read_ms_during_p99": round(q[98], 1), "read_ms_during_max": round(max(latencies), 1) if latencies else None,
            "reads": len(latencies)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--silent", type=int, default=2000)
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--upload-mib", type=int, default=16)
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("probes", nargs="*", default=["silent", "upload", "body408", "logins"])
    args = parser.parse_args()
    probes = {"silent": probe_silent, "upload": probe_upload, "body408": probe_body408, "logins": probe_logins}
    for name in args.probes:
        print(json.dumps(probes[name](args)), flush=True)


if __name__ == "__main__":
    main()
