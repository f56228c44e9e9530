#!/usr/bin/python3
"""Benchmark: ten years of one person's records through a sync folder.

Usage: bench/sync-10y.py BUILD_DIR

Fills daemon A's database with bench/search-10y.py's ten-year journal
(weekly reviews, a check-in with a note every day), turns sync on (A
writes its file: a snapshot of everything), then starts an empty daemon B
on the same plain folder and measures:

- A's snapshot: `lookback sync compact` time and the file's size;
- B's first full read of A's file: from B's start to all of it applied,
  and B's peak memory;
- the steady state: a check-in on A until B has applied it (B's
  SyncStatus), 20 times: median and max.

A benchmark, not a test: it fails nothing.
"""
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("data10y", os.path.join(HERE, "data-10y.py"))
data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(data)


def varlink(env, method, params=None):
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.path.join(env["XDG_RUNTIME_DIR"], "lookback.sock"))
    s.sendall(json.dumps({"method": "io.lookback." + method, "parameters": params or {}}).encode() + b"\0")
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    s.close()
    return json.loads(buf[:-1])["parameters"]


def seq_of(env, device):
    for d in varlink(env, "SyncStatus")["devices"]:
        if d["device"] == device:
            return d["seq"]
    return 0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    lookbackd, lookback = os.path.join(build, "lookbackd"), os.path.join(build, "lookback")
    base = tempfile.mkdtemp(prefix="lookback-bench-")
    folder = os.path.join(base, "Sync")
    try:
        env_a, db_a = data.world(base, "a")
        env_b, _ = data.world(base, "b")
        env_a["LOOKBACK_DEVICE_ID"], env_b["LOOKBACK_DEVICE_ID"] = "a" * 32, "b" * 32
        p = data.start(lookbackd, lookback, env_a)
        p.terminate(); p.wait()
        (answers, checkins), _ = data.fill_years(db_a, 10)
        for env in (env_a, env_b):
            with open(os.path.join(env["XDG_CONFIG_HOME"], "lookback", "lookback.ini"), "a") as f:
                f.write(f"\n[sync]\nfolder = {folder}\n")
        p = data.start(lookbackd, lookback, env_a)
        compact_ms = data.timed([lookback, "sync", "compact"], env_a)
        own = os.path.join(folder, "a" * 32 + ".jsonl")
        size = os.path.getsize(own)
        last = seq_of(env_a, "a" * 32)
        t = time.perf_counter()
        q = subprocess.Popen([lookbackd], env=env_b, stderr=subprocess.DEVNULL)
        while True:
            try:
                if seq_of(env_b, "a" * 32) >= last:
                    break
            except (ConnectionError, FileNotFoundError, ConnectionRefusedError):
                pass
            time.sleep(0.005)
        first_ms = (time.perf_counter() - t) * 1000
        first_kb = data.peak_kb(q)
        delays = []
        for i in range(20):
            t = time.perf_counter()
            varlink(env_a, "Done", {"habit": "exercise", "note": f"steady {i}"})
            target = last + i + 1
            while seq_of(env_b, "a" * 32) < target:
                time.sleep(0.001)
            delays.append((time.perf_counter() - t) * 1000)
        p.terminate(); p.wait()
        q.terminate(); q.wait()
        print(f"records: {answers} answers, {checkins} check-ins; A's file {size / 1e6:.2f} MB, {last} changes")
        print(f"A: sync compact (snapshot of everything)      {compact_ms:8.0f} ms")
        print(f"B: first full read of A's file, from its start {first_ms:8.0f} ms, peak RSS {first_kb / 1024:.1f} MB")
        print(f"one check-in on A until applied on B (20x)      median {statistics.median(delays):.1f} ms,"
              f" max {max(delays):.1f} ms (includes the polling of B's SyncStatus)")
    finally:
        subprocess.run(["rm", "-rf", base])


if __name__ == "__main__":
    main()
