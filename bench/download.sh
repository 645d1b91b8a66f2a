#!/usr/bin/env bash
# Benchmark: download the same torrent on loopback with jtorr and with libtorrent, from the same seeders, in one run;
# prints medians of wall time, peak RSS and CPU seconds, and the ratios jtorr / libtorrent (below 1.0 = faster).
#   1. from one libtorrent seeder
#   2. from four libtorrent seeders at once
#   3. libtorrent downloading from a jtorr seeder against libtorrent from a libtorrent seeder
# Usage: bench/download.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
# Whole commands are timed (JVM start-up included). Downloads go to a temporary folder on the same disk.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
for tool in bc /usr/bin/python3 /usr/bin/time; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (bash scripts/install-tools.sh)" >&2; exit 1; }; done
/usr/bin/python3 -c 'import libtorrent' || { echo "bench: python3-libtorrent missing" >&2; exit 1; }
lt_peer="$here/adapters-cli/src/test/resources/interop/lt_peer.py"
"$here/jtorr" --version >/dev/null   # builds the jar if needed, outside the timings

work="$(mktemp -d "${TMPDIR:-/tmp}/jtorr-bench.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/seed"
echo "bench: writing ${size_mib} MiB of random data" >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/seed/data.bin"
"$here/jtorr" create --v1 --piece-size 1MiB --no-date -o "$work/data.torrent" "$work/seed/data.bin" >/dev/null
cat "$work/seed/data.bin" > /dev/null

port=$((20000 + RANDOM % 20000))
next_port() { port=$((port + 7)); }   # sets $port; libtorrent remembers finished peers by port, so never reuse one

start_lt_seed() { # port -> starts a libtorrent seeder and waits until it seeds
  local p="$1" log="$work/ltseed.$1.log"
  mkfifo "$work/fifo.$p"
  /usr/bin/python3 "$lt_peer" seed "$work/data.torrent" "$work/seed" "$p" --seconds 3600 < "$work/fifo.$p" > "$log" 2>&1 &
  pids+=($!)
  exec {fd}> "$work/fifo.$p"   # keep its stdin open
  for _ in $(seq 600); do grep -q '"seeding"' "$log" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: libtorrent seeder on $p did not start" >&2; cat "$log" >&2; exit 1
}

start_jtorr_seed() { # port
  local p="$1" log="$work/jtseed.$1.log"
  "$here/jtorr" seed "$work/seed/data.bin" --torrent "$work/data.torrent" --port "$p" --bind 127.0.0.1 --json > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do grep -q '"phase":"seeding"' "$log" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: jtorr seeder on $p did not start" >&2; cat "$log" >&2; exit 1
}

measure() { # label, command... -> appends "wall rss_kib cpu_s" to $work/label.m
  local label="$1"; shift
  rm -rf "$work/dl"; mkdir -p "$work/dl"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" > "$work/last.log" 2>&1 || { echo "bench: $label failed" >&2; cat "$work/last.log" >&2; exit 1; }
  cmp -s "$work/seed/data.bin" "$work/dl/data.bin" || { echo "bench: $label produced a different file" >&2; exit 1; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time.out" >> "$work/$label.m"
}
median_col() { awk -v c="$2" '{print $c}' "$work/$1.m" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
jt_download() { local label="$1"; shift; next_port
  measure "$label" "$here/jtorr" download "$work/data.torrent" -o "$work/dl" --port "$port" --bind 127.0.0.1 --json "$@"; }
lt_download() { local label="$1"; shift; next_port
  measure "$label" /usr/bin/python3 "$lt_peer" download "$work/data.torrent" "$work/dl" "$port" --seconds 600 "$@"; }

next_port; s1=$port; start_lt_seed "$s1"
next_port; s2=$port; start_lt_seed "$s2"
next_port; s3=$port; start_lt_seed "$s3"
next_port; s4=$port; start_lt_seed "$s4"
next_port; js=$port; start_jtorr_seed "$js"
echo "bench: ${size_mib} MiB, 1 MiB pieces, $runs runs each, $(nproc) cores" >&2
for _ in $(seq "$runs"); do
  lt_download lt1 --peer "127.0.0.1:$s1"
  jt_download jt1 --peer "127.0.0.1:$s1"
  lt_download lt4 --peer "127.0.0.1:$s1" --peer "127.0.0.1:$s2" --peer "127.0.0.1:$s3" --peer "127.0.0.1:$s4"
  jt_download jt4 --peer "127.0.0.1:$s1" --peer "127.0.0.1:$s2" --peer "127.0.0.1:$s3" --peer "127.0.0.1:$s4"
  lt_download lt_from_jt --peer "127.0.0.1:$js"
done

printf '%-44s %9s %9s %9s\n' "median of $runs" "wall s" "RSS MiB" "CPU s"
row() { printf '%-44s %9s %9d %9s\n' "$1" "$(median_col "$2" 1)" "$(( $(median_col "$2" 2) / 1024 ))" "$(median_col "$2" 3)"; }
row "libtorrent <- 1 libtorrent seeder" lt1
row "jtorr      <- 1 libtorrent seeder" jt1
row "libtorrent <- 4 libtorrent seeders" lt4
row "jtorr      <- 4 libtorrent seeders" jt4
row "libtorrent <- 1 jtorr seeder" lt_from_jt
echo
echo "ratio jtorr / libtorrent, 1 seeder:    wall $(ratio "$(median_col jt1 1)" "$(median_col lt1 1)")  CPU $(ratio "$(median_col jt1 3)" "$(median_col lt1 3)")  RSS $(ratio "$(median_col jt1 2)" "$(median_col lt1 2)")"
echo "ratio jtorr / libtorrent, 4 seeders:   wall $(ratio "$(median_col jt4 1)" "$(median_col lt4 1)")  CPU $(ratio "$(median_col jt4 3)" "$(median_col lt4 3)")"
echo "ratio libtorrent from jtorr seeder / from libtorrent seeder: wall $(ratio "$(median_col lt_from_jt 1)" "$(median_col lt1 1)")"
echo "(libtorrent maps files into memory, so its RSS counts page-cache pages; compare RSS with care)"
