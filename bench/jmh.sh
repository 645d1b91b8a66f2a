#!/usr/bin/env bash
# JMH micro-benchmarks of the domain's hot paths (src/test/java/dev/jtorr/domain/bench): piece hashing (SHA-1 and
# the v2 merkle subtree), the piece picker as a download drives it, and parsing a large torrent.
# Usage: bash bench/jmh.sh [JMH ARGS]   e.g. bash bench/jmh.sh PiecePicker   or   bash bench/jmh.sh -l
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JAVA_HOME="$("$here/scripts/find-jdk.sh")" || exit 1
export JAVA_HOME
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ -n "$major" ] && [ "$major" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
cd "$here"
mvn -B -q -ntp install -DskipTests
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl domain dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
exec "$JAVA_HOME/bin/java" -cp "domain/target/test-classes:domain/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
