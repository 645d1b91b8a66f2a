#!/usr/bin/python3
"""libtorrent helper for jtorr's interoperability tests. Loopback only; DHT, LSD, UPnP and NAT-PMP off.

  lt_tool.py inspect TORRENT                  -> JSON: info-hashes, piece count, files (with v2 roots)
  lt_tool.py create PATH OUT v1|v2|hybrid PIECE_SIZE [symlinks]   (symlinks: store links as BEP 47 links)
  lt_tool.py check TORRENT SAVE_PATH          -> JSON: pieces libtorrent verified from the data on disk
"""
import json
import os
import sys
import time

import libtorrent as lt


def inspect(path):
    ti = lt.torrent_info(path)
    ih = ti.info_hashes()
    fs = ti.files()
    files = []
    for i in range(fs.num_files()):
        pad = bool(fs.file_flags(i) & lt.file_storage.flag_pad_file)
        root = None
        if ih.has_v2() and not pad and fs.file_size(i) > 0:
            root = str(fs.root(i))
        files.append({"path": fs.file_path(i).replace(os.sep, "/"), "size": fs.file_size(i), "pad": pad,
                      "root": root})
    return {"v1": str(ih.v1) if ih.has_v1() else None, "v2": str(ih.v2) if ih.has_v2() else None,
            "num_pieces": ti.num_pieces(), "piece_length": ti.piece_length(), "name": ti.name(), "files": files}


def create(path, out, version, piece_size, links=False):
    fs = lt.file_storage()
    extra = lt.create_torrent.symlinks if links else 0
    lt.add_files(fs, path, flags=extra)
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[version] | extra
    ct = lt.create_torrent(fs, int(piece_size), flags=flags)
    ct.set_creator("libtorrent interop test")
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
    with open(out, "wb") as f:
        f.write(lt.bencode(ct.generate()))
    return {"written": out}


def check(torrent, save_path):
    ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                      "enable_upnp": False, "enable_natpmp": False, "dht_bootstrap_nodes": "",
                      "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification})
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    h = ses.add_torrent(params)
    errors = []
    deadline = time.time() + 120
    checked = False
    while not checked and time.time() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_checked_alert):
                checked = True
            elif isinstance(a, lt.torrent_error_alert) or isinstance(a, lt.file_error_alert):
                errors.append(a.message())
    s = h.status()
    return {"num_pieces": s.num_pieces, "total": params.ti.num_pieces(), "checked": checked, "errors": errors}


if __name__ == "__main__":
    cmd = sys.argv[1]
    result = {"inspect": lambda: inspect(sys.argv[2]),
              "create": lambda: create(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
                                       len(sys.argv) > 6 and sys.argv[6] == "symlinks"),
              "check": lambda: check(sys.argv[2], sys.argv[3])}[cmd]()
    print(json.dumps(result))
