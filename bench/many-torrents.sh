#!/usr/bin/env bash
# Benchmark: one jtorr engine (`jtorr seed` with N paths) seeding N small torrents against one libtorrent session
# seeding the same N files and .torrent files, on loopback (libtorrent: DHT, LSD, UPnP, NAT-PMP off). Reports:
#   - start-up time with all N resumed: from the fork of the process (JVM or Python start-up included) until every
#     torrent seeds: jtorr's "seeding ... on port N" line (printed once every torrent is added, in the seeding
#     state) and libtorrent's all_seeding event (every torrent in the seeding state, per state updates);
#   - RSS (VmRSS) and threads (/proc/PID/task) with 1 torrent and with N, each in a process of its own, sampled
#     SETTLE seconds after start-up (jtorr's RSS grows for ~10 s after start-up, then levels off); RSS growth per
#     torrent = (RSS_N - RSS_1) / (N - 1), so the fixed start-up memory of the JVM or the interpreter is not
#     counted against the torrents; and the CPU the process used in those SETTLE seconds, idle (no peers);
#   - for jtorr, live heap per torrent: the total of `jcmd GC.class_histogram` (a full collection, then every live
#     object counted at that safepoint), same difference, and the classes that grow most per torrent (last round);
#   - once, the first start with a full check of the data (which writes the resume records both then use).
# Each measured round runs libtorrent and jtorr with 1 and with N torrents, alternating which client goes first;
# the table gives medians of RUNS rounds and the ratios jtorr / libtorrent from this run.
# jtorr runs as a user would run it (the launcher's JVM options, plus any JTORR_JAVA_OPTS); its progress goes to
# a pipe (not a terminal), so it prints a line of totals every few seconds rather than JSON.
# Usage: bench/many-torrents.sh [N (default 1000)] [RUNS (default 3)] [--dir DIR] [--settle SECONDS (default 10)]
# --dir DIR: make (or reuse) the files, torrents and resume records in DIR and keep them; otherwise a temporary
# folder under ${TMPDIR:-/tmp}, deleted on exit.
set -euo pipefail
export LC_NUMERIC=C   # printf %f and bc agree on the decimal point
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n=1000 runs=3 dir="" settle=10 positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2;;
    --settle) settle="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    -*) echo "usage: bench/many-torrents.sh [N] [RUNS] [--dir DIR] [--settle SECONDS]" >&2; exit 2;;
    *) positional+=("$1"); shift;;
  esac
done
n="${positional[0]:-$n}"
runs="${positional[1]:-$runs}"
[ "$n" -ge 2 ] || { echo "bench: N must be at least 2" >&2; exit 2; }
source "$here/bench/lib.sh"
if [ -n "$dir" ]; then # keep the caller's folder
  rm -rf "$work"
  mkdir -p "$dir"
  work="$(cd "$dir" && pwd)"
  cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
fi
need_tools
lt_many="$here/bench/lt_many.py"

# Copies stdin to stdout; when a line matches PATTERN (a regular expression; with COUNT > 1, when COUNT distinct
# "torrent" ids have matched it), writes the time (ns since the epoch) to MARKER.
watch_py='
import re, sys, time
pattern, marker, count = re.compile(sys.argv[1]), sys.argv[2], int(sys.argv[3])
seen, done = set(), False
ids = re.compile(r"\"torrent\":\"([0-9a-f]+)\"")
for line in sys.stdin:
    sys.stdout.write(line)
    if not done and pattern.search(line):
        m = ids.search(line) if count > 1 else None
        seen.add(m.group(1) if m else line)
        if len(seen) >= count:
            with open(marker, "w") as f:
                f.write("%d\n" % time.time_ns())
            done = True
            sys.stdout.flush()
'
watch() { /usr/bin/python3 -u -c "$watch_py" "$@"; }
now_ns() { local t="$EPOCHREALTIME"; echo "${t/./}000"; }   # no fork
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }   # KiB
threads() { ls "/proc/$1/task" | wc -l; }
jcmd_of() { echo "$(dirname "$(readlink -f "/proc/$1/exe")")/jcmd"; }   # the JDK the launcher chose
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks
live_heap() { # pid file: the class histogram (a full collection first) into file; prints its total in KiB
  "$(jcmd_of "$1")" "$1" GC.class_histogram > "$2"
  awk '/^Total/ {print int($3 / 1024)}' "$2"
}
stop() { # pid: SIGTERM (a background JVM ignores SIGINT), waits for it; sets $stop_s, the seconds that took
  local t0; t0=$(now_ns)
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  stop_s=$(printf '%.2f' "$(echo "scale=2; ($(now_ns) - $t0) / 1000000000" | bc -l)")
}
await_marker() { # marker pid label: waits (up to 10 minutes) for the marker, failing if the process ends first
  for _ in $(seq 12000); do
    [ -s "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || { sleep 0.2; [ -s "$1" ] && return 0; echo "bench: $3 ended early" >&2
      tail -c 3000 "$work/$3.log" >&2; tail -c 3000 "$work/$3.err" >&2 2>/dev/null; exit 1; }
    sleep 0.05
  done
  echo "bench: $3 did not start in time" >&2; exit 1
}

# ---- data: N files (64 KiB to 1 MiB of random data), their v1 torrents (16 KiB pieces), one Python process ----
if [ "$(ls "$work/torrents" 2>/dev/null | grep -c '\.torrent$')" -lt "$n" ]; then
  echo "bench: making $n files and torrents in $work" >&2
  rm -rf "$work/data" "$work/torrents" "$work/lt-resume"
  t0=$(now_ns)
  /usr/bin/python3 "$lt_many" make "$work" "$n"
  echo "bench: made in $(echo "scale=1; ($(now_ns) - $t0) / 1000000000" | bc -l) s ($(du -sm "$work/data" | cut -f1) MiB)" >&2
fi
mapfile -t paths < <(cd "$work/data" && ls | sort | head -n "$n" | sed 's|^|data/|')
cat "$work"/data/* > /dev/null   # page cache warm for both clients
sync
cd "$work"   # jtorr finds each PATH's torrent as ./torrents/<file name>.torrent

jt_seed() { # n extra-args... (in the background; sets $pid)
  local k="$1"; shift
  "$here/jtorr" seed "${paths[@]:0:$k}" --port "$port" --bind 127.0.0.1 --no-trackers "$@" &
  pid=$!; pids+=("$pid")
}

# ---- first start: a full check by each client, which writes the resume records the measured runs start from ----
next_port
rm -rf "$work/torrents/.jtorr" "$work/lt-resume"
t0=$(now_ns)
/usr/bin/python3 "$lt_many" seed "$work" "$n" "$port" "$work/lt-resume" --check > "$work/lt_check.log"
lt_check=$(printf '%.2f' "$(echo "scale=2; ($(now_ns) - $t0) / 1000000000" | bc -l)")
next_port
rm -f "$work/marker"
t0=$(now_ns)
jt_seed "$n" --json > >(watch '"phase":"seeding"' "$work/marker" "$n" > "$work/jt_check.log") 2> "$work/jt_check.err"
await_marker "$work/marker" "$pid" jt_check
jt_check=$(printf '%.2f' "$(echo "scale=2; ($(cat "$work/marker") - $t0) / 1000000000" | bc -l)")
for _ in $(seq 600); do [ "$(ls "$work/torrents/.jtorr" 2>/dev/null | grep -c '\.resume$')" -ge "$n" ] && break; sleep 0.1; done
stop "$pid"; jt_check_stop=$stop_s
records=$(ls "$work/torrents/.jtorr" | grep -c '\.resume$' || true)
[ "$records" -ge "$n" ] || { echo "bench: jtorr wrote $records resume records for $n torrents" >&2; exit 1; }
echo "bench: first start with a full check of $n torrents: libtorrent $lt_check s, jtorr $jt_check s" \
  "(stopping jtorr took $jt_check_stop s)" >&2

# ---- measured runs ----
measure() { # client k label: one process seeding the first k torrents with their resume records; appends
            # "startup_s rss_kib threads idle_cpu_% [live_heap_kib rss_after_gc_kib stop_s]" to $work/label.m
  local client="$1" k="$2" label="$3" t0 startup r th c0 cpu line
  next_port
  rm -f "$work/marker"
  sync
  t0=$(now_ns)
  if [ "$client" = lt ]; then
    /usr/bin/python3 "$lt_many" seed "$work" "$k" "$port" "$work/lt-resume" \
      > >(watch '"all_seeding"' "$work/marker" 1 > "$work/$label.log") 2> "$work/$label.err" &
    pid=$!; pids+=("$pid")
  else
    jt_seed "$k" > "$work/$label.log" 2> >(watch '^seeding .* on port [0-9]+; Ctrl-C to stop' "$work/marker" 1 \
      > "$work/$label.err")
  fi
  await_marker "$work/marker" "$pid" "$label"
  startup=$(printf '%.3f' "$(echo "scale=3; ($(cat "$work/marker") - $t0) / 1000000000" | bc -l)")
  c0=$(cpu_ticks "$pid")
  sleep "$settle"
  r=$(rss "$pid"); th=$(threads "$pid")   # before jcmd, which adds a thread
  cpu=$(printf '%.1f' "$(echo "scale=2; ($(cpu_ticks "$pid") - $c0) * 100 / $(getconf CLK_TCK) / $settle" | bc -l)")
  line="$startup $r $th $cpu"
  if [ "$client" = jt ]; then
    grep -q '^hashing' "$work/$label.err" && { echo "bench: jtorr hashed data in a resumed start" >&2; exit 1; }
    line="$line $(live_heap "$pid" "$work/hist.$label") $(rss "$pid")"
    stop "$pid"; line="$line $stop_s"
  else
    stop "$pid"
  fi
  echo "$line" >> "$work/$label.m"
  echo "bench: $label: $line" >&2
}

echo "bench: $n torrents, $runs rounds, settle $settle s, $(nproc) cores" >&2
rm -f "$work"/*.m "$work"/hist.*
for round in $(seq "$runs"); do
  if [ $((round % 2)) = 1 ]; then order="lt jt"; else order="jt lt"; fi
  for c in $order; do measure "$c" 1 "${c}_1"; done
  for c in $order; do measure "$c" "$n" "${c}_n"; done
done

# ---- report ----
med() { median_col "$1" "$2"; }
per_torrent_kib() { echo "scale=2; ($(med "$1_n" "$2") - $(med "$1_1" "$2")) / ($n - 1)" | bc -l; }
mib() { echo "scale=1; $1 / 1024" | bc -l; }
fmt() { printf '%.2f' "$1"; }
jt_growth=$(per_torrent_kib jt 2); lt_growth=$(per_torrent_kib lt 2)
jt_heap=$(per_torrent_kib jt 5); jt_gc_growth=$(per_torrent_kib jt 6)
echo
printf '%-44s %14s %14s %8s\n' "$n torrents, median of $runs" jtorr libtorrent ratio
printf '%-44s %14s %14s %8s\n' "start-up, all $n resumed (s)" "$(med jt_n 1)" "$(med lt_n 1)" "$(ratio "$(med jt_n 1)" "$(med lt_n 1)")"
printf '%-44s %14s %14s %8s\n' "start-up, 1 torrent (s)" "$(med jt_1 1)" "$(med lt_1 1)" "$(ratio "$(med jt_1 1)" "$(med lt_1 1)")"
printf '%-44s %14s %14s %8s\n' "RSS growth per torrent (KiB)" "$(fmt "$jt_growth")" "$(fmt "$lt_growth")" "$(ratio "$jt_growth" "$lt_growth")"
printf '%-44s %14s %14s\n' "RSS with 1 / with $n torrents (MiB)" "$(mib "$(med jt_1 2)") / $(mib "$(med jt_n 2)")" \
  "$(mib "$(med lt_1 2)") / $(mib "$(med lt_n 2)")"
printf '%-44s %14s %14s\n' "threads with 1 / with $n torrents" "$(med jt_1 3) / $(med jt_n 3)" "$(med lt_1 3) / $(med lt_n 3)"
printf '%-44s %14s %14s\n' "CPU idle with 1 / with $n torrents (% core)" "$(med jt_1 4) / $(med jt_n 4)" "$(med lt_1 4) / $(med lt_n 4)"
printf '%-44s %14s %14s\n' "live heap per torrent (KiB)" "$(fmt "$jt_heap")" "-"
printf '%-44s %14s %14s\n' "live heap with 1 / with $n torrents (MiB)" "$(mib "$(med jt_1 5)") / $(mib "$(med jt_n 5)")" "-"
printf '%-44s %14s %14s\n' "RSS growth per torrent after a full GC (KiB)" "$(fmt "$jt_gc_growth")" "-"
printf '%-44s %14s %14s\n' "first start, full check of $n (s, once)" "$jt_check" "$lt_check"
printf '%-44s %14s %14s\n' "stop with $n torrents (s, SIGTERM)" "$(med jt_n 7)" "-"
echo
echo "every round (start-up s / RSS KiB / threads / idle CPU %):"
for label in lt_1 jt_1 lt_n jt_n; do
  printf '  %-5s %s\n' "$label" "$(awk '{printf "%s/%s/%s/%s  ", $1, $2, $3, $4}' "$work/$label.m")"
done
if [ -f "$work/hist.jt_1" ] && [ -f "$work/hist.jt_n" ]; then
  echo
  echo "jtorr heap per torrent by class, last round (GC.class_histogram, $n torrents minus 1, / $((n - 1))):"
  awk -v k=$((n - 1)) '
    FNR == 1 { f++ }
    /^ *[0-9]+:/ { if (f == 1) { b1[$4] = $3; i1[$4] = $2 } else { bn[$4] = $3; in_[$4] = $2 } }
    END { for (c in bn) { d = (bn[c] - b1[c]) / k; if (d > 0) printf "%10.0f %8.1f  %s\n", d, (in_[c] - i1[c]) / k, c } }' \
    "$work/hist.jt_1" "$work/hist.jt_n" | sort -rn | awk 'NR <= 15' | awk 'BEGIN {printf "%10s %8s  %s\n", "bytes", "objects", "class"} {print}'
  awk '/^Total/ {print $3}' "$work/hist.jt_1" "$work/hist.jt_n" | paste -sd' ' | \
    awk -v k=$((n - 1)) '{printf "%10.0f %8s  (all classes)\n", ($2 - $1) / k, ""}'
fi
