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

# The writing methods (third column true) and only they take an
# idempotency_key; the client sends one with exactly these.
writes=$(cat "$src"/daemon/method-*.c | sed -n 's/.*{ "io\.lookback\.\([A-Za-z]*\)", *[a-z_]*, *true,.*/\1/p' | sort)
keyed=$(tr '\n' ' ' <"$src/daemon/io.lookback.varlink" | grep -o 'method [A-Za-z]*([^)]*idempotency_key' |
        sed 's/method \([A-Za-z]*\)(.*/\1/' | sort)
client=$(sed -n '/^static const char \*const writing_methods/,/};/p' "$src/client/client.c" |
         grep -o '"io\.lookback\.[A-Za-z]*"' | sed 's/.*\.//; s/"//' | sort)
for list in "$keyed" "$client"; do
        if [ "$writes" != "$list" ]; then
                echo "writing methods, methods with an idempotency_key and the client's writing_methods disagree:" >&2
                printf 'tables: %s\nidl: %s\nclient: %s\n' "$(echo $writes)" "$(echo $keyed)" "$(echo $client)" >&2
                exit 1
        fi
done
echo "$(echo "$writes" | wc -l) writing methods take an idempotency key"
