#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# newdb.sh [TEMPLATE] - creates a fresh database in the cluster named by
# HEARTH_TEST_PG_URL (see with-postgres.sh) and prints its URL on stdout: an
# empty one, or a copy of the database TEMPLATE (a name made by the tests).
#
#   url=$(tests/pg/newdb.sh)
#   hearth --data "$dir" --database "$url" serve
#
# The name is made up here (hearth_t_ and random hex), never taken from
# input. HEARTH_TEST_PG_URL must be of the form scheme://user@host:port/db
# without a query string.
set -eu

: "${HEARTH_TEST_PG_URL:?run under tests/pg/with-postgres.sh}"
if [ -n "${HEARTH_TEST_PG_BIN:-}" ] && [ -x "$HEARTH_TEST_PG_BIN/createdb" ]; then
	createdb="$HEARTH_TEST_PG_BIN/createdb"
elif command -v createdb >/dev/null 2>&1; then
	createdb=createdb
else
	createdb=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/createdb
fi

name="hearth_t_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$createdb" --maintenance-db="$HEARTH_TEST_PG_URL" --encoding=UTF8 --template="${1:-template0}" "$name"
printf '%s/%s\n' "${HEARTH_TEST_PG_URL%/*}" "$name"
