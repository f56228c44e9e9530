#!/bin/sh
# Every method in the daemon's table is documented in the interface
# description (and nothing documented is missing from the table).
set -eu
src=$1
table=$(cat "$src"/daemon/method-*.c | grep -o '{ "io\.lookback\.[A-Za-z]*"' | sed 's/.*\.//; s/"//' | sort)
idl=$(sed -n 's/^method \([A-Za-z]*\)(.*/\1/p' "$src/daemon/io.lookback.varlink" | sort)
if [ "$table" != "$idl" ]; then
        echo "the method tables (daemon/method-*.c) and io.lookback.varlink disagree:" >&2
        diff -u /dev/fd/3 /dev/fd/4 3<<EOT 4<<EOU >&2 || true
$table
EOT
$idl
EOU
        exit 1
fi
echo "$(echo "$table" | wc -l) methods documented"
