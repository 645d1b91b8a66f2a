#!/usr/bin/python3
"""Helper of bench/daemon.sh: the files and torrents, and the HTTP client side against jtorr's API and
Transmission's RPC. Standard library only; loopback only. Prints one JSON object per command on stdout.

  daemon_client.py make DIR N
      N files of random data, 16 to 64 KiB each (sizes from a fixed seed), as DIR/data/fileNNNN.bin, and their v1
      torrents (16 KiB pieces, no tracker, no creation date) as DIR/torrents/fileNNNN.bin.torrent
  daemon_client.py add jt|tr URL DIR N DOWNLOAD_DIR
      adds the first N torrents of DIR/torrents (jtorr: POST /api/v1/torrents with the metainfo in base64;
      Transmission: torrent-add with the metainfo), each with DOWNLOAD_DIR, where the data already is, then waits
      until every one is complete and seeding -> {"added_s", "seeding_s"}
  daemon_client.py list jt|tr URL N K
      K requests of the full list, one after another on one kept-alive connection -> {"p50_ms", "p99_ms",
      "bytes"} (the time from sending a request to the last byte of its response body)
  daemon_client.py quiet URL SECONDS
      Transmission: waits (up to SECONDS) until torrent-get with ids "recently-active" lists no torrent
  daemon_client.py update jt|tr URL M
      M changes (pause, resume, pause, ...) of one torrent, each measured separately -> {"pause_ms", "resume_ms"
      (medians), "bytes" (median), "samples"}. jtorr: with an event stream (/api/v1/events) open, from sending the
      pause (or resume) request to the arrival of the first `changes` event whose torrent shows the new state;
      bytes = that event's text.
      Transmission (no push): from sending torrent-stop (or torrent-start) to the end of the first torrent-get
      with ids "recently-active" that shows it, polled back to back; bytes = that torrent-get's response body.
"""
import base64
import hashlib
import http.client
import json
import os
import queue
import random
import sys
import threading
import time
import urllib.parse

PIECE = 16 * 1024
TR_FIELDS = ["id", "name", "status", "percentDone", "rateDownload", "rateUpload", "eta", "peersConnected",
             "totalSize", "sizeWhenDone", "uploadedEver", "error", "errorString", "downloadDir", "addedDate"]
TR_STOPPED, TR_SEEDING = 0, 6


def bencode(value):
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, str):
        return bencode(value.encode())
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(bencode(k) + bencode(value[k]) for k in sorted(value)) + b"e"
    raise TypeError(value)


def make(directory, n):
    data = os.path.join(directory, "data")
    torrents = os.path.join(directory, "torrents")
    os.makedirs(data, exist_ok=True)
    os.makedirs(torrents, exist_ok=True)
    sizes = random.Random(20261207)
    for i in range(n):
        name = "file%04d.bin" % i
        body = os.urandom(sizes.randint(16 * 1024, 64 * 1024))
        with open(os.path.join(data, name), "wb") as f:
            f.write(body)
        pieces = b"".join(hashlib.sha1(body[o:o + PIECE]).digest() for o in range(0, len(body), PIECE))
        info = {"length": len(body), "name": name, "piece length": PIECE, "pieces": pieces}
        with open(os.path.join(torrents, name + ".torrent"), "wb") as f:
            f.write(bencode({"info": info}))


def torrent_files(directory, n):
    found = sorted(f for f in os.listdir(os.path.join(directory, "torrents")) if f.endswith(".torrent"))
    if len(found) < n:
        sys.exit("daemon_client.py: only %d torrents in %s" % (len(found), directory))
    return [os.path.join(directory, "torrents", f) for f in found[:n]]


class Client:
    """One kept-alive HTTP/1.1 connection; for Transmission, the X-Transmission-Session-Id handshake (409)."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.session = None

    def request(self, method, path, body=None, headers=None):
        """-> (status, body bytes)."""
        h = dict(headers or {})
        if self.session:
            h["X-Transmission-Session-Id"] = self.session
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        if r.status == 409 and r.getheader("X-Transmission-Session-Id"):
            self.session = r.getheader("X-Transmission-Session-Id")
            return self.request(method, path, body, headers)
        return r.status, data

    def api(self, method, path, body=None):
        raw = None if body is None else json.dumps(body).encode()
        status, data = self.request(method, path, raw, {"Content-Type": "application/json"} if raw else None)
        if status >= 300:
            sys.exit("daemon_client.py: %s %s -> %d %s" % (method, path, status, data[:300]))
        return data

    def rpc(self, method, arguments):
        data = self.api("POST", "/transmission/rpc", {"method": method, "arguments": arguments})
        reply = json.loads(data)
        if reply.get("result") != "success":
            sys.exit("daemon_client.py: %s -> %s" % (method, reply.get("result")))
        return reply["arguments"], len(data)


def add(kind, url, directory, n, download_dir):
    c = Client(url)
    t0 = time.monotonic()
    for path in torrent_files(directory, n):
        with open(path, "rb") as f:
            metainfo = base64.b64encode(f.read()).decode()
        if kind == "jt":
            c.api("POST", "/api/v1/torrents", {"metainfo": metainfo, "download_dir": download_dir})
        else:
            c.rpc("torrent-add", {"metainfo": metainfo, "download-dir": download_dir})
    added = time.monotonic() - t0
    deadline = time.monotonic() + 600
    while True:
        if kind == "jt":
            listed = json.loads(c.api("GET", "/api/v1/torrents?fields=state,progress"))["torrents"]
            done = sum(1 for t in listed if t["state"] == "seeding" and t["progress"] == 1.0)
        else:
            listed = c.rpc("torrent-get", {"fields": ["id", "status", "percentDone"]})[0]["torrents"]
            done = sum(1 for t in listed if t["status"] == TR_SEEDING and t["percentDone"] == 1)
        if len(listed) != n:
            sys.exit("daemon_client.py: %d torrents listed, %d added" % (len(listed), n))
        if done == n:
            break
        if time.monotonic() > deadline:
            sys.exit("daemon_client.py: only %d of %d torrents seeding after 10 minutes" % (done, n))
        time.sleep(0.2)
    print(json.dumps({"added_s": round(added, 2), "seeding_s": round(time.monotonic() - t0, 2)}))


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def list_latency(kind, url, n, k):
    c = Client(url)
    if kind == "jt":
        def once():
            return c.api("GET", "/api/v1/torrents")

        def count(data):
            return len(json.loads(data)["torrents"])
    else:
        body = json.dumps({"method": "torrent-get", "arguments": {"fields": TR_FIELDS}}).encode()

        def once():
            status, data = c.request("POST", "/transmission/rpc", body, {"Content-Type": "application/json"})
            if status != 200:
                sys.exit("daemon_client.py: torrent-get -> %d" % status)
            return data

        def count(data):
            return len(json.loads(data)["arguments"]["torrents"])
    once()  # the session id (Transmission), a warm connection
    times, sizes = [], []
    for _ in range(k):
        t0 = time.perf_counter()
        data = once()
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(data))
    if count(data) != n:
        sys.exit("daemon_client.py: the list has %d torrents, not %d" % (count(data), n))
    print(json.dumps({"p50_ms": round(percentile(times, 50), 3), "p99_ms": round(percentile(times, 99), 3),
                      "bytes": sorted(sizes)[len(sizes) // 2]}))


def quiet(url, seconds):
    c = Client(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not c.rpc("torrent-get", {"ids": "recently-active", "fields": ["id"]})[0]["torrents"]:
            return
        time.sleep(1)
    sys.exit("daemon_client.py: Transmission still lists recently active torrents after %s s" % seconds)


def events(url, out):
    """Reads jtorr's event stream; puts (arrival time, event text bytes, parsed data) of each `changes` event."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    conn.request("GET", "/api/v1/events", headers={"Accept": "text/event-stream"})
    r = conn.getresponse()
    if r.status != 200:
        sys.exit("daemon_client.py: /api/v1/events -> %d" % r.status)
    size, data, name = 0, None, None
    while True:
        line = r.readline()
        if not line:
            return
        size += len(line)
        if line in (b"\n", b"\r\n"):
            if name == b"changes" and data is not None:
                out.put((time.perf_counter(), size, json.loads(data)))
            size, data, name = 0, None, None
        elif line.startswith(b"data:"):
            data = line[5:].strip()
        elif line.startswith(b"event:"):
            name = line[6:].strip()


def update_jt(url, m):
    c = Client(url)
    first = json.loads(c.api("GET", "/api/v1/torrents?sort=name&limit=1"))["torrents"][0]["id"]
    q = queue.Queue()
    threading.Thread(target=events, args=(url, q), daemon=True).start()
    q.get(timeout=60)  # the stream's first event: every torrent
    samples = []
    for i in range(m):
        time.sleep(0.6)  # past the stream's 250 ms between events, and whatever else came
        while not q.empty():
            q.get()
        action = "pause" if i % 2 == 0 else "resume"
        t0 = time.perf_counter()
        c.api("POST", "/api/v1/torrents/%s/%s" % (first, action))
        while True:
            arrived, size, change = q.get(timeout=30)
            mine = [t for t in change["changed"] if t["id"] == first]
            if mine and (mine[0]["state"] == "paused") == (action == "pause"):
                samples.append(((arrived - t0) * 1000, size))
                break
    return samples


def update_tr(url, m):
    c = Client(url)
    first = min(c.rpc("torrent-get", {"fields": ["id", "name"]})[0]["torrents"], key=lambda t: t["name"])["id"]
    samples = []
    for i in range(m):
        time.sleep(0.6)
        stop = i % 2 == 0
        t0 = time.perf_counter()
        c.rpc("torrent-stop" if stop else "torrent-start", {"ids": [first]})
        while True:
            got, size = c.rpc("torrent-get", {"ids": "recently-active", "fields": TR_FIELDS})
            mine = [t for t in got["torrents"] if t["id"] == first]
            if mine and (mine[0]["status"] == TR_STOPPED) == stop:
                samples.append(((time.perf_counter() - t0) * 1000, size))
                break
    return samples


def update(kind, url, m):
    samples = update_jt(url, m) if kind == "jt" else update_tr(url, m)
    # pauses (stops) and resumes (starts) apart: Transmission takes ~300 ms to stop a torrent and ~2 ms to start one
    pauses, resumes = samples[0::2], samples[1::2] or samples[0::2]
    print(json.dumps({"pause_ms": round(percentile([s[0] for s in pauses], 50), 3),
                      "resume_ms": round(percentile([s[0] for s in resumes], 50), 3),
                      "bytes": sorted(s[1] for s in samples)[len(samples) // 2],
                      "samples": [[round(t, 2), b] for t, b in samples]}))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "make":
        make(args[0], int(args[1]))
    elif cmd == "add":
        add(args[0], args[1], args[2], int(args[3]), args[4])
    elif cmd == "list":
        list_latency(args[0], args[1], int(args[2]), int(args[3]))
    elif cmd == "quiet":
        quiet(args[0], float(args[1]))
    elif cmd == "update":
        update(args[0], args[1], int(args[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
