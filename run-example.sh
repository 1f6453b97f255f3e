#!/usr/bin/env bash
# Builds the library and serves examples/war on http://localhost:8080 with embedded Jetty 12.
# Without DISCORD_CLIENT_ID it also starts the embedded Discord emulator on http://127.0.0.1:8090 (demo users, no
# network needed); with DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and DISCORD_REDIRECT_URI it logs in with discord.com.
# Other ports: ./run-example.sh -Dexample.port=9080 -Dexample.emulator-port=9090
# A missing or invalid DISCORD_* setting prints one line naming it and exits with status 2. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
# -Dpayara.skip=true: the demo never needs the Payara Micro server that one library test downloads
mvn -B -q install -DskipTests -Dpayara.skip=true
exec mvn -B -q -f examples/war/pom.xml jetty:run "$@"
