"""Backups and restore: `lookback backup`, the daily snapshots, `lookback
restore`, and the refusal of a damaged database naming a snapshot."""

import os
import sqlite3
import stat
import threading

from conftest import today_utc, varlink_call, wait_for, sha256

HABITS = "".join(f'[habit "h{i}"]\nevery = day\n' for i in range(8))


def integrity(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def checkin_uuids(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT uuid FROM checkins")}
    finally:
        db.close()


def snapshot(world):
    return world.state / "lookback" / "backups" / f"lookback-{today_utc().isoformat()}.db"


def test_backup_under_concurrent_writers(world):
    d = world.daemon(config=HABITS)
    acked_before = set()
    lock = threading.Lock()
    stop = threading.Event()
    started = threading.Barrier(9)

    def writer(i):
        day = 0
        started.wait()
        while not stop.is_set() and day < 300:
            date = (today_utc().toordinal() - day)
            reply = varlink_call(world.socket, "io.lookback.Done",
                                 {"habit": f"h{i}", "date": __import__("datetime").date.fromordinal(date).isoformat()})
            assert "error" not in reply, reply
            with lock:
                acked.append(reply["parameters"]["id"])
            day += 1

    acked = []
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    started.wait()
    wait_for(lambda: len(acked) >= 40, what="some check-ins")
    with lock:
        acked_before = set(acked)
    out = world.base / "out" / "copy.db"
    out.parent.mkdir()
    r = world.run_client("backup", "out/copy.db")
    stop.set()
    for t in threads:
        t.join()
    assert r.returncode == 0, r.stderr
    assert str(out) in r.stdout
    assert integrity(out) == "ok"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    in_copy = checkin_uuids(out)
    assert acked_before <= in_copy
    assert len(in_copy) >= len(acked_before) >= 40
    assert not [p for p in out.parent.iterdir() if p.name != "copy.db"], "temp files left behind"

    # No overwrite without --force; clear errors.
    before = sha256(out)
    r = world.run_client("backup", str(out))
    assert r.returncode == 1 and "--force" in r.stderr
    assert sha256(out) == before
    r = world.run_client("backup", "--force", str(out))
    assert r.returncode == 0, r.stderr
    r = world.run_client("backup", str(world.base / "nowhere" / "x.db"))
    assert r.returncode == 1 and "no such directory" in r.stderr
    d.stop()


def test_snapshot_at_start_when_missing(world):
    d = world.daemon()
    snap = wait_for(lambda: snapshot(world).exists() and snapshot(world), what="today's snapshot")
    wait_for(lambda: "daily snapshot" in d.stderr, what="the snapshot's log line")
    assert integrity(snap) == "ok"
    assert stat.S_IMODE(os.stat(snap).st_mode) == 0o600
    status = world.json("status")["backup"]
    assert status["enabled"] is True
    assert status["last"] == today_utc().isoformat()
    assert status["failed_on"] is None
    # Files that are not ours are never touched, old snapshots are pruned.
    folder = snap.parent
    (folder / "notes.txt").write_text("mine")
    (folder / "lookback-2001-01-01.db.bak").write_text("mine too")
    old = folder / "lookback-2001-01-01.db"
    old.write_bytes(snap.read_bytes())
    d.restart()
    d.signal(__import__("signal").SIGHUP)  # a reload re-checks; today's exists, so nothing is written
    wait_for(lambda: "reloaded" in d.stderr, what="the reload")
    assert (folder / "notes.txt").read_text() == "mine"
    assert (folder / "lookback-2001-01-01.db.bak").exists()
    d.stop()


def test_a_snapshot_cut_short_by_a_crash_leaves_nothing_behind(world):
    folder = snapshot(world).parent
    folder.mkdir(parents=True, mode=0o700)
    stale = folder / ".lookback-2026-11-30.db.tmp-Ab12Cd"
    stale.write_bytes(b"SQLite format 3\0 half a copy")
    others = [folder / ".notes.txt.tmp-Ab12Cd", folder / ".lookback-2026-11-30.db.tmp-toolong"]
    for p in others:
        p.write_text("not ours")
    d = world.daemon()
    wait_for(lambda: snapshot(world).exists(), what="today's snapshot")
    wait_for(lambda: not stale.exists(), what="the stale temporary file to go")
    assert "removed what an interrupted snapshot left" in d.stderr
    assert all(p.exists() for p in others)
    d.stop()


def test_snapshot_failure_shown_in_status(world):
    blocker = world.base / "file-not-folder"
    blocker.write_text("x")
    d = world.daemon(config=f"[backup]\nfolder = {blocker}/sub\n")
    wait_for(lambda: world.json("status")["backup"]["failed_on"], what="the failure in Status")
    r = world.run_client("status")
    assert f"backup: last snapshot failed on {today_utc().isoformat()}:" in r.stdout
    # Serving is unaffected.
    assert world.run_client("done", "weekly-review").returncode != 0  # a review habit: usage error, but served
    assert world.json("habits")
    d.stop()


def test_disabled_takes_none(world):
    d = world.daemon(config="[backup]\nenabled = no\n")
    world.json("status")
    import time
    time.sleep(2.5)
    assert not snapshot(world).parent.exists() or not any(snapshot(world).parent.iterdir())
    assert world.json("status")["backup"]["enabled"] is False
    d.stop()


def habit_total(world, name):
    return next(h for h in world.json("habits")["habits"] if h["name"] == name)["total"]


def test_restore_swaps_and_keeps_the_old(world):
    d = world.daemon(config='[habit "walk"]\nevery = day\n')
    assert world.run_client("done", "walk", "--date", "yesterday").returncode == 0
    backup = world.base / "b.db"
    assert world.run_client("backup", str(backup)).returncode == 0
    assert world.run_client("done", "walk").returncode == 0
    assert habit_total(world, "walk") == 2
    live_before = checkin_uuids(world.database)

    # Without a terminal and without --yes: refused, nothing changed.
    r = world.run_client("restore", str(backup))
    assert r.returncode == 1 and "--yes" in r.stderr
    assert "check-ins  1" in r.stdout
    assert habit_total(world, "walk") == 2

    r = world.run_client("restore", "--yes", str(backup))
    assert r.returncode == 0, r.stderr
    assert habit_total(world, "walk") == 1
    aside = [p for p in world.database.parent.iterdir() if p.name.startswith("lookback.db.before-restore-")]
    assert len(aside) == 1
    assert checkin_uuids(aside[0]) == live_before
    assert integrity(aside[0]) == "ok"
    # The restored database takes writes.
    assert world.run_client("done", "walk").returncode == 0
    assert habit_total(world, "walk") == 2
    d.restart()
    assert habit_total(world, "walk") == 2
    d.stop()


def test_restore_refuses_bad_files(world):
    d = world.daemon(config='[habit "walk"]\nevery = day\n')
    assert world.run_client("done", "walk").returncode == 0
    garbage = world.write("garbage.db", "not a database at all " * 100)
    other = world.base / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    damaged = world.base / "damaged.db"
    assert world.run_client("backup", str(damaged)).returncode == 0
    with open(damaged, "r+b") as f:
        f.seek(4096)
        f.write(bytes((i * 37 + 11) % 256 for i in range(8192)))
    newer = world.base / "newer.db"
    assert world.run_client("backup", str(newer)).returncode == 0
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()
    live = sha256(world.database)
    for bad, why in ((garbage, "not a database"), (other, "not a lookback database"), (damaged, ""),
                     (newer, "newer"), (world.base / "missing.db", "no such file")):
        r = world.run_client("restore", "--yes", str(bad))
        assert r.returncode == 1, (bad, r.stdout)
        assert why in r.stderr, r.stderr
        assert habit_total(world, "walk") == 1
    assert not [p for p in world.database.parent.iterdir() if "restore" in p.name]
    d.stop()
    assert sha256(world.database) == live or integrity(world.database) == "ok"


def test_damaged_database_names_the_snapshot(world):
    d = world.daemon()
    snap = wait_for(lambda: snapshot(world).exists() and snapshot(world), what="today's snapshot")
    wait_for(lambda: "daily snapshot" in d.stderr, what="the snapshot's log line")
    d.stop()
    with open(world.database, "r+b") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(100)))
    d.start(wait=False)
    assert d.wait_exit() != 0
    assert "not touching it" in d.stderr
    assert f"The newest good snapshot is {snap}" in d.stderr
    assert f"cp '{snap}' '{world.database}'" in d.stderr
    assert f"mv '{world.database}' '{world.database}.damaged'" in d.stderr
