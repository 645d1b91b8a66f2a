#!/usr/bin/python3
"""Helper of bench/many-torrents.sh: many small torrents, and libtorrent seeding them all in one session.
Loopback only; DHT, LSD, UPnP and NAT-PMP off.

  lt_many.py make DIR N
      writes N files of random data, 64 KiB to 1 MiB each (sizes from a fixed seed), as DIR/data/fileNNNN.bin and
      their v1 torrents (16 KiB pieces, no tracker, no creation date) as DIR/torrents/fileNNNN.bin.torrent, in
      this one process
  lt_many.py seed DIR N PORT RESUME_DIR [--check]
      one session listening on 127.0.0.1:PORT seeds the first N torrents of DIR/torrents from DIR/data.
      --check: adds them without resume data (libtorrent checks every file), saves the resume data of each into
      RESUME_DIR/<torrent file name>.resume once all seed, prints {"event": "saved"} and exits.
      Otherwise adds them with RESUME_DIR's records and the .torrent files, prints {"event": "all_seeding", ...}
      once every torrent is in the seeding state, then seeds until SIGTERM.
Times in the events are seconds since about the start of the Python process (its start-up and the import of
libtorrent included; estimated from the CPU time used before the import).
"""
import json
import os
import random
import signal
import sys
import time

T0 = time.monotonic() - time.process_time()  # about the process start: the CPU time so far is all start-up

import libtorrent as lt  # noqa: E402 (timed: part of the start-up)

PIECE = 16 * 1024


def since_start():
    return round(time.monotonic() - T0, 3)


def names(directory, n):
    found = sorted(f for f in os.listdir(os.path.join(directory, "torrents")) if f.endswith(".torrent"))
    if len(found) < n:
        sys.exit("lt_many.py: only %d torrents in %s" % (len(found), directory))
    return [f[:-len(".torrent")] for f in found[:n]]


def make(directory, n):
    data = os.path.join(directory, "data")
    torrents = os.path.join(directory, "torrents")
    os.makedirs(data, exist_ok=True)
    os.makedirs(torrents, exist_ok=True)
    sizes = random.Random(20261206)
    for i in range(n):
        name = "file%04d.bin" % i
        path = os.path.join(data, name)
        with open(path, "wb") as f:
            f.write(os.urandom(sizes.randint(64 * 1024, 1024 * 1024)))
        fs = lt.file_storage()
        lt.add_files(fs, path)
        ct = lt.create_torrent(fs, PIECE, flags=lt.create_torrent.v1_only)
        lt.set_piece_hashes(ct, data)
        with open(os.path.join(torrents, name + ".torrent"), "wb") as f:
            f.write(lt.bencode(ct.generate()))


def session(port, n):
    return lt.session({
        "listen_interfaces": "127.0.0.1:%d" % port, "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": "",
        "enable_incoming_utp": False, "enable_outgoing_utp": False,
        # every torrent active, as in jtorr (libtorrent's queue would otherwise pause all but a few seeds)
        "active_seeds": n + 10, "active_limit": n + 10, "active_checking": 2, "alert_queue_size": 4 * n + 1000,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.storage_notification,
    })


def emit(obj):
    print(json.dumps(obj), flush=True)


def wait_all_seeding(ses, n, deadline):
    """Returns once n torrents are in the seeding state (state updates, no per-torrent round trips)."""
    seeding = set()
    while len(seeding) < n:
        if time.monotonic() > deadline:
            sys.exit("lt_many.py: only %d of %d torrents seeding" % (len(seeding), n))
        ses.post_torrent_updates()
        ses.wait_for_alert(50)
        for a in ses.pop_alerts():
            if isinstance(a, lt.state_update_alert):
                for s in a.status:
                    key = str(s.info_hashes.v1) if hasattr(s, "info_hashes") else str(s.info_hash)
                    if s.state == lt.torrent_status.seeding and not s.paused:
                        seeding.add(key)
                    else:
                        seeding.discard(key)
            elif isinstance(a, (lt.add_torrent_alert,)) and a.error.value() != 0:
                sys.exit("lt_many.py: adding failed: %s" % a.message())
            elif a.category() & lt.alert.category_t.error_notification and not isinstance(a, lt.alerts_dropped_alert):
                sys.exit("lt_many.py: %s" % a.message())


def seed(directory, n, port, resume_dir, check):
    all_names = names(directory, n)
    by_hash = {}
    ses = session(port, n)
    t_session = since_start()
    data = os.path.join(directory, "data")
    for name in all_names:
        ti = lt.torrent_info(os.path.join(directory, "torrents", name + ".torrent"))
        if check:
            p = lt.add_torrent_params()
        else:
            with open(os.path.join(resume_dir, name + ".resume"), "rb") as f:
                p = lt.read_resume_data(f.read())
        p.ti = ti
        by_hash[str(ti.info_hashes().v1)] = name
        p.save_path = data
        p.flags &= ~(lt.torrent_flags.paused | lt.torrent_flags.auto_managed)
        ses.async_add_torrent(p)
    t_added = since_start()
    wait_all_seeding(ses, n, time.monotonic() + 600)
    t_seeding = since_start()
    if check:
        os.makedirs(resume_dir, exist_ok=True)
        handles = ses.get_torrents()
        for h in handles:
            h.save_resume_data()
        saved = 0
        while saved < len(handles):
            ses.wait_for_alert(1000)
            for a in ses.pop_alerts():
                if isinstance(a, lt.save_resume_data_alert):
                    name = by_hash[str(a.params.info_hashes.v1)]
                    with open(os.path.join(resume_dir, name + ".resume"), "wb") as f:
                        f.write(lt.write_resume_data_buf(a.params))
                    saved += 1
                elif isinstance(a, lt.save_resume_data_failed_alert):
                    sys.exit("lt_many.py: %s" % a.message())
        emit({"event": "saved", "torrents": saved, "seconds": t_seeding})
        return
    emit({"event": "all_seeding", "torrents": n, "session_created": t_session, "all_added": t_added,
          "all_seeding": t_seeding})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:  # seed until stopped
        ses.wait_for_alert(1000)
        ses.pop_alerts()


def main(argv):
    if len(argv) >= 3 and argv[0] == "make":
        make(argv[1], int(argv[2]))
    elif len(argv) >= 5 and argv[0] == "seed":
        seed(argv[1], int(argv[2]), int(argv[3]), argv[4], "--check" in argv[5:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
