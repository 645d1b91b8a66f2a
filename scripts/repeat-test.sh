#!/usr/bin/env bash
# Runs one test N times in one JVM and prints failures and the time distribution (min/median/max), to tell a flaky
# test from a sound one: every interoperability test gets 20 green runs in a row before it lands.
#   bash scripts/repeat-test.sh SwarmInteropTest 20
#   bash scripts/repeat-test.sh 'EncryptionInteropTest#jtorrDialsLibtorrent' 20
# The class may be given by its simple name; it is looked up under */src/test/java. Builds first (tests skipped).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 CLASS[#METHOD] N" >&2; exit 2; }
test="$1"; times="$2"
class="${test%%#*}"; method="${test#"$class"}"
source "$here/scripts/maven-env.sh"
cd "$here"
file=$(find ./*/src/test/java -name "${class##*.}.java" | head -n 1)
[ -n "$file" ] || { echo "repeat-test: no test class $class under */src/test/java" >&2; exit 2; }
module="${file#./}"; module="${module%%/*}"
fqcn="${file#./"$module"/src/test/java/}"; fqcn="${fqcn%.java}"; fqcn="${fqcn//\//.}"
mvn -B -q -o install -DskipTests >&2 || mvn -B -q install -DskipTests >&2
cp_file="$here/$module/target/repeat-test.classpath"
mvn -B -q -o -pl "$module" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2 \
  || mvn -B -q -pl "$module" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
cp="$here/$module/target/test-classes:$here/$module/target/classes:$(cat "$cp_file")"
cd "$here/$module" # as surefire runs the module's tests
exec "$JAVA_HOME/bin/java" -XX:+EnableDynamicAgentLoading -cp "$cp" "$here/scripts/RepeatTest.java" "$fqcn$method" "$times"
