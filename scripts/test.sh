#!/usr/bin/env bash
# jtorr's test command: installs missing tools (see install-tools.sh), finds a JDK 21+, then builds and runs every
# test: unit, contract, architecture and interoperability tests against real BitTorrent software.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
bash "$here/scripts/install-tools.sh"
JAVA_HOME="$("$here/scripts/find-jdk.sh")" || exit 1
export JAVA_HOME
echo "test: using JDK at $JAVA_HOME" >&2
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ -n "$major" ] && [ "$major" -ge 23 ]; then
  # Maven's own Guava touches sun.misc.Unsafe; JDK 23+ warns about it unless told this is expected.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
cd "$here"
mvn -B -ntp verify "$@"
