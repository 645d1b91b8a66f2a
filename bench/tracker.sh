#!/usr/bin/env bash
# Benchmark: announces per second that `jtorr tracker` sustains on loopback, HTTP and UDP, against opentracker on the
# same machine in the same run, and memory per tracked peer. A bounded load generator (bench/TrackerLoad.java:
# WORKERS closed-loop clients, each with one request in flight, for SECONDS) drives each tracker in turn.
# Usage: bench/tracker.sh [SECONDS (default 10)] [WORKERS (default 16)] [PEERS to register (default 200000)]
# Memory per peer = growth of the tracker's RSS while PEERS distinct peers (over 1000 torrents) are registered.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export JTORR_CONFIG="$here/scripts/offline.properties"   # nothing leaves the machine (the DHT and local discovery are off)
seconds="${1:-10}"
workers="${2:-16}"
peers="${3:-200000}"
torrents=1000
command -v opentracker >/dev/null || { echo "bench: opentracker missing (apt-get install opentracker)" >&2; exit 1; }
"$here/jtorr" --version >/dev/null   # builds the jar (and finds the JDK) outside the measurements
java="$("$here/scripts/find-jdk.sh")/bin/java" || exit 1
work="$(mktemp -d "${TMPDIR:-/tmp}/jtorr-tracker-bench.XXXXXX")"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
load() { "$java" "$here/bench/TrackerLoad.java" "$@"; }
load hashes "$torrents" > "$work/whitelist"
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }   # KiB
jcmd="$(dirname "$java")/jcmd"
heap() { # KiB of live heap after a full GC (JVM trackers only)
  "$jcmd" "$1" GC.run >/dev/null 2>&1 && "$jcmd" "$1" GC.heap_info 2>/dev/null | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1
}

run_one() { # name start-command... ; prints "name udp_per_s http_per_s bytes_per_peer"
  local name="$1" port="$2"; shift 2
  "$@" > "$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  load load udp 127.0.0.1 "$port" "$torrents" 2 "$workers" >/dev/null   # warm-up (JIT for jtorr)
  local before after filled udp http hb ha live="n/a"
  [ "$name" = jtorr ] && hb=$(heap "$pid")
  before=$(rss "$pid")
  filled=$(load fill udp 127.0.0.1 "$port" "$torrents" "$peers")
  after=$(rss "$pid")
  [ "$name" = jtorr ] && ha=$(heap "$pid") && live=$(( (ha - hb) * 1024 / peers ))
  udp=$(load load udp 127.0.0.1 "$port" "$torrents" "$seconds" "$workers")
  http=$(load load http 127.0.0.1 "$port" "$torrents" "$seconds" "$workers")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "bench: $name fill $filled; udp $udp; http $http" >&2
  local up hp
  up=$(sed 's/.*"per_second":\([0-9]*\).*/\1/' <<<"$udp")
  hp=$(sed 's/.*"per_second":\([0-9]*\).*/\1/' <<<"$http")
  echo "$name $up $hp $(( (after - before) * 1024 / peers )) $live"
}

port=$((20000 + RANDOM % 20000))
mkdir -p "$work/ot"; cp "$work/whitelist" "$work/ot/whitelist"
ot=$(cd "$work/ot" && run_one opentracker "$port" opentracker -i 127.0.0.1 -p "$port" -P "$port" -d "$work/ot" -w whitelist)
port=$((port + 11))
jt=$(run_one jtorr "$port" "$here/jtorr" tracker --bind 127.0.0.1 --http-port "$port" --udp-port "$port")
read -r _ ot_udp ot_http ot_mem ot_live <<<"$ot"
read -r _ jt_udp jt_http jt_mem jt_live <<<"$jt"
printf '\n%-12s %14s %14s %16s %22s\n' "" "UDP ann./s" "HTTP ann./s" "RSS bytes/peer" "live heap bytes/peer"
printf '%-12s %14s %14s %16s %22s\n' opentracker "$ot_udp" "$ot_http" "$ot_mem" "$ot_live" jtorr "$jt_udp" "$jt_http" \
  "$jt_mem" "$jt_live"
printf '\nratios jtorr / opentracker (above 1.0 = more announces per second): UDP %s, HTTP %s; memory per peer %s\n' \
  "$(echo "scale=2; $jt_udp / $ot_udp" | bc)" "$(echo "scale=2; $jt_http / $ot_http" | bc)" \
  "$( [ "$ot_mem" -gt 0 ] && echo "scale=2; $jt_mem / $ot_mem" | bc || echo "n/a (opentracker grew by 0)")"
echo "($workers workers, ${seconds} s each, $peers peers over $torrents torrents registered; loopback, 2 cores shared by tracker and load)"
