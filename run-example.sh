#!/usr/bin/env bash
# Builds the library and serves examples/war on http://localhost:8080 with embedded Jetty 12.
# Without DISCORD_CLIENT_ID it also starts the embedded Discord emulator (demo users, no network needed);
# with DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and DISCORD_REDIRECT_URI it logs in with discord.com.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q install -DskipTests
exec mvn -B -q -f examples/war/pom.xml jetty:run "$@"
