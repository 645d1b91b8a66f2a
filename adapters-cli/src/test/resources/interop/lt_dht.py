#!/usr/bin/python3
"""libtorrent finding peers through the DHT alone, for jtorr's interoperability tests. Loopback only: the DHT
bootstraps from the given nodes only (never libtorrent's public default list), LSD, UPnP and NAT-PMP are off, and
no peer is given by hand.

  lt_dht.py seed TORRENT SAVE_PATH PORT --bootstrap HOST:PORT [--seconds N]
      checks the data, prints {"event": "seeding", "port": P}, announces through the DHT and seeds until stdin
      closes or N seconds pass
  lt_dht.py download TORRENT SAVE_PATH PORT --bootstrap HOST:PORT [--seconds N]
      downloads from whatever peers the DHT finds; prints {"event": "finished", ...} and exits 0 when complete,
      exits 1 after N seconds (default 120) otherwise
"""
import json
import select
import sys
import time

import libtorrent as lt


def session(port, bootstrap):
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port, "enable_dht": True, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": ",".join(bootstrap),
        "allow_multiple_connections_per_ip": True, "min_reconnect_time": 1, "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    # every node of the test network is on loopback, which libtorrent's DHT refuses by default
    relaxed = {"dht_restrict_routing_ips": False, "dht_restrict_search_ips": False, "dht_enforce_node_id": False,
               "dht_announce_interval": 5}
    ses = lt.session(settings)
    pack = {}
    for k, v in relaxed.items():
        try:
            ses.apply_settings({k: v})
            pack[k] = v
        except (KeyError, TypeError):
            pass
    return ses


def emit(obj):
    print(json.dumps(obj), flush=True)


def args_of(argv):
    opts = {"bootstrap": [], "seconds": 120}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            key, val = a[2:], argv[i + 1]
            i += 2
            if key == "bootstrap":
                opts[key].append(val)
            else:
                opts[key] = int(val)
        else:
            pos.append(a)
            i += 1
    return pos, opts


def add(ses, torrent, save_path):
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    return ses.add_torrent(params)


def main():
    pos, opts = args_of(sys.argv[1:])
    command, torrent, save_path, port = pos[0], pos[1], pos[2], int(pos[3])
    ses = session(port, opts["bootstrap"])
    h = add(ses, torrent, save_path)
    start = time.time()
    end = start + opts["seconds"]
    if command == "seed":
        while not h.status().is_seeding:
            if time.time() > start + 60:
                emit({"event": "error", "message": "data did not check out"})
                return 1
            time.sleep(0.05)
        emit({"event": "seeding", "port": ses.listen_port()})
        last = 0
        while time.time() < end:
            if time.time() - last > 3:
                h.force_dht_announce()
                last = time.time()
            r, _, _ = select.select([sys.stdin], [], [], 0.5)
            if r and not sys.stdin.readline():
                break
        return 0
    last = 0
    while time.time() < end:
        s = h.status()
        if s.is_seeding:
            emit({"event": "finished", "seconds": time.time() - start, "downloaded": s.all_time_download})
            return 0
        if time.time() - last > 3:
            h.force_dht_announce()
            last = time.time()
        time.sleep(0.05)
    s = h.status()
    emit({"event": "timeout", "progress": s.progress, "peers": s.num_peers, "state": str(s.state),
          "dht_nodes": ses.status().dht_nodes})
    return 1


if __name__ == "__main__":
    sys.exit(main())
