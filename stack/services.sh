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
  "$JAVA_HOME/bin/java" -cp "$cp" dev.ingest.clickhouse.schema.MigrateCommand \
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

start_service() {
  local name="$1" port jar
  port=$(service_port "$name")
  jar=$(service_jar "$name")
  if is_running "$name"; then ok "$name already running"; return 0; fi
  check_port_free "$name" "$port"
  # shellcheck disable=SC2046
  launch "$name" "" env $(grep -v '^#' "$DATA_DIR/stack.env" | xargs) SERVER_PORT="$port" \
    INGEST_DECIDE_BOOTSTRAP_PERSONAL_API_KEY="$(bootstrap_key)" \
    "$JAVA_HOME/bin/java" -Xms128m -Xmx${SERVICE_HEAP:-768m} -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Duser.timezone=UTC -jar "$jar"
}

service_ready() { curl -sf -m 2 "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; }

start_services() {
  step "starting the services"
  # decide-service first: its Flyway run creates the PostgreSQL schema the other two then find in place.
  local name
  for name in "${SERVICES[@]}"; do
    start_service "$name"
    wait_for "$name" 120 service_ready "$(service_port "$name")" || fail "$name did not become ready"
    ok "$name on 127.0.0.1:$(service_port "$name")"
  done
}

stop_services() {
  local name
  for name in capture-service plugin-service decide-service; do
    if is_running "$name"; then stop_process "$name"; ok "stopped $name"; else rm -f "$(pid_file "$name")"; fi
  done
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
  PostgreSQL                        127.0.0.1:$PG_PORT (database $PG_DB, user $PG_USER)
  Kafka                             127.0.0.1:$KAFKA_PORT
  ClickHouse (HTTP)                 http://127.0.0.1:$CH1_HTTP_PORT and http://127.0.0.1:$CH2_HTTP_PORT
  default project                   id $PROJECT_ID, API token $PROJECT_TOKEN
  personal API key (all projects)   $(bootstrap_key)   (management API, local evaluation; kept in ${DATA_DIR#"$ROOT"/}/bootstrap-personal-api-key)

Send a first event:
  curl -s $url/capture/ -H 'Content-Type: application/json' \\
    -d '{"api_key":"$PROJECT_TOKEN","event":"hello","distinct_id":"user-1","properties":{"plan":"free"}}'

See it in ClickHouse (a few seconds later):
  curl -s http://127.0.0.1:$CH1_HTTP_PORT/ --data-binary "SELECT timestamp, event, distinct_id, person_id, properties FROM $CH_DB.events WHERE team_id = $PROJECT_ID ORDER BY timestamp DESC LIMIT 10 FORMAT PrettyCompact"

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
      clickhouse1) [[ $state == running ]] && { ch_ready "$CH1_HTTP_PORT" && detail="ok on :$CH1_HTTP_PORT" || detail="not answering"; } ;;
      clickhouse2) [[ $state == running ]] && { ch_ready "$CH2_HTTP_PORT" && detail="ok on :$CH2_HTTP_PORT" || detail="not answering"; } ;;
      proxy) [[ $state == running ]] && detail="http://127.0.0.1:$PROXY_PORT" ;;
      *-service)
        if [[ $state == running ]]; then
          local health
          health=$(curl -s -m 3 "http://127.0.0.1:$(service_port "$part")/actuator/health/readiness" || true)
          detail="readiness: ${health:-no answer}"
        fi ;;
    esac
    printf '%-18s %-9s %s\n' "$part" "$state" "$detail"
  done
}
