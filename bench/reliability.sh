#!/usr/bin/env bash
# The reliability harness: simulated browsers log in through a cluster (cluster/cluster.sh: PostgreSQL session store,
# Jetty 12 nodes, HAProxy round robin without stickiness, the shared JDBC token store, the Discord emulator) while 5 %
# of Discord's answers fail, node 1 is killed with kill -9 half-way and restarted; writes a report and exits 1 when a
# target is missed (a 500 from a node, a lost session, a secret in a log, a plaintext token value in the database, a
# refresh grant refused because of a race, a 503 from /api/me with a token another refresh had already replaced).
# Loopback only; everything it starts is stopped by PID.
#
# Usage: bench/reliability.sh [LOGINS] [CONCURRENCY]   full run (default 10000 logins, 64 browsers): writes RELIABILITY.md
#        bench/reliability.sh --ci [LOGINS]             reduced run for CI (default 300 logins, 16 browsers, 2 nodes,
#                                                       faults on, 300 s bound): writes bench/target/reliability-ci.md
# Environment: NODES (2), ACCESS_TOKEN_LIFETIME (63 s), TIME_BOUND (seconds; 3000 full, 300 CI),
#              REPORT (the report's path), M2_REPO (/tmp/m2-cluster), BUILD (all, harness or none), EMULATOR_USERS (LOGINS),
#              FAULT_ROUTES (comma-separated emulator routes, default the token, user and guild routes),
#              FAULT_DELAY (seconds of the token route's delay fault, default 11; 0: no delay fault),
#              TOKEN_STORE (jdbc, cluster.sh's default, or session: the tokens in the sessions, for comparison; the
#              token store's targets are then reported, not enforced).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=full
if [ "${1:-}" = --ci ]; then
  MODE=ci
  shift
  LOGINS=${1:-300}
  CONCURRENCY=${2:-16}
  TIME_BOUND=${TIME_BOUND:-300}
  REPORT=${REPORT:-$ROOT/bench/target/reliability-ci.md}
else
  LOGINS=${1:-10000}
  CONCURRENCY=${2:-64}
  TIME_BOUND=${TIME_BOUND:-3000}
  REPORT=${REPORT:-$ROOT/RELIABILITY.md}
fi
export NODES=${NODES:-2}
# 63 s tokens: the library refreshes 60 s before expiry, so a session refreshes once its token is 3 s old; a browser
# loads pages for about 5 s after its login, so most sessions refresh once or twice, but not on every request.
export ACCESS_TOKEN_LIFETIME=${ACCESS_TOKEN_LIFETIME:-63}
# one Discord user per login (the emulator's generated users, each authorization the next in turn)
export EMULATOR_USERS=${EMULATOR_USERS:-$LOGINS}
M2_REPO=${M2_REPO:-/tmp/m2-cluster}
MVN="mvn -B -q -Dmaven.repo.local=$M2_REPO"

# BUILD=all (default): the library, the example WAR and the harness; BUILD=harness: only the harness (the library is
# installed in M2_REPO and the WAR packaged, as in the example's integration tests); BUILD=none (or SKIP_BUILD=1).
BUILD=${BUILD:-all}
[ "${SKIP_BUILD:-0}" = 1 ] && BUILD=none
if [ "$BUILD" = all ]; then
  echo "reliability: building the library and the example (maven repository $M2_REPO)"
  $MVN install -DskipTests -Dpayara.skip=true
  $MVN -f examples/war/pom.xml package -DskipTests
fi
if [ "$BUILD" = all ] || [ "$BUILD" = harness ]; then
  echo "reliability: building the harness (maven repository $M2_REPO)"
  $MVN -f bench/pom.xml package
  $MVN -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
fi
CP="bench/target/classes:$(cat bench/target/bench.classpath)"

export CLUSTER_DIR=${CLUSTER_DIR:-$(mktemp -d /tmp/reliability.XXXXXX)}
stop_cluster() {
  echo "reliability: stopping the cluster ($CLUSTER_DIR)"
  cluster/cluster.sh stop || true
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM
echo "reliability: starting the cluster in $CLUSTER_DIR ($NODES nodes, ${ACCESS_TOKEN_LIFETIME} s tokens)"
# up to 3 attempts: a start can fail on a race between the nodes creating the session table
for attempt in 1 2 3; do
  if MAVEN_REPO_LOCAL=$M2_REPO cluster/cluster.sh start; then break; fi
  [ $attempt -lt 3 ] || { echo "reliability: the cluster did not start" >&2; exit 2; }
  echo "reliability: cluster start failed (attempt $attempt), trying again"
  cluster/cluster.sh stop || true
done
status=0
CLIENT_SECRET=$(sed -n "s/^CLIENT_SECRET=//p" cluster/cluster.sh | head -1)
java -Xmx768m -Dfault.routes="${FAULT_ROUTES:-POST /oauth2/token,GET /users/@me,GET /users/@me/guilds}" \
  -Dfault.delay="${FAULT_DELAY:-11}" -Dclient.secret="${CLIENT_SECRET:-cluster-client-secret}" -Dcluster.env="$CLUSTER_DIR/cluster.env" -Dcluster.dir="$CLUSTER_DIR" \
  -Dcluster.script="$ROOT/cluster/cluster.sh" -cp "$CP" dev.discordoauth2.bench.ReliabilityHarness \
  "$CLUSTER_DIR/cluster.env" "$LOGINS" "$CONCURRENCY" "$REPORT" "$MODE" "$TIME_BOUND" || status=$?
echo "reliability: report in $REPORT, logs in $CLUSTER_DIR/logs"
[ $status -eq 0 ] && echo "reliability: every target met" || echo "reliability: TARGETS MISSED (exit $status)"
exit $status
