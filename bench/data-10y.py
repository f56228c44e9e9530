#!/usr/bin/python3
"""Benchmark: export and merge-import of 1, 5 and 10 years of a journal.

Usage: bench/data-10y.py BUILD_DIR

For each size, fills a fresh database with the journal generator of
bench/search-10y.py (weekly reviews of 3 answers of ~80 words, half Korean
and half English, and a check-in with a note every day), then times
`lookback export --output FILE` and `lookback import FILE` into a second,
empty daemon, and reads each daemon's peak memory (VmHWM: each daemon is
fresh, so its peak is that one request's). Both should grow linearly with
the years. A benchmark, not a test: it fails nothing.
"""
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("search10y", os.path.join(HERE, "search-10y.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def world(base, name):
    dirs = {k: os.path.join(base, name, k) for k in ("run", "data", "config", "state", "home")}
    for d in dirs.values():
        os.makedirs(d, mode=0o700)
    env = dict(os.environ, HOME=dirs["home"], XDG_RUNTIME_DIR=dirs["run"], XDG_DATA_HOME=dirs["data"],
               XDG_CONFIG_HOME=dirs["config"], XDG_STATE_HOME=dirs["state"], TZ="UTC", LANG="C.UTF-8",
               DBUS_SESSION_BUS_ADDRESS="unix:path=" + os.path.join(base, "no-bus"))
    os.makedirs(os.path.join(dirs["config"], "lookback"))
    with open(os.path.join(dirs["config"], "lookback", "lookback.ini"), "w") as f:
        f.write('[habit "exercise"]\nevery = day\n\n[backup]\nenabled = no\n')
    return env, os.path.join(dirs["data"], "lookback", "lookback.db")


def start(lookbackd, lookback, env):
    p = subprocess.Popen([lookbackd], env=env, stderr=subprocess.DEVNULL)
    while subprocess.run([lookback, "status"], env=env, capture_output=True).returncode != 0:
        time.sleep(0.01)
    return p


def peak_kb(p):
    with open(f"/proc/{p.pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def timed(cmd, env):
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{cmd} failed: {r.stderr}")
    return (time.perf_counter() - t) * 1000


def fill_years(db_path, years):
    """The generator's ten years, cut to @years (it writes 10; drop the rest)."""
    text = gen.fill(db_path, random.Random(1))
    import sqlite3
    db = sqlite3.connect(db_path)
    with db:
        cut = f"{2015 + years:04d}-01-05"
        db.execute("DELETE FROM answers WHERE period_start >= ?", (cut,))
        db.execute("DELETE FROM checkins WHERE day >= ?", (cut,))
        n = db.execute("SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM checkins)").fetchone()
    db.close()
    return n, text * years / 10


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    lookbackd, lookback = os.path.join(build, "lookbackd"), os.path.join(build, "lookback")
    base = tempfile.mkdtemp(prefix="lookback-bench-")
    print(f"{'years':>5} {'answers':>8} {'checkins':>9} {'file MB':>8} {'export ms':>10} {'export MB':>10}"
          f" {'import ms':>10} {'import MB':>10} {'again ms':>9}")
    try:
        for years in (1, 5, 10):
            env_a, db_a = world(base, f"a{years}")
            env_b, _ = world(base, f"b{years}")
            p = start(lookbackd, lookback, env_a)
            p.terminate(); p.wait()
            (answers, checkins), _ = fill_years(db_a, years)
            out = os.path.join(base, f"export{years}.json")
            p = start(lookbackd, lookback, env_a)
            base_kb = peak_kb(p)
            export_ms = timed([lookback, "export", "--output", out], env_a)
            export_kb = peak_kb(p) - base_kb
            p.terminate(); p.wait()
            q = start(lookbackd, lookback, env_b)
            base_kb = peak_kb(q)
            import_ms = timed([lookback, "import", out], env_b)
            import_kb = peak_kb(q) - base_kb
            again_ms = timed([lookback, "import", out], env_b)
            q.terminate(); q.wait()
            print(f"{years:5} {answers:8} {checkins:9} {os.path.getsize(out) / 1e6:8.2f} {export_ms:10.0f}"
                  f" {export_kb / 1024:10.1f} {import_ms:10.0f} {import_kb / 1024:10.1f} {again_ms:9.0f}")
    finally:
        subprocess.run(["rm", "-rf", base])
    print("export/import MB: the daemon's peak memory above its idle peak; 'again': the same import a second time")


if __name__ == "__main__":
    main()
