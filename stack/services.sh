# shellcheck shell=bash
# The platform's own processes on top of the data stack: the three services (runnable jars built by Maven),
# the ClickHouse migrations, the reverse proxy that gives SDKs one public address, and the default project.
# Sourced by ./platform after stack/lib.sh.

SERVICES=(decide-service plugin-service capture-service)

# The services' instances: one per service in the single topology, named as the service; two in the cluster,
# named SERVICE-1 and SERVICE-2. module_of gives an instance's service.
service_instances() {
  local module="$1" k
  if ((${#SERVICE_INSTANCES[@]} == 1)); then echo "$module"; return; fi
  for k in "${SERVICE_INSTANCES[@]}"; do echo "$module-$k"; done
}
# service_urls: every instance as NAME=URL, comma-separated (stack.env's SERVICE_URLS, for the cluster tests).
service_urls() {
  local instance list=()
  while read -r instance; do list+=("$instance=http://$(service_host "$instance"):$(service_port "$instance")"); done < <(all_instances)
  join , "${list[@]}"
}
all_instances() { local module; for module in "${SERVICES[@]}"; do service_instances "$module"; done; }
module_of() { if [[ $1 =~ -service-[0-9]+$ ]]; then echo "${1%-*}"; else echo "$1"; fi; }
instance_number() { if [[ $1 =~ -service-([0-9]+)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo 1; fi; }

# service_port NAME: capture, decide and plugin at PORT_BASE + 10, 11, 12; each further instance 3 higher. NAME is
# an instance or a service (its first instance).
service_port() {
  local offset
  case "$(module_of "$1")" in
    capture-service) offset=10 ;;
    decide-service) offset=11 ;;
    plugin-service) offset=12 ;;
  esac
  echo $((PORT_BASE + offset + ($(instance_number "$1") - 1) * 3))
}

service_jar() { ls "$ROOT/$1/target/$1-"*-exec.jar 2>/dev/null | head -1; }

build_services() {
  step "building the services (Maven, tests skipped; ./platform test runs them)"
  mvnw -B -ntp -q -DskipTests package >"$LOG_DIR/build.log" 2>&1 || {
    tail -n 40 "$LOG_DIR/build.log" >&2
    fail "the build failed, see $LOG_DIR/build.log"
  }
  local service
  for service in "${SERVICES[@]}"; do
    [[ -n "$(service_jar "$service")" ]] || fail "no runnable jar for $service after the build"
  done
  ok "built ${SERVICES[*]}"
}

migrate_clickhouse() {
  local cp
  cp="$(cat "$ROOT/clickhouse-schema/target/classpath.txt"):$(ls "$ROOT"/clickhouse-schema/target/clickhouse-schema-*.jar | head -1)"
  CLICKHOUSE_USER="$CH_USER" CLICKHOUSE_PASSWORD="$CH_PASSWORD" "$JAVA_HOME/bin/java" -cp "$cp" dev.ingest.clickhouse.schema.MigrateCommand \
    --nodes "$(clickhouse_urls)" --database "$CH_DB" \
    --cluster "$CH_CLUSTER" --replicated true --kafka "$(kafka_bootstrap)" >>"$LOG_DIR/migrations.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/migrations.log" >&2; fail "ClickHouse migrations failed, see $LOG_DIR/migrations.log"; }
  ok "ClickHouse schema migrated on ${#CH_NODES[@]} nodes"
}

migrate_all() {
  step "applying migrations"
  migrate_clickhouse
  ok "PostgreSQL migrations run with the services (Flyway, at start)"
}

# The personal API key valid for every project of this environment (management API, local evaluation), made once.
bootstrap_key() {
  local file="$DATA_DIR/bootstrap-personal-api-key"
  if [[ ! -s "$file" ]]; then
    (umask 077 && printf 'phx_%s\n' "$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)" >"$file")
  fi
  cat "$file"
}

# ---------------------------------------------------------------------------------------------- supervision
# The services run under supervisord (Debian's supervisor package), one supervisord per environment: a service that
# exits (an OutOfMemoryError ends the JVM after a heap dump) is started again at once, one that keeps failing within
# its first 15 s is retried with a growing delay (supervisord's BACKOFF), and `down` stops them through it.
supervisor_conf() { echo "$DATA_DIR/supervisor/supervisord.conf"; }
supervisorctl_() { supervisorctl -c "$(supervisor_conf)" "$@"; }
supervisor_running() { [[ -S "$RUN_DIR/supervisor.sock" ]] && supervisorctl_ pid >/dev/null 2>&1; }

# supervisor_program NAME: the [program] section of one service.
supervisor_program() {
  local name="$1" port jar env_line key value
  port=$(service_port "$name")
  # A copy of the jar: a build while the platform runs must not rewrite the file a JVM is reading.
  mkdir -p "$DATA_DIR/jars"
  jar="$DATA_DIR/jars/$(module_of "$name").jar"
  cp "$(service_jar "$(module_of "$name")")" "$jar.new" && mv "$jar.new" "$jar"
  env_line="SERVER_PORT=\"$port\",INGEST_DECIDE_BOOTSTRAP_PERSONAL_API_KEY=\"$(bootstrap_key)\""
  # The isolated instance's own addresses come last: supervisord takes the last value of a repeated name.
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    env_line="$env_line,$key=\"${value//\"/}\""
  done < <(cat "$DATA_DIR/stack.env"; if is_isolated "$name"; then isolated_env; fi)
  mkdir -p "$LOG_DIR/heapdumps"
  local run_as="" launcher=""
  if [[ $(id -u) -eq 0 ]]; then
    # As root, the JVMs run as an unprivileged system user (supervisord itself and the logs stay root's). The isolated
    # instance enters its namespace as root first (ip netns exec), then becomes that user (setpriv).
    env_line="$env_line,HOME=\"$SERVICE_HOME\",USER=\"$SERVICE_USER\""
    chown "$SERVICE_USER:" "$LOG_DIR/heapdumps"
    if is_isolated "$name"; then
      launcher="$(command -v ip) netns exec $(netns_name) setpriv --reuid=$SERVICE_USER --regid=$SERVICE_USER --init-groups "
    else
      run_as="user=$SERVICE_USER"
    fi
  fi
  cat <<EOF
[program:$name]
$run_as
command=$launcher$JAVA_HOME/bin/java -Xms128m -Xmx${SERVICE_HEAP:-768m} -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$LOG_DIR/heapdumps -Duser.timezone=UTC -jar $jar
environment=$env_line
autostart=false
autorestart=true
startsecs=15
startretries=20
stopsignal=TERM
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$LOG_DIR/$name.log
stdout_logfile_maxbytes=50MB
stdout_logfile_backups=2

EOF
}

# Keeps the newest three heap dumps: each is as large as the heap.
prune_heap_dumps() { { ls -1t "$LOG_DIR/heapdumps"/*.hprof 2>/dev/null || true; } | tail -n +4 | xargs -r rm -f; }

# The unprivileged user the service JVMs run as when ./platform runs as root; its home holds GraalJS's caches.
SERVICE_USER=ingest
SERVICE_HOME=/var/lib/ingest-platform
ensure_service_user() {
  [[ $(id -u) -eq 0 ]] || return 0
  id -u "$SERVICE_USER" >/dev/null 2>&1 ||
    useradd --system --home-dir "$SERVICE_HOME" --create-home --shell /usr/sbin/nologin "$SERVICE_USER" ||
    fail "could not create the system user $SERVICE_USER"
  mkdir -p "$SERVICE_HOME" && chown "$SERVICE_USER:" "$SERVICE_HOME"
}

# start_supervisor NAME...: supervisord for this environment, knowing the named services (none started yet).
start_supervisor() {
  local conf name
  conf=$(supervisor_conf)
  ensure_service_user
  # The configuration holds the services' environment, passwords included: root's eyes only.
  (umask 077 && mkdir -p "$(dirname "$conf")" && : >"$conf.new")
  {
    cat <<EOF
[unix_http_server]
file=$RUN_DIR/supervisor.sock
chmod=0700

[supervisord]
logfile=$LOG_DIR/supervisord.log
logfile_maxbytes=10MB
pidfile=$RUN_DIR/supervisord.pid
childlogdir=$LOG_DIR
nodaemon=false

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$RUN_DIR/supervisor.sock

EOF
    for name in "$@"; do supervisor_program "$name"; done
  } >"$conf.new"
  mv "$conf.new" "$conf"
  prune_heap_dumps
  if supervisor_running; then
    supervisorctl_ reread >/dev/null && supervisorctl_ update >/dev/null
  else
    supervisord -c "$conf" || fail "supervisord did not start, see $LOG_DIR/supervisord.log"
    wait_for supervisord 20 supervisor_running || fail "supervisord did not answer, see $LOG_DIR/supervisord.log"
  fi
}

stop_supervisor() {
  supervisor_running || return 0
  supervisorctl_ stop all >/dev/null 2>&1 || true
  supervisorctl_ shutdown >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 30))
  while supervisor_running && ((SECONDS < deadline)); do sleep 0.2; done
}

# service_state NAME: supervisord's word for it (RUNNING, STARTING, BACKOFF, EXITED, FATAL, STOPPED).
service_state() {
  local state=""
  supervisor_running && state=$(supervisorctl_ status "$1" 2>/dev/null | awk '{print $2}')
  echo "${state:-STOPPED}"
}
service_pid() { supervisorctl_ pid "$1" 2>/dev/null; }
service_running() { [[ "$(service_state "$1")" == RUNNING ]]; }

# How often supervisord saw NAME exit, and what it said the last time.
service_exits() { grep -c "exited: $1 " "$LOG_DIR/supervisord.log" 2>/dev/null || true; }
service_last_exit() { grep "exited: $1 " "$LOG_DIR/supervisord.log" 2>/dev/null | tail -1 | sed 's/^[0-9-]* [0-9:,]* [A-Z]* //'; }

start_service() {
  local name="$1"
  if service_running "$name"; then ok "$name already running"; return 0; fi
  is_isolated "$name" || check_port_free "$name" "$(service_port "$name")"
  supervisorctl_ start "$name" >/dev/null 2>&1 || true
}

service_ready() { curl -sf -m 2 "http://$(service_host "$1"):$(service_port "$1")/actuator/health/readiness" >/dev/null; }

# start_services [SERVICE...]: every instance of the named services (all by default) under supervision, until ready.
# The first instance starts alone (decide-service first: its Flyway run creates the PostgreSQL schema the others then
# find in place), the others together.
start_services() {
  local modules=("$@") names=() module name
  ((${#modules[@]})) || modules=("${SERVICES[@]}")
  for module in "${modules[@]}"; do
    while read -r name; do names+=("$name"); done < <(service_instances "$module")
  done
  step "starting the services (supervised: started again when they exit)"
  start_supervisor "${names[@]}"
  start_service "${names[0]}"
  await_service "${names[0]}"
  # Then one service at a time, its instances together (five JVMs starting at once on two cores time out on their
  # first PostgreSQL connection). supervisorctl start returns once a program counts as started (startsecs).
  for module in "${modules[@]}"; do
    local wave=() pids=()
    for name in "${names[@]:1}"; do [[ $(module_of "$name") == "$module" ]] && wave+=("$name"); done
    for name in "${wave[@]}"; do start_service "$name" & pids+=($!); done
    ((${#pids[@]} == 0)) || wait "${pids[@]}"
    for name in "${wave[@]}"; do await_service "$name"; done
  done
}
await_service() {
  wait_for "$1" 180 service_ready "$1" || fail "$1 did not become ready"
  ok "$1 on $(service_host "$1"):$(service_port "$1") (pid $(service_pid "$1"))"
}

stop_services() {
  if supervisor_running; then
    stop_supervisor
    ok "stopped the services and their supervisor"
  fi
}

# rolling_restart [INSTANCE...]: restarts the instances (all by default) one at a time, each stopped gracefully (SIGTERM:
# it stops accepting connections and finishes the requests it has), started and awaited until ready before the next.
# No request fails for it at the public address: nginx sends what the stopping instance refuses, or a connection of
# it that closed, to the other instance (it holds each request body whole, see write_proxy_config). The proxy is not
# reloaded for it: a reload closes the clients' idle keep-alive connections, and a client that sent a request on one
# at that moment gets an error (seen as 3 failed requests in 65,000 during a rolling restart). A plugin-service
# instance leaves its consumer group on SIGTERM and the other takes its partitions.
rolling_restart() {
  local names=("$@") name
  ((${#names[@]})) || mapfile -t names < <(all_instances)
  supervisor_running || fail "the services are not running (./platform up)"
  for name in "${names[@]}"; do
    step "restarting $name"
    supervisorctl_ stop "$name" >/dev/null
    start_service "$name"
    await_service "$name"
    # nginx marked the instance failed while it was down. It sends one request to it fail_timeout after the last
    # failure and skips it for other requests until that one succeeds: stopping the next instance meanwhile leaves
    # nginx no live upstream (502). So the next one waits until the proxy is sure to have tried this one again.
    if [[ $(module_of "$name") != plugin-service ]]; then sleep $((PROXY_FAIL_TIMEOUT + 3)); fi
  done
}
# env_running: whether any part of the selected environment runs.
env_running() {
  supervisor_running && return 0
  local f
  for f in "$RUN_DIR"/*.pid; do [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null && return 0; done
  return 1
}

# ---------------------------------------------------------------------------------------------- reverse proxy
# One public address for every SDK: capture routes to capture-service; /decide, /flags, /array/ and /api/ to
# decide-service (the same routing as docker-compose.yml's proxy). With several instances of a service, nginx spreads
# requests over them and keeps away from a failing one:
#  - passive health: an instance that refused a connection, reset it or did not connect within 2 s gets no request
#    for the next 5 s (max_fails=1 fail_timeout=5s), then one request tries it again;
#  - retry on another instance when the first failed at the connection level: refused, reset, or no answer within
#    the time-outs - also for POST (non_idempotent). A request an instance never read left nothing behind. One it read
#    may have reached Kafka before the instance died; the retry then stores a second copy, which ClickHouse collapses
#    when the event carries its uuid (the SDKs send one) - the same outcome as the SDK's own retry of the failed
#    request. Not on a 503: that is capture's answer to overload (Retry-After for the client); counted as a failure,
#    it would mark every instance down under load and turn the 503s into nginx's 502s;
# The open-source nginx has no active health checks: a stopped instance is found by its refused connections.
write_proxy_config() {
  local dir="$DATA_DIR/nginx" bind="${PLATFORM_BIND:-127.0.0.1}"
  mkdir -p "$dir/temp"
  cat >"$dir/nginx.conf.new" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $LOG_DIR/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  # The largest request any route accepts (20 MiB batches); the services enforce each route's own limit.
  client_max_body_size 25m;
  client_body_timeout 30s;
$(proxy_upstream capture capture-service)
$(proxy_upstream decide decide-service)
  server {
    listen $bind:$PROXY_PORT;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    # Overwritten, never appended: the services trust this header from the proxy only.
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto \$scheme;
    # nginx reads a request's whole body before it sends it on (up to 128 KiB in memory, larger ones in a temporary
    # file under temp/), so that it can send it again to the other instance when the first one dies mid-request; a
    # client that trickles its body is cut by client_body_timeout here, not held by a service thread.
    proxy_request_buffering on;
    client_body_buffer_size 128k;
    proxy_connect_timeout 2s;
    proxy_next_upstream error timeout non_idempotent;
    proxy_next_upstream_tries 3;
    location /decide { proxy_pass http://decide; }
    location /flags { proxy_pass http://decide; }
    location /array/ { proxy_pass http://decide; }
    location /api/ { proxy_pass http://decide; }
    # Health and metrics stay on the services' own ports.
    location /actuator { return 404; }
    location / { proxy_pass http://capture; }
  }
}
EOF
  mv "$dir/nginx.conf.new" "$dir/nginx.conf"
}
# How long nginx keeps a failed instance out (seconds): the rolling restart waits for it too.
PROXY_FAIL_TIMEOUT=5
# proxy_upstream NAME SERVICE: the upstream block of the service's instances.
proxy_upstream() {
  local instance
  printf '  upstream %s {\n' "$1"
  while read -r instance; do
    printf '    server %s:%s max_fails=1 fail_timeout=%ss;\n' "$(service_host "$instance")" "$(service_port "$instance")" \
      "$PROXY_FAIL_TIMEOUT"
  done < <(service_instances "$2")
  # Idle upstream connections are closed by nginx before the service's own 20 s keep-alive time-out closes them: the
  # other way round, nginx may reuse a connection at the moment the service closes it, and fail that request.
  printf '    keepalive 64;\n    keepalive_timeout 15s;\n  }\n'
}
nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }
proxy_nginx() { "$(nginx_bin)" -e "$LOG_DIR/proxy-error.log" -p "$DATA_DIR/nginx" -c "$DATA_DIR/nginx/nginx.conf" "$@"; }

start_proxy() {
  step "starting the proxy"
  if is_running proxy; then ok "proxy already running"; return 0; fi
  check_port_free proxy "$PROXY_PORT"
  write_proxy_config
  proxy_nginx -t -q >>"$LOG_DIR/proxy.log" 2>&1 || fail "invalid proxy configuration, see $LOG_DIR/proxy.log"
  launch proxy "" "$(nginx_bin)" -e "$LOG_DIR/proxy-error.log" -p "$DATA_DIR/nginx" -c "$DATA_DIR/nginx/nginx.conf" \
    -g 'daemon off;'
  wait_for proxy 20 curl -sf -m 2 "http://127.0.0.1:$PROXY_PORT/_liveness" || fail "the proxy did not start"
  ok "proxy on http://${PLATFORM_BIND:-127.0.0.1}:$PROXY_PORT"
}

stop_proxy() {
  if is_running proxy; then stop_process proxy; ok "stopped proxy"; else rm -f "$(pid_file proxy)"; fi
}

# ---------------------------------------------------------------------------------------------- first project
# On first start the platform creates a default project so the quickstart needs no other tool.
bootstrap_project() {
  local token
  token=$(psql_app -tAc "SELECT api_token FROM team ORDER BY id LIMIT 1")
  if [[ -z "$token" ]]; then
    token="phc_$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
    psql_app -c "INSERT INTO team (uuid, name, api_token) VALUES (gen_random_uuid(), 'Default project', '$token')" >/dev/null
    ok "created the default project"
  fi
  PROJECT_TOKEN="$token"
  PROJECT_ID=$(psql_app -tAc "SELECT id FROM team WHERE api_token = '$token'")
}

print_quickstart() {
  local url="http://127.0.0.1:$PROXY_PORT" instance n urls=()
  for n in "${CH_NODES[@]}"; do urls+=("http://127.0.0.1:$(ch_http_port "$n")"); done
  cat <<EOF

The platform is up ($TOPOLOGY topology).
  public address (point SDKs here)  $url
EOF
  while read -r instance; do
    printf '  %-33s http://%s:%s%s\n' "$instance" "$(service_host "$instance")" "$(service_port "$instance")" \
      "$(if [[ $(module_of "$instance") == plugin-service ]]; then echo ' (health, metrics)'; fi)$(if is_isolated "$instance"; then echo ", in network namespace $(netns_name)"; fi)"
  done < <(all_instances)
  cat <<EOF
  PostgreSQL                        127.0.0.1:$PG_PORT (database $PG_DB, user $PG_USER, password $PG_PASSWORD)
  Kafka                             $(kafka_bootstrap) (replication factor $(kafka_replication))
  ZooKeeper                         $(zk_connect)
  ClickHouse (HTTP)                 $(join ' ' "${urls[@]}") (user $CH_USER, password $CH_PASSWORD)
  credentials                       kept in ${DATA_DIR#"$ROOT"/}/secrets/ (readable by root only) and ${DATA_DIR#"$ROOT"/}/stack.env
  default project                   id $PROJECT_ID, API token $PROJECT_TOKEN
  personal API key (all projects)   $(bootstrap_key)   (management API, local evaluation; kept in ${DATA_DIR#"$ROOT"/}/bootstrap-personal-api-key)
  memory in use                     $(memory_in_use)

Send a first event:
  curl -s $url/capture/ -H 'Content-Type: application/json' \\
    -d '{"api_key":"$PROJECT_TOKEN","event":"hello","distinct_id":"user-1","properties":{"plan":"free"}}'

See it in ClickHouse (a few seconds later):
  curl -s -u $CH_USER:$CH_PASSWORD http://127.0.0.1:$CH1_HTTP_PORT/ --data-binary "SELECT timestamp, event, distinct_id, person_id, properties FROM $CH_DB.events WHERE team_id = $PROJECT_ID ORDER BY timestamp DESC LIMIT 10 FORMAT PrettyCompact"

./platform status | logs <part> | restart | down | reset
EOF
}

# part_pid PART: the process id of a running part (a service instance's from supervisord).
part_pid() {
  case "$1" in
    *-service | *-service-[0-9]) service_pid "$1" ;;
    *) [[ -f "$(pid_file "$1")" ]] && cat "$(pid_file "$1")" ;;
  esac
}
# rss_kib PID: the memory of the process and its children (PostgreSQL's backends), each shared page counted once
# among its sharers (proportional set size), so that the sum over parts is what the machine gives them.
rss_kib() {
  local pid total=0 pss
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null)
    [[ -n "$pss" ]] || pss=$(ps -o rss= --pid "$pid" 2>/dev/null | tr -d ' ')
    total=$((total + ${pss:-0}))
  done
  echo "$total"
}
# memory_in_use: the resident memory of every running part, summed.
memory_in_use() {
  local part pid total=0 count=0
  for part in $(infra_parts) $(all_instances) proxy; do
    is_running "$part" || continue
    pid=$(part_pid "$part")
    [[ -n "$pid" ]] || continue
    total=$((total + $(rss_kib "$pid"))); count=$((count + 1))
  done
  awk -v kib="$total" -v n="$count" 'BEGIN { printf "%.1f GiB resident in %d processes", kib / 1048576, n }'
}

# ---------------------------------------------------------------------------------------------- status
print_status() {
  local part state detail parts=() n
  for n in "${ZK_NODES[@]}"; do parts+=("$(zk_part "$n")"); done
  parts+=(postgres)
  for n in "${KAFKA_NODES[@]}"; do parts+=("$(kafka_part "$n")"); done
  for n in "${CH_NODES[@]}"; do parts+=("clickhouse$n"); done
  while read -r part; do parts+=("$part"); done < <(all_instances)
  parts+=(proxy)
  printf '%-18s %-9s %-9s %s\n' PART STATE MEMORY DETAIL
  for part in "${parts[@]}"; do
    detail=""
    if is_running "$part"; then state=running; else state=stopped; fi
    case "$part" in
      zookeeper*) n=${part#zookeeper}; n=${n:-1}
        [[ $state == running ]] && { local mode; mode=$(zk_mode "$(zk_port "$n")"); detail="${mode:-not serving} on :$(zk_port "$n")"; } ;;
      postgres) [[ $state == running ]] && { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && detail="accepting on :$PG_PORT" || detail="not accepting"; } ;;
      kafka*) n=${part#kafka}; n=${n:-1}
        [[ $state == running ]] && { port_in_use "$(kafka_port "$n")" && detail="listening on :$(kafka_port "$n")" || detail="not listening"; } ;;
      clickhouse*) n=${part#clickhouse}
        [[ $state == running ]] && { ch_ready "$(ch_http_port "$n")" && detail="ok on :$(ch_http_port "$n")" || detail="not answering"; }
        detail="$detail, shard $(ch_shard "$n") replica ch$n (ClickHouse $(clickhouse_version "$(clickhouse_bin)")$(if clickhouse_is_old; then echo ': end of life, see README'; fi))" ;;
      proxy) if [[ $state == running ]]; then detail="http://127.0.0.1:$PROXY_PORT"; fi ;;
      *-service*)
        state=$(service_state "$part" | tr '[:upper:]' '[:lower:]')
        local exits
        exits=$(service_exits "$part")
        if [[ $state == running ]]; then
          local health
          health=$(curl -s -m 3 "http://$(service_host "$part"):$(service_port "$part")/actuator/health/readiness" || true)
          detail="pid $(service_pid "$part") on :$(service_port "$part"), readiness: ${health:-no answer}"
        fi
        if [[ ${exits:-0} -gt 0 ]]; then detail="$detail; restarted after $exits exit(s), last: $(service_last_exit "$part")"; fi ;;
    esac
    local memory="-" pid
    if [[ $state == running ]]; then pid=$(part_pid "$part"); [[ -n "$pid" ]] && memory="$(( $(rss_kib "$pid") / 1024 )) MiB"; fi
    printf '%-18s %-9s %-9s %s\n' "$part" "$state" "$memory" "$detail"
  done
  echo "memory in use: $(memory_in_use)"
}
