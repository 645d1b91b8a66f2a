#!/usr/bin/env bash
# Benchmark: from a bare magnet link (xt=urn:btih:... only: no tracker, no x.pe, no --peer) to verified data through
# a loopback DHT of libtorrent nodes, jtorr against libtorrent in one run, both given the same one bootstrap node.
# Set-up (bench/lt_dht_swarm.py, one Python process): NODES libtorrent DHT nodes, node i on 127.0.0.(10+i), and a
# libtorrent seeder of a v1 torrent (random data, 1 MiB pieces) on 127.0.0.2 that has announced into that network.
# Each run forks a fresh downloader on an address of its own (jtorr on 127.0.0.4, libtorrent on 127.0.0.3, a new
# port every run, jtorr in a fresh working folder so that it cannot reuse ./torrents/NAME.torrent), alternating
# libtorrent and jtorr so that both share the machine's noise, and prints medians of:
#   - time to the first peer: from the fork until a TCP connection with the seeder is ESTABLISHED (the one peer
#     there is; the same observer, a 10 ms poll of /proc/net/tcp, for both clients);
#   - time to metadata: jtorr's "metadata fetched" line, libtorrent's "metadata" event (a 10 ms poll of its status);
#   - time to completion: the whole process, as bench/download.sh times it (JVM start-up or Python's import of
#     libtorrent included); the data is compared byte for byte with the seeder's;
# and the ratios jtorr / libtorrent (below 1.0 = faster). Then, with the downloads over:
#   - DHT datagrams per second at idle: a jtorr seeder of the same torrent with its DHT on (127.0.0.5) has run
#     WARMUP s; tcpdump on lo counts for IDLE s the UDP datagrams to or from its DHT port, and the same for the
#     libtorrent seeder's DHT port and for one plain libtorrent node (no torrent) of the network;
#   - the routing table's memory in that jtorr seeder: `jcmd PID GC.class_histogram` (a full GC first, so live
#     objects only); the shallow sizes of RoutingTable$Entry, RoutingTable$Bucket, Contact, NodeId and, one per
#     NodeId, the byte[20] it wraps (40 bytes each with compressed class pointers), whose count of entries is the
#     number of nodes in the table. Contacts held by lookups or the peer store count too, so it is an upper bound.
# Everything is on 127.0.0.0/8: libtorrent has LSD, UPnP and NAT-PMP off and bootstraps from this network's nodes
# only; jtorr runs with the offline defaults (lib.sh) plus --dht and --dht-bootstrap to a loopback node, and its DHT
# adapter refuses non-loopback hosts (-Djtorr.dht.loopbackOnly=true). The script checks with `ss` during the first
# jtorr run that nothing of either client is bound outside loopback.
# Usage: bench/dht.sh [SIZE_MIB (default 128)] [RUNS (default 5)] [NODES (default 20)]
# Needs root for tcpdump (the idle figures are skipped without it).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
size_mib="${1:-128}"
runs="${2:-5}"
nodes="${3:-20}"
warmup=30
idle=30
swarm_py="$here/bench/lt_dht_swarm.py"
source "$here/bench/lib.sh"
need_tools
make_torrent data "$size_mib"
hash="$("$here/jtorr" info --json "$work/data.torrent" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["info_hash_v1"])')"
link="magnet:?xt=urn:btih:$hash"

next_port; dht_port=$port; boot="127.0.0.10:$dht_port"
next_port; seed_port=$port
mkfifo "$work/fifo.swarm"
/usr/bin/python3 "$swarm_py" swarm "$nodes" 10 "$dht_port" "$work/data.torrent" "$work/data" 127.0.0.2 "$seed_port" \
  < "$work/fifo.swarm" > "$work/swarm.log" 2>&1 &
pids+=($!)
exec {swarm_fd}> "$work/fifo.swarm"   # keep its stdin open
for _ in $(seq 1800); do grep -q '"ready"' "$work/swarm.log" 2>/dev/null && break; grep -q '"error"' "$work/swarm.log" && break; sleep 0.1; done
grep -q '"ready"' "$work/swarm.log" || { echo "bench: the DHT network did not come up" >&2; cat "$work/swarm.log" >&2; exit 1; }
echo "bench: $(grep '"ready"' "$work/swarm.log")" >&2

# Copies stdin to a log; writes the time (ns since the epoch) to MARKER.meta when a line first matches PATTERN,
# and to MARKER.peer when /proc/net/tcp first shows an established connection with the seeder (polled every 10 ms).
stamp_py='
import re, sys, threading, time
pattern, marker, log, seeder = re.compile(sys.argv[1]), sys.argv[2], open(sys.argv[3], "w"), sys.argv[4]
host, port = seeder.split(":")
want = "%s:%04X" % ("".join("%02X" % int(b) for b in reversed(host.split("."))), int(port))
def stamp(name):
    with open(marker + "." + name, "w") as f:
        f.write("%d\n" % time.time_ns())
def watch():
    while not done:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                c = line.split()
                if c[3] == "01" and want in (c[1], c[2]):
                    stamp("peer")
                    return
        time.sleep(0.01)
done = False
threading.Thread(target=watch, daemon=True).start()
meta = False
for line in sys.stdin:
    log.write(line)
    if not meta and pattern.search(line):
        stamp("meta")
        meta = True
done = True
'
run_magnet() { # label pattern command...: like lib.sh's measure, plus the times to the first peer and to metadata
  local label="$1" pattern="$2"; shift 2
  rm -rf "$work/dl" "$work/cwd" "$work"/marker.*; mkdir -p "$work/dl" "$work/cwd"
  sync
  local t0 t1 t2
  t0=$(date +%s%N)
  (cd "$work/cwd" && /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" 2>&1) \
    | /usr/bin/python3 -u -c "$stamp_py" "$pattern" "$work/marker" "$work/last.log" "127.0.0.2:$seed_port" \
    || { echo "bench: $label failed" >&2; cat "$work/last.log" >&2; exit 1; }
  for m in peer meta; do
    [ -f "$work/marker.$m" ] || { echo "bench: $label: no $m time" >&2; cat "$work/last.log" >&2; exit 1; }
  done
  t1=$(date +%s%N); sync; t2=$(date +%s%N)
  check_download "$label" data
  awk -v s="$(( (t2 - t1) / 1000000 ))" -v m="$(( ($(cat "$work/marker.meta") - t0) / 1000000 ))" \
    -v p="$(( ($(cat "$work/marker.peer") - t0) / 1000000 ))" \
    '{printf "%s %s %.2f %.2f %.2f %.3f %.3f\n", $1, $2, $3 + $4, s / 1000, $1 + s / 1000, m / 1000, p / 1000}' \
    "$work/time.out" >> "$work/$label.m"
}
check_binds() { # writes $work/binds: every socket of this script's processes; $work/binds.bad: any off loopback
  sleep 1.5
  local mine; mine="$(ps -e -o pid=,ppid= | awk -v root=$$ '{p[$1] = $2} END {for (q in p) {r = q;
    while (r in p && r != root && r > 1) r = p[r]; if (r == root) printf "pid=%s,|", q}}' | sed 's/|$//')"
  ss -tuanp 2>/dev/null | grep -E "$mine" | awk '{print $5, $6}' > "$work/binds" || true
  awk '$1 !~ /^(127\.|\[::ffff:127\.)/ || ($2 !~ /^(127\.|\[::ffff:127\.|\*|0\.0\.0\.0:\*)/)' "$work/binds" \
    > "$work/binds.bad"
}
echo "bench: magnet link through a DHT of $nodes libtorrent nodes, ${size_mib} MiB, 1 MiB pieces, $runs runs each," \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for i in $(seq "$runs"); do
  next_port
  run_magnet lt '"event": "metadata"' /usr/bin/python3 "$swarm_py" magnet "$link" "$work/dl" 127.0.0.3 "$port" \
    --bootstrap "$boot" --seconds 600
  next_port
  checker=""; if [ "$i" = 1 ]; then check_binds & checker=$!; fi
  run_magnet jt '^metadata fetched' "$here/jtorr" download "$link" -o "$work/dl" --port "$port" --bind 127.0.0.4 \
    --dht --dht-bootstrap "$boot"
  if [ -n "$checker" ]; then
    wait "$checker"
    if [ -s "$work/binds.bad" ]; then echo "bench: sockets off loopback:" >&2; cat "$work/binds.bad" >&2; exit 1; fi
    echo "bench: mid-run, $(wc -l < "$work/binds") sockets of this benchmark's processes, all on 127.0.0.0/8" >&2
  fi
done

printf '%-30s %9s %11s %8s %8s %8s   %s\n' "median of $runs" "peer s" "metadata s" "wall s" "RSS MiB" "CPU s" \
  "every run: peer/metadata/wall"
row() { printf '%-30s %9s %11s %8s %8d %8s   %s\n' "$1" "$(median_col "$2" 7)" "$(median_col "$2" 6)" \
  "$(median_col "$2" 1)" "$(( $(median_col "$2" 2) / 1024 ))" "$(median_col "$2" 3)" \
  "$(awk '{printf "%s/%s/%s ", $7, $6, $1}' "$work/$2.m")"; }
row "libtorrent, magnet via DHT" lt
row "jtorr,      magnet via DHT" jt
echo
echo "ratio jtorr / libtorrent: to first peer $(ratio "$(median_col jt 7)" "$(median_col lt 7)")" \
  " to metadata $(ratio "$(median_col jt 6)" "$(median_col lt 6)")" \
  " to verified data $(ratio "$(median_col jt 1)" "$(median_col lt 1)")  CPU $(ratio "$(median_col jt 3)" "$(median_col lt 3)")"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# Idle: a jtorr seeder with its DHT on, then datagrams counted on lo.
next_port; js=$port
rm -rf "$work/cwd"; mkdir -p "$work/cwd"
(cd "$work/cwd" && exec "$here/jtorr" seed "$work/data/data.bin" --torrent "$work/data.torrent" --port "$js" \
  --bind 127.0.0.5 --dht --dht-bootstrap "$boot" --json > "$work/jtseed.log" 2>&1) &
jpid=$!; pids+=($jpid)
sleep "$warmup"
grep -q '"phase":"seeding"' "$work/jtseed.log" || { echo "bench: jtorr seeder did not start" >&2; cat "$work/jtseed.log" >&2; exit 1; }
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null; then
  timeout "$idle" tcpdump -i lo -nn -q -l "udp and net 127.0.0.0/8" > "$work/udp.txt" 2>/dev/null || true
  count() { awk -v e="$1" '$3 == e || $5 == e ":"' "$work/udp.txt" | wc -l; }
  per_s() { echo "scale=2; $(count "$1") / $idle" | bc -l; }
  echo "DHT datagrams per second at idle (sent + received, tcpdump on lo for $idle s, after $warmup s):"
  echo "  jtorr seeder of the torrent:      $(per_s "127.0.0.5.$js")"
  echo "  libtorrent seeder of the torrent: $(per_s "127.0.0.2.$seed_port")"
  echo "  libtorrent node, no torrent:      $(per_s "127.0.0.11.$dht_port")"
else
  echo "DHT datagrams per second at idle: skipped (needs root and tcpdump)"
fi
jcmd_bin="$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo "${JAVA_HOME:-/usr}/bin/java")")")/jcmd"
[ -x "$jcmd_bin" ] || jcmd_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
"$jcmd_bin" "$jpid" GC.run > /dev/null
"$jcmd_bin" "$jpid" GC.class_histogram > "$work/histo.txt"
awk '$4 ~ /^dev\.jtorr\.domain\.dht\.(RoutingTable\$Entry|RoutingTable\$Bucket|Contact|NodeId)$/ {
       print "  " $4 ": " $2 " objects, " $3 " bytes"; sum += $3; if ($4 ~ /NodeId$/) ids = $2; if ($4 ~ /Entry$/) n = $2 }
     END { printf "  + %d byte[20] of the NodeIds: %d bytes\nrouting table: %d nodes, about %.1f KiB (%.0f bytes a node)\n",
           ids, ids * 40, n, (sum + ids * 40) / 1024, n ? (sum + ids * 40) / n : 0 }' "$work/histo.txt"
