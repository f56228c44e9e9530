"""Storage states and faults: a read-only mount, a file that is not ours to
write, a lock another program holds, a damaged file (at start and while
running), a full disk, and I/O errors injected into the daemon's system
calls. Each state gets its own message; a file that must not be written is
hashed before and after.

The mounts (read-only bind, small tmpfs) are made in a private mount
namespace (unshare -m) that only the daemon lives in, so nothing leaks out;
the test reaches files inside it through /proc/PID/root. Those cases and
the other-user case need root (CI runs as root) and skip otherwise."""

import datetime
import os
import pathlib
import pwd
import shlex
import shutil
import socket
import sqlite3
import subprocess

import pytest

from conftest import LOOKBACK, LOOKBACKD, Daemon, sha256, today_utc, varlink_call, wait_for

HABIT = '[habit "reading"]\nevery = day\n'


def need_root():
    if os.geteuid() != 0:
        pytest.skip("mounts in a private namespace and other users need root")
    for tool in ("unshare", "setpriv", "mount"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is needed")


def seed(world):
    """A database with an answer and a check-in, the daemon stopped cleanly."""
    d = world.daemon(config=HABIT)
    r = world.run_client("answer", "--date", "2023-08-16", input="Before anything went wrong.")
    assert r.returncode == 0, r.stderr
    r = world.run_client("done", "reading", "--note", "seed")
    assert r.returncode == 0, r.stderr
    d.stop()
    return d


def done(world, note):
    return varlink_call(world.socket, "io.lookback.Done", {"habit": "reading", "note": note}, timeout=20)


def in_namespace(world, script, name="refused", user=False, env=None):
    """A lookbackd started by `sh -c SCRIPT` in a private mount namespace;
    SCRIPT ends by running "$@" (the daemon), as nobody when @user."""
    argv = [LOOKBACKD]
    if user:
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
    d = Daemon(world, env=env, name=name,
               argv=["unshare", "-m", "--propagation", "private", "sh", "-ec", script + '\nexec "$@"', "sh", *argv])
    return d


def refused(d):
    """Starts @d, which must refuse to start; its stderr."""
    d.start(wait=False)
    rc = d.wait_exit(timeout=30)
    assert rc != 0, d.stderr
    return d.stderr


# --------------------------------------------------------------------------
# At start: read-only, permission, busy, damaged, empty
# --------------------------------------------------------------------------

def test_read_only_mount_is_not_called_damaged(world):
    need_root()
    seed(world)
    before = sha256(world.database)
    folder = shlex.quote(str(world.database.parent))
    d = in_namespace(world, f"mount --bind {folder} {folder}; mount -o remount,ro,bind {folder}")
    err = refused(d)
    assert "mounted read-only" in err, err
    assert "not damaged" in err
    assert "integrity" not in err and "restore" not in err.lower(), err
    assert sha256(world.database) == before
    assert not world.socket.exists()


def chown_world(world, uid):
    os.chmod(world.base, 0o755)
    for root, dirs, files in os.walk(world.base):
        os.chown(root, uid, uid)
        for f in files:
            os.chown(os.path.join(root, f), uid, uid)


def test_unwritable_database_refused_with_owner_and_advice(world):
    need_root()
    if subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "test", "-x", LOOKBACKD],
                      timeout=10).returncode != 0:
        pytest.skip(f"nobody cannot execute {LOOKBACKD}")
    seed(world)
    chown_world(world, 65534)
    os.chmod(world.database, 0o400)
    before = sha256(world.database)
    d = in_namespace(world, ":", user=True)
    err = refused(d)
    name = pwd.getpwuid(65534).pw_name
    assert f"{world.database} is owned by {name} (uid 65534) with mode 0400" in err, err
    assert f"chmod 0600 '{world.database}'" in err
    assert "damaged" not in err and "ready" not in err, err
    assert sha256(world.database) == before

    # A directory it may not write (the WAL and -shm go there) is named too.
    # (SQLite made the -shm with the database's mode: 0400 too.)
    for sidecar in ("-wal", "-shm"):
        pathlib.Path(f"{world.database}{sidecar}").unlink(missing_ok=True)
    os.chmod(world.database, 0o600)
    os.chown(world.database.parent, 0, 0)
    os.chmod(world.database.parent, 0o755)
    d2 = in_namespace(world, ":", user=True, name="lookbackd-dir")
    err = refused(d2)
    assert f"the directory {world.database.parent} is owned by root (uid 0) with mode 0755" in err, err
    assert f"chmod 0700 '{world.database.parent}'" in err
    assert sha256(world.database) == before


def test_locked_database_names_the_holder(world):
    seed(world)
    before = sha256(world.database)
    holder = sqlite3.connect(str(world.database), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        d = world.daemon(start=False, name="locked")
        err = refused(d)
        assert "holds a lock on it" in err, err
        assert f"pid {os.getpid()}" in err, err
        assert "not damaged" in err
        assert "integrity" not in err and "restore" not in err.lower(), err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sha256(world.database) == before
    # Once the lock is gone the same file opens.
    d.start()
    assert world.log()[0]["entries"][0]["answer"] == "Before anything went wrong."


def newest_snapshot(world):
    folder = world.state / "lookback" / "backups"
    return wait_for(lambda: sorted(folder.glob("lookback-*.db")), what="the start-up snapshot")[-1]


def test_damaged_at_start_names_the_newest_snapshot(world):
    d = world.daemon(config=HABIT)
    r = world.run_client("done", "reading")
    assert r.returncode == 0, r.stderr
    snapshot = newest_snapshot(world)
    d.stop()
    with open(world.database, "r+b") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(100)))
    before = sha256(world.database)
    err = refused(d)
    assert "not touching it" in err, err
    assert f"The newest good snapshot is {snapshot}" in err, err
    assert "mounted read-only" not in err and "holds a lock" not in err
    assert sha256(world.database) == before


def test_empty_database_file_said_once(world):
    world.database.parent.mkdir(parents=True)
    world.database.write_bytes(b"")
    d = world.daemon(config=HABIT)
    assert d.stderr.count("was an empty file (0 bytes)") == 1, d.stderr
    assert world.run_client("done", "reading").returncode == 0
    d.restart()
    assert d.stderr.count("was an empty file (0 bytes)") == 1, d.stderr
