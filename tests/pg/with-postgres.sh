#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# with-postgres.sh COMMAND [ARGS...] - runs COMMAND against a throwaway
# PostgreSQL cluster.
#
# Creates a cluster in a temporary directory (initdb; as the `postgres` system
# user when run as root), starts it on 127.0.0.1 at a free port with its unix
# socket in that directory, creates the superuser role `hearth` (trust auth:
# the cluster lives only as long as COMMAND) and the database `hearth`, then
# runs COMMAND with
#
#   HEARTH_TEST_PG_URL=postgresql://hearth@127.0.0.1:PORT/hearth
#   HEARTH_TEST_PG_BIN=the PostgreSQL bin directory used
#
# in its environment. The role may CREATE DATABASE, so tests can make a fresh
# database per server with tests/pg/newdb.sh. On every exit path the cluster
# is stopped and the directory removed; the exit status is COMMAND's.
#
# PG_BIN overrides the bin directory (default: the newest
# /usr/lib/postgresql/*/bin). fsync is off: nothing here outlives the run.
set -eu

if [ "$#" -eq 0 ]; then
	echo "usage: $0 COMMAND [ARGS...]" >&2
	exit 2
fi

if [ -z "${PG_BIN:-}" ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
	echo "$0: initdb/pg_ctl not found (set PG_BIN)" >&2
	exit 127
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hearth-pg.XXXXXX")
started=0

# Runs a PostgreSQL server program as an unprivileged user.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u postgres -- "$@"
		else
			# su needs one command string; quote each argument for sh.
			cmd=
			for a in "$@"; do
				cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
			done
			su postgres -s /bin/sh -c "$cmd"
		fi
	else
		"$@"
	fi
}

cleanup() {
	if [ "$started" -eq 1 ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "$(id -u)" -eq 0 ]; then
	chown postgres "$tmp"
fi

# A port nobody listens on now: ask the kernel when python3 is there, else guess.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
	else
		echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	fi
}

as_pg "$PG_BIN/initdb" -D "$tmp/data" -U hearth --auth=trust --encoding=UTF8 --no-locale >"$tmp/initdb.log" 2>&1 || {
	cat "$tmp/initdb.log" >&2
	exit 1
}

tries=0
while :; do
	port=$(free_port)
	if as_pg "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
		-o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500" \
		start >/dev/null 2>&1; then
		started=1
		break
	fi
	tries=$((tries + 1))
	if [ "$tries" -ge 5 ]; then
		echo "$0: PostgreSQL did not start:" >&2
		cat "$tmp/server.log" >&2 || true
		exit 1
	fi
done

HEARTH_TEST_PG_URL="postgresql://hearth@127.0.0.1:$port/hearth"
HEARTH_TEST_PG_BIN="$PG_BIN"
export HEARTH_TEST_PG_URL HEARTH_TEST_PG_BIN

"$PG_BIN/createdb" --maintenance-db="postgresql://hearth@127.0.0.1:$port/postgres" hearth

set +e
"$@"
rc=$?
set -e
exit "$rc"
