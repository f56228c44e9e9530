#!/usr/bin/python3
"""Times io.lookback.Report straight over lookbackd's socket: the request
`lookback report` sends, without the client. Used by report-10y.sh for a
figure when the client itself fails on a format.

usage: varlink-report.py SOCKET FORMAT FROM TO RUNS
Prints one wall time in nanoseconds per run, then "# bytes N replies M"."""

import json
import socket
import sys
import time


def call(path, fmt, frm, to):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(path)
    msg = {"method": "io.lookback.Report", "more": True, "parameters": {"format": fmt, "from": frm, "to": to}}
    s.sendall(json.dumps(msg).encode() + b"\0")
    buf, size, replies = b"", 0, 0
    while True:
        while b"\0" not in buf:
            chunk = s.recv(1 << 20)
            if not chunk:
                raise SystemExit(f"connection closed by lookbackd after {replies} replies")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        size += len(raw)
        replies += 1
        reply = json.loads(raw)
        if "error" in reply:
            raise SystemExit(f"lookbackd answered {reply['error']}")
        if not reply.get("continues"):
            s.close()
            return size, replies


def main():
    path, fmt, frm, to, runs = sys.argv[1:6]
    for _ in range(int(runs)):
        t0 = time.monotonic_ns()
        size, replies = call(path, fmt, frm, to)
        print(time.monotonic_ns() - t0, flush=True)
    print(f"# bytes {size} replies {replies}")


if __name__ == "__main__":
    main()
