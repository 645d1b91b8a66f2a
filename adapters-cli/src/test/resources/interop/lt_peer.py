#!/usr/bin/python3
"""libtorrent as a peer for jtorr's interoperability tests and benchmarks. Loopback only; DHT, LSD, UPnP, NAT-PMP off.

  lt_peer.py seed TORRENT SAVE_PATH PORT [--upload-limit BYTES] [--seconds N]
      checks the data, prints {"event": "seeding", "port": P}, seeds until stdin closes or N seconds pass,
      then prints {"event": "stopped", "uploaded": ...}
  lt_peer.py download TORRENT SAVE_PATH PORT --peer HOST:PORT [--peer ...] [--torrent MORE ...] [--seconds N]
      downloads from the given peers; prints {"event": "finished", "seconds": S, ...} and exits 0 when complete,
      exits 1 after N seconds (default 120) otherwise. Each --torrent adds one more torrent to the same session
      (same listening port, same peers); "finished" then waits for all and lists each under "torrents".
      TORRENT may be a magnet link: its metadata is fetched from the peers (a "metadata" event when it is in, and
      "metadata_seconds" in "finished")
      "finished" also lists under "peers" every peer connected meanwhile: its address, whether it was learned by
      peer exchange (ut_pex) and the bytes downloaded from it

  Either command takes --peer-log 1: libtorrent's log of the peer wire messages it sends (==>) and receives (<==),
  BEP 6's and the choking ones, is kept and printed under "log" in the last event; and --unchoke-slots N
  (libtorrent's unchoke_slots_limit; 0 never unchokes, so peers get only the allowed-fast pieces).
  Either command takes --encryption MODE: "default" (libtorrent's own: tries an encrypted handshake first, falls
  back to plain text), "rc4" (encrypted handshake and RC4 stream only), "handshake" (encrypted handshake only,
  then plain text) or "plain" (no encryption: encrypted handshakes refused).
"""
import json
import select
import sys
import time

import libtorrent as lt


ENCRYPTION = {
    "default": {},
    "rc4": {"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
            "allowed_enc_level": int(lt.enc_level.pe_rc4)},
    "handshake": {"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
                  "allowed_enc_level": int(lt.enc_level.pe_plaintext)},
    "plain": {"out_enc_policy": int(lt.enc_policy.pe_disabled), "in_enc_policy": int(lt.enc_policy.pe_disabled)},
}


LOGGED = ("HAVE_ALL", "HAVE_NONE", "ALLOWED_FAST", "REJECT", "SUGGEST", "CHOKE", "UNCHOKE", "REQUEST", "PIECE",
          "BITFIELD", "EXTENSION_MESSAGE", "CONNECTION CLOSED", "HASH")


def keep_log(ses, log):
    """Appends libtorrent's peer log lines about the messages above (no-op unless --peer-log)."""
    if log is None:
        return
    for a in ses.pop_alerts():
        if isinstance(a, lt.peer_log_alert):
            line = a.message()
            if any(word in line for word in LOGGED):
                log.append(line)


def session(port, upload_limit=0, encryption="default", opts=None):
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port, "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": "",
        "allow_multiple_connections_per_ip": True, "min_reconnect_time": 1, "enable_incoming_utp": False,
        "enable_outgoing_utp": False, "upload_rate_limit": upload_limit,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    settings.update(ENCRYPTION[encryption])
    if opts and opts["peer-log"]:
        settings["alert_mask"] |= lt.alert.category_t.peer_log_notification
        settings["alert_queue_size"] = 1000000
    if opts and opts["unchoke-slots"] >= 0:
        settings["unchoke_slots_limit"] = opts["unchoke-slots"]
    ses = lt.session(settings)
    if opts and opts["unchoke-slots"] >= 0:
        # loopback peers are in libtorrent's "local" class, which ignores the unchoke slots by default
        local = ses.get_peer_class(lt.session.local_peer_class_id)
        local["ignore_unchoke_slots"] = False
        ses.set_peer_class(lt.session.local_peer_class_id, local)
    return ses


def add(ses, torrent, save_path):
    if torrent.startswith("magnet:"):
        params = lt.parse_magnet_uri(torrent)  # the metadata then comes from the peers (BEP 9)
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    return ses.add_torrent(params)


def emit(obj):
    print(json.dumps(obj), flush=True)


def args_of(argv):
    opts = {"peer": [], "torrent": [], "upload-limit": 0, "seconds": 120, "encryption": "default", "peer-log": 0,
            "unchoke-slots": -1}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            key = a[2:]
            val = argv[i + 1]
            i += 2
            if key in ("peer", "torrent"):
                opts[key].append(val)
            elif key == "encryption":
                opts[key] = val
            else:
                opts[key] = int(val)
        else:
            pos.append(a)
            i += 1
    return pos, opts


def seed(torrent, save_path, port, opts):
    ses = session(port, opts["upload-limit"], opts["encryption"], opts)
    log = [] if opts["peer-log"] else None
    h = add(ses, torrent, save_path)
    if opts["upload-limit"]:
        h.set_upload_limit(opts["upload-limit"])  # the session limit exempts loopback peers; the torrent's does not
    deadline = time.time() + 60
    while not h.status().is_seeding:
        if time.time() > deadline:
            emit({"event": "error", "message": "data did not check out", "state": str(h.status().state)})
            sys.exit(1)
        time.sleep(0.05)
    emit({"event": "seeding", "port": ses.listen_port()})
    end = time.time() + opts["seconds"]
    for p in opts["peer"]:
        host, prt = p.rsplit(":", 1)
        h.connect_peer((host, int(prt)))
    while time.time() < end:
        r, _, _ = select.select([sys.stdin], [], [], 0.1)
        keep_log(ses, log)
        if r and not sys.stdin.readline():
            break
    keep_log(ses, log)
    emit({"event": "stopped", "uploaded": h.status().all_time_upload, "log": log})


def download(torrent, save_path, port, opts):
    ses = session(port, encryption=opts["encryption"], opts=opts)
    log = [] if opts["peer-log"] else None
    start = time.time()
    handles = [add(ses, t, save_path) for t in [torrent] + opts["torrent"]]
    peers = [(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in opts["peer"]]
    for h in handles:
        for p in peers:
            h.connect_peer(p)
    last_connect = time.time()
    end = start + opts["seconds"]
    metadata_seconds = None
    seen = {}
    while time.time() < end:
        statuses = [h.status() for h in handles]
        for p in handles[0].get_peer_info():
            address = "%s:%d" % (p.ip[0], p.ip[1])
            known = seen.setdefault(address, {"address": address, "pex": False, "downloaded": 0})
            known["pex"] = known["pex"] or bool(p.source & lt.peer_info.pex)
            known["downloaded"] = max(known["downloaded"], p.total_download)
        if metadata_seconds is None and all(s.has_metadata for s in statuses):
            metadata_seconds = time.time() - start
            emit({"event": "metadata", "seconds": metadata_seconds})
        keep_log(ses, log)
        if all(s.is_seeding for s in statuses):
            time.sleep(0.5)
            keep_log(ses, log)
            emit({"event": "finished", "log": log, "seconds": time.time() - start, "metadata_seconds": metadata_seconds,
                  "downloaded": sum(s.all_time_download for s in statuses),
                  "pieces": sum(s.num_pieces for s in statuses),
                  "torrents": [{"name": s.name, "info_hash": str(h.info_hashes().v1), "downloaded":
                                s.all_time_download, "pieces": s.num_pieces} for h, s in zip(handles, statuses)],
                  "peers": list(seen.values())})
            return 0
        if time.time() - last_connect > 2:
            for h, s in zip(handles, statuses):
                if not s.is_seeding and s.num_peers < len(peers):
                    for p in peers:
                        h.connect_peer(p)
            last_connect = time.time()
        time.sleep(0.02)
    statuses = [h.status() for h in handles]
    s = statuses[0]
    emit({"event": "timeout", "log": log, "progress": s.progress, "peers": s.num_peers, "state": str(s.state),
          "has_metadata": s.has_metadata,
          "torrents": [{"name": s.name, "progress": s.progress, "peers": s.num_peers, "state": str(s.state)}
                       for s in statuses]})
    return 1


def main():
    pos, opts = args_of(sys.argv[1:])
    command, torrent, save_path, port = pos[0], pos[1], pos[2], int(pos[3])
    if command == "seed":
        seed(torrent, save_path, port, opts)
        return 0
    return download(torrent, save_path, port, opts)


if __name__ == "__main__":
    sys.exit(main())
