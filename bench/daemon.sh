#!/usr/bin/env bash
# Benchmark: jtorr's daemon (`jtorr daemon`, HTTP API /api/v1) holding N small torrents against Debian's
# transmission-daemon 3.00 (RPC /transmission/rpc) holding the same N torrents, both complete and seeding, on
# loopback only (jtorr: the offline defaults, --no-dht --no-lsd, bound to 127.0.0.1; Transmission: its own config
# folder with DHT, LPD, PEX, uTP and port forwarding off, bound to 127.0.0.1). One daemon runs at a time. Reports:
#   - list latency: K requests of the full list, one after another on one kept-alive connection, from sending the
#     request to the last byte of the response (p50 and p99 of the K), and the response's bytes. jtorr:
#     GET /api/v1/torrents (every field of every torrent); Transmission: torrent-get of every torrent with the
#     fields a remote app asks for (id, name, status, percentDone, rateDownload, rateUpload, eta, peersConnected,
#     totalSize, sizeWhenDone, uploadedEver, error, errorString, downloadDir, addedDate);
#   - update latency and bytes per update: M changes of one torrent (pause, resume, pause, ...), 0.6 s apart;
#     medians of the pauses and of the resumes apart (Transmission takes ~300 ms to stop a torrent, ~2 to start it).
#     jtorr pushes: with an event stream open on /api/v1/events, the time from sending the pause (resume) request
#     to the arrival of the `changes` event that shows it, and that event's bytes (its SSE text: id, event and
#     data lines). Transmission has no push: the time from sending torrent-stop (torrent-start) to the end of the
#     first torrent-get with ids "recently-active" that shows it (polled back to back), and that response's
#     bytes: what a remote app that polls for changes pays for the same update, without its polling interval.
#     Transmission's "recently-active" lists every torrent active in the last 60 s, so its updates are measured
#     once that list is empty (added torrents count as active for a minute);
#   - RSS (VmRSS): of the daemon empty, SETTLE seconds after its API answers, and with the N torrents, SETTLE
#     seconds after every one seeds (before any list request); RSS growth per torrent = (RSS_N - RSS_empty) / N;
#   - for information, the time to add the N torrents (one request each) and until all seed (each daemon checks
#     the data it finds).
# Each round starts each daemon afresh (new state folder; the data folders are kept), alternating which goes
# first; the table gives medians of RUNS rounds and the ratios jtorr / Transmission from this run. jtorr runs as a
# user would run it (the launcher's JVM options, plus any JTORR_JAVA_OPTS). With N = 1000 a round takes about 5
# minutes, 2 of them Transmission checking the data of the torrents it is given (one at a time, ~115 ms each).
# Usage: bench/daemon.sh [N (default 1000)] [RUNS (default 3)] [--requests K (default 200)]
#        [--updates M (default 10)] [--settle SECONDS (default 10)]
set -euo pipefail
export LC_NUMERIC=C   # printf %f and bc agree on the decimal point
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n=1000 runs=3 requests=200 updates=10 settle=10 positional=()
usage="usage: bench/daemon.sh [N] [RUNS] [--requests K] [--updates M] [--settle SECONDS]"
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="$2"; shift 2;;
    --updates) updates="$2"; shift 2;;
    --settle) settle="$2"; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    -*) echo "$usage" >&2; exit 2;;
    *) positional+=("$1"); shift;;
  esac
done
n="${positional[0]:-$n}"
runs="${positional[1]:-$runs}"
[ "$n" -ge 1 ] && [ "$runs" -ge 1 ] || { echo "$usage" >&2; exit 2; }
source "$here/bench/lib.sh"
for tool in bc /usr/bin/python3 transmission-daemon; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (bash scripts/install-tools.sh)" >&2; exit 1; }
done
"$here/jtorr" --version >/dev/null   # builds the jar if needed, outside the timings
client=(/usr/bin/python3 "$here/bench/daemon_client.py")
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }   # KiB
field() { /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }   # SIGTERM: both save their state

echo "bench: making $n files (16-64 KiB) and their torrents in $work" >&2
"${client[@]}" make "$work" "$n"
mkdir -p "$work/jt-data" "$work/tr-data"
cp "$work"/data/* "$work/jt-data/"; cp "$work"/data/* "$work/tr-data/"   # each daemon its own copy
cat "$work"/jt-data/* "$work"/tr-data/* > /dev/null   # page cache warm for both
sync

start_jt() { # -> $pid, $url
  next_port; local peer=$port; next_port
  rm -rf "$work/jt-state"
  "$here/jtorr" daemon --state-dir "$work/jt-state" --download-dir "$work/jt-data" --bind 127.0.0.1 --port "$peer" \
    --rpc-port "$port" --no-dht --no-lsd --json > "$work/jt.log" 2> "$work/jt.err" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1200); do
    grep -q '"event":"listening"' "$work/jt.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "bench: jtorr daemon ended" >&2; cat "$work/jt.err" >&2; exit 1; }
    sleep 0.05
  done
  url="http://127.0.0.1:$port"
}

start_tr() { # -> $pid, $url
  next_port; local peer=$port; next_port
  rm -rf "$work/tr-config"; mkdir -p "$work/tr-config"
  cat > "$work/tr-config/settings.json" <<EOF
{
  "rpc-enabled": true, "rpc-bind-address": "127.0.0.1", "rpc-port": $port,
  "rpc-authentication-required": false, "rpc-whitelist-enabled": false, "rpc-host-whitelist-enabled": false,
  "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1", "peer-port": $peer,
  "peer-port-random-on-start": false, "port-forwarding-enabled": false,
  "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
  "download-dir": "$work/tr-data", "incomplete-dir-enabled": false, "watch-dir-enabled": false,
  "start-added-torrents": true, "download-queue-enabled": false, "seed-queue-enabled": false,
  "ratio-limit-enabled": false, "idle-seeding-limit-enabled": false, "message-level": 1
}
EOF
  transmission-daemon -f -g "$work/tr-config" > "$work/tr.log" 2>&1 &
  pid=$!; pids+=("$pid")
  url="http://127.0.0.1:$port"
  for _ in $(seq 1200); do
    # the first request gets 409 with the session id: the RPC answers
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/transmission/rpc")" = 409 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: transmission-daemon ended" >&2; cat "$work/tr.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "bench: transmission-daemon's RPC did not answer" >&2; exit 1
}

measure() { # jt|tr: one daemon started afresh; appends "list_p50_ms list_p99_ms list_bytes pause_ms resume_ms
            # update_bytes rss_empty_kib rss_n_kib added_s seeding_s" to $work/<client>.m
  local c="$1" r0 rn added list upd
  if [ "$c" = jt ]; then start_jt; else start_tr; fi
  sleep "$settle"
  r0=$(rss "$pid")
  added=$("${client[@]}" add "$c" "$url" "$work" "$n" "$work/$c-data")
  sleep "$settle"
  rn=$(rss "$pid")
  list=$("${client[@]}" list "$c" "$url" "$n" "$requests")
  [ "$c" = tr ] && "${client[@]}" quiet "$url" 120
  upd=$("${client[@]}" update "$c" "$url" "$updates")
  stop "$pid"
  echo "$(field p50_ms <<< "$list") $(field p99_ms <<< "$list") $(field bytes <<< "$list")" \
    "$(field pause_ms <<< "$upd") $(field resume_ms <<< "$upd") $(field bytes <<< "$upd") $r0 $rn" \
    "$(field added_s <<< "$added") $(field seeding_s <<< "$added")" >> "$work/$c.m"
  echo "bench: $c: $(tail -n 1 "$work/$c.m")  updates (ms, bytes): $(field samples <<< "$upd")" >&2
}

echo "bench: $n torrents, $runs rounds, $requests list requests, $updates updates, settle $settle s," \
  "$(nproc) cores" >&2
rm -f "$work"/*.m
for round in $(seq "$runs"); do
  if [ $((round % 2)) = 1 ]; then order="tr jt"; else order="jt tr"; fi
  for c in $order; do measure "$c"; done
done

# ---- report ----
med() { median_col "$1" "$2"; }
growth() { echo "scale=2; ($(med "$1" 8) - $(med "$1" 7)) / $n" | bc -l; }
mib() { echo "scale=1; $1 / 1024" | bc -l; }
fmt() { printf '%.2f' "$1"; }
row() { printf '%-40s %14s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
jt_growth=$(fmt "$(growth jt)"); tr_growth=$(fmt "$(growth tr)")
echo
printf '%-40s %14s %14s %8s\n' "$n torrents, median of $runs" jtorr Transmission ratio
row "list latency p50 (ms)" "$(med jt 1)" "$(med tr 1)"
row "list latency p99 (ms)" "$(med jt 2)" "$(med tr 2)"
row "list response (bytes)" "$(med jt 3)" "$(med tr 3)"
row "update latency, pause (ms; see --help)" "$(med jt 4)" "$(med tr 4)"
row "update latency, resume (ms)" "$(med jt 5)" "$(med tr 5)"
row "bytes per update" "$(med jt 6)" "$(med tr 6)"
row "RSS empty (MiB)" "$(mib "$(med jt 7)")" "$(mib "$(med tr 7)")"
row "RSS with $n torrents (MiB)" "$(mib "$(med jt 8)")" "$(mib "$(med tr 8)")"
row "RSS growth per torrent (KiB)" "$jt_growth" "$tr_growth"
printf '%-40s %14s %14s\n' "add $n / until all seed (s)" "$(med jt 9) / $(med jt 10)" "$(med tr 9) / $(med tr 10)"
echo
met() { if [ "$(echo "$1 <= $2" | bc -l)" = 1 ]; then echo met; else echo missed; fi; }   # target: at most
echo "targets: list p50 $(met "$(med jt 1)" "$(med tr 1)"), RSS growth per torrent $(met "$jt_growth" "$tr_growth")"
echo "every round (list p50/p99 ms, list bytes, pause/resume ms, update bytes, RSS empty/N KiB, add/seeding s):"
for c in tr jt; do
  printf '  %-3s %s\n' "$c" \
    "$(awk '{printf "%s/%s %s %s/%s %s %s/%s %s/%s  ", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}' "$work/$c.m")"
done
