#!/usr/bin/env bash
# A real, non-sticky cluster of the example WAR on loopback:
#   PostgreSQL (Debian's binaries, throwaway data dir)  - the shared JDBC session store and token store; its data, log
#                                                        and unix socket in a temporary folder of its own (see below);
#                                                        not started with SESSION=cookie TOKEN_STORE=none
#   the Discord emulator (standalone, --admin)           - "Discord"; its webhook events (APPLICATION_DEAUTHORIZED
#                                                        when an authorization is revoked) go to LB_URL/discord/webhook
#   NODES Jetty 12 JVMs (official jetty-home distribution), each its own jetty.base, all on the same session table
#                                                        (SESSION=container) or with no session store at all
#                                                        (SESSION=cookie)
#   HAProxy, round-robin, no stickiness                  - the public address (LB_URL)
#
# Usage: cluster/cluster.sh start | stop | status | kill-node N | start-node N
#
# start reads:
#   CLUSTER_DIR            state, logs, node bases (default ./target/cluster; resolved to an absolute path)
#   NODES                  number of Jetty nodes (default 2)
#   ACCESS_TOKEN_LIFETIME  the emulator's access token lifetime, seconds or ISO-8601 (default 604800)
#   EMULATOR_USERS         0 (default): every login is Nelly (--auto-approve); N > 0: N generated users and each
#                          login the next user in turn (--users N --auto-approve each), as for load tests
#   EMULATOR_FLAGS         extra flags for the emulator (e.g. "--rate-limit 'GET /users/@me=5/PT1S'"), optional
#   SESSION                where the nodes keep the login: container (default; the HTTP session, in Jetty's JDBC
#                          session store on PostgreSQL) or cookie (DISCORD_SESSION=cookie: the login sealed in the
#                          browser's DISCORD_LOGIN cookie under one DISCORD_COOKIE_KEYS made for this cluster and kept
#                          in its state, so a restarted node opens the same cookies; no session store, no session
#                          table, and no HttpSession is ever created)
#   TOKEN_STORE            where the nodes keep the users' tokens: jdbc (default; the discord_tokens table in the same
#                          PostgreSQL, sealed under a key made for this cluster, so a refresh runs once for the
#                          cluster), session (SESSION=container only: the tokens in the shared HTTP session, as before
#                          the token store) or none (SESSION=cookie only: the tokens in the login cookie; PostgreSQL is
#                          not started, and cluster.env has no PG_* entries)
#   MAVEN_REPO_LOCAL       local Maven repository for fetching jetty-home and the JDBC driver, optional
#   JETTY_HOME             an unpacked jetty-home 12.0.31 to use instead of the one fetched, optional
# and writes $CLUSTER_DIR/cluster.env (LB_URL, EMULATOR_URL, ADMIN_URL, NODEi_URL, NODEi_PID, SESSION, TOKEN_STORE,
# PG_PORT, PG_DIR, LOG_DIR, ...) and $CLUSTER_DIR/state.env (the ports and the keys made for this cluster:
# TOKEN_STORE_KEYS, COOKIE_KEYS). The other subcommands read the same CLUSTER_DIR. Every process is stopped by the PID
# it was started with.
#
# PostgreSQL refuses to run as root: run as root, the script runs it as user postgres, which may not be able to enter
# CLUSTER_DIR (a checkout under root's 0700 home or under a mktemp -d folder). Its data directory, log and socket
# directory are therefore in a folder created for it with mktemp -d (owned by the user PostgreSQL runs as, 0700, in
# $TMPDIR if that user can write there, else /tmp), recorded in $CLUSTER_DIR/postgresql.dir and in cluster.env as
# PG_DIR. $LOG_DIR/postgresql.log points to its log while it runs and is a copy of it after stop; stop (also the one
# after a failed start) stops PostgreSQL and removes the folder.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONF="$REPO/cluster"
CLUSTER_DIR="${CLUSTER_DIR:-./target/cluster}"
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
LOG_DIR="$CLUSTER_DIR/logs"
PID_DIR="$CLUSTER_DIR/pids"
STATE="$CLUSTER_DIR/state.env"
PG_RECORD="$CLUSTER_DIR/postgresql.dir" # the path of PostgreSQL's temporary folder, while it exists
JETTY_VERSION=12.0.31
PG_DRIVER_VERSION=42.7.14
DIST="$REPO/target/cluster-dist"
CLIENT_ID=1100000000000000001
CLIENT_SECRET=cluster-client-secret
NELLY=80351110224678912

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers

used_ports=" "
free_port() { # a port nothing listens on, not handed out before by this run
  local p
  for _ in $(seq 1 200); do
    # below Linux's ephemeral range (32768-60999 by default): a port above it can be taken by any outgoing
    # connection between this check and the bind (ClusterScriptIT's emulator once lost its port that way)
    p=$(( 20000 + RANDOM % 12000 ))
    [[ "$used_ports" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports+="$p "
      echo "$p"
      return
    fi
  done
  die "no free port found"
}

# is PID alive and one of ours (its command line names CLUSTER_DIR)?
ours() {
  local pid=$1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CLUSTER_DIR"
}

pid_of() { [[ -f "$PID_DIR/$1.pid" ]] && cat "$PID_DIR/$1.pid" || true; }

stop_pid() { # name: TERM, wait up to 15 s, then KILL; only a process of this cluster
  local name=$1 pid
  pid=$(pid_of "$name")
  if [[ -n "$pid" ]] && ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do ours "$pid" || break; sleep 0.1; done
    if ours "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$PID_DIR/$name.pid"
}

as_pg() { # PostgreSQL refuses to run as root
  # from /: the tools change back to their working directory, which user postgres may not be able to enter
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$d" && -x "$d/initdb" ]] || die "PostgreSQL binaries missing (apt-get install postgresql)"
  echo "$d"
}

uses_pg() { # the JDBC session store or the JDBC token store: PostgreSQL runs
  [[ "$SESSION" == container || "$TOKEN_STORE" == jdbc ]]
}

wait_http() { # url seconds [pid]: until the URL answers 2xx/3xx
  local url=$1 secs=$2 pid=${3:-}
  local deadline=$(( SECONDS + secs ))
  while (( SECONDS < deadline )); do
    if curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null | grep -q '^[23]'; then return 0; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.3
  done
  return 1
}

mvn_copy() { # artifact outdir
  mvn -B -q ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL} \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$1" -DoutputDirectory="$2" >&2
}

ensure_dist() {
  mkdir -p "$DIST"
  if [[ -z "${JETTY_HOME:-}" ]]; then
    JETTY_HOME="$DIST/jetty-home-$JETTY_VERSION"
    if [[ ! -f "$JETTY_HOME/start.jar" ]]; then
      say "fetching org.eclipse.jetty:jetty-home:$JETTY_VERSION:zip"
      mvn_copy "org.eclipse.jetty:jetty-home:$JETTY_VERSION:zip" "$DIST"
      (cd "$DIST" && unzip -q -o "jetty-home-$JETTY_VERSION.zip")
    fi
  fi
  [[ -f "$JETTY_HOME/start.jar" ]] || die "no start.jar in JETTY_HOME=$JETTY_HOME"
  PG_DRIVER="$DIST/postgresql-$PG_DRIVER_VERSION.jar"
  if [[ ! -f "$PG_DRIVER" ]]; then
    say "fetching org.postgresql:postgresql:$PG_DRIVER_VERSION"
    mvn_copy "org.postgresql:postgresql:$PG_DRIVER_VERSION" "$DIST"
  fi
}

# ---------------------------------------------------------------- components

pg_mktemp() { # a new 0700 folder of the user PostgreSQL runs as, somewhere that user can reach
  local base=${TMPDIR:-/tmp}
  # the socket's path (base/cluster-pg.XXXXXXXX/socket/.s.PGSQL.NNNNN) must stay under the 107 bytes a unix socket has
  if (( ${#base} > 64 )) || ! as_pg test -d "$base" -a -w "$base" -a -x "$base" 2>/dev/null; then base=/tmp; fi
  as_pg mktemp -d "$base/cluster-pg.XXXXXXXX"
}

pg_dir() { # the recorded temporary folder of PostgreSQL, if the record names one of ours
  local dir
  [[ -f "$PG_RECORD" ]] || return 0
  dir=$(head -1 "$PG_RECORD")
  if [[ "$dir" == /*/cluster-pg.* && "$dir" != *..* ]]; then echo "$dir"; fi
}

pg_ours() { # PID [DIR]: is PID alive and a PostgreSQL process of DIR (its command line names DIR/data)?
  local pid=$1 dir=${2:-$(pg_dir)}
  [[ -n "$pid" && -n "$dir" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$dir/data"
}

start_pg() {
  local bin; bin=$(pg_bin)
  local dir; dir=$(pg_mktemp) || die "could not create a temporary folder for PostgreSQL"
  echo "$dir" > "$PG_RECORD" # first of all: a stop after a failed start finds the folder and removes it
  say "postgresql: data, log and socket in $dir"
  local data="$dir/data" log="$dir/postgresql.log"
  as_pg mkdir -m 700 "$data" "$dir/socket"
  as_pg "$bin/initdb" -D "$data" -U cluster -A trust -E UTF8 --no-sync >"$LOG_DIR/pg-initdb.log" 2>&1 \
    || { cat "$LOG_DIR/pg-initdb.log" >&2; die "initdb failed"; }
  cat >>"$data/postgresql.conf" <<EOF
# cluster.sh: a throwaway database on loopback
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  # the tests and the reliability harness read every log in LOG_DIR: the log is linked there (copied there at stop)
  ln -sfn "$log" "$LOG_DIR/postgresql.log"
  as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
    || { tail -20 "$log" >&2; die "PostgreSQL did not start"; }
  head -1 "$data/postmaster.pid" > "$PID_DIR/postgresql.pid"
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U cluster sessions
}

stop_pg() { # by pg_ctl, then by the postmaster's PID if it still runs; then its temporary folder goes
  local dir pid; dir=$(pg_dir)
  if [[ -z "$dir" ]]; then rm -f "$PG_RECORD" "$PID_DIR/postgresql.pid"; return 0; fi
  local data="$dir/data"
  pid=$(pid_of postgresql)
  if [[ -z "$pid" && -f "$data/postmaster.pid" ]]; then pid=$(head -1 "$data/postmaster.pid"); fi
  local running=; if pg_ours "$pid" "$dir"; then running=1; fi
  if [[ -f "$data/postmaster.pid" ]]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if pg_ours "$pid" "$dir"; then # pg_ctl did not stop it: the postmaster by its PID, and its children
    local children c; children=$(pgrep -P "$pid" || true)
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do pg_ours "$pid" "$dir" || break; sleep 0.1; done
    if pg_ours "$pid" "$dir"; then
      kill -KILL "$pid" 2>/dev/null || true
      for c in $children; do
        if [[ "$(cat "/proc/$c/comm" 2>/dev/null)" == postgres ]]; then kill -KILL "$c" 2>/dev/null || true; fi
      done
    fi
  fi
  if [[ -n "$running" ]]; then say "stopped postgresql (pid $pid)"; fi
  if [[ -f "$dir/postgresql.log" ]]; then # the log outlives the folder, as the other logs do
    mkdir -p "$LOG_DIR"
    rm -f "$LOG_DIR/postgresql.log"; cat "$dir/postgresql.log" > "$LOG_DIR/postgresql.log" || true
  elif [[ -L "$LOG_DIR/postgresql.log" ]]; then
    rm -f "$LOG_DIR/postgresql.log"
  fi
  rm -rf -- "$dir"
  [[ ! -e "$dir" ]] || die "could not remove PostgreSQL's folder $dir"
  rm -f "$PG_RECORD" "$PID_DIR/postgresql.pid"
}

start_emulator() {
  local jar
  # the emulator is in the library's test kit jar (the classifier 'testkit'), not in the jar applications deploy
  jar=$(ls "$REPO"/target/discord-oauth2-jakarta-*-testkit.jar 2>/dev/null | head -1 || true)
  [[ -n "$jar" ]] || die "no test kit jar (the emulator) in $REPO/target: run mvn -B -q install -DskipTests first"
  local flags=()
  if [[ "${EMULATOR_USERS:-0}" -gt 0 ]]; then
    flags+=(--users "$EMULATOR_USERS" --auto-approve each)
  else
    flags+=(--auto-approve "$NELLY")
  fi
  if [[ -n "${EMULATOR_FLAGS:-}" ]]; then eval "flags+=($EMULATOR_FLAGS)"; fi
  # -Dcluster.dir marks the process as this cluster's (stop only kills processes whose command line names it)
  java -Xmx256m -Dcluster.dir="$CLUSTER_DIR" -cp "$jar" dev.discordoauth2.emulator.DiscordEmulator \
    --port "$EMULATOR_PORT" --admin \
    --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" \
    --redirect-uri "http://127.0.0.1:$LB_PORT/oauth2/callback" \
    --access-token-lifetime "$ACCESS_TOKEN_LIFETIME" \
    --webhook-url "http://127.0.0.1:$LB_PORT/discord/webhook" --webhook-key-seed "$WEBHOOK_KEY_SEED" \
    --global-rate-limit 100000/PT1S \
    --rate-limit "POST /oauth2/token=100000/PT1S" \
    --rate-limit "POST /oauth2/token/revoke=100000/PT1S" \
    --rate-limit "GET /users/@me=100000/PT1S" \
    --rate-limit "GET /oauth2/@me=100000/PT1S" \
    --rate-limit "GET /users/@me/guilds=100000/PT1S" \
    "${flags[@]}" \
    >"$LOG_DIR/emulator.log" 2>&1 </dev/null &
  echo $! > "$PID_DIR/emulator.pid"
}

make_node_base() { # N
  local n=$1 base="$CLUSTER_DIR/node$1"
  rm -rf "$base"; mkdir -p "$base/start.d" "$base/lib/ext" "$base/webapps" "$base/work"
  local ini
  for ini in "$CONF"/jetty-base/start.d/*.ini; do
    # cookie mode: no session store at all (Jetty's default in-memory session manager stays, and nothing uses it)
    if [[ "$SESSION" == cookie && "$(basename "$ini")" == sessions.ini ]]; then continue; fi
    cp "$ini" "$base/start.d/"
  done
  if uses_pg; then cp "$PG_DRIVER" "$base/lib/ext/"; fi
  cp "$WAR" "$base/webapps/ROOT.war" # work/: the unpacked WAR stays inside the base, not in /tmp
}

launch_node() { # N: the node's JVM, with the ports fixed at start
  local n=$1 base="$CLUSTER_DIR/node$1"
  local port_var="NODE${n}_PORT"; local port=${!port_var}
  (
    cd "$base"
    export DISCORD_CLIENT_ID="$CLIENT_ID" DISCORD_CLIENT_SECRET="$CLIENT_SECRET"
    export DISCORD_REDIRECT_URI="http://127.0.0.1:$LB_PORT/oauth2/callback"
    export DISCORD_API_BASE_URI="http://127.0.0.1:$EMULATOR_PORT/api/v10"
    export DISCORD_AUTHORIZE_URI="http://127.0.0.1:$EMULATOR_PORT/oauth2/authorize"
    # the pages' avatars and guild icons from the emulator's CDN (placeholders), not from Discord's
    export DISCORD_CDN_BASE_URI="http://127.0.0.1:$EMULATOR_PORT"
    # identify for the login, guilds for the example's /profile page (it lists the user's guilds: with identify
    # alone Discord answers that call 401, and the library ends the login, as it must for a revoked token), and
    # role_connections.write so that the stored grants can push linked roles without the user (the sweep); Discord
    # refuses PKCE with that scope, so these logins go without it
    export DISCORD_SCOPES="identify guilds role_connections.write"
    # the emulator's bot token: the example's linked-roles schema is registered with it at start
    export DISCORD_BOT_TOKEN="${BOT_TOKEN:-emulator-bot-token}"
    # the emulator's public key, which signs its webhook events (read from its admin API at start)
    export DISCORD_PUBLIC_KEY="$PUBLIC_KEY"
    if [[ "$SESSION" == cookie ]]; then
      export DISCORD_SESSION=cookie DISCORD_COOKIE_KEYS="$COOKIE_KEYS"
    fi
    if [[ "$TOKEN_STORE" == jdbc ]]; then
      export DISCORD_TOKEN_STORE=jdbc DISCORD_TOKEN_STORE_CREATE_TABLE=true
      export DISCORD_TOKEN_STORE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/sessions"
      export DISCORD_TOKEN_STORE_JDBC_USER=cluster DISCORD_TOKEN_STORE_KEYS="$TOKEN_STORE_KEYS"
    fi
    local store=()
    if [[ "$SESSION" == container ]]; then
      store=(jetty.session.jdbc.driverUrl="jdbc:postgresql://127.0.0.1:$PG_PORT/sessions?user=cluster")
    fi
    exec java -Xms64m -Xmx384m -XX:+UseSerialGC -Dcluster.dir="$CLUSTER_DIR" -Dcluster.node="$n" \
      -jar "$JETTY_HOME/start.jar" jetty.home="$JETTY_HOME" jetty.base="$base" \
      jetty.http.port="$port" jetty.sessionIdManager.workerName="node$n" "${store[@]}" \
      >>"$LOG_DIR/node$n.log" 2>&1 </dev/null
  ) &
  echo $! > "$PID_DIR/node$n.pid"
}

write_haproxy() {
  local servers="" i
  for i in $(seq 1 "$NODES"); do
    local pv="NODE${i}_PORT"
    servers+="    server node$i 127.0.0.1:${!pv} check inter 1s fall 2 rise 1 slowstart 30s"$'\n'
  done
  mkdir -p "$CLUSTER_DIR/haproxy"
  cp "$CONF"/haproxy/*.http "$CLUSTER_DIR/haproxy/"
  local tpl; tpl=$(<"$CONF/haproxy/haproxy.cfg.template")
  tpl=${tpl//@LB_PORT@/$LB_PORT}
  tpl=${tpl//@ERRORS@/$CLUSTER_DIR/haproxy}
  tpl=${tpl//@SERVERS@/$servers}
  printf '%s\n' "$tpl" > "$CLUSTER_DIR/haproxy/haproxy.cfg"
}

start_haproxy() {
  command -v haproxy >/dev/null || die "haproxy missing (apt-get install haproxy)"
  haproxy -db -f "$CLUSTER_DIR/haproxy/haproxy.cfg" >"$LOG_DIR/haproxy.log" 2>&1 </dev/null &
  echo $! > "$PID_DIR/haproxy.pid"
}

write_env() {
  {
    echo "CLUSTER_DIR=$CLUSTER_DIR"
    echo "NODES=$NODES"
    echo "LB_URL=http://127.0.0.1:$LB_PORT"
    echo "LB_PID=$(pid_of haproxy)"
    echo "EMULATOR_URL=http://127.0.0.1:$EMULATOR_PORT"
    echo "EMULATOR_PID=$(pid_of emulator)"
    echo "ADMIN_URL=http://127.0.0.1:$EMULATOR_PORT/__admin"
    echo "CLIENT_ID=$CLIENT_ID"
    echo "USER_ID=$NELLY"
    echo "EMULATOR_USERS=${EMULATOR_USERS:-0}"
    echo "SESSION=$SESSION"
    echo "TOKEN_STORE=$TOKEN_STORE"
    for i in $(seq 1 "$NODES"); do
      local pv="NODE${i}_PORT"
      echo "NODE${i}_URL=http://127.0.0.1:${!pv}"
      echo "NODE${i}_PID=$(pid_of "node$i")"
    done
    if uses_pg; then
      echo "PG_PORT=$PG_PORT"
      echo "PG_PID=$(pid_of postgresql)"
      echo "PG_DIR=$(pg_dir)"
    fi
    echo "LOG_DIR=$LOG_DIR"
  } > "$CLUSTER_DIR/cluster.env.tmp"
  mv "$CLUSTER_DIR/cluster.env.tmp" "$CLUSTER_DIR/cluster.env"
}

wait_node() { # N seconds
  local n=$1 pv="NODE$1_PORT"
  wait_http "http://127.0.0.1:${!pv}/" "$2" "$(pid_of "node$n")" \
    || { tail -30 "$LOG_DIR/node$n.log" >&2; return 1; }
}

# ---------------------------------------------------------------- subcommands

cmd_start() {
  if [[ -f "$STATE" ]]; then
    for f in "$PID_DIR"/*.pid; do
      [[ -f "$f" ]] && ours "$(cat "$f")" && die "a cluster is already running in $CLUSTER_DIR (cluster.sh stop first)"
    done
  fi
  if pg_ours "$(pid_of postgresql)"; then die "a cluster is already running in $CLUSTER_DIR (cluster.sh stop first)"; fi
  stop_pg # what a start or stop that was itself killed may have left: PostgreSQL and its folder
  local t0=$SECONDS
  NODES=${NODES:-2}
  [[ "$NODES" =~ ^[1-9][0-9]*$ ]] || die "NODES must be a positive number: $NODES"
  ACCESS_TOKEN_LIFETIME=${ACCESS_TOKEN_LIFETIME:-604800}
  SESSION=${SESSION:-container}
  TOKEN_STORE=${TOKEN_STORE:-jdbc}
  case "$SESSION:$TOKEN_STORE" in
    container:jdbc | container:session | cookie:jdbc | cookie:none) ;;
    container:*) die "TOKEN_STORE must be jdbc or session with SESSION=container: $TOKEN_STORE" ;;
    cookie:*) die "TOKEN_STORE must be jdbc or none (the tokens in the cookie) with SESSION=cookie: $TOKEN_STORE" ;;
    *) die "SESSION must be container or cookie: $SESSION" ;;
  esac
  # made for this cluster, kept in its state (a restarted node needs the same): the keys the tokens and the login
  # cookies are sealed under, and the seed of the emulator's webhook signing key
  TOKEN_STORE_KEYS="k1:$(head -c 32 /dev/urandom | base64 -w0)"
  COOKIE_KEYS="c1:$(head -c 32 /dev/urandom | base64 -w0)"
  WEBHOOK_KEY_SEED=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  WAR=$(ls "$REPO"/examples/war/target/*.war 2>/dev/null | head -1 || true)
  [[ -n "$WAR" ]] || die "no example WAR: run mvn -B -q -f examples/war/pom.xml package -DskipTests first"
  command -v curl >/dev/null || die "curl missing"
  command -v haproxy >/dev/null || die "haproxy missing (apt-get install haproxy)"
  if uses_pg; then pg_bin >/dev/null; fi
  rm -rf "$LOG_DIR" "$PID_DIR" "$CLUSTER_DIR/cluster.env"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  ensure_dist

  PG_PORT=; if uses_pg; then PG_PORT=$(free_port); fi
  EMULATOR_PORT=$(free_port); LB_PORT=$(free_port)
  { echo "NODES=$NODES"; echo "PG_PORT=$PG_PORT"; echo "EMULATOR_PORT=$EMULATOR_PORT"; echo "LB_PORT=$LB_PORT"
    echo "JETTY_HOME=$JETTY_HOME"; echo "PG_DRIVER=$PG_DRIVER"; echo "WAR=$WAR"; echo "SESSION=$SESSION"
    echo "TOKEN_STORE=$TOKEN_STORE"; echo "TOKEN_STORE_KEYS=$TOKEN_STORE_KEYS"; echo "COOKIE_KEYS=$COOKIE_KEYS"
    echo "WEBHOOK_KEY_SEED=$WEBHOOK_KEY_SEED"
    for i in $(seq 1 "$NODES"); do p=$(free_port); eval "NODE${i}_PORT=$p"; echo "NODE${i}_PORT=$p"; done
  } > "$STATE"

  trap 'if [[ -z "${STARTED_OK:-}" ]]; then say "start failed, stopping what started"; cmd_stop; fi' EXIT
  if uses_pg; then start_pg; else say "postgresql: not needed (SESSION=cookie TOKEN_STORE=none), not started"; fi
  start_emulator
  wait_http "http://127.0.0.1:$EMULATOR_PORT/__admin" 60 "$(pid_of emulator)" \
    || { tail -20 "$LOG_DIR/emulator.log" >&2; die "the emulator did not start"; }
  PUBLIC_KEY=$(curl -s -m 5 "http://127.0.0.1:$EMULATOR_PORT/__admin/webhooks" \
    | grep -o '"public_key" *: *"[0-9a-f]\{64\}"' | grep -o '[0-9a-f]\{64\}' || true)
  [[ -n "$PUBLIC_KEY" ]] || die "the emulator's admin API gave no webhook public key"
  echo "PUBLIC_KEY=$PUBLIC_KEY" >> "$STATE"
  for i in $(seq 1 "$NODES"); do make_node_base "$i"; done
  # node1 first: Jetty creates the session table at start-up, and two nodes creating it at once fail ("already
  # exists"); the others start as soon as the table is there. Without a session store they all start at once (the
  # library's token table may be created by two nodes at once: the second finds it there)
  launch_node 1
  if [[ "$SESSION" == container ]]; then
    local bin; bin=$(pg_bin); local waited=0
    until [[ -n "$(as_pg "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U cluster -d sessions -tAc \
        "select to_regclass('jettysessions')" 2>/dev/null)" ]]; do
      kill -0 "$(pid_of node1)" 2>/dev/null || { tail -30 "$LOG_DIR/node1.log" >&2; die "node1 did not start"; }
      (( waited++ < 900 )) || die "node1 created no session table"
      sleep 0.2
    done
  fi
  for i in $(seq 2 "$NODES"); do launch_node "$i"; done
  for i in $(seq 1 "$NODES"); do wait_node "$i" 180 || die "node$i did not start"; done
  write_haproxy
  start_haproxy
  # the balancer answers through every node
  local seen=" " deadline=$(( SECONDS + 60 )) node
  while (( SECONDS < deadline )); do
    node=$(curl -s -o /dev/null -m 2 -D - "http://127.0.0.1:$LB_PORT/" 2>/dev/null \
      | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cluster-node"{print $2}' || true)
    [[ -n "$node" && "$seen" != *" $node "* ]] && seen+="$node "
    (( $(wc -w <<<"$seen") >= NODES )) && break
    sleep 0.2
  done
  (( $(wc -w <<<"$seen") >= NODES )) || { tail -20 "$LOG_DIR/haproxy.log" >&2; die "the balancer reached only:$seen"; }
  write_env
  STARTED_OK=1
  echo "cluster started in $(( SECONDS - t0 )) s ($CLUSTER_DIR)"
  sed 's/^/  /' "$CLUSTER_DIR/cluster.env"
}

load_state() {
  [[ -f "$STATE" ]] || die "no cluster state in $CLUSTER_DIR (cluster.sh start first)"
  # shellcheck disable=SC1090
  source "$STATE"
  SESSION=${SESSION:-container} # the state of a cluster started before SESSION existed
}

cmd_stop() {
  [[ -d "$PID_DIR" || -f "$PG_RECORD" ]] || { say "nothing to stop in $CLUSTER_DIR"; return 0; }
  stop_pid haproxy
  local f
  for f in "$PID_DIR"/node*.pid; do [[ -f "$f" ]] && stop_pid "$(basename "$f" .pid)"; done
  stop_pid emulator
  stop_pg
  rm -f "$CLUSTER_DIR/cluster.env"
}

cmd_kill_node() {
  local n=${1:?usage: cluster.sh kill-node N}
  load_state
  local pid; pid=$(pid_of "node$n")
  if [[ -n "$pid" ]] && ours "$pid"; then
    kill -KILL "$pid"
    for _ in $(seq 1 50); do ours "$pid" || break; sleep 0.1; done
    say "killed node$n (kill -9, pid $pid)"
  else
    say "node$n is not running"
  fi
  rm -f "$PID_DIR/node$n.pid"
}

cmd_start_node() {
  local n=${1:?usage: cluster.sh start-node N}
  load_state
  [[ "$n" =~ ^[0-9]+$ ]] && (( n >= 1 && n <= NODES )) || die "no node $n (NODES=$NODES)"
  local pid; pid=$(pid_of "node$n")
  if [[ -n "$pid" ]] && ours "$pid"; then die "node$n is already running (pid $pid)"; fi
  local t0=$SECONDS
  echo "---- start-node $(date -u +%FT%TZ)" >> "$LOG_DIR/node$n.log"
  launch_node "$n"
  # the new PID is recorded at once, so that a node slow to start is still measured and stopped by its PID
  sed -i "s/^NODE${n}_PID=.*/NODE${n}_PID=$(pid_of "node$n")/" "$CLUSTER_DIR/cluster.env"
  wait_node "$n" 300 || die "node$n did not answer within 300 s (pid $(pid_of "node$n"), log $LOG_DIR/node$n.log)"
  echo "node$n started in $(( SECONDS - t0 )) s: http://127.0.0.1:$(eval echo "\$NODE${n}_PORT") pid $(pid_of "node$n")"
}

cmd_status() {
  load_state
  local rc=0 name pid url
  local names=(emulator $(seq -f 'node%g' 1 "$NODES") haproxy)
  if uses_pg; then names=(postgresql "${names[@]}"); fi
  for name in "${names[@]}"; do
    pid=$(pid_of "$name")
    case $name in
      postgresql) url="127.0.0.1:$PG_PORT" ;;
      emulator) url="http://127.0.0.1:$EMULATOR_PORT" ;;
      haproxy) url="http://127.0.0.1:$LB_PORT" ;;
      node*) url="http://127.0.0.1:$(eval echo "\$NODE${name#node}_PORT")" ;;
    esac
    if [[ $name == postgresql ]]; then
      if pg_ours "$pid"; then echo "$name up   pid $pid $url $(pg_dir)"; else echo "$name down $url"; rc=1; fi
    elif [[ -n "$pid" ]] && ours "$pid"; then echo "$name up   pid $pid $url"
    else echo "$name down $url"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill-node) cmd_kill_node "${2:-}" ;;
  start-node) cmd_start_node "${2:-}" ;;
  *) echo "usage: cluster/cluster.sh start|stop|status|kill-node N|start-node N" >&2; exit 2 ;;
esac
