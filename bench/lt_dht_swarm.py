#!/usr/bin/python3
"""A loopback DHT network of libtorrent nodes for bench/dht.sh, and libtorrent's magnet download through it.
Loopback only: every address is 127.x, the DHT bootstraps from this network's own nodes (never libtorrent's public
default list), LSD, UPnP and NAT-PMP are off.

  lt_dht_swarm.py swarm N FIRST PORT TORRENT SAVE_PATH SEED_HOST SEED_PORT
      N DHT nodes, node i on 127.0.0.(FIRST+i):PORT, all bootstrapping from the first and told of each other, and
      a seeder of TORRENT (its data in SAVE_PATH) on SEED_HOST:SEED_PORT that joins through the first node too.
      Prints {"event": "ready", ...} once every node's table holds the others and the seeder's announce is found by
      a get_peers of another node; then runs until stdin closes.
  lt_dht_swarm.py magnet LINK SAVE_PATH HOST PORT --bootstrap HOST:PORT [--seconds N]
      downloads LINK from whatever peers the DHT finds, polling every 10 ms; prints {"event": "peer"} when it first
      has a connected peer, {"event": "metadata"} when it has the info dictionary and {"event": "finished"} when
      complete (exit 0); exits 1 after N seconds (default 600) otherwise.
"""
import json
import select
import sys
import time

import libtorrent as lt


def session(host, port, bootstrap, alerts=0):
    settings = {
        "listen_interfaces": "%s:%d" % (host, port), "enable_dht": True, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": ",".join(bootstrap),
        "allow_multiple_connections_per_ip": True, "min_reconnect_time": 1, "enable_incoming_utp": False,
        "enable_outgoing_utp": False, "outgoing_interfaces": host,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification | alerts,
        # every node of the network is on loopback, which libtorrent's DHT refuses by default
        "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False, "dht_enforce_node_id": False,
    }
    return lt.session(settings)


def emit(obj):
    print(json.dumps(obj), flush=True)


def swarm(n, first, port, torrent, save_path, seed_host, seed_port):
    hosts = ["127.0.0.%d" % (first + i) for i in range(n)]
    boot = "%s:%d" % (hosts[0], port)
    nodes = [session(h, port, [] if i == 0 else [boot],
                     lt.alert.category_t.dht_operation_notification if i == 1 else 0)
             for i, h in enumerate(hosts)]
    for s in nodes:  # bootstrap routers stay out of libtorrent's tables: tell every node of the others
        for h in hosts:
            s.add_dht_node((h, port))
    seeder = session(seed_host, seed_port, [boot])
    for h in hosts:
        seeder.add_dht_node((h, port))
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    handle = seeder.add_torrent(params)
    info_hash = params.ti.info_hash()
    start = time.time()
    while not handle.status().is_seeding:
        if time.time() > start + 120:
            emit({"event": "error", "message": "data did not check out"})
            return 1
        time.sleep(0.05)
    announced = False
    while time.time() < start + 120:
        tables = [s.status().dht_nodes for s in nodes]
        if announced and min(tables) >= n - 2:
            emit({"event": "ready", "nodes": n, "tables": tables, "seconds": round(time.time() - start, 1)})
            break
        handle.force_dht_announce()
        nodes[1].dht_get_peers(info_hash)
        end = time.time() + 2
        while time.time() < end and not announced:
            for a in nodes[1].pop_alerts():
                if isinstance(a, lt.dht_get_peers_reply_alert):
                    announced = announced or any(p[1] == seed_port for p in a.peers())
            time.sleep(0.05)
    else:
        emit({"event": "error", "message": "network not ready", "announced": announced,
              "tables": [s.status().dht_nodes for s in nodes]})
        return 1
    last = time.time()
    while True:
        if time.time() - last > 300:  # stored peers expire after a while; keep the seeder findable
            handle.force_dht_announce()
            last = time.time()
        nodes[1].pop_alerts()
        r, _, _ = select.select([sys.stdin], [], [], 1)
        if r and not sys.stdin.readline():
            return 0


def magnet(link, save_path, host, port, bootstrap, seconds):
    ses = session(host, port, bootstrap)
    params = lt.parse_magnet_uri(link)
    params.save_path = save_path
    h = ses.add_torrent(params)
    start = time.time()
    peer = meta = False
    while time.time() < start + seconds:
        s = h.status()
        if not peer and s.num_peers > 0:
            peer = True
            emit({"event": "peer", "seconds": round(time.time() - start, 3)})
        if not meta and s.has_metadata:
            meta = True
            emit({"event": "metadata", "seconds": round(time.time() - start, 3)})
        if s.is_seeding:
            emit({"event": "finished", "seconds": round(time.time() - start, 3), "downloaded": s.all_time_download})
            return 0
        time.sleep(0.01)
    s = h.status()
    emit({"event": "timeout", "progress": s.progress, "peers": s.num_peers, "dht_nodes": ses.status().dht_nodes})
    return 1


def main():
    argv = sys.argv[1:]
    if argv[0] == "swarm":
        n, first, port, torrent, save_path, seed_host, seed_port = argv[1:8]
        return swarm(int(n), int(first), int(port), torrent, save_path, seed_host, int(seed_port))
    link, save_path, host, port = argv[1:5]
    bootstrap, seconds = [], 600
    rest = argv[5:]
    for key, val in zip(rest[::2], rest[1::2]):
        if key == "--bootstrap":
            bootstrap.append(val)
        elif key == "--seconds":
            seconds = int(val)
    return magnet(link, save_path, host, int(port), bootstrap, seconds)


if __name__ == "__main__":
    sys.exit(main())
