#!/usr/bin/python3
"""libtorrent finding peers through local service discovery (BEP 14) alone, for jtorr's interoperability tests.
Run it only inside a network namespace whose loopback can multicast (see Netns.java): it listens on 127.0.0.1, LSD
is on, the DHT, UPnP and NAT-PMP are off, and no peer is given by hand.

  lt_lsd.py seed TORRENT SAVE_PATH PORT [--seconds N]
      checks the data, prints {"event": "seeding", "port": P}, announces on the local network and seeds until
      stdin closes or N seconds pass
  lt_lsd.py download TORRENT SAVE_PATH PORT [--seconds N]
      downloads from whatever peers local discovery finds; prints {"event": "finished", ...} and exits 0 when
      complete, exits 1 after N seconds (default 120) otherwise
Both print {"event": "lsd", "message": ...} for each line libtorrent logs about LSD (what it sent and heard).
"""
import json
import select
import sys
import time

import libtorrent as lt


def session(port):
    return lt.session({
        "listen_interfaces": "127.0.0.1:%d" % port, "enable_dht": False, "enable_lsd": True,
        "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": "",
        "allow_multiple_connections_per_ip": True, "min_reconnect_time": 1, "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.peer_log_notification | lt.alert.category_t.session_log_notification,
    })


def emit(obj):
    print(json.dumps(obj), flush=True)


def args_of(argv):
    opts = {"seconds": 120}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            opts[a[2:]] = int(argv[i + 1])
            i += 2
        else:
            pos.append(a)
            i += 1
    return pos, opts


def report(ses, seen):
    for a in ses.pop_alerts():
        m = a.message()
        if "LSD" in m and m not in seen:
            seen.add(m)
            emit({"event": "lsd", "message": m})


def main():
    pos, opts = args_of(sys.argv[1:])
    command, torrent, save_path, port = pos[0], pos[1], pos[2], int(pos[3])
    ses = session(port)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    h = ses.add_torrent(params)
    start = time.time()
    end = start + opts["seconds"]
    seen = set()
    if command == "seed":
        while not h.status().is_seeding:
            if time.time() > start + 60:
                emit({"event": "error", "message": "data did not check out"})
                return 1
            time.sleep(0.05)
        emit({"event": "seeding", "port": ses.listen_port()})
        while time.time() < end:
            report(ses, seen)
            r, _, _ = select.select([sys.stdin], [], [], 0.2)
            if r and not sys.stdin.readline():
                break
        return 0
    while time.time() < end:
        report(ses, seen)
        s = h.status()
        if s.is_seeding:
            emit({"event": "finished", "seconds": time.time() - start, "downloaded": s.all_time_download})
            return 0
        time.sleep(0.05)
    s = h.status()
    emit({"event": "timeout", "progress": s.progress, "peers": s.num_peers, "state": str(s.state)})
    return 1


if __name__ == "__main__":
    sys.exit(main())
