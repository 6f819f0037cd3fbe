# shellcheck shell=bash
# The platform's own processes on top of the data stack: the three services (runnable jars built by Maven),
# the ClickHouse migrations, the reverse proxy that gives SDKs one public address, and the default project.
# Sourced by ./platform after stack/lib.sh.

SERVICES=(decide-service plugin-service capture-service)

service_port() {
  case "$1" in
    capture-service) echo "$CAPTURE_PORT" ;;
    decide-service) echo "$DECIDE_PORT" ;;
    plugin-service) echo "$PLUGIN_PORT" ;;
  esac
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
    --nodes "http://127.0.0.1:$CH1_HTTP_PORT,http://127.0.0.1:$CH2_HTTP_PORT" --database "$CH_DB" \
    --cluster "$CH_CLUSTER" --replicated true --kafka "127.0.0.1:$KAFKA_PORT" >>"$LOG_DIR/migrations.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/migrations.log" >&2; fail "ClickHouse migrations failed, see $LOG_DIR/migrations.log"; }
  ok "ClickHouse schema migrated on both shards"
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
  jar="$DATA_DIR/jars/$name.jar"
  cp "$(service_jar "$name")" "$jar.new" && mv "$jar.new" "$jar"
  env_line="SERVER_PORT=\"$port\",INGEST_DECIDE_BOOTSTRAP_PERSONAL_API_KEY=\"$(bootstrap_key)\""
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    env_line="$env_line,$key=\"${value//\"/}\""
  done <"$DATA_DIR/stack.env"
  mkdir -p "$LOG_DIR/heapdumps"
  local run_as=""
  if [[ $(id -u) -eq 0 ]]; then
    # As root, the JVMs run as an unprivileged system user (supervisord itself and the logs stay root's).
    run_as="user=$SERVICE_USER"
    env_line="$env_line,HOME=\"$SERVICE_HOME\",USER=\"$SERVICE_USER\""
    chown "$SERVICE_USER:" "$LOG_DIR/heapdumps"
  fi
  cat <<EOF
[program:$name]
$run_as
command=$JAVA_HOME/bin/java -Xms128m -Xmx${SERVICE_HEAP:-768m} -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$LOG_DIR/heapdumps -Duser.timezone=UTC -jar $jar
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
  check_port_free "$name" "$(service_port "$name")"
  supervisorctl_ start "$name" >/dev/null 2>&1 || true
}

service_ready() { curl -sf -m 2 "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; }

# start_services [NAME...]: the named services (all by default) under supervision, in order, each until ready.
start_services() {
  local names=("$@")
  ((${#names[@]})) || names=("${SERVICES[@]}")
  step "starting the services (supervised: started again when they exit)"
  start_supervisor "${names[@]}"
  # decide-service first: its Flyway run creates the PostgreSQL schema the other two then find in place.
  local name
  for name in "${names[@]}"; do
    start_service "$name"
    wait_for "$name" 120 service_ready "$(service_port "$name")" || fail "$name did not become ready"
    ok "$name on 127.0.0.1:$(service_port "$name") (pid $(service_pid "$name"))"
  done
}

stop_services() {
  if supervisor_running; then
    stop_supervisor
    ok "stopped the services and their supervisor"
  fi
}

# ---------------------------------------------------------------------------------------------- reverse proxy
# One public address for every SDK: capture routes to capture-service; /decide, /flags, /array/ and /api/ to
# decide-service (the same routing as docker-compose.yml's proxy).
write_proxy_config() {
  local dir="$DATA_DIR/nginx" bind="${PLATFORM_BIND:-127.0.0.1}"
  mkdir -p "$dir/temp"
  cat >"$dir/nginx.conf" <<EOF
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
  upstream capture { server 127.0.0.1:$CAPTURE_PORT; keepalive 64; }
  upstream decide { server 127.0.0.1:$DECIDE_PORT; keepalive 64; }
  server {
    listen $bind:$PROXY_PORT;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    # Overwritten, never appended: the services trust this header from the proxy only.
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_request_buffering off;
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
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

start_proxy() {
  step "starting the proxy"
  if is_running proxy; then ok "proxy already running"; return 0; fi
  check_port_free proxy "$PROXY_PORT"
  write_proxy_config
  "$(nginx_bin)" -t -q -e "$LOG_DIR/proxy-error.log" -p "$DATA_DIR/nginx" -c "$DATA_DIR/nginx/nginx.conf" \
    >>"$LOG_DIR/proxy.log" 2>&1 || fail "invalid proxy configuration, see $LOG_DIR/proxy.log"
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
  local url="http://127.0.0.1:$PROXY_PORT"
  cat <<EOF

The platform is up.
  public address (point SDKs here)  $url
  capture-service                   http://127.0.0.1:$CAPTURE_PORT
  decide-service                    http://127.0.0.1:$DECIDE_PORT
  plugin-service (health, metrics)  http://127.0.0.1:$PLUGIN_PORT
  PostgreSQL                        127.0.0.1:$PG_PORT (database $PG_DB, user $PG_USER, password $PG_PASSWORD)
  Kafka                             127.0.0.1:$KAFKA_PORT
  ClickHouse (HTTP)                 http://127.0.0.1:$CH1_HTTP_PORT and http://127.0.0.1:$CH2_HTTP_PORT (user $CH_USER, password $CH_PASSWORD)
  credentials                       kept in ${DATA_DIR#"$ROOT"/}/secrets/ (readable by root only) and ${DATA_DIR#"$ROOT"/}/stack.env
  default project                   id $PROJECT_ID, API token $PROJECT_TOKEN
  personal API key (all projects)   $(bootstrap_key)   (management API, local evaluation; kept in ${DATA_DIR#"$ROOT"/}/bootstrap-personal-api-key)

Send a first event:
  curl -s $url/capture/ -H 'Content-Type: application/json' \\
    -d '{"api_key":"$PROJECT_TOKEN","event":"hello","distinct_id":"user-1","properties":{"plan":"free"}}'

See it in ClickHouse (a few seconds later):
  curl -s -u $CH_USER:$CH_PASSWORD http://127.0.0.1:$CH1_HTTP_PORT/ --data-binary "SELECT timestamp, event, distinct_id, person_id, properties FROM $CH_DB.events WHERE team_id = $PROJECT_ID ORDER BY timestamp DESC LIMIT 10 FORMAT PrettyCompact"

./platform status | logs <part> | down | reset
EOF
}

# ---------------------------------------------------------------------------------------------- status
print_status() {
  local part state
  printf '%-18s %-9s %s\n' PART STATE DETAIL
  for part in zookeeper postgres kafka clickhouse1 clickhouse2 "${SERVICES[@]}" proxy; do
    if is_running "$part"; then state=running; else state=stopped; fi
    local detail=""
    case "$part" in
      zookeeper) [[ $state == running ]] && { zk_ready && detail="serving on :$ZK_PORT" || detail="not serving"; } ;;
      postgres) [[ $state == running ]] && { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && detail="accepting on :$PG_PORT" || detail="not accepting"; } ;;
      kafka) [[ $state == running ]] && { port_in_use "$KAFKA_PORT" && detail="listening on :$KAFKA_PORT" || detail="not listening"; } ;;
      clickhouse1) [[ $state == running ]] && { ch_ready "$CH1_HTTP_PORT" && detail="ok on :$CH1_HTTP_PORT" || detail="not answering"; }
        detail="$detail (ClickHouse $(clickhouse_version "$(clickhouse_bin)")$(clickhouse_is_old && echo ': end of life, see README'))" ;;
      clickhouse2) [[ $state == running ]] && { ch_ready "$CH2_HTTP_PORT" && detail="ok on :$CH2_HTTP_PORT" || detail="not answering"; }
        detail="$detail (ClickHouse $(clickhouse_version "$(clickhouse_bin)")$(clickhouse_is_old && echo ': end of life, see README'))" ;;
      proxy) [[ $state == running ]] && detail="http://127.0.0.1:$PROXY_PORT" ;;
      *-service)
        state=$(service_state "$part" | tr '[:upper:]' '[:lower:]')
        local exits
        exits=$(service_exits "$part")
        if [[ $state == running ]]; then
          local health
          health=$(curl -s -m 3 "http://127.0.0.1:$(service_port "$part")/actuator/health/readiness" || true)
          detail="pid $(service_pid "$part"), readiness: ${health:-no answer}"
        fi
        if [[ ${exits:-0} -gt 0 ]]; then detail="$detail; restarted after $exits exit(s), last: $(service_last_exit "$part")"; fi ;;
    esac
    printf '%-18s %-9s %s\n' "$part" "$state" "$detail"
  done
}
