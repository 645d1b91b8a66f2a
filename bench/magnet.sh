#!/usr/bin/env bash
# Benchmark: from a magnet link to verified data, on loopback, jtorr against libtorrent in one run, both fetching
# the metadata (BEP 9) and then the data from the same libtorrent seeder (given as a peer: `x.pe` in jtorr's link,
# connect_peer for libtorrent, whose magnet parser ignores x.pe). Prints medians of:
#   - time to metadata: from the fork of the process (JVM start-up or Python's import of libtorrent included) until
#     the client has the info dictionary: jtorr's "metadata fetched" line, libtorrent's "metadata" event;
#   - time to completion: the whole process, as bench/download.sh times it; with peak RSS and CPU seconds;
# and the ratios jtorr / libtorrent (below 1.0 = faster). Every jtorr run starts in a fresh folder, so it fetches
# the metadata rather than reusing ./torrents/<name>.torrent from the run before.
# Usage: bench/magnet.sh [SIZE_MIB (default 256)] [RUNS (default 5)]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-256}"
runs="${2:-5}"
source "$here/bench/lib.sh"
need_tools
make_torrent data "$size_mib"
next_port; seeder=$port; start_lt_seed "$seeder" data
link="$("$here/jtorr" info --json "$work/data.torrent" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["magnet"])')"

# Copies stdin to a log; when a line matches PATTERN first, writes the time (ns since the epoch) to MARKER.
stamp_py='
import re, sys, time
pattern, marker, log = re.compile(sys.argv[1]), sys.argv[2], open(sys.argv[3], "w")
done = False
for line in sys.stdin:
    log.write(line)
    if not done and pattern.search(line):
        with open(marker, "w") as f:
            f.write("%d\n" % time.time_ns())
        done = True
'
run_magnet() { # label pattern command...: like lib.sh's measure, plus the time to the line matching pattern
  local label="$1" pattern="$2"; shift 2
  rm -rf "$work/dl" "$work/cwd" "$work/marker"; mkdir -p "$work/dl" "$work/cwd"
  sync
  local t0 t1 t2
  t0=$(date +%s%N)
  (cd "$work/cwd" && /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" 2>&1) \
    | /usr/bin/python3 -u -c "$stamp_py" "$pattern" "$work/marker" "$work/last.log" \
    || { echo "bench: $label failed" >&2; cat "$work/last.log" >&2; exit 1; }
  [ -f "$work/marker" ] || { echo "bench: $label never said it had the metadata" >&2; cat "$work/last.log" >&2; exit 1; }
  t1=$(date +%s%N); sync; t2=$(date +%s%N)
  check_download "$label" data
  awk -v s="$(( (t2 - t1) / 1000000 ))" -v m="$(( ($(cat "$work/marker") - t0) / 1000000 ))" \
    '{printf "%s %s %.2f %.2f %.2f %.3f\n", $1, $2, $3 + $4, s / 1000, $1 + s / 1000, m / 1000}' \
    "$work/time.out" >> "$work/$label.m"
}

echo "bench: magnet link, ${size_mib} MiB, 1 MiB pieces, $runs runs each, $(nproc) cores" >&2
for _ in $(seq "$runs"); do
  next_port
  run_magnet lt '"event": "metadata"' /usr/bin/python3 "$lt_peer" download "$link" "$work/dl" "$port" \
    --peer "127.0.0.1:$seeder" --seconds 600
  next_port
  run_magnet jt '^metadata fetched' "$here/jtorr" download "$link&x.pe=127.0.0.1:$seeder" -o "$work/dl" \
    --port "$port" --bind 127.0.0.1
done

printf '%-34s %12s %8s %8s %8s   %s\n' "median of $runs" "metadata s" "wall s" "RSS MiB" "CPU s" \
  "every run: metadata/wall"
row() { printf '%-34s %12s %8s %8d %8s   %s\n' "$1" "$(median_col "$2" 6)" "$(median_col "$2" 1)" \
  "$(( $(median_col "$2" 2) / 1024 ))" "$(median_col "$2" 3)" "$(awk '{printf "%s/%s ", $6, $1}' "$work/$2.m")"; }
row "libtorrent, magnet <- 1 seeder" lt
row "jtorr,      magnet <- 1 seeder" jt
echo
echo "ratio jtorr / libtorrent: to metadata $(ratio "$(median_col jt 6)" "$(median_col lt 6)")" \
  " to verified data $(ratio "$(median_col jt 1)" "$(median_col lt 1)")  CPU $(ratio "$(median_col jt 3)" "$(median_col lt 3)")"
echo "until the data is on the disk (wall + a sync right after): jtorr $(median_col jt 5) s, libtorrent" \
  "$(median_col lt 5) s, ratio $(ratio "$(median_col jt 5)" "$(median_col lt 5)")"
