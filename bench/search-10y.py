#!/usr/bin/python3
"""Benchmark: the journal's search and themes over ten years.

Usage: bench/search-10y.py BUILD_DIR [RUNS]

Makes a temp world, lets lookbackd create its database, fills it with
Debian's Python sqlite3 module (the index is brought up to date when the
daemon next opens the file, which is timed too): ten years of weekly
reviews (3 questions, ~80 words each, half Korean and half English) and a
check-in note every day. Then times, end to end (client start included),
`lookback search` for an English word, a Korean 2-syllable and a Korean
3-syllable word, and `lookback themes`, RUNS times each (default 30), beside
/bin/true in the same run, and prints medians and spread; last the index's
size against the text's. A benchmark, not a test: it fails nothing.
"""
import datetime
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

KO = ("오늘은 운동을 했다 독서 모임에 갔다 영어 공부를 조금 했다 회사 일이 많았다 가족과 저녁을 먹었다 "
      "산책을 하면서 생각했다 잠을 잘 못 잤다 친구를 만났다 계획을 세웠다 새로운 책을 샀다 요리를 했다").split()
EN = ("the week went well work was busy family dinner long walk reading club finished chapter started plan "
      "slept badly met friend cooked at home tennis lesson wrote notes project deadline moved forward").split()


def words(rng, n, expert=False):
    out = [rng.choice(KO) if i % 2 else rng.choice(EN) for i in range(n)]
    if expert:
        out.insert(rng.randrange(n), rng.choice(["전문가인가", "전문가를", "an expert"]))
    return " ".join(out)


def fill(db_path, rng):
    db = sqlite3.connect(db_path)
    start = datetime.date(2015, 1, 5)  # a Monday
    text_bytes = 0
    with db:
        for week in range(522):
            day = start + datetime.timedelta(weeks=week)
            cur = db.execute(
                "INSERT INTO answers (uuid, kind, period_start, period_end, created_usec) VALUES (?, 'weekly', ?, ?, ?)",
                (str(uuid.uuid4()), day.isoformat(), (day + datetime.timedelta(days=6)).isoformat(),
                 int(time.mktime(day.timetuple())) * 1_000_000))
            for pos in range(3):
                body = words(rng, 80, expert=(week % 97 == 5 and pos == 0))
                text_bytes += len(body.encode())
                db.execute("INSERT INTO answer_entries (answer_id, position, question, body) VALUES (?, ?, ?, ?)",
                           (cur.lastrowid, pos, f"Question {pos + 1}", body))
        for d in range(3650):
            day = datetime.date(2015, 1, 5) + datetime.timedelta(days=d)
            note = words(rng, 8)
            text_bytes += len(note.encode())
            db.execute("INSERT INTO checkins (uuid, habit, day, note, created_usec) VALUES (?, 'exercise', ?, ?, 0)",
                       (str(uuid.uuid4()), day.isoformat(), note))
    db.close()
    return text_bytes


def timed(cmd, env, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    lookbackd, lookback = os.path.join(build, "lookbackd"), os.path.join(build, "lookback")
    base = tempfile.mkdtemp(prefix="lookback-bench-")
    dirs = {k: os.path.join(base, k) for k in ("run", "data", "config", "state", "home")}
    for d in dirs.values():
        os.makedirs(d, mode=0o700)
    env = dict(os.environ, HOME=dirs["home"], XDG_RUNTIME_DIR=dirs["run"], XDG_DATA_HOME=dirs["data"],
               XDG_CONFIG_HOME=dirs["config"], XDG_STATE_HOME=dirs["state"], TZ="UTC", LANG="C.UTF-8",
               DBUS_SESSION_BUS_ADDRESS="unix:path=" + os.path.join(base, "no-bus"), LOOKBACK_PAGER="cat")
    sock = os.path.join(dirs["run"], "lookback.sock")
    db_path = os.path.join(dirs["data"], "lookback", "lookback.db")

    def start():
        p = subprocess.Popen([lookbackd], env=env, stderr=subprocess.DEVNULL)
        t = time.perf_counter()
        while subprocess.run([lookback, "status"], env=env, capture_output=True).returncode != 0:
            time.sleep(0.01)
        return p, (time.perf_counter() - t) * 1000

    p, _ = start()
    p.terminate(); p.wait()
    text_bytes = fill(db_path, random.Random(1))
    p, first_open_ms = start()
    try:
        cases = [("English word 'reading'", [lookback, "search", "reading"]),
                 ("Korean 2 syllables '독서'", [lookback, "search", "독서"]),
                 ("Korean 3 syllables '전문가'", [lookback, "search", "전문가"]),
                 ("themes over 10 years", [lookback, "themes"]),
                 ("/bin/true (floor)", ["/bin/true"])]
        results = [(name, timed(cmd, env, runs)) for name, cmd in cases]
        hits = subprocess.run([lookback, "--json", "search", "전문가"], env=env, capture_output=True, text=True)
    finally:
        p.terminate(); p.wait()
    db = sqlite3.connect(db_path)
    try:
        index = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' AND name != 'search_meta'"
                           " AND name != 'search_queue'").fetchone()[0]
    except sqlite3.OperationalError:
        index = None
    db.close()
    print(f"10 years: 522 weekly reviews x 3 answers of ~80 words, 3650 daily notes; {text_bytes / 1e6:.2f} MB of text")
    print(f"first open after the bulk load (the queue indexed, daemon ready): {first_open_ms:.0f} ms")
    print(f"{'what':34} {'median':>9} {'min':>8} {'max':>8}  (ms, {runs} runs, client start included)")
    floor = statistics.median(results[-1][1])
    for name, t in results:
        print(f"{name:34} {statistics.median(t):9.2f} {min(t):8.2f} {max(t):8.2f}  x{statistics.median(t) / floor:.1f} of /bin/true")
    if index:
        print(f"search index: {index / 1e6:.2f} MB, {index / text_bytes:.2f} x the text it indexes")
    if hits.returncode == 0:
        print(f"'전문가' matches: {json.loads(hits.stdout)['total']}")
    subprocess.run(["rm", "-rf", base])


if __name__ == "__main__":
    main()
