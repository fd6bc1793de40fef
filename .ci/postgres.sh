#!/usr/bin/env bash
# Source this file (`. .ci/postgres.sh`): it makes sure a throwaway PostgreSQL server listens on
# 127.0.0.1 and exports NOVA_TEST_PG_URL for the tests of `nova migrations check --verify-with`.
#
# - installs Debian's `postgresql` package when no server binaries are present (needs root);
# - runs its own cluster (its own data directory and port, never the system cluster) as the
#   `postgres` user when started as root, because PostgreSQL refuses to run as root;
# - the cluster's superuser is `nova` with password `nova` (scram-sha-256 on loopback only).
# Override with NOVA_PG_PORT / NOVA_PG_DATA. Idempotent: a running cluster is reused.

nova_pg_setup() {
    local port="${NOVA_PG_PORT:-54329}"
    local data="${NOVA_PG_DATA:-/tmp/nova-pg-${port}}"
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "postgres.sh: installing postgresql" >&2
            apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
        elif command -v sudo >/dev/null; then
            sudo -n apt-get update -qq >/dev/null && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
        else
            echo "postgres.sh: PostgreSQL is not installed and this user cannot install it" >&2
            return 1
        fi
        bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    fi
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
    fi
    if ! "${as[@]}" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        if [ ! -s "$data/PG_VERSION" ]; then
            mkdir -p "$data" && chmod 700 "$data"
            [ "$(id -u)" = 0 ] && chown postgres: "$data"
            local pw="$data/../nova-pg-${port}.pw"
            printf 'nova\n' >"$pw"
            [ "$(id -u)" = 0 ] && chown postgres: "$pw"
            "${as[@]}" "$bin/initdb" -D "$data" -U nova --pwfile="$pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
            rm -f "$pw"
        fi
        "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c full_page_writes=off" start >/dev/null || {
            cat "$data/server.log" >&2
            return 1
        }
    fi
    export NOVA_TEST_PG_URL="postgres://nova:nova@127.0.0.1:${port}/postgres"
    echo "postgres.sh: NOVA_TEST_PG_URL=$NOVA_TEST_PG_URL" >&2
}

nova_pg_setup
