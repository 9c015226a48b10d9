#!/usr/bin/env bash
# Starts the scale-out engine's services on loopback for development and CI: PostgreSQL on 127.0.0.1:5432
# and NATS with JetStream on 127.0.0.1:4222. A service that already answers is left alone; missing ones are
# installed with apt-get (Debian/Ubuntu) and started. A NATS without JetStream on the port (Debian's packaged
# service runs one) is stopped if it is that service, and reported otherwise. Exits non-zero if either service
# does not answer within 30 s. NATS_PORT, NATS_STORE_DIR and NATS_LOG override the NATS defaults.
set -euo pipefail

readonly REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly PG_PORT=5432
readonly NATS_PORT="${NATS_PORT:-4222}"
readonly WAIT_SECONDS=30
readonly NATS_STORE_DIR="${NATS_STORE_DIR:-/var/lib/nats-server}"
readonly NATS_LOG="${NATS_LOG:-/var/log/nats-server.log}"
# One pid file per port, so a nats-server on another port does not count as ours being up.
readonly NATS_PIDFILE="/run/tillstream-nats-server-${NATS_PORT}.pid"
readonly NATS_PACKAGED_UNIT=nats-server.service

log() { printf 'services: %s\n' "$*" >&2; }

# Root for apt-get and the daemons; sudo when available, as in most CI images.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root to run: $*"
    exit 1
  fi
}

port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

postgres_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
  else
    port_open "$PG_PORT"
  fi
}

# Asks the server on NATS_PORT for its JetStream account info, the way the platform does. Exit status:
# 0 JetStream answers, 3 NATS answers without JetStream, 4 the client packages are not installed, 1 otherwise.
readonly JETSTREAM_CHECK='
let transport, jetstream;
try {
  transport = require("@nats-io/transport-node");
  jetstream = require("@nats-io/jetstream");
} catch {
  process.exit(4);
}
(async () => {
  const nc = await transport.connect({ servers: process.argv[1], timeout: 3000, reconnect: false });
  let status = 0;
  try {
    await jetstream.jetstreamManager(nc, { timeout: 3000 });
  } catch (err) {
    console.error(err.message);
    status = 3;
  }
  await nc.close();
  process.exit(status);
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});'

# Without the client packages (before npm ci), the INFO line a NATS server greets with says whether
# JetStream is enabled.
nats_info_says_jetstream() {
  local info
  info="$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$NATS_PORT; IFS= read -r line <&3; printf '%s' \"\$line\"" 2>/dev/null)" ||
    return 1
  case "$info" in
    INFO*'"jetstream":true'*) return 0 ;;
    INFO*) return 3 ;;
    *) return 2 ;;
  esac
}

# On NATS_PORT: 0 NATS with JetStream answers, 1 nothing listens, 2 something that does not answer as NATS
# listens, 3 NATS without JetStream answers.
nats_jetstream_status() {
  port_open "$NATS_PORT" || return 1
  local status=0
  (cd "$REPO_ROOT" && timeout 10 node -e "$JETSTREAM_CHECK" "nats://127.0.0.1:$NATS_PORT") >/dev/null 2>&1 || status=$?
  if [ "$status" -eq 4 ] || [ "$status" -eq 127 ]; then
    status=0
    nats_info_says_jetstream || status=$?
  fi
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then status=2; fi
  return "$status"
}

nats_answers() {
  nats_jetstream_status
}

postgres_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]
}

nats_installed() {
  [ -x /usr/sbin/nats-server ]
}

# Lets the postgres user in over TCP from loopback without a password, as the tests expect.
trust_loopback_postgres() {
  local version hba
  version="$(ls /etc/postgresql | head -1)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! as_root grep -qE '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    log "trusting postgres@127.0.0.1 in $hba"
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
}

start_postgres() {
  local version
  version="$(ls /etc/postgresql | head -1)"
  # The package may have started the cluster itself: then a reload applies the pg_hba.conf change.
  if as_root pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
    log "reloading PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  else
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || log "pg_ctlcluster start failed"
  fi
}

start_nats() {
  log "starting nats-server with JetStream on 127.0.0.1:$NATS_PORT"
  as_root mkdir -p "$NATS_STORE_DIR"
  as_root start-stop-daemon --start --oknodo --background --make-pidfile --pidfile "$NATS_PIDFILE" \
    --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$NATS_STORE_DIR" -l "$NATS_LOG"
}

# The pid listening on 127.0.0.1:$1, if ss can tell.
port_holder() {
  as_root ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

# Something other than NATS with JetStream holds NATS_PORT ($1 is nats_jetstream_status: 2 or 3). Only
# Debian's packaged service is stopped, because this script knows what it is (/etc/nats-server.conf has no
# jetstream block); anything else is left running and reported, since stopping it could break its owner.
free_nats_port() {
  local status="$1" pid cmd unit_pid waited=0
  pid="$(port_holder "$NATS_PORT")"
  cmd="$([ -n "$pid" ] && tr '\0\n' '  ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  cmd="${cmd% }"
  if [ "$status" -eq 3 ]; then
    log "127.0.0.1:$NATS_PORT answers as NATS but without JetStream (${cmd:-unknown process}${pid:+, pid $pid})"
  else
    log "127.0.0.1:$NATS_PORT is held by something that does not answer as NATS (${cmd:-unknown process}${pid:+, pid $pid})"
  fi
  if [ "$status" -eq 3 ] && [ -n "$pid" ] && command -v systemctl >/dev/null 2>&1 &&
    systemctl is-active --quiet "$NATS_PACKAGED_UNIT" &&
    [ "$(systemctl show -p MainPID --value "$NATS_PACKAGED_UNIT")" = "$pid" ]; then
    log "stopping the packaged $NATS_PACKAGED_UNIT (its /etc/nats-server.conf has no JetStream);" \
      "'systemctl disable $NATS_PACKAGED_UNIT' keeps it from starting again at boot"
    as_root systemctl stop "$NATS_PACKAGED_UNIT"
    while port_open "$NATS_PORT"; do
      if [ "$waited" -ge "$WAIT_SECONDS" ]; then
        log "127.0.0.1:$NATS_PORT is still held ${WAIT_SECONDS}s after stopping $NATS_PACKAGED_UNIT"
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    return 0
  fi
  if [ "$status" -eq 3 ]; then
    log "not stopping it: stop it yourself, or enable JetStream in its configuration" \
      "(a 'jetstream { store_dir: \"$NATS_STORE_DIR\" }' block), then run this script again"
  else
    log "not stopping it: stop it yourself or set NATS_PORT to a free port, then run this script again"
  fi
  exit 1
}

wait_for() {
  local name="$1" check="$2" waited=0
  until "$check"; do
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then
      log "$name did not answer on 127.0.0.1 within ${WAIT_SECONDS}s"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "$name answers"
}

main() {
  local need_postgres=false need_nats=false missing=() fresh_postgres=false nats_status=0
  postgres_answers || need_postgres=true
  nats_jetstream_status || nats_status=$?
  if [ "$nats_status" -ge 2 ]; then free_nats_port "$nats_status"; fi
  if [ "$nats_status" -ne 0 ]; then need_nats=true; fi
  if ! $need_postgres && ! $need_nats; then
    log "PostgreSQL and NATS already answer"
    return 0
  fi

  if $need_postgres && ! postgres_installed; then
    missing+=(postgresql)
    fresh_postgres=true
  fi
  if $need_nats && ! nats_installed; then missing+=(nats-server); fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi

  if $need_postgres; then
    if ! postgres_installed; then
      log "PostgreSQL is installed but has no cluster under /etc/postgresql"
      exit 1
    fi
    if $fresh_postgres; then trust_loopback_postgres; fi
    start_postgres
  fi
  if $need_nats; then start_nats; fi

  local failed=0
  wait_for PostgreSQL postgres_answers || failed=1
  wait_for NATS nats_answers || failed=1
  if [ "$failed" -ne 0 ]; then
    log "services are not ready (PostgreSQL logs: /var/log/postgresql, NATS log: $NATS_LOG)"
    exit 1
  fi
}

main "$@"
