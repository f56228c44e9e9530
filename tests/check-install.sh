#!/bin/sh
# `cmake --install` puts both binaries, the user units (under the prefix, at
# the path pkg-config's systemd reports) and the example config in place, and
# systemd-analyze finds nothing to complain about in the installed units.
set -eu
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")

DESTDIR="$dest" cmake --install "$build" >/dev/null
unitdir=$(pkg-config --variable=systemduserunitdir systemd)
sysprefix=$(pkg-config --variable=prefix systemd)
rel=${unitdir#"$sysprefix"/}
status=0
for f in bin/lookbackd bin/lookback "$rel/lookback.socket" "$rel/lookback.service" \
         share/doc/lookback/examples/lookback.ini share/varlink/io.lookback.varlink; do
        [ -e "$dest$prefix/$f" ] || { echo "not installed: $prefix/$f" >&2; status=1; }
done
grep -q "^ExecStart=$prefix/bin/lookbackd\$" "$dest$prefix/$rel/lookback.service" ||
        { echo "ExecStart does not point at $prefix/bin/lookbackd" >&2; status=1; }

# Verify a copy whose ExecStart points into DESTDIR, since the real prefix
# is not populated; systemd-analyze also wants a runtime dir.
mkdir -m 0700 "$dest/run" "$dest/units"
cp "$dest$prefix/$rel/lookback.socket" "$dest/units/"
sed "s|^ExecStart=.*|ExecStart=$dest$prefix/bin/lookbackd|" "$dest$prefix/$rel/lookback.service" \
        >"$dest/units/lookback.service"
if ! out=$(cd "$dest/units" && XDG_RUNTIME_DIR="$dest/run" systemd-analyze verify --user \
                ./lookback.socket ./lookback.service 2>&1) || [ -n "$out" ]; then
        echo "systemd-analyze verify: $out" >&2
        status=1
fi
exit $status
