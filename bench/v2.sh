#!/usr/bin/env bash
# Benchmark: BitTorrent v2 on the wire (BEP 52). jtorr and libtorrent each download the same 1 GiB v2-only torrent,
# then the same hybrid one, from one libtorrent seeder on loopback, alternating run by run; prints medians of wall
# time and CPU seconds and the ratios jtorr / libtorrent (below 1.0 = faster). A v2-only piece is checked against
# its file's piece layer (SHA-256 merkle hashes), a hybrid one against both its SHA-1 and its SHA-256 hashes.
# Usage: bench/v2.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
source "$here/bench/lib.sh"
need_tools
make_torrent v2 "$size_mib" v2
make_torrent hybrid "$size_mib" hybrid
next_port; s_v2=$port; start_lt_seed "$s_v2" v2
next_port; s_hy=$port; start_lt_seed "$s_hy" hybrid
echo "bench: ${size_mib} MiB, 1 MiB pieces, $runs runs each, $(nproc) cores" >&2
for _ in $(seq "$runs"); do
  lt_download lt_v2 v2 --peer "127.0.0.1:$s_v2"
  jt_download jt_v2 v2 --peer "127.0.0.1:$s_v2"
  lt_download lt_hy hybrid --peer "127.0.0.1:$s_hy"
  jt_download jt_hy hybrid --peer "127.0.0.1:$s_hy"
done
printf '%-36s %8s %8s   %s\n' "median of $runs" "wall s" "CPU s" "every run: wall/CPU"
row() { printf '%-36s %8s %8s   %s\n' "$1" "$(median_col "$2" 1)" "$(median_col "$2" 3)" \
  "$(awk '{printf "%s/%s ", $1, $3}' "$work/$2.m")"; }
row "libtorrent <- libtorrent, v2-only" lt_v2
row "jtorr      <- libtorrent, v2-only" jt_v2
row "libtorrent <- libtorrent, hybrid" lt_hy
row "jtorr      <- libtorrent, hybrid" jt_hy
echo
echo "ratio jtorr / libtorrent, v2-only: wall $(ratio "$(median_col jt_v2 1)" "$(median_col lt_v2 1)")  CPU $(ratio "$(median_col jt_v2 3)" "$(median_col lt_v2 3)")"
echo "ratio jtorr / libtorrent, hybrid:  wall $(ratio "$(median_col jt_hy 1)" "$(median_col lt_hy 1)")  CPU $(ratio "$(median_col jt_hy 3)" "$(median_col lt_hy 3)")"
