#!/usr/bin/env bash
# Benchmark: seeding to a crowd. 12 libtorrent leechers (lt_crowd.py: one session each, all started at once, each
# knowing only the seeder) download the same torrent from one `jtorr seed`, and from one libtorrent seeder with its
# default settings; rounds alternate between the two, each with a fresh seeder (started and checked outside the
# timing). Per round: seconds until the last leecher completes, and the spread (last minus first). Prints the
# medians and the ratio jtorr / libtorrent of the last leecher's time (below 1.0 = faster).
# Usage: bench/crowd.sh [SIZE_MIB (default 64)] [RUNS (default 3)] [LEECHERS (default 12)]
# Every leecher's file is compared with the original after each round, outside the timing.
set -euo pipefail
export LC_NUMERIC=C
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-64}"
runs="${2:-3}"
leechers="${3:-12}"
source "$here/bench/lib.sh"
lt_crowd="$here/adapters-cli/src/test/resources/interop/lt_crowd.py"
need_tools
make_torrent crowd "$size_mib"
echo "bench: $leechers leechers of ${size_mib} MiB, 1 MiB pieces, $runs rounds each, $(nproc) cores" >&2

stop_seed() { # pid: ends a seeder started for one round
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

crowd_round() { # label seeder-port -> appends "last spread first" to $work/label.m, checks every leecher's bytes
  local label="$1" seed_port="$2" out="$work/leechers.out"
  rm -rf "$work/leechers"; mkdir -p "$work/leechers"; sync
  /usr/bin/python3 "$lt_crowd" "$work/crowd.torrent" "$work/leechers" 0 "$leechers" --peer "127.0.0.1:$seed_port" \
    --seconds 300 > "$out" 2>&1 || { echo "bench: $label crowd failed" >&2; cat "$out" >&2; exit 1; }
  for i in $(seq 0 $((leechers - 1))); do
    cmp -s "$work/crowd/data.bin" "$work/leechers/$i/data.bin" \
      || { echo "bench: $label leecher $i has a different file" >&2; exit 1; }
  done
  /usr/bin/python3 -c 'import json, sys
e = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]
s = e["seconds"]
print("%.2f %.2f %.2f" % (max(s), max(s) - min(s), min(s)))' "$out" >> "$work/$label.m"
  echo "bench: $label: last $(awk 'END {print $1 " s, spread " $2 " s, first " $3 " s"}' "$work/$label.m")" >&2
  rm -rf "$work/leechers"
}

for r in $(seq "$runs"); do
  for who in $( [ $((r % 2)) -eq 1 ] && echo "jt lt" || echo "lt jt"); do
    next_port
    if [ "$who" = jt ]; then start_jtorr_seed "$port" crowd; else start_lt_seed "$port" crowd; fi
    seed_pid="${pids[-1]}"
    crowd_round "$who" "$port"
    stop_seed "$seed_pid"
  done
done

every() { awk '{printf "%s/%s ", $1, $2}' "$work/$1.m"; }
printf '%-34s %10s %10s   %s\n' "median of $runs" "last s" "spread s" "every round: last/spread"
printf '%-34s %10s %10s   %s\n' "$leechers libtorrent <- jtorr seed" "$(median_col jt 1)" "$(median_col jt 2)" "$(every jt)"
printf '%-34s %10s %10s   %s\n' "$leechers libtorrent <- libtorrent seed" "$(median_col lt 1)" "$(median_col lt 2)" "$(every lt)"
echo
echo "ratio jtorr / libtorrent, last leecher: $(ratio "$(median_col jt 1)" "$(median_col lt 1)")"
echo "spread: jtorr $(median_col jt 2) s, libtorrent $(median_col lt 2) s"
