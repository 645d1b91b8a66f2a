#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer, or fails with one line saying what to install.
# Looks at $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* and /opt/* (newest first). A JDK's version is read from
# its `release` file, so no JVM is started (that cost 0.15 s of every ./jtorr run); java is asked only when the file
# is missing.
set -u
java_major() { # $1 = JDK home
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1)
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}
candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do candidates+=("$d"); done
for home in "${candidates[@]}"; do
  if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
    major=$(java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$home"
      exit 0
    fi
  fi
done
echo "jtorr: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME" >&2
exit 1
