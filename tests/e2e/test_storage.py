"""Storage states and faults: a read-only mount, a file that is not ours to
write, a lock another program holds, a damaged file (at start and while
running), a full disk, and I/O errors injected into the daemon's system
calls. Each state gets its own message; a file that must not be written is
hashed before and after.

The mounts (read-only bind, small tmpfs) are made in a private mount
namespace (unshare -m) that only the daemon lives in, so nothing leaks out;
the test reaches files inside it through /proc/PID/root (and nsenter, for
SQLite, which resolves that link to "/"). Those cases and
the other-user case need root (CI runs as root) and skip otherwise."""

import os
import pathlib
import pwd
import shlex
import shutil
import socket
import sqlite3
import subprocess

import pytest

from conftest import LOOKBACKD, Daemon, sha256, varlink_call, wait_for

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


def need_private_mounts():
    """A chroot whose root is not a mount point (TESTING.md's fresh Debian
    root) cannot have a private mount namespace: unshare says "cannot
    change root filesystem propagation". There the mount tests cannot run
    without leaking mounts to the host; on a machine or in nspawn they do."""
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.strip()}")


def in_namespace(world, script, name="refused", user=False, env=None):
    """A lookbackd started by `sh -c SCRIPT` in a private mount namespace;
    SCRIPT ends by running "$@" (the daemon), as nobody when @user."""
    need_private_mounts()
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
        assert "holds a lock on the database" in err, err
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


# --------------------------------------------------------------------------
# Damaged while running
# --------------------------------------------------------------------------

class NotifySocket:
    """A NOTIFY_SOCKET of our own: what the daemon tells systemd."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.setblocking(False)
        self.messages = []

    def read(self):
        while True:
            try:
                self.messages.append(self.sock.recv(65536).decode())
            except BlockingIOError:
                return self.messages

    def close(self):
        self.sock.close()


def damage_table(db, table):
    """Overwrites the root pages of @table and its indexes with garbage,
    underneath whoever has the file open (after a checkpoint, so the pages
    are read from the file and not the WAL); then another connection sets
    the schema version to itself, so the daemon's page cache is dropped at
    its next read, as after any other writer."""
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        roots = [r for (r,) in con.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 1",
                                           (table,))]
        with open(db, "r+b") as f:
            for page in roots:
                f.seek((page - 1) * page_size)
                f.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"PRAGMA user_version = {version}")
    finally:
        con.close()
    return roots


def test_damage_found_while_running_stops_writes(world):
    notify = NotifySocket(world.base / "notify.sock")
    try:
        d = world.daemon(config=HABIT, env=world.env_with(NOTIFY_SOCKET=notify.path))
        r = world.run_client("answer", "--date", "2023-08-16", input="Written while it was whole.")
        assert r.returncode == 0, r.stderr
        assert done(world, "before")["parameters"]["habit"] == "reading"
        snapshot = newest_snapshot(world)

        assert damage_table(world.database, "checkins")
        before = sha256(world.database)

        # The write that meets the damage, and every write after it, even
        # to tables that still read fine, is refused; nothing says Recorded.
        reply = done(world, "after")
        assert reply.get("error") == "io.lookback.DatabaseDamaged", reply
        assert reply["parameters"]["database"] == str(world.database)
        assert reply["parameters"]["backup"] == str(snapshot)
        r = world.run_client("answer", "--date", "2023-08-23", input="Written into a damaged file?")
        assert r.returncode != 0
        assert f"the database {world.database} is damaged" in r.stderr, r.stderr
        assert f"lookback restore {snapshot}" in r.stderr
        r = world.run_client("done", "reading", "--note", "again")
        assert r.returncode != 0 and "is damaged" in r.stderr, r.stderr

        # Reads that still work are served.
        log = world.log()
        assert [a["entries"][0]["answer"] for a in log] == ["Written while it was whole."]
        # One that reads the damaged table says why it cannot.
        r = world.run_client("status")
        assert r.returncode != 0 and "is damaged" in r.stderr and "records nothing more" in r.stderr, r.stderr

        assert sha256(world.database) == before
        wait_for(lambda: any("STATUS=Database damaged" in m for m in notify.read()), what="STATUS= to say so")
        assert d.stderr.count("is damaged (") == 1, d.stderr

        # The snapshot put back, writes work again; the damaged file was
        # moved aside as it was, not checkpointed into on its way out.
        r = world.run_client("restore", snapshot, "--yes")
        assert r.returncode == 0, r.stderr
        aside = [p for p in world.database.parent.glob("lookback.db.before-restore-*")
                 if not p.name.endswith(("-wal", "-shm"))]
        assert [sha256(p) for p in aside] == [before]
        assert "error" not in done(world, "after the restore")
        d.stop()
    finally:
        notify.close()


# --------------------------------------------------------------------------
# A full disk, for real
# --------------------------------------------------------------------------

def inside(d, path):
    """@path as the daemon's mount namespace has it."""
    return pathlib.Path(f"/proc/{d.pid}/root{path}")


def notes_in(d, db):
    """The check-in notes in @db as the daemon @d sees it (in its mount
    namespace: SQLite resolves /proc/PID/root to "/"), and PRAGMA
    integrity_check's verdict."""
    def query(sql):
        # --root too: entering the namespace alone resets the root to its
        # own, which in a chroot is not the daemon's.
        return subprocess.run(["nsenter", f"--mount=/proc/{d.pid}/ns/mnt", f"--root=/proc/{d.pid}/root", "sqlite3",
                               "-readonly", str(db), sql], capture_output=True, text=True, timeout=30, check=True).stdout
    notes = set(query("SELECT note FROM checkins WHERE note IS NOT NULL").splitlines())
    return notes, query("PRAGMA integrity_check").strip()


def test_disk_full_refuses_cleanly_and_recovers(world):
    need_root()
    folder = world.database.parent
    folder.mkdir(parents=True)
    world.write_config(HABIT)
    d = in_namespace(world, f"mount -t tmpfs -o size=2m,mode=0700 lookback-full {shlex.quote(str(folder))}",
                     name="full")
    d.start()
    filler = inside(d, folder / "filler")
    with open(filler, "wb") as f:
        f.write(b"\0" * (256 * 1024))
    acked, refused_notes = set(), set()
    # Big notes fill the rest; the WAL grows until a commit finds no room.
    for i in range(2000):
        note = f"{i:05d} " + "x" * 3900
        reply = done(world, note)
        if "error" in reply:
            refused_notes.add(note)
            assert "No space left on device" in reply["parameters"].get("message", ""), reply
            break
        acked.add(note)
    assert refused_notes, "the 2 MB file system never filled up"
    # What a person sees (a smaller write may still find room first).
    for i in range(50):
        note = f"client {i} " + "y" * 3900
        r = world.run_client("done", "reading", "--note", note)
        if r.returncode != 0:
            refused_notes.add(note)
            break
        acked.add(note)
    assert "No space left on device" in r.stderr and "checked in" not in r.stdout, (r.stdout, r.stderr)
    # Reads go on.
    assert world.run_client("habits").returncode == 0
    assert world.run_client("log").returncode == 0
    # Room again: writes work without a restart.
    filler.unlink()
    reply = done(world, "after the space came back")
    assert "error" not in reply, reply
    acked.add("after the space came back")
    notes, verdict = notes_in(d, world.database)
    assert verdict == "ok"
    assert acked <= notes, "an acknowledged write is missing"
    assert not (refused_notes & notes), "a refused write is in the database"
    print(f"\ndisk full: {len(acked)} writes acknowledged before and after, {len(refused_notes)} refused")
    d.stop()


# --------------------------------------------------------------------------
# I/O faults: the Nth call fails
# --------------------------------------------------------------------------

# What the daemon calls on a check-in (strace -f -e trace=%file,write,
# pwrite64,fsync,fdatasync): its WAL frames by pwrite64 and one fdatasync;
# write, fsync and the opens are counted too, on the database's directory
# only, so that a change in SQLite or in the daemon is caught.
FAULT_CALLS = ("write", "pwrite64", "fsync", "fdatasync", "open", "openat")
FAULT_ERRNOS = ("EIO", "ENOSPC")
FAULT_N_MAX = 80


def fault_shim():
    shim = pathlib.Path(os.environ.get("LOOKBACK_FAULT_SHIM", pathlib.Path(LOOKBACKD).parent / "lookback-fault.so"))
    if not shim.exists():
        pytest.fail(f"the fault shim {shim} is not built (target lookback-fault)")
    # A sanitizer runtime must come first in the preload list.
    ldd = subprocess.run(["ldd", LOOKBACKD], capture_output=True, text=True, timeout=10).stdout
    first = [line.split("=>")[1].split()[0] for line in ldd.splitlines() if "libasan" in line and "=>" in line]
    return ":".join([*first, str(shim)])


def checkins_in(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    try:
        notes = {n for (n,) in con.execute("SELECT note FROM checkins WHERE note IS NOT NULL")}
        return notes, con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def one_fault(world, preload, call, error, n):
    """A daemon whose Nth @call on the database's files fails with @error
    during one check-in; what happened: (fault hit, acknowledged)."""
    arm, log = world.base / "fault.arm", world.base / "fault.log"
    log.unlink(missing_ok=True)
    env = world.env_with(LD_PRELOAD=preload, LOOKBACK_FAULT=f"{call}:{n}:{error}",
                         LOOKBACK_FAULT_DIR=world.database.parent, LOOKBACK_FAULT_ARM=arm, LOOKBACK_FAULT_LOG=log)
    d = Daemon(world, env=env, name=f"fault-{call}-{error}-{n}").start()
    note = f"{call} {error} {n}"
    arm.touch()
    try:
        reply = done(world, note)
    finally:
        arm.unlink()
    hit = log.exists()
    acked = "error" not in reply
    if not acked:
        assert reply["error"] == "io.lookback.InternalError", reply
        # SQLite reports a failed sync as SQLITE_IOERR_FSYNC, whatever
        # the errno (sqlite3_system_errno() is 0 by then).
        full = error == "ENOSPC" and call not in ("fsync", "fdatasync")
        expected = "No space left on device" if full else "Input/output error"
        assert reply["parameters"]["message"] == expected, (call, error, n, reply, log.read_text() if hit else "")
    # Reads go on, and so do writes once the fault is gone.
    for method, params in (("io.lookback.History", {"habit": "reading"}), ("io.lookback.Log", {})):
        assert "error" not in varlink_call(world.socket, method, params), method
    assert "error" not in done(world, f"{note} after"), d.stderr
    d.stop()
    notes, verdict = checkins_in(world.database)
    assert verdict == "ok", (call, error, n, verdict)
    assert (note in notes) == acked, f"{note}: replied {reply}, in the database: {note in notes}"
    assert f"{note} after" in notes
    assert acked or hit, f"{note}: an error without a fault: {reply}"
    return hit, acked


def test_io_faults_never_acknowledge_falsely(world):
    preload = fault_shim()
    world.write_config(HABIT)
    Daemon(world, name="first").start().stop()  # the database exists, migrated
    figures = []
    for call in FAULT_CALLS:
        for error in FAULT_ERRNOS:
            injected = refused = acked_hit = 0
            for n in range(1, FAULT_N_MAX + 1):
                hit, acked = one_fault(world, preload, call, error, n)
                if not hit:
                    break
                injected += 1
                refused += not acked
                acked_hit += acked
            else:
                pytest.fail(f"{call} {error}: the check-in still hit a fault at N = {FAULT_N_MAX}")
            figures.append((call, error, injected, refused, acked_hit))
    print("\nI/O faults during a check-in (call, errno: faults injected, refused, acknowledged and present):")
    for call, error, injected, refused, acked_hit in figures:
        print(f"  {call:9} {error:6}: {injected:3} injected, {refused:3} refused, {acked_hit:3} acknowledged")
    print(f"  total: {sum(f[2] for f in figures)} faults, no false acknowledgement, integrity ok after each")
    # The calls a check-in makes are faulted, or this proves nothing.
    assert {f[0] for f in figures if f[2]} >= {"pwrite64", "fdatasync"}, figures


def start_with_fault(world, preload, call, error, n, seeded):
    """A daemon whose Nth @call on the database's files fails with @error
    while it starts: it starts, or refuses with a clean message and leaves
    the file as it was; either way a normal start afterwards finds every
    record. Returns (fault hit, started)."""
    arm, log = world.base / "fault.arm", world.base / "fault.log"
    log.unlink(missing_ok=True)
    env = world.env_with(LD_PRELOAD=preload, LOOKBACK_FAULT=f"{call}:{n}:{error}",
                         LOOKBACK_FAULT_DIR=world.database.parent, LOOKBACK_FAULT_ARM=arm, LOOKBACK_FAULT_LOG=log)
    before = sha256(world.database)
    arm.touch()
    d = Daemon(world, env=env, name=f"start-{call}-{error}-{n}").start(wait=False)
    try:
        wait_for(lambda: d.proc.poll() is not None or d.answers(), timeout=20, what="lookbackd to start or refuse")
    finally:
        arm.unlink()
    hit, started = log.exists(), d.proc.poll() is None
    if started:
        assert "error" not in varlink_call(world.socket, "io.lookback.History", {"habit": "reading"})
        assert "error" not in done(world, f"start {call} {error} {n}"), d.stderr
        seeded.add(f"start {call} {error} {n}")
        d.stop()
    else:
        assert d.wait_exit() != 0
        last = d.stderr.strip().splitlines()[-1]
        assert "cannot open database" in last, d.stderr
        assert "damaged" not in d.stderr and "integrity" not in d.stderr and "restore" not in d.stderr, d.stderr
        # Nor another state's advice: it is an I/O error, said as one.
        for other in ("owned by", "mounted read-only", "holds a lock"):
            assert other not in d.stderr, d.stderr
        assert hit, f"refused to start without a fault:\n{d.stderr}"
        assert sha256(world.database) == before
    notes, verdict = checkins_in(world.database)
    assert verdict == "ok" and seeded <= notes, (call, error, n, verdict)
    return hit, started


def test_io_faults_at_start_refuse_cleanly(world):
    preload = fault_shim()
    world.write_config(HABIT)
    d = Daemon(world, name="first").start()
    assert "error" not in done(world, "seed")
    d.stop()
    seeded = {"seed"}
    figures = []
    for call in FAULT_CALLS:
        for error in FAULT_ERRNOS:
            injected = refused = 0
            for n in range(1, FAULT_N_MAX + 1):
                hit, started = start_with_fault(world, preload, call, error, n, seeded)
                if not hit:
                    break
                injected += 1
                refused += not started
            else:
                pytest.fail(f"{call} {error}: start-up still hit a fault at N = {FAULT_N_MAX}")
            figures.append((call, error, injected, refused))
    print("\nI/O faults while lookbackd starts (call, errno: faults injected, starts refused):")
    for call, error, injected, refused in figures:
        print(f"  {call:9} {error:6}: {injected:3} injected, {refused:3} refused cleanly")
    print(f"  total: {sum(f[2] for f in figures)} faults; the file untouched by every refused start")
    assert {f[0] for f in figures if f[2]} >= {"openat", "pwrite64"} or {f[0] for f in figures if f[2]} >= {
        "open", "pwrite64"}, figures


def test_lock_held_while_running_is_named_and_nothing_recorded(world):
    d = world.daemon(config=HABIT)
    assert "error" not in done(world, "before the lock")
    holder = sqlite3.connect(str(world.database), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        reply = done(world, "while locked")
        assert reply.get("error") == "io.lookback.InternalError", reply
        message = reply["parameters"]["message"]
        assert f"pid {os.getpid()}" in message and "holds a lock on the database" in message, message
        assert "nothing was recorded" in message and "is damaged" not in message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # Not taken for damage: the next write works.
    assert "error" not in done(world, "after the lock")
    d.stop()
    notes, verdict = checkins_in(world.database)
    assert verdict == "ok" and notes == {"before the lock", "after the lock"}, notes


def test_damage_found_by_a_backup_stops_writes(world):
    d = world.daemon(config=HABIT)
    assert "error" not in done(world, "before")
    damage_table(world.database, "checkins")
    # A copy reads every page: it finds the damage before any write does.
    copy = world.base / "copy.db"
    reply = varlink_call(world.socket, "io.lookback.Backup", {"path": str(copy)}, timeout=20)
    assert reply.get("error") == "io.lookback.DatabaseDamaged", reply
    assert reply["parameters"]["database"] == str(world.database)
    assert not copy.exists()
    reply = varlink_call(world.socket, "io.lookback.GoalAdd", {"text": "a goal into a damaged file"})
    assert reply.get("error") == "io.lookback.DatabaseDamaged", reply
    assert d.stderr.count("is damaged (") == 1, d.stderr


def restore_with_fault(world, preload, snapshot, call, error, n, expected, snapshot_notes):
    """A Restore of @snapshot while the Nth @call on the database's
    directory fails: it restores, or fails and the live database is as it
    was; either way the daemon goes on serving and writing. Returns (fault
    hit, restored) and updates @expected, the notes the live file holds."""
    arm, log = world.base / "fault.arm", world.base / "fault.log"
    log.unlink(missing_ok=True)
    env = world.env_with(LD_PRELOAD=preload, LOOKBACK_FAULT=f"{call}:{n}:{error}",
                         LOOKBACK_FAULT_DIR=world.database.parent, LOOKBACK_FAULT_ARM=arm, LOOKBACK_FAULT_LOG=log)
    d = Daemon(world, env=env, name=f"restore-{call}-{error}-{n}").start()
    arm.touch()
    try:
        reply = varlink_call(world.socket, "io.lookback.Restore", {"path": str(snapshot)}, timeout=30)
    finally:
        arm.unlink()
    hit, restored = log.exists(), "error" not in reply
    if restored:
        expected.clear()
        expected.update(snapshot_notes)
    else:
        assert reply["error"] in ("io.lookback.FileError", "io.lookback.BadDatabase"), reply
        assert hit, f"a restore failed without a fault: {reply}"
    note = f"restore {call} {error} {n}"
    assert "error" not in done(world, note), d.stderr
    expected.add(note)
    d.stop()
    notes, verdict = checkins_in(world.database)
    assert verdict == "ok", (call, error, n, verdict)
    assert notes == expected, (call, error, n, reply, sorted(notes ^ expected))
    return hit, restored


def test_io_faults_during_a_restore_keep_one_whole_database(world):
    preload = fault_shim()
    world.write_config(HABIT)
    d = Daemon(world, name="first").start()
    assert "error" not in done(world, "in the snapshot")
    snapshot = world.base / "snapshot.db"
    assert "error" not in varlink_call(world.socket, "io.lookback.Backup", {"path": str(snapshot)}, timeout=20)
    assert "error" not in done(world, "only live")
    d.stop()
    expected, snapshot_notes = {"in the snapshot", "only live"}, {"in the snapshot"}
    figures = []
    for call in FAULT_CALLS:
        for error in FAULT_ERRNOS:
            injected = failed = 0
            for n in range(1, FAULT_N_MAX + 1):
                hit, restored = restore_with_fault(world, preload, snapshot, call, error, n, expected, snapshot_notes)
                if not hit:
                    break
                injected += 1
                failed += not restored
            else:
                pytest.fail(f"{call} {error}: the restore still hit a fault at N = {FAULT_N_MAX}")
            figures.append((call, error, injected, failed))
    print("\nI/O faults during a restore (call, errno: faults injected, restores refused):")
    for call, error, injected, failed in figures:
        print(f"  {call:9} {error:6}: {injected:3} injected, {failed:3} refused, the live file whole")
    print(f"  total: {sum(f[2] for f in figures)} faults")
    assert {f[0] for f in figures if f[2]} >= {"write", "fsync"}, figures
