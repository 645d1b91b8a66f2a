#!/usr/bin/env bash
# Benchmark: download the same torrent on loopback with jtorr and with libtorrent, from the same seeders, in one run;
# prints medians of wall time, peak RSS and CPU seconds, and the ratios jtorr / libtorrent (below 1.0 = faster).
#   1. from one libtorrent seeder
#   2. from four libtorrent seeders at once
#   3. libtorrent downloading from a jtorr seeder against libtorrent from a libtorrent seeder
#   4. RC4 on every byte: from a libtorrent seeder that requires it, libtorrent (also requiring it) against jtorr
#      with --encryption require
# jtorr runs with its default encryption (prefer: an encrypted handshake, then plain text as libtorrent chooses).
# Usage: bench/download.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
# Whole commands are timed (JVM start-up included). Downloads go to a temporary folder on the same disk.
# A last section adds to each download the time a `sync` right after it takes: jtorr's download ends with its
# files durable (fdatasync), libtorrent's with them in the page cache, so this compares the time until the data
# is on the disk. The ratios above remain the ones the targets are about.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
source "$here/bench/lib.sh"
need_tools
make_torrent data "$size_mib"

next_port; s1=$port; start_lt_seed "$s1" data
next_port; s2=$port; start_lt_seed "$s2" data
next_port; s3=$port; start_lt_seed "$s3" data
next_port; s4=$port; start_lt_seed "$s4" data
next_port; s5=$port; start_lt_seed "$s5" data rc4
next_port; js=$port; start_jtorr_seed "$js" data
echo "bench: ${size_mib} MiB, 1 MiB pieces, $runs runs each, $(nproc) cores" >&2
for _ in $(seq "$runs"); do
  lt_download lt1 data --peer "127.0.0.1:$s1"
  jt_download jt1 data --peer "127.0.0.1:$s1"
  lt_download lt4 data --peer "127.0.0.1:$s1" --peer "127.0.0.1:$s2" --peer "127.0.0.1:$s3" --peer "127.0.0.1:$s4"
  jt_download jt4 data --peer "127.0.0.1:$s1" --peer "127.0.0.1:$s2" --peer "127.0.0.1:$s3" --peer "127.0.0.1:$s4"
  lt_download lt_from_jt data --peer "127.0.0.1:$js"
  lt_download lt_rc4 data --peer "127.0.0.1:$s5" --encryption rc4
  jt_download jt_rc4 data --peer "127.0.0.1:$s5" --encryption require
done

printf '%-40s %8s %8s %8s   %s\n' "median of $runs" "wall s" "RSS MiB" "CPU s" "every run: wall/CPU"
row() { printf '%-40s %8s %8d %8s   %s\n' "$1" "$(median_col "$2" 1)" "$(( $(median_col "$2" 2) / 1024 ))" \
  "$(median_col "$2" 3)" "$(awk '{printf "%s/%s ", $1, $3}' "$work/$2.m")"; }
row "libtorrent <- 1 libtorrent seeder" lt1
row "jtorr      <- 1 libtorrent seeder" jt1
row "libtorrent <- 4 libtorrent seeders" lt4
row "jtorr      <- 4 libtorrent seeders" jt4
row "libtorrent <- 1 jtorr seeder" lt_from_jt
row "libtorrent <- 1 libtorrent seeder, RC4" lt_rc4
row "jtorr      <- 1 libtorrent seeder, RC4" jt_rc4
echo
echo "ratio jtorr / libtorrent, 1 seeder:    wall $(ratio "$(median_col jt1 1)" "$(median_col lt1 1)")  CPU $(ratio "$(median_col jt1 3)" "$(median_col lt1 3)")  RSS $(ratio "$(median_col jt1 2)" "$(median_col lt1 2)")"
echo "ratio jtorr / libtorrent, 4 seeders:   wall $(ratio "$(median_col jt4 1)" "$(median_col lt4 1)")  CPU $(ratio "$(median_col jt4 3)" "$(median_col lt4 3)")"
echo "ratio libtorrent from jtorr seeder / from libtorrent seeder: wall $(ratio "$(median_col lt_from_jt 1)" "$(median_col lt1 1)")"
echo "ratio jtorr / libtorrent, RC4 stream:  wall $(ratio "$(median_col jt_rc4 1)" "$(median_col lt_rc4 1)")  CPU $(ratio "$(median_col jt_rc4 3)" "$(median_col lt_rc4 3)")"
echo
echo "until the data is on the disk (the client's wall time plus a \`sync\` right after it; jtorr makes its files"
echo "durable before it exits, libtorrent leaves them in the page cache), medians:"
printf '  1 seeder:  jtorr %s s (sync %s)  libtorrent %s s (sync %s)  ratio %s\n' "$(median_col jt1 5)" "$(median_col jt1 4)" \
  "$(median_col lt1 5)" "$(median_col lt1 4)" "$(ratio "$(median_col jt1 5)" "$(median_col lt1 5)")"
printf '  4 seeders: jtorr %s s (sync %s)  libtorrent %s s (sync %s)  ratio %s\n' "$(median_col jt4 5)" "$(median_col jt4 4)" \
  "$(median_col lt4 5)" "$(median_col lt4 4)" "$(ratio "$(median_col jt4 5)" "$(median_col lt4 5)")"
echo "(libtorrent maps files into memory, so its RSS counts page-cache pages; compare RSS with care)"
