#!/usr/bin/env bash
# Runs every benchmark and writes BENCHMARKS.md at the repository root.
# Usage: bench/run.sh [rounds] [seconds-per-target]   (defaults: 5 rounds, 5 s)
#        bench/run.sh first-login [jvms]               (only the first-login section, printed; default 5 JVMs per variant)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -f bench/pom.xml package
mvn -B -q -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="bench/target/classes:$(cat bench/target/bench.classpath)"
if [ "${1:-}" = first-login ]; then
  exec java -cp "$CP" dev.discordoauth2.bench.BenchRunner first-login "${2:-5}"
fi
exec java -cp "$CP" dev.discordoauth2.bench.BenchRunner BENCHMARKS.md "${1:-5}" "${2:-5}"
