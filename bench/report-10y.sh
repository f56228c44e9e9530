#!/bin/sh
# Benchmark: the lapse report over 10 years of daily check-ins for 30 habits.
#
# Usage: bench/report-10y.sh BUILD_DIR
#   BUILD_DIR holds the built lookbackd and lookback.
# Environment (all optional):
#   HABITS=30   daily habits, each checked in every day of 2015-2024
#   RUNS=10     timed runs per format (without hyperfine)
#   KEEP=1      keep the temp world and print where it is
#
# It builds a temp world (XDG dirs, a config with HABITS daily habits since
# 2015-01-01), lets lookbackd create its database, fills it with one
# check-in per habit per day with Debian's sqlite3 CLI in one transaction,
# starts lookbackd again and times `lookback report --from 2015-01-01
# --to 2024-12-31` as JSON, text and HTML (hyperfine if installed, else a
# loop printing min/median/max wall time), then prints the daemon's peak
# RSS (VmHWM). Nothing outside the temp world is touched.
set -eu

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
build=$(cd "$1" && pwd) || usage
here=$(cd "$(dirname "$0")" && pwd)
lookbackd=$build/lookbackd
lookback=$build/lookback
for b in "$lookbackd" "$lookback"; do
        [ -x "$b" ] || { echo "$0: $b is not an executable; build first" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || {
        echo "$0: the sqlite3 CLI is needed (Debian: apt-get install sqlite3)" >&2; exit 2; }

HABITS=${HABITS:-30}
RUNS=${RUNS:-10}
FROM=2015-01-01
TO=2024-12-31

world=$(mktemp -d "${TMPDIR:-/tmp}/lookback-bench.XXXXXX")
daemon_pid=
cleanup() {
        if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
                kill "$daemon_pid" 2>/dev/null || true
                wait "$daemon_pid" 2>/dev/null || true
        fi
        if [ "${KEEP:-0}" = 1 ]; then
                echo "kept: $world"
        else
                rm -rf "$world"
        fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$world/run" "$world/data" "$world/config/lookback" "$world/state" "$world/home"
chmod 700 "$world/run" "$world/data" "$world/config" "$world/state" "$world/home"
export HOME="$world/home" XDG_RUNTIME_DIR="$world/run" XDG_DATA_HOME="$world/data" \
        XDG_CONFIG_HOME="$world/config" XDG_STATE_HOME="$world/state" TZ=UTC LANG=C.UTF-8
# No session bus: lapse notifications fail fast and are only logged.
export DBUS_SESSION_BUS_ADDRESS="unix:path=$world/no-bus"
unset LOOKBACK_SOCKET VISUAL EDITOR LISTEN_FDS LISTEN_PID NOTIFY_SOCKET 2>/dev/null || true
db=$world/data/lookback/lookback.db

{
        printf '[weekly]\nat = 2099-01-01 00:00\n[halfyear]\nat = 2099-07-01 00:00\n'
        i=0
        while [ "$i" -lt "$HABITS" ]; do
                printf '[habit "daily-%02d"]\nevery = day\nsince = %s\n' "$i" "$FROM"
                i=$((i + 1))
        done
} >"$world/config/lookback/lookback.ini"

start_daemon() {
        "$lookbackd" 2>>"$world/lookbackd.log" &
        daemon_pid=$!
        tries=0
        until "$lookback" status >/dev/null 2>&1; do
                tries=$((tries + 1))
                if [ "$tries" -gt 200 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
                        echo "$0: lookbackd did not start:" >&2
                        cat "$world/lookbackd.log" >&2
                        exit 1
                fi
                sleep 0.05
        done
}

stop_daemon() {
        kill "$daemon_pid"
        wait "$daemon_pid" || true
        daemon_pid=
}

now_ns() { date +%s%N; }

# 1. The schema, made by the daemon itself.
start_daemon
stop_daemon

# 2. Ten years of daily check-ins, one transaction.
t0=$(now_ns)
sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE
  h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i + 1 < $HABITS),
  d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE date('$FROM', '+' || (n + 1) || ' days') <= '$TO'),
  rows(u, habit, day, n) AS MATERIALIZED (
    SELECT lower(hex(randomblob(16))), printf('daily-%02d', i), date('$FROM', '+' || n || ' days'), n FROM h, d)
INSERT INTO checkins (uuid, habit, day, note, created_usec)
  SELECT substr(u, 1, 8) || '-' || substr(u, 9, 4) || '-' || substr(u, 13, 4) || '-' || substr(u, 17, 4) || '-' ||
         substr(u, 21, 12),
         habit, day, NULL, (CAST(strftime('%s', day) AS INTEGER) + 72000) * 1000000
  FROM rows;
COMMIT;
SQL
t1=$(now_ns)
rows=$(sqlite3 "$db" "SELECT count(*) FROM checkins")
echo "world: $world"
echo "database: $rows check-ins ($HABITS habits x $(sqlite3 "$db" "SELECT count(DISTINCT day) FROM checkins") days)," \
        "filled in $(( (t1 - t0) / 1000000 )) ms, $(du -k "$db" | cut -f1) KiB"

# 3. The daemon again, and the reports.
start_daemon
echo "lookbackd pid $daemon_pid"

report_cmd() { echo "$lookback report --from $1 --to $TO --format $2"; }

# min/median/max of the wall times (ns, one a line) on stdin, in ms.
summarize() {
        sort -n | awk '{ t[NR] = $1 } END {
                m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
                printf "min %.1f ms  median %.1f ms  max %.1f ms  (%d runs)\n", t[1] / 1e6, m / 1e6, t[NR] / 1e6, NR }'
}

# The same request straight over the socket (bench/varlink-report.py):
# the daemon's share, measured when the client cannot be.
bench_socket() { # FROM FORMAT
        [ -x /usr/bin/python3 ] || return 0
        printf '  %s %s..%s over the socket: ' "$2" "$1" "$TO"
        if /usr/bin/python3 "$here/varlink-report.py" "$XDG_RUNTIME_DIR/lookback.sock" "$2" "$1" "$TO" "$RUNS" \
                >"$world/socket.$2" 2>"$world/socket-err.$2"; then
                grep -v '^#' "$world/socket.$2" | summarize | tr -d '\n'
                echo "  [$(sed -n 's/^# //p' "$world/socket.$2")]"
        else
                echo "FAILED: $(tail -n 1 "$world/socket-err.$2")"
        fi
}

bench() { # FROM FORMAT
        cmd=$(report_cmd "$1" "$2")
        out=$world/out.$2
        # One checked run first: size, and whether it works at all.
        rc=0
        $cmd >"$out" 2>"$world/err.$2" || rc=$?
        if [ "$rc" -ne 0 ]; then
                why=$(head -n 1 "$world/err.$2")
                [ "$rc" -gt 128 ] && why="killed by signal $((rc - 128))${why:+: $why}"
                echo "$2 $1..$TO: lookback FAILED (exit $rc): $why"
                bench_socket "$1" "$2"
                return 0
        fi
        size=$(wc -c <"$out")
        printf '%s %s..%s (%s bytes): ' "$2" "$1" "$TO" "$size"
        if command -v hyperfine >/dev/null; then
                echo
                hyperfine --style basic --warmup 1 --runs "$RUNS" --output null "$cmd"
        else
                i=0
                while [ "$i" -lt "$RUNS" ]; do
                        s=$(now_ns)
                        $cmd >/dev/null
                        e=$(now_ns)
                        echo $((e - s))
                        i=$((i + 1))
                done | summarize
        fi
}

bench "$FROM" json
bench "$FROM" text
bench "$FROM" html
# HTML of the last one and three years, for figures (and the scaling) while
# ten years of it cannot be sent.
bench 2024-01-01 html
bench 2022-01-01 html

echo "lookbackd peak RSS: $(awk '/^VmHWM/ { print $2, $3 }' "/proc/$daemon_pid/status")"
if ! kill -0 "$daemon_pid" 2>/dev/null; then
        echo "lookbackd died:" >&2
        tail -n 5 "$world/lookbackd.log" >&2
        exit 1
fi
warnings=$(grep -v 'lapsed: Could not connect' "$world/lookbackd.log" | grep -c '^<[0-4]>' || true)
[ "$warnings" -eq 0 ] || { echo "lookbackd warnings:"; grep -v 'lapsed: Could not connect' "$world/lookbackd.log" | grep '^<[0-4]>'; }
