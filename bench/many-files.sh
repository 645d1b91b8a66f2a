#!/usr/bin/env bash
# Benchmark: torrents with thousands of small files, jtorr against libtorrent in one run, pair by pair (the order
# of each pair alternates from run to run); prints medians and the ratios jtorr / libtorrent (below 1.0 = faster).
#   5000:   download a torrent of 5,000 files (1-65 KiB of random data each, random sizes, in 50 folders, ~160 MiB)
#           from one libtorrent seeder on loopback: `jtorr download` against libtorrent's download (lt_peer.py)
#   50000:  the same with 50,000 files of 0.5-4 KiB in 200 folders (~110 MiB)
#   create: a torrent of the 50,000-file folder, page cache warm, same piece size: `jtorr create` (its default,
#           hybrid) against libtorrent's hybrid, and `jtorr create --v1` against libtorrent's v1
# Usage: bench/many-files.sh [RUNS (default 3)] [5000|50000|create|all ...]  (default all)
# FILES_SCALE=0.1 scales both file counts (500 and 5,000 files) for a quick check. DL_FORMAT=hybrid downloads
# hybrid torrents instead of v1 ones. Piece size: jtorr's default rule (the smallest power of two from 16 KiB
# that keeps the torrent at or under 2048 pieces), given explicitly to every tool.
# Whole commands are timed (JVM or Python start-up included). Each download goes into a fresh empty folder on the
# same disk as the seeded data; every downloaded tree (jtorr's and libtorrent's) is compared file for file with the
# seeded one (paths and SHA-1 of each file), outside the timing, and a difference fails the benchmark.
set -euo pipefail
export LC_NUMERIC=C LC_COLLATE=C
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
usage="usage: bench/many-files.sh [RUNS] [5000|50000|create|all ...]"
runs="${1:-3}"
[ $# -gt 0 ] && shift
case "$runs" in
  -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0;;
  5000|50000|create|all) echo "$usage (RUNS comes first)" >&2; exit 2;;
  *[!0-9]*|"") echo "$usage" >&2; exit 2;;
esac
[ "$runs" -ge 1 ] || { echo "$usage" >&2; exit 2; }
want_small=0 want_large=0 want_create=0
[ $# -gt 0 ] || set -- all
for c in "$@"; do
  case "$c" in
    5000) want_small=1;;
    50000) want_large=1;;
    create) want_create=1;;
    all) want_small=1 want_large=1 want_create=1;;
    *) echo "$usage" >&2; exit 2;;
  esac
done
scale="${FILES_SCALE:-1}"
dl_format="${DL_FORMAT:-v1}"
case "$dl_format" in v1|hybrid) ;; *) echo "bench: DL_FORMAT is v1 or hybrid" >&2; exit 2;; esac

source "$here/bench/lib.sh"
need_tools
lt_tool="$here/adapters-cli/src/test/resources/interop/lt_tool.py"

scaled() { awk -v n="$1" -v s="$scale" 'BEGIN {m = int(n * s + 0.5); print (m < 1 ? 1 : m)}'; }
small_n=$(scaled 5000) large_n=$(scaled 50000)
small_dirs=$((small_n < 50 ? small_n : 50)) large_dirs=$((large_n < 200 ? large_n : 200))
fmt_n() { echo "$1" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

make_tree_py='
import os, random, sys
root, n, folders, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(n)
for d in range(folders):
    os.makedirs(os.path.join(root, "d%03d" % d), exist_ok=True)
total = 0
for i in range(n):
    size = rnd.randint(lo, hi)
    with open(os.path.join(root, "d%03d" % rnd.randrange(folders), "f%05d.bin" % i), "wb") as f:
        f.write(os.urandom(size))
    total += size
print(total)
'
piece_for() { # total bytes -> jtorr create's default piece size in bytes
  local p=16384
  while [ $(( (${1} + p - 1) / p )) -gt 2048 ] && [ "$p" -lt $((16 * 1024 * 1024)) ]; do p=$((p * 2)); done
  echo "$p"
}
tree_sum() { # dir root -> "FILES DIGEST": the number of files under dir/root and a SHA-1 over their paths and SHA-1s
  (cd "$1" && find "$2" -type f -print0 | sort -z | xargs -0 -r sha1sum) > "$work/tree.sum" || true
  echo "$(wc -l < "$work/tree.sum") $(sha1sum < "$work/tree.sum" | cut -d' ' -f1)"
}
declare -A expected total_bytes piece_of
make_case() { # name files folders min_bytes max_bytes -> $work/name/name/dNNN/fNNNNN.bin (random), in the page cache
  local name="$1"
  echo "bench: writing $(fmt_n "$2") files in $3 folders" >&2
  mkdir -p "$work/$name"
  total_bytes[$name]=$(/usr/bin/python3 -c "$make_tree_py" "$work/$name/$name" "$2" "$3" "$4" "$5")
  piece_of[$name]=$(piece_for "${total_bytes[$name]}")
  expected[$name]=$(tree_sum "$work/$name" "$name")   # reads every file back: the page cache is warm after it
  [ "${expected[$name]%% *}" = "$2" ] || { echo "bench: $name has ${expected[$name]%% *} files, not $2" >&2; exit 1; }
  sync
}
torrent_case() { # name: $work/name.torrent, made by libtorrent (neither client makes the torrent it downloads)
  /usr/bin/python3 "$lt_tool" create "$work/$1/$1" "$work/$1.torrent" "$dl_format" "${piece_of[$1]}" >/dev/null
}
check_download() { # label name: the tree in $work/dl is the seeded one, file for file
  local got; got=$(tree_sum "$work/dl" "$2")
  [ "$got" = "${expected[$2]}" ] || {
    echo "bench: $1 produced a different tree: $got (files, digest), expected ${expected[$2]}" >&2; tail -5 "$work/last.log" >&2; exit 1; }
}
download_case() { # name: RUNS pairs of downloads from one libtorrent seeder, into $work/lt_name.m and $work/jt_name.m
  local name="$1" seed r
  torrent_case "$name"
  next_port; seed=$port
  start_lt_seed "$seed" "$name"
  echo "bench: $name: $(fmt_n "${expected[$name]%% *}") files, $((total_bytes[$name] / 1048576)) MiB, $dl_format," \
    "$((piece_of[$name] / 1024)) KiB pieces, $runs runs" >&2
  for r in $(seq "$runs"); do
    if [ $((r % 2)) -eq 1 ]; then
      lt_download "lt_$name" "$name" --peer "127.0.0.1:$seed"
      jt_download "jt_$name" "$name" --peer "127.0.0.1:$seed"
    else
      jt_download "jt_$name" "$name" --peer "127.0.0.1:$seed"
      lt_download "lt_$name" "$name" --peer "127.0.0.1:$seed"
    fi
  done
  kill "${pids[-1]}" 2>/dev/null || true   # this case's seeder: no idle seeder during the next case
  rm -rf "$work/dl"
}

time_create() { # label command... -> appends "wall_s peak_rss_kib cpu_s" to $work/label.m; keeps the torrent
  local label="$1"; shift
  rm -f "$work/out.torrent"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" > "$work/last.log" 2>&1 \
    || { echo "bench: $label failed" >&2; tail -20 "$work/last.log" >&2; exit 1; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time.out" >> "$work/$label.m"
  cp "$work/out.torrent" "$work/$label.torrent"
}
check_created() { # label name: libtorrent finds every file of the folder in the torrent and verifies every piece
  local info check
  info=$(/usr/bin/python3 "$lt_tool" inspect "$work/$1.torrent" | /usr/bin/python3 -c '
import json, sys
t = json.load(sys.stdin)
files = [f for f in t["files"] if not f["pad"]]
print(len(files), sum(f["size"] for f in files), t["piece_length"])')
  [ "$info" = "${expected[$2]%% *} ${total_bytes[$2]} ${piece_of[$2]}" ] \
    || { echo "bench: $1's torrent lists (files, bytes, piece size) $info" >&2; exit 1; }
  check=$(/usr/bin/python3 "$lt_tool" check "$work/$1.torrent" "$work/$2")
  echo "$check" | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
sys.exit(0 if c["checked"] and not c["errors"] and c["num_pieces"] == c["total"] else 1)' \
    || { echo "bench: libtorrent does not verify $1's torrent: $check" >&2; exit 1; }
}
create_case() { # name: RUNS pairs of each format
  local name="$1" dir="$work/$1/$1" p="${piece_of[$1]}" r
  local jp="$((p / 1024))KiB"
  echo "bench: create: $(fmt_n "${expected[$name]%% *}") files, $((total_bytes[$name] / 1048576)) MiB," \
    "$((p / 1024)) KiB pieces, $runs runs" >&2
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null   # page cache warm
  for r in $(seq "$runs"); do
    local pairs=("lt_hybrid" "jt_hybrid" "lt_v1" "jt_v1")
    [ $((r % 2)) -eq 1 ] || pairs=("jt_hybrid" "lt_hybrid" "jt_v1" "lt_v1")
    for label in "${pairs[@]}"; do
      case "$label" in
        lt_hybrid) time_create create_lt_hybrid /usr/bin/python3 "$lt_tool" create "$dir" "$work/out.torrent" hybrid "$p";;
        jt_hybrid) time_create create_jt_hybrid "$here/jtorr" create --piece-size "$jp" --no-date -o "$work/out.torrent" "$dir";;
        lt_v1) time_create create_lt_v1 /usr/bin/python3 "$lt_tool" create "$dir" "$work/out.torrent" v1 "$p";;
        jt_v1) time_create create_jt_v1 "$here/jtorr" create --v1 --piece-size "$jp" --no-date -o "$work/out.torrent" "$dir";;
      esac
    done
  done
  check_created create_jt_hybrid "$name"
  check_created create_jt_v1 "$name"
}

echo "bench: $(nproc) cores, scratch folder $work ($(stat -f -c %T "$work"))" >&2
if [ "$want_small" = 1 ]; then
  make_case s "$small_n" "$small_dirs" 1024 $((65 * 1024))
  download_case s
  rm -rf "$work/s"
fi
if [ "$want_large" = 1 ] || [ "$want_create" = 1 ]; then make_case l "$large_n" "$large_dirs" 512 4096; fi
if [ "$want_large" = 1 ]; then download_case l; fi
if [ "$want_create" = 1 ]; then create_case l; fi

echo
echo "downloads: $dl_format torrents made by libtorrent, one libtorrent seeder; pieces:" \
  "$( [ "$want_small" = 1 ] && echo "$((piece_of[s] / 1024)) KiB ($(fmt_n "$small_n") files)")" \
  "$( [ -n "${piece_of[l]:-}" ] && echo "$((piece_of[l] / 1024)) KiB ($(fmt_n "$large_n") files)")"
printf '%-44s %8s %8s %8s   %s\n' "median of $runs" "wall s" "RSS MiB" "CPU s" "every run: wall/CPU"
row() { printf '%-44s %8s %8d %8s   %s\n' "$1" "$(median_col "$2" 1)" "$(( $(median_col "$2" 2) / 1024 ))" \
  "$(median_col "$2" 3)" "$(awk '{printf "%s/%s ", $1, $3}' "$work/$2.m")"; }
ratios() { # title jtorr_label reference_label
  printf '%-58s wall %s  CPU %s  RSS %s\n' "ratio jtorr / libtorrent, $1:" "$(ratio "$(median_col "$2" 1)" "$(median_col "$3" 1)")" \
    "$(ratio "$(median_col "$2" 3)" "$(median_col "$3" 3)")" "$(ratio "$(median_col "$2" 2)" "$(median_col "$3" 2)")"
}
durable() { # title name
  printf '  %-34s jtorr %s s (sync %s)  libtorrent %s s (sync %s)  ratio %s\n' "$1:" "$(median_col "jt_$2" 5)" \
    "$(median_col "jt_$2" 4)" "$(median_col "lt_$2" 5)" "$(median_col "lt_$2" 4)" \
    "$(ratio "$(median_col "jt_$2" 5)" "$(median_col "lt_$2" 5)")"
}
sn="$(fmt_n "$small_n") files" ln="$(fmt_n "$large_n") files"
if [ "$want_small" = 1 ]; then
  row "libtorrent <- libtorrent, $sn" lt_s
  row "jtorr      <- libtorrent, $sn" jt_s
fi
if [ "$want_large" = 1 ]; then
  row "libtorrent <- libtorrent, $ln" lt_l
  row "jtorr      <- libtorrent, $ln" jt_l
fi
if [ "$want_create" = 1 ]; then
  row "create $ln: libtorrent hybrid" create_lt_hybrid
  row "create $ln: jtorr (default, hybrid)" create_jt_hybrid
  row "create $ln: libtorrent v1" create_lt_v1
  row "create $ln: jtorr --v1" create_jt_v1
fi
echo
[ "$want_small" = 1 ] && ratios "download $sn" jt_s lt_s
[ "$want_large" = 1 ] && ratios "download $ln" jt_l lt_l
[ "$want_create" = 1 ] && ratios "create $ln, hybrid" create_jt_hybrid create_lt_hybrid
[ "$want_create" = 1 ] && ratios "create $ln, v1" create_jt_v1 create_lt_v1
if [ "$want_small" = 1 ] || [ "$want_large" = 1 ]; then
  echo
  echo "downloads until the data is on the disk (wall time plus a \`sync\` right after; jtorr makes its files durable"
  echo "before it exits, libtorrent leaves them in the page cache), medians:"
  [ "$want_small" = 1 ] && durable "$sn" s
  [ "$want_large" = 1 ] && durable "$ln" l
  echo "(libtorrent maps files into memory, so its RSS counts page-cache pages; compare RSS with care)"
fi
exit 0
