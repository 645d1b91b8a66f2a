#!/usr/bin/env bash
# Benchmark: time `jtorr create` against mktorrent (v1, 2 threads) and libtorrent (hybrid) on the same 1 GiB file,
# page cache warm, same piece size, in one run; prints medians and the ratios jtorr / reference (below 1.0 = faster).
# Usage: bench/create.sh [SIZE_MIB (default 1024)] [RUNS (default 5)]
# Whole commands are timed, JVM start-up included, as a user would meet them.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export JTORR_CONFIG="$here/scripts/offline.properties"   # nothing leaves the machine (the DHT and local discovery are off)
size_mib="${1:-1024}"
runs="${2:-5}"
piece=$((512 * 1024))
for tool in mktorrent bc /usr/bin/python3; do command -v "$tool" >/dev/null || { echo "bench: $tool missing (bash scripts/install-tools.sh)" >&2; exit 1; }; done
/usr/bin/python3 -c 'import libtorrent' || { echo "bench: python3-libtorrent missing" >&2; exit 1; }
lt_tool="$here/adapters-cli/src/test/resources/interop/lt_tool.py"
"$here/jtorr" --version >/dev/null   # builds the jar if needed, outside the timings

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
data="$work/data.bin"
echo "bench: writing ${size_mib} MiB of random data" >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$data"
cat "$data" > /dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_cmd() { # label, command...
  local label="$1"; shift
  local t0 t1
  : > "$work/$label.times"
  for _ in $(seq "$runs"); do
    rm -f "$work/out.torrent"
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    echo "$t1 - $t0" | bc -l >> "$work/$label.times"
  done
  median < "$work/$label.times"
}

echo "bench: $runs runs each, piece size $((piece / 1024)) KiB, $(nproc) cores" >&2
mk=$(time_cmd mktorrent mktorrent -t 2 -l 19 -o "$work/out.torrent" "$data")
jv1=$(time_cmd jtorr-v1 "$here/jtorr" create --v1 --piece-size 512KiB --no-date -o "$work/out.torrent" "$data")
lt=$(time_cmd libtorrent /usr/bin/python3 "$lt_tool" create "$data" "$work/out.torrent" hybrid "$piece")
jhy=$(time_cmd jtorr-hybrid "$here/jtorr" create --hybrid --piece-size 512KiB --no-date -o "$work/out.torrent" "$data")
mib_s() { echo "scale=0; $size_mib / $1" | bc -l; }
printf '%-28s %8s %10s\n' "create ${size_mib} MiB" "median s" "MiB/s"
printf '%-28s %8.2f %10s\n' "mktorrent v1 (2 threads)" "$mk" "$(mib_s "$mk")"
printf '%-28s %8.2f %10s\n' "jtorr v1" "$jv1" "$(mib_s "$jv1")"
printf '%-28s %8.2f %10s\n' "libtorrent hybrid" "$lt" "$(mib_s "$lt")"
printf '%-28s %8.2f %10s\n' "jtorr hybrid" "$jhy" "$(mib_s "$jhy")"
printf 'ratio jtorr v1 / mktorrent:         %.2f\n' "$(echo "$jv1 / $mk" | bc -l)"
printf 'ratio jtorr hybrid / libtorrent:    %.2f\n' "$(echo "$jhy / $lt" | bc -l)"
