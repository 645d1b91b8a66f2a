# Sourced by the scripts that run Maven (test.sh, fuzz.sh, bench/jmh.sh): finds a JDK 21+ (find-jdk.sh says what to
# install when there is none), exports JAVA_HOME, and MAVEN_OPTS for JDK 23+. Expects $here, the repository.
JAVA_HOME="$("$here/scripts/find-jdk.sh")" || exit 1
export JAVA_HOME
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ -n "$major" ] && [ "$major" -ge 23 ]; then
  # Maven's own Guava touches sun.misc.Unsafe; JDK 23+ warns about it unless told this is expected.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
