#!/usr/bin/python3
"""A crowd of libtorrent leechers for jtorr's interoperability tests and benchmarks: one libtorrent session per
leecher (its own port, its own peer id), all in one process. Loopback only; DHT, LSD, UPnP, NAT-PMP off.

  lt_crowd.py TORRENT WORK_DIR FIRST_PORT COUNT --peer HOST:PORT [--seconds N]
      leecher i listens on FIRST_PORT + i (any free port when FIRST_PORT is 0) and downloads TORRENT into WORK_DIR/i from the given peer only, all started
      at once; prints {"event": "finished", "seconds": [...]} (each leecher's time to complete, in the order they
      completed) and exits 0 when all are complete, or {"event": "timeout", ...} and exits 1 after N seconds
      (default 120)
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lt_peer  # noqa: E402


def main():
    pos, opts = lt_peer.args_of(sys.argv[1:])
    torrent, work, first_port, count = pos[0], pos[1], int(pos[2]), int(pos[3])
    peers = [(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in opts["peer"]]
    sessions = [lt_peer.session(first_port + i if first_port else 0) for i in range(count)]
    start = time.time()
    handles = []
    for i, ses in enumerate(sessions):
        path = os.path.join(work, str(i))
        os.makedirs(path, exist_ok=True)
        handles.append(lt_peer.add(ses, torrent, path))
    for h in handles:
        for p in peers:
            h.connect_peer(p)
    done = {}
    last_connect = time.time()
    end = start + opts["seconds"]
    while time.time() < end:
        for i, h in enumerate(handles):
            if i not in done and h.status().is_seeding:
                done[i] = time.time() - start
        if len(done) == count:
            lt_peer.emit({"event": "finished", "seconds": sorted(done.values())})
            return 0
        if time.time() - last_connect > 2:
            for i, h in enumerate(handles):
                if i not in done and h.status().num_peers == 0:
                    for p in peers:
                        h.connect_peer(p)
            last_connect = time.time()
        time.sleep(0.02)
    lt_peer.emit({"event": "timeout", "done": len(done), "progress": [h.status().progress for h in handles]})
    return 1


if __name__ == "__main__":
    sys.exit(main())
