#!/usr/bin/env bash
# Runs every benchmark and writes BENCHMARKS.md at the repository root.
# Usage: bench/run.sh [rounds] [seconds-per-target]   (defaults: 5 rounds, 5 s)
#        bench/run.sh first-login [jvms]               (only the first-login section, printed; default 5 JVMs per variant)
#        bench/run.sh profile [seconds]                (only the JFR profile of the logged-in request, container and
#                                                       cookie mode, printed; default 8 s)
#        bench/run.sh footprint                        (only the footprint section, printed)
# BENCH_MVN_ARGS is passed to every mvn call, e.g. BENCH_MVN_ARGS="-o -Dmaven.repo.local=/path/to/repository" for a
# local repository of its own (MAVEN_OPTS works too).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a MVN_ARGS <<< "${BENCH_MVN_ARGS:-}"
mvn -B -q "${MVN_ARGS[@]}" install -DskipTests
mvn -B -q "${MVN_ARGS[@]}" -f bench/pom.xml package
mvn -B -q "${MVN_ARGS[@]}" -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
# The library from this checkout, not the copy in the local Maven repository: another checkout on the machine may
# install its own build there while this one runs.
LIB="$PWD/target/discord-oauth2-jakarta-0.1.0-SNAPSHOT.jar"
KIT="$PWD/target/discord-oauth2-jakarta-0.1.0-SNAPSHOT-testkit.jar" # the emulator
CP="bench/target/classes:$(tr ':' '\n' < bench/target/bench.classpath | sed -e "s#.*/discord-oauth2-jakarta-0.1.0-SNAPSHOT\.jar\$#$LIB#" -e "s#.*/discord-oauth2-jakarta-0.1.0-SNAPSHOT-testkit\.jar\$#$KIT#" | paste -sd:)"
if [ "${1:-}" = profile ]; then
  exec java ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.discordoauth2.bench.BenchRunner profile "${2:-8}"
fi
if [ "${1:-}" = footprint ]; then
  exec java -cp "$CP" dev.discordoauth2.bench.BenchRunner footprint
fi
if [ "${1:-}" = first-login ]; then
  exec java -cp "$CP" dev.discordoauth2.bench.BenchRunner first-login "${2:-5}"
fi
exec java -cp "$CP" dev.discordoauth2.bench.BenchRunner BENCHMARKS.md "${1:-5}" "${2:-5}"
