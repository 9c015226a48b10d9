#!/usr/bin/env bash
# Starts the scale-out engine's services on loopback for development and CI: PostgreSQL on 127.0.0.1:5432
# and NATS with JetStream on 127.0.0.1:4222. A service that already answers is left alone; missing ones are
# installed with apt-get (Debian/Ubuntu) and started. Exits non-zero if either does not answer within 30 s.
set -euo pipefail

readonly PG_PORT=5432
readonly NATS_PORT=4222
readonly WAIT_SECONDS=30
readonly NATS_STORE_DIR=/var/lib/nats-server
readonly NATS_LOG=/var/log/nats-server.log

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

nats_answers() {
  port_open "$NATS_PORT"
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
  log "starting nats-server with JetStream"
  as_root mkdir -p "$NATS_STORE_DIR"
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$NATS_STORE_DIR" -l "$NATS_LOG"
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
  local need_postgres=false need_nats=false missing=() fresh_postgres=false
  postgres_answers || need_postgres=true
  nats_answers || need_nats=true
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
