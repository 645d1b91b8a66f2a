#!/usr/bin/env bash
# Benchmark: does jtorr's memory grow with the torrent's size? Downloads a small and a large torrent from a
# libtorrent seeder on loopback and reports peak RSS: jtorr with the JVM's default heap, jtorr with the heap capped
# at 64 MiB (JTORR_JAVA_OPTS=-Xmx64m: if the large download completes, what jtorr keeps live is bounded
# whatever the size), and libtorrent for reference (its RSS counts the file pages it maps).
# Usage: bench/memory.sh [SMALL_MIB (default 256)] [LARGE_MIB (default 2048)] [RUNS (default 3)]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
small="${1:-256}"
large="${2:-2048}"
runs="${3:-3}"
source "$here/bench/lib.sh"
need_tools
make_torrent small "$small"
make_torrent large "$large"
next_port; s1=$port; start_lt_seed "$s1" small
next_port; s2=$port; start_lt_seed "$s2" large
echo "bench: $small MiB and $large MiB, $runs runs each, $(nproc) cores" >&2
for _ in $(seq "$runs"); do
  for size in small large; do
    src=$s1; [ "$size" = large ] && src=$s2
    jt_download "jt_$size" "$size" --peer "127.0.0.1:$src"
    JTORR_JAVA_OPTS=-Xmx64m jt_download "jt64_$size" "$size" --peer "127.0.0.1:$src"
    lt_download "lt_$size" "$size" --peer "127.0.0.1:$src"
  done
done
mib() { echo $(( $(median_col "$1" 2) / 1024 )); }
printf '%-40s %12s %12s %8s\n' "peak RSS MiB, median of $runs" "$small MiB" "$large MiB" "ratio"
row() { printf '%-40s %12s %12s %8s\n' "$1" "$(mib "$2_small")" "$(mib "$2_large")" "$(ratio "$(median_col "$2_large" 2)" "$(median_col "$2_small" 2)")"; }
row "jtorr (default heap)" jt
row "jtorr (JTORR_JAVA_OPTS=-Xmx64m)" jt64
row "libtorrent (maps the file)" lt
printf '%-40s %12s %12s\n' "jtorr -Xmx64m wall s" "$(median_col jt64_small 1)" "$(median_col jt64_large 1)"
printf '%-40s %12s %12s\n' "jtorr default heap wall s" "$(median_col jt_small 1)" "$(median_col jt_large 1)"
