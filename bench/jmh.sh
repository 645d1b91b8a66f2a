#!/usr/bin/env bash
# JMH micro-benchmarks of the domain's hot paths (src/test/java/dev/jtorr/domain/bench): piece hashing (SHA-1 and
# the v2 merkle subtree), the piece picker as a download drives it, and parsing a large torrent.
# Usage: bash bench/jmh.sh [JMH ARGS]   e.g. bash bench/jmh.sh PiecePicker   or   bash bench/jmh.sh -l
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export JTORR_CONFIG="$here/scripts/offline.properties"   # nothing leaves the machine (the DHT and local discovery are off)
source "$here/scripts/maven-env.sh"
cd "$here"
mvn -B -q -ntp install -DskipTests
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl domain dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
exec "$JAVA_HOME/bin/java" -cp "domain/target/test-classes:domain/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
