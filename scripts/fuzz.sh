#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of every decoder that reads outside input: bencode, .torrent files, magnet links,
# KRPC datagrams, local discovery announces, ut_pex and ut_metadata messages (domain, DecoderFuzzTest) and a peer's
# byte stream, tracker replies and tracker requests (adapters-net, WireFuzzTest). Each target runs for the maxDuration its @FuzzTest gives
# (60 s). A finding fails the run and Jazzer saves the input under
# src/test/resources/<package>/<Class>Inputs/<target>/, where every normal test run replays
# it from then on. The corpus it grows is kept in <module>/.cifuzz-corpus (ignored by git).
# Usage: bash scripts/fuzz.sh [TARGET ...]   e.g. bash scripts/fuzz.sh torrentFile peerStream
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
source "$here/scripts/maven-env.sh"
cd "$here"
mvn -B -q -ntp install -DskipTests
declare -A module=([bencode]=domain [torrentFile]=domain [magnetLink]=domain [krpc]=domain [lsd]=domain [pex]=domain [utMetadata]=domain
                   [peerStream]=adapters-net [httpTrackerReply]=adapters-net [trackerRequests]=adapters-net)
declare -A class=([domain]=DecoderFuzzTest [adapters-net]=WireFuzzTest)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(bencode torrentFile magnetLink krpc lsd pex utMetadata peerStream httpTrackerReply trackerRequests)
status=0
for t in "${targets[@]}"; do
  m="${module[$t]:-}"
  [ -n "$m" ] || { echo "fuzz: unknown target $t (one of ${!module[*]})" >&2; exit 2; }
  echo "fuzz: $t ($m)" >&2
  if JAZZER_FUZZ=1 mvn -B -ntp test -pl "$m" -Dtest="${class[$m]}#$t" > "$m/target/fuzz-$t.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$m/target/fuzz-$t.log" | tail -1 | sed "s/^/fuzz: $t: /" >&2 || true
  else
    status=1
    echo "fuzz: $t FOUND SOMETHING (or failed to run); see $m/target/fuzz-$t.log" >&2
    grep -E 'FuzzTestFinding|Exception|Error' "$m/target/fuzz-$t.log" | head -5 >&2 || true
  fi
done
exit $status
