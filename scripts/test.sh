#!/usr/bin/env bash
# jtorr's test command: installs missing tools (see install-tools.sh), finds a JDK 21+, then builds and runs every
# test: unit, contract, architecture and interoperability tests against real BitTorrent software.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
bash "$here/scripts/install-tools.sh"
source "$here/scripts/maven-env.sh"
# the offline defaults for anything the tests start: nothing may leave the machine (the DHT and local discovery
# are off)
export JTORR_CONFIG="$here/scripts/offline.properties"
echo "test: using JDK at $JAVA_HOME" >&2
cd "$here"
mvn -B -ntp verify "$@"
