# Shared by the benchmark scripts (sourced, not run): a scratch folder cleaned up on exit, random data and its
# torrent, libtorrent and jtorr seeders on loopback. Callers set $here (the repository) before sourcing.
lt_peer="$here/adapters-cli/src/test/resources/interop/lt_peer.py"
# Nothing a benchmark runs may leave the machine: the offline defaults turn the DHT and local discovery off, the DHT
# adapter would refuse any host that is not loopback anyway, and local discovery would multicast on loopback only.
export JTORR_CONFIG="$here/scripts/offline.properties"
export JTORR_JAVA_OPTS="${JTORR_JAVA_OPTS:+$JTORR_JAVA_OPTS }-Djtorr.dht.loopbackOnly=true -Djtorr.lsd.loopbackOnly=true"
scratch="${TMPDIR:-/tmp}"
# Downloads must land on a disk: on a tmpfs they would time memory copies. An explicit TMPDIR is taken as it is.
if [ -z "${TMPDIR:-}" ] && [ "$(stat -f -c %T /tmp 2>/dev/null)" = tmpfs ] && [ -d /var/tmp ]; then scratch=/var/tmp; fi
work="$(mktemp -d "$scratch/jtorr-bench.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

need_tools() { # the tools every download benchmark needs
  for tool in bc /usr/bin/python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool missing (bash scripts/install-tools.sh)" >&2; exit 1; }
  done
  /usr/bin/python3 -c 'import libtorrent' || { echo "bench: python3-libtorrent missing" >&2; exit 1; }
  "$here/jtorr" --version >/dev/null   # builds the jar if needed, outside the timings
}

make_torrent() { # name size_mib [v1|v2|hybrid, default v1] -> $work/name/data.bin (random, in the page cache) and
                # $work/name.torrent (1 MiB pieces)
  mkdir -p "$work/$1"
  echo "bench: writing $2 MiB of random data" >&2
  head -c "$(($2 * 1024 * 1024))" /dev/urandom > "$work/$1/data.bin"
  "$here/jtorr" create "--${3:-v1}" --piece-size 1MiB --no-date -o "$work/$1.torrent" "$work/$1/data.bin" >/dev/null 2>&1
  cat "$work/$1/data.bin" > /dev/null
  sync   # no writeback of the new file while anything is measured
}

port=$((20000 + RANDOM % 20000))
next_port() { port=$((port + 7)); }   # sets $port; libtorrent remembers finished peers by port, so never reuse one

start_lt_seed() { # port name [encryption] -> a libtorrent seeder of $work/name.torrent, once it seeds
                  # (encryption as lt_peer.py's --encryption: default, rc4, handshake, plain)
  local p="$1" log="$work/ltseed.$1.log" fd
  mkfifo "$work/fifo.$p"
  /usr/bin/python3 "$lt_peer" seed "$work/$2.torrent" "$work/$2" "$p" --seconds 3600 --encryption "${3:-default}" \
    < "$work/fifo.$p" > "$log" 2>&1 &
  pids+=($!)
  exec {fd}> "$work/fifo.$p"   # keep its stdin open
  for _ in $(seq 600); do grep -q '"seeding"' "$log" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: libtorrent seeder on $p did not start" >&2; cat "$log" >&2; exit 1
}

start_jtorr_seed() { # port name
  local p="$1" log="$work/jtseed.$1.log"
  "$here/jtorr" seed "$work/$2/data.bin" --torrent "$work/$2.torrent" --port "$p" --bind 127.0.0.1 --json > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do grep -q '"phase":"seeding"' "$log" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: jtorr seeder on $p did not start" >&2; cat "$log" >&2; exit 1
}

check_download() { # label name: $work/dl/data.bin is $work/name/data.bin (a script may redefine this check)
  cmp -s "$work/$2/data.bin" "$work/dl/data.bin" || { echo "bench: $1 produced a different file" >&2; exit 1; }
}
measure() { # label name command... -> runs it into a fresh $work/dl, checks the result (check_download),
            # appends "wall_s peak_rss_kib cpu_s sync_s durable_s" to $work/label.m, where sync_s is how long a
            # `sync` right after the client exits takes (writing back what it left in the page cache) and
            # durable_s = wall_s + sync_s, the time until the downloaded data is on the disk
  local label="$1" name="$2"; shift 2
  rm -rf "$work/dl"; mkdir -p "$work/dl"
  sync   # the previous download's writeback is done before this one starts, for every client alike
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" > "$work/last.log" 2>&1 || { echo "bench: $label failed" >&2; cat "$work/last.log" >&2; exit 1; }
  local t0 t1
  t0=$(date +%s%N); sync; t1=$(date +%s%N)
  check_download "$label" "$name"
  awk -v s="$(( (t1 - t0) / 1000000 ))" '{printf "%s %s %.2f %.2f %.2f\n", $1, $2, $3 + $4, s / 1000, $1 + s / 1000}' \
    "$work/time.out" >> "$work/$label.m"
}
median_col() { awk -v c="$2" '{print $c}' "$work/$1.m" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
jt_download() { # label name extra-args... (JTORR_JAVA_OPTS passes through)
  local label="$1" name="$2"; shift 2; next_port
  measure "$label" "$name" "$here/jtorr" download "$work/$name.torrent" -o "$work/dl" --port "$port" --bind 127.0.0.1 --json "$@"; }
lt_download() { # label name extra-args...
  local label="$1" name="$2"; shift 2; next_port
  measure "$label" "$name" /usr/bin/python3 "$lt_peer" download "$work/$name.torrent" "$work/dl" "$port" --seconds 600 "$@"; }
