#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) for driftwatch tests and the demo, without
# Docker: the official jars come from Maven Central through scripts/kafka/pom.xml.
#
#   scripts/kafka.sh start|stop|status|wait
#
# Environment:
#   KAFKA_PORT             client port (default 9092), listening on 127.0.0.1 only
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT+1)
#   KAFKA_DIR              data/state dir (default <repo>/.kafka/<port>)
#   KAFKA_HEAP             JVM heap flags (default "-Xmx512m -Xms256m")
#   KAFKA_START_TIMEOUT    seconds to wait for the broker in start/wait (default 90)
#   DW_CACHE_DIR           jar cache root (default <repo>/.cache); Maven also caches in ~/.m2
#
# Exit codes: 0 ok; 1 failure; 2 usage; 3 `status` says stopped.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
RES_DIR="$SCRIPT_DIR/kafka"

# 3.9.x: the newest line kafkajs 2.2.4 is known to work with (4.0 dropped old protocol
# versions, KIP-896). 3.9.2 was the newest 3.9.x on Maven Central when this was written.
KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
if ! [[ "$KAFKA_PORT" =~ ^[0-9]{1,5}$ ]]; then
  echo "kafka.sh: error: KAFKA_PORT must be a TCP port (1-65535), got '$KAFKA_PORT'" >&2
  exit 1
fi
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((10#$KAFKA_PORT + 1))}"
# Absolute, so pid checks and log.dirs do not depend on the caller's working directory.
KAFKA_DIR="$(realpath -m "${KAFKA_DIR:-$REPO_DIR/.kafka/$KAFKA_PORT}")"
KAFKA_HEAP="${KAFKA_HEAP:--Xmx512m -Xms256m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
CACHE_ROOT="$(realpath -m "${DW_CACHE_DIR:-$REPO_DIR/.cache}")"
LIBS_DIR="$CACHE_ROOT/kafka-$KAFKA_VERSION/libs"
LIBS_MARKER="$LIBS_DIR/.complete"

PID_FILE="$KAFKA_DIR/kafka.pid"
PROPS_FILE="$KAFKA_DIR/server.properties"
DATA_DIR="$KAFKA_DIR/data"
LOG_DIR="$KAFKA_DIR/logs"
SERVER_LOG="$LOG_DIR/server.log"
OUT_FILE="$KAFKA_DIR/kafka.out"
READY_LINE="Kafka Server started"

say() { printf 'kafka.sh: %s\n' "$*"; }
die() { printf 'kafka.sh: error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

usage() {
  echo "usage: scripts/kafka.sh start|stop|status|wait" >&2
  exit 2
}

check_port_var() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    die "$name must be a TCP port (1-65535), got '$value'"
  fi
}

# Pid of our broker if it is running, else nothing. Checks the command line too, so a stale
# pid file whose number was reused by another process is not mistaken for the broker.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  if [[ -r "/proc/$pid/cmdline" ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$PROPS_FILE"; then
    return 0
  fi
  echo "$pid"
}

port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

print_log_tail() {
  local f
  for f in "$SERVER_LOG" "$OUT_FILE"; do
    if [[ -s "$f" ]]; then
      echo "---- last lines of $f ----" >&2
      tail -n 30 "$f" >&2
    fi
  done
}

# Serialise start/stop on one data dir (two test runs starting the same broker).
lock_dir() {
  mkdir -p "$KAFKA_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$KAFKA_DIR/.lock"
    flock -w 120 9 || die "another kafka.sh holds $KAFKA_DIR/.lock for over 120 s"
  fi
}

ensure_libs() {
  if [[ -f "$LIBS_MARKER" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed once to fetch Kafka $KAFKA_VERSION jars into $LIBS_DIR"
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  local t0 tmp
  t0="$(now_ms)"
  mkdir -p "$(dirname "$LIBS_DIR")"
  tmp="$(mktemp -d "$(dirname "$LIBS_DIR")/libs.tmp.XXXXXX")"
  if ! mvn -q -B -f "$RES_DIR/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    cat "$tmp.mvn.log" >&2
    rm -rf "$tmp" "$tmp.mvn.log"
    die "mvn dependency:copy-dependencies failed for org.apache.kafka:kafka_2.13:$KAFKA_VERSION (see above)"
  fi
  rm -f "$tmp.mvn.log"
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "Maven did not produce kafka_2.13-$KAFKA_VERSION.jar"; }
  # Swap in the complete dir, then write the marker: an interrupted fetch leaves no marker.
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  printf 'kafka_2.13 %s\njars %s\n' "$KAFKA_VERSION" "$(find "$LIBS_DIR" -name '*.jar' | wc -l)" >"$LIBS_MARKER"
  say "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $(elapsed "$t0")"
}

write_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  local line out=""
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line//@KAFKA_PORT@/$KAFKA_PORT}"
    line="${line//@CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT}"
    line="${line//@DATA_DIR@/$DATA_DIR}"
    out+="$line"$'\n'
  done <"$RES_DIR/server.properties.in"
  printf '%s' "$out" >"$PROPS_FILE"
}

java_opts() {
  # Word splitting of KAFKA_HEAP is intended ("-Xmx512m -Xms256m").
  # shellcheck disable=SC2206
  JAVA_OPTS=($KAFKA_HEAP
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$RES_DIR/log4j.properties"
    "-Dkafka.logs.dir=$LOG_DIR")
}

# Format the storage once per data dir (KRaft refuses to start on an unformatted dir).
format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then return 0; fi
  # A cluster id is 16 random bytes in URL-safe base64 without padding (what
  # `StorageTool random-uuid` prints); making it here saves a JVM start.
  local cluster_id
  # A leading '-' would be read as an option by StorageTool's argument parser: re-draw.
  cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  say "formatting $DATA_DIR (cluster id $cluster_id)"
  if ! java "${JAVA_OPTS[@]}" -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
    --cluster-id="$cluster_id" -c "$PROPS_FILE" --ignore-formatted >"$KAFKA_DIR/format.out" 2>&1; then
    cat "$KAFKA_DIR/format.out" >&2
    die "kafka.tools.StorageTool format failed for $DATA_DIR"
  fi
  echo "$cluster_id" >"$KAFKA_DIR/cluster.id"
}

probe() {
  node "$RES_DIR/probe.mjs" "127.0.0.1:$KAFKA_PORT"
}

cmd_start() {
  check_port_var KAFKA_PORT "$KAFKA_PORT"
  check_port_var KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  command -v java >/dev/null 2>&1 || die "java not found (Kafka $KAFKA_VERSION needs Java 11+)"
  local t0 pid
  t0="$(now_ms)"
  lock_dir
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    say "already running (pid $pid, 127.0.0.1:$KAFKA_PORT, dir $KAFKA_DIR)"
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "port 127.0.0.1:$p is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
    fi
  done
  ensure_libs
  write_config
  java_opts
  format_storage
  # Keep the previous run's log apart so the ready line found below is from this run.
  if [[ -f "$SERVER_LOG" ]]; then mv -f "$SERVER_LOG" "$SERVER_LOG.prev"; fi
  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, dir $KAFKA_DIR)"
  # fd 9 (the lock) is closed for the broker, else it would hold the lock for its lifetime.
  nohup java "${JAVA_OPTS[@]}" -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" \
    >"$OUT_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until [[ -f "$SERVER_LOG" ]] && grep -qF "$READY_LINE" "$SERVER_LOG"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      print_log_tail
      die "the broker exited during startup (pid $pid)"
    fi
    if ((SECONDS >= deadline)); then
      print_log_tail
      kill -TERM "$pid" 2>/dev/null || true
      die "no \"$READY_LINE\" in $SERVER_LOG after ${KAFKA_START_TIMEOUT}s; sent SIGTERM to pid $pid"
    fi
    sleep 0.2
  done
  say "running (pid $pid, 127.0.0.1:$KAFKA_PORT) after $(elapsed "$t0")"
}

cmd_stop() {
  lock_dir
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    say "not running (dir $KAFKA_DIR)"
    return 0
  fi
  local t0
  t0="$(now_ms)"
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "pid $pid still alive after 30s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  say "stopped after $(elapsed "$t0")"
}

cmd_status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "running (pid $pid, 127.0.0.1:$KAFKA_PORT, dir $KAFKA_DIR)"
    return 0
  fi
  echo "stopped (127.0.0.1:$KAFKA_PORT, dir $KAFKA_DIR)"
  return 3
}

# Waits until a broker (ours or any other, e.g. docker compose) answers on KAFKA_PORT.
cmd_wait() {
  check_port_var KAFKA_PORT "$KAFKA_PORT"
  local t0 deadline out
  t0="$(now_ms)"
  deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  say "waiting for a broker on 127.0.0.1:$KAFKA_PORT (up to ${KAFKA_START_TIMEOUT}s)"
  until out="$(probe 2>&1)"; do
    if ((SECONDS >= deadline)); then
      echo "$out" >&2
      print_log_tail
      die "no broker answered on 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  say "$out (after $(elapsed "$t0"))"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  wait) cmd_wait ;;
  *) usage ;;
esac
