"""Nothing lost, nothing doubled: idempotency keys on writes, the client's
one retry, drafts of every text not recorded, and SIGKILL under load.

A proxy between the client and the daemon loses replies on purpose, so
that "committed, but the client never heard" is reproduced exactly rather
than hoped for by timing."""

import collections
import json
import os
import pathlib
import random
import re
import signal
import socket
import subprocess
import sqlite3
import threading
import time
import uuid

import pytest

from conftest import EX_UNAVAILABLE, LOOKBACK, LOOKBACKD, Daemon, parse_resend_command, varlink_call, wait_for

CONFIG = """
[habit "h0"]
every = day
[habit "h1"]
every = day
""" + "".join(f'[habit "p{i}"]\nevery = day\n' for i in range(8))

QUESTION = "What went well this week?"


def call(world, method, **params):
    return varlink_call(world.socket, "io.lookback." + method, params)


def export_text(world):
    r = world.run_client("export")
    assert r.returncode == 0, r.stderr
    return r.stdout


# --------------------------------------------------------------------------
# The daemon's side: a key already done is answered, not recorded again
# --------------------------------------------------------------------------

def test_a_repeated_key_gets_the_first_reply_and_records_nothing(world):
    d = world.daemon(CONFIG)
    key = str(uuid.uuid4())
    first = call(world, "Done", habit="h0", note="once", idempotency_key=key)
    assert "error" not in first, first
    again = call(world, "Done", habit="h0", note="once", idempotency_key=key)
    assert again["parameters"].pop("replayed") is True
    assert again["parameters"] == first["parameters"]
    # Remembered across a restart: it is in the database, with the write.
    d.restart()
    assert call(world, "Done", habit="h0", note="once", idempotency_key=key)["parameters"]["id"] == \
        first["parameters"]["id"]
    assert export_text(world).count('"note":"once"') == 1

    # The same key with other parameters, or for another method: refused.
    for method, params in (("Done", {"habit": "h0", "note": "twice"}), ("Skip", {"habit": "h1"})):
        reply = call(world, method, idempotency_key=key, **params)
        assert reply["error"] == "io.lookback.RequestReused", reply
        assert reply["parameters"]["method"] == "io.lookback.Done"
    assert export_text(world).count('"habit":"h1"') == 0

    # No key, or a new one: a new record each time, as before.
    call(world, "Done", habit="h0", note="once")
    call(world, "Done", habit="h0", note="once", idempotency_key=str(uuid.uuid4()))
    assert export_text(world).count('"note":"once"') == 3


def test_keys_are_checked_and_only_writes_take_one(world):
    world.daemon(CONFIG)
    for bad in ("", "not a key!", "a" * 65, 42):
        reply = call(world, "Done", habit="h0", idempotency_key=bad)
        assert reply["error"] == "org.varlink.service.InvalidParameter", reply
        assert reply["parameters"]["parameter"] == "idempotency_key"
    reply = call(world, "Status", idempotency_key=str(uuid.uuid4()))
    assert reply["error"] == "org.varlink.service.InvalidParameter", reply
    assert "error" not in call(world, "Done", habit="h0", idempotency_key=None)


def test_a_dry_run_does_not_use_up_its_key(world):
    world.daemon(CONFIG)
    rec = call(world, "Done", habit="h0")["parameters"]
    key = str(uuid.uuid4())
    dry = call(world, "Forget", id=rec["id"], dry_run=True, idempotency_key=key)
    assert dry["parameters"]["forgotten"] is False, dry
    real = call(world, "Forget", id=rec["id"], idempotency_key=key)
    assert real.get("parameters", {}).get("forgotten") is True, real
    # The real one is remembered: sent again, it is not "no such record".
    again = call(world, "Forget", id=rec["id"], idempotency_key=key)
    assert again["parameters"]["forgotten"] is True and again["parameters"]["replayed"] is True


# --------------------------------------------------------------------------
# The client's side, through a proxy that loses replies
# --------------------------------------------------------------------------

class Proxy:
    """Listens on a private socket and passes each connection on to the
    daemon. Per connection, in order, `plan` says what to do with the
    daemon's reply: "pass", "drop" (hang up before it), or an error name
    to answer with instead of asking the daemon at all."""

    def __init__(self, world, plan):
        self.world = world
        self.plan = list(plan)
        self.requests = []
        d = world.base / "proxy"
        d.mkdir(mode=0o700)
        self.path = d / "lookback.sock"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(self.path))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def env(self):
        return self.world.env_with(LOOKBACK_SOCKET=str(self.path))

    def read_frame(self, conn):
        data = b""
        while not data.endswith(b"\0"):
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        return data

    def serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(10)
                request = self.read_frame(conn)
                if request is None:
                    continue
                self.requests.append(json.loads(request[:-1]))
                what = self.plan.pop(0) if self.plan else "pass"
                if what.startswith("io.lookback."):
                    conn.sendall(json.dumps({"error": what, "parameters": {"message": "No space left on device"}})
                                 .encode() + b"\0")
                    continue
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as up:
                    up.connect(str(self.world.socket))
                    up.sendall(request)
                    reply = self.read_frame(up)
                if what == "pass" and reply:
                    conn.sendall(reply)
                # "drop": the write is committed, the reply never arrives.

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def through_proxy(world, plan, *argv, input=None):
    """Runs the client through a Proxy with @plan; returns the result and
    the requests the proxy saw."""
    proxy = Proxy(world, plan)
    try:
        return world.run_client(*argv, input=input, env=proxy.env()), proxy.requests
    finally:
        proxy.close()


def test_a_lost_reply_is_retried_once_and_recorded_once(world):
    world.daemon(CONFIG)
    r, requests = through_proxy(world, ["drop", "pass"], "done", "h0", "--note", "lost reply")
    assert r.returncode == 0, r.stderr
    assert "recorded (after a retry" in r.stderr
    assert "checked in" in r.stdout
    keys = [q["parameters"]["idempotency_key"] for q in requests]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert export_text(world).count('"note":"lost reply"') == 1


def test_two_lost_replies_say_how_to_send_it_again_safely(world):
    world.daemon(CONFIG)
    r, requests = through_proxy(world, ["drop", "drop"], "done", "h0", "--note", "it's lost")
    assert r.returncode == EX_UNAVAILABLE
    assert "may or may not have been recorded" in r.stderr
    assert "systemctl" not in r.stderr  # the daemon is running; it went away mid-call
    resend = parse_resend_command(r.stderr)
    assert resend[:2] == ["--request-id", requests[0]["parameters"]["idempotency_key"]]
    assert resend[2:] == ["done", "h0", "--note", "it's lost"]
    # It was committed (the proxy only lost the replies); sent again as
    # told, twice even, it stays one check-in.
    for _ in range(2):
        r = world.run_client(*resend)
        assert r.returncode == 0, r.stderr
    assert export_text(world).count('"note":"it\'s lost"') == 1


def test_a_piped_answer_refused_by_the_daemon_is_kept_as_a_draft(world):
    world.daemon(CONFIG)
    text = f"## {QUESTION}\nWritten on a full disk.\n"
    # GetTemplate passes; the Answer gets the daemon's error.
    r, requests = through_proxy(world, ["pass", "io.lookback.InternalError"],
                                "answer", "--date", "2026-11-18", "--file", "-", input=text)
    assert r.returncode == 1
    assert "No space left on device" in r.stderr
    drafts = list(world.drafts.iterdir())
    assert len(drafts) == 1
    assert f"Your text is kept in {drafts[0]}" in r.stderr
    assert drafts[0].read_text(encoding="utf-8").startswith(text)
    r = world.run_client("answer", "--date", "2026-11-18", "--file", str(drafts[0]))
    assert r.returncode == 0, r.stderr
    assert "Written on a full disk." in export_text(world)


def test_an_answer_whose_replies_were_lost_is_kept_and_recorded_once(world):
    world.daemon(CONFIG)
    text = f"## {QUESTION}\nCommitted, but the reply was lost.\n"
    r, requests = through_proxy(world, ["pass", "drop", "drop"],
                                "answer", "--date", "2026-11-18", "--file", "-", input=text)
    assert r.returncode == EX_UNAVAILABLE
    assert "may or may not have been recorded" in r.stderr
    draft = next(world.drafts.iterdir())
    key = requests[1]["parameters"]["idempotency_key"]
    assert f"# request-id: {key} " in draft.read_text(encoding="utf-8")
    resend = parse_resend_command(r.stderr)
    assert resend == ["answer", "weekly", "--date", "2026-11-16", "--file", str(draft)]
    r = world.run_client(*resend)
    assert r.returncode == 0, r.stderr
    assert not draft.exists()
    assert export_text(world).count("Committed, but the reply was lost.") == 1


# --------------------------------------------------------------------------
# SIGKILL under load
# --------------------------------------------------------------------------

class Writer(threading.Thread):
    """Writes marked records through the client until told to stop, and
    files each outcome: acknowledged, to resend (as the client said), or
    not recorded (nothing reached the daemon, or it refused)."""

    def __init__(self, world, n, seed):
        super().__init__(daemon=True)
        self.world, self.n = world, n
        self.rng = random.Random(seed)
        self.stopping = False
        self.acked, self.resend, self.refused = [], [], []
        self.goals = []  # acknowledged goal ids not yet dropped
        self.pauses = 0
        self.i = 0
        self.retried = 0  # acknowledged on the client's own second try
        self.backups = []  # acknowledged backup files

    def mark(self):
        self.i += 1
        return f"<w{self.n}.{self.i}>"

    def op(self):
        m = self.mark()
        kind = self.rng.choice(["done", "done", "answer", "goal", "pause", "import", "backup"])
        if kind == "done":
            return m, ["done", f"h{self.i % 2}", "--note", m], None
        if kind == "answer":
            return m, ["answer", "weekly", "--date", f"2026-{1 + self.i % 11:02d}-10", "--file", "-"], \
                f"## {QUESTION}\n{m}\n"
        if kind == "goal" and self.goals and self.rng.random() < 0.5:
            return m, ["goal", "drop", self.goals.pop(0), "--reason", m], None
        if kind == "goal":
            return m, ["goal", "add", m], None
        if kind == "pause":
            self.pauses += 1
            day = 730 + 3 * self.pauses  # days after 2000-01-01: no two overlap
            start = time.strftime("%Y-%m-%d", time.gmtime(946684800 + day * 86400))
            end = time.strftime("%Y-%m-%d", time.gmtime(946684800 + (day + 1) * 86400))
            return m, ["pause", f"p{self.n}", "--from", start, "--to", end, "--reason", m], None
        if kind == "backup":
            return m, ["backup", str(self.world.base / f"backup-{self.n}-{self.i}.db")], None
        path = self.world.base / f"import-{self.n}-{self.i}.json"
        path.write_text(json.dumps({
            "format": "lookback-export", "version": 1, "exported_at": "2026-12-01T00:00:00.000000Z",
            "device": "0123456789abcdef0123456789abcdef", "host": "elsewhere",
            "answers": [], "skips": [], "pauses": [], "goals": [], "notes": [], "prompts": [], "tombstones": [],
            "checkins": [{"id": str(uuid.uuid4()), "device": "0123456789abcdef0123456789abcdef", "habit": "h1", "date": "2026-11-30", "note": m,
                          "recorded_at": "2026-11-30T12:00:00.000000Z"}]}))
        return m, ["import", str(path)], None

    def run(self):
        while not self.stopping:
            m, argv, stdin = self.op()
            r = self.world.run_client(*argv, input=stdin if stdin is not None else "", timeout=60)
            if r.returncode == 0 and argv[0] == "backup":
                self.backups.append(argv[1])
            elif r.returncode == 0:
                self.acked.append(m)
                self.retried += "recorded (after a retry" in r.stderr
                if argv[:2] == ["goal", "add"]:
                    self.goals.append(re.search(r"Goal ([0-9a-f]+) added", r.stdout).group(1))
            elif "Send it" in r.stderr:
                self.resend.append((m, parse_resend_command(r.stderr), r.stderr))
            else:
                self.refused.append((m, r.stderr))


def test_sigkill_under_load_loses_no_acknowledged_write_and_doubles_none(world):
    kills = int(os.environ.get("LOOKBACK_TEST_KILLS", "200"))
    folder = world.base / "sync"
    d = world.daemon(CONFIG + f"[sync]\nfolder = {folder}\n")
    writers = [Writer(world, n, seed=n) for n in range(8)]
    for w in writers:
        w.start()
    rng = random.Random(11)
    for k in range(kills):
        time.sleep(rng.uniform(0.0, 0.08))
        d.kill()
        if k % 4 == 3:
            # Killed while starting up, before it answered.
            d.start(wait=False)
            time.sleep(rng.uniform(0.0, 0.03))
            d.kill()
        d.start()
    for w in writers:
        w.stopping = True
    for w in writers:
        w.join(timeout=120)
        assert not w.is_alive()

    resent = 0
    for w in writers:
        for m, argv, why in w.resend:
            r = world.run_client(*argv, input="", timeout=60)
            # A goal dropped by a resend of a lost reply may be dropped; a
            # pause or drop whose first try was done is a replay: both 0.
            assert r.returncode == 0, (m, argv, why, r.stderr)
            resent += 1

    text = export_text(world)
    acked = [m for w in writers for m in w.acked]
    sent_again = [m for w in writers for m, _, _ in w.resend]
    refused = [(m, why) for w in writers for m, why in w.refused]
    missing = [m for m in acked + sent_again if text.count(m) == 0]
    doubled = [m for m in acked + sent_again if text.count(m) > 1]
    ghosts = [(m, why) for m, why in refused if m in text]
    d.stop()

    def integrity(path):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("PRAGMA integrity_check").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()
    check = integrity(world.database)[0]
    backups = [b for w in writers for b in w.backups]
    bad_backups = [(b, integrity(b)) for b in backups if integrity(b)[0] != "ok" or integrity(b)[1] < 8]

    # This machine's sync log: every change once, in sequence.
    (log,) = folder.glob("*.jsonl")
    changes = [json.loads(line) for line in log.read_text().splitlines()[1:]]
    seqs = [c["seq"] for c in changes]
    added = [(k, v["id"]) for c in changes if c["op"] == "add" for k, v in c.items() if isinstance(v, dict)]
    assert seqs == sorted(set(seqs)), "sequence numbers grow and never repeat"
    assert len(added) == len(set(added)), "a record appended to the sync log twice"
    doc = json.loads(text)
    in_export = {r["id"] for k in ("answers", "checkins", "pauses", "goals") for r in doc[k]}
    assert in_export <= {i for _, i in added}, "a record missing from the sync log"
    print(f"\nkills: {kills}; writes acknowledged: {len(acked)} "
          f"({sum(w.retried for w in writers)} after the client's own retry); sent again as told: {resent}; "
          f"not recorded (refused or daemon down): {len(refused)}; missing: {len(missing)}; "
          f"duplicates: {len(doubled)}; integrity: {check}; backups taken: {len(backups)}, bad: {len(bad_backups)}; "
          f"sync log: {len(changes)} changes")
    reasons = collections.Counter(re.sub(r"/tmp/\S+|[0-9a-f-]{8,}", "X", why.splitlines()[0] if why else "") for _, why in refused)
    print(f"not recorded, by the client's message: {dict(reasons.most_common(8))}")
    assert not missing, missing
    assert not doubled, doubled
    assert not ghosts, ghosts[:3]
    assert check == "ok"
    assert not bad_backups, bad_backups
    assert len(acked) > kills  # the load was real


def test_sigkill_during_restore_never_leaves_no_database(world):
    """A restore moves the live file aside and the copy into its place: a
    kill between the two must not leave the path empty (a fresh, empty
    database at the next start, the person's years "gone")."""
    d = world.daemon(CONFIG)
    call(world, "Done", habit="h0", note="in the backup")
    backup = world.base / "backup.db"
    assert world.run_client("backup", str(backup)).returncode == 0
    rng = random.Random(5)
    kills = int(os.environ.get("LOOKBACK_TEST_RESTORE_KILLS", "40"))
    outcomes = collections.Counter()
    for k in range(kills):
        call(world, "Done", habit="h1", note=f"after the backup {k}")
        client = subprocess.Popen([LOOKBACK, "restore", "--yes", str(backup)], env=world.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.0, 0.06))
        d.kill()
        _, err = client.communicate(timeout=30)
        outcomes[(client.returncode, err.splitlines()[0] if err else "")] += 1
        d.start()
        text = export_text(world)
        assert "in the backup" in text, f"kill {k}: the database is not the old one nor the restored one"
    d.stop()
    print(f"\nrestores killed: {kills}; client exit codes: {dict(outcomes)}")
    assert all(code in (0, EX_UNAVAILABLE) for code, _ in outcomes), outcomes


def test_a_restore_killed_at_each_rename_leaves_a_database(world):
    """The same, at exactly the dangerous moments: strace kills the daemon
    as it enters its first, second, third rename of the restore."""
    needs_ptrace()
    d = world.daemon(CONFIG)
    call(world, "Done", habit="h0", note="in the backup")
    backup = world.base / "backup.db"
    assert world.run_client("backup", str(backup)).returncode == 0
    killed = 0
    for n in range(1, 7):
        tracer = attach_killer(d.pid, n, calls="rename,renameat,renameat2")
        call(world, "Done", habit="h1", note=f"after the backup {n}")
        r = world.run_client("restore", "--yes", str(backup))
        time.sleep(0.05)
        if d.proc.poll() is None:
            assert r.returncode == 0, r.stderr  # done before the nth rename
            tracer.terminate()
        else:
            killed += 1
        tracer.wait(timeout=10)
        d.kill()
        d.start()
        text = export_text(world)
        assert "in the backup" in text, f"killed at rename {n}: {r.returncode} {r.stderr}"
    d.stop()
    assert killed == 3  # at the renames of -wal, -shm (to the side) and of the copy


# --------------------------------------------------------------------------
# A kill at every step of a write
# --------------------------------------------------------------------------

STEPS = "pwrite64,write,writev,fsync,fdatasync,sendto,sendmsg,openat,rename,unlink,ftruncate"


def needs_ptrace():
    if os.getuid() != 0 and pathlib.Path("/proc/sys/kernel/yama/ptrace_scope").read_text().strip() != "0":
        pytest.skip("attaching strace to the daemon needs root or ptrace_scope 0")


def attach_killer(pid, n, calls=STEPS):
    """strace on the running daemon, told to SIGKILL it as it enters the
    nth of @calls (by default, the system calls that make a write durable
    or answer it)."""
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-o", "/dev/null", "-p", str(pid), "-e", f"trace={calls}",
                               "-e", f"inject={calls}:signal=SIGKILL:when={n}"])

    def attached():
        tasks = pathlib.Path(f"/proc/{pid}/task").iterdir()
        return all("TracerPid:\t0\n" not in (t / "status").read_text() for t in tasks)
    wait_for(attached, what="strace to attach")
    return tracer


WRITES = {
    "done": (["done", "h0", "--note", "{m}"], None),
    "answer": (["answer", "--date", "2026-11-18", "--file", "-"], f"## {QUESTION}\n{{m}}\n"),
    "goal": (["goal", "add", "{m}"], None),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_kill_at_every_step_of_a_write_loses_and_doubles_nothing(world, write):
    needs_ptrace()
    folder = world.base / "sync"
    d = world.daemon(CONFIG + f"[sync]\nfolder = {folder}\n")
    argv, stdin = WRITES[write]

    def run(m):
        return world.run_client(*[a.format(m=m) for a in argv], input=stdin.format(m=m) if stdin else "")
    killed_at = []
    for n in range(1, 200):
        m = f"<step-{n}>"
        tracer = attach_killer(d.pid, n)
        r = run(m)
        time.sleep(0.05)  # what follows the reply (the sync log's append) may be cut too
        died = d.proc.poll() is not None
        if not died:
            tracer.terminate()
        tracer.wait(timeout=10)
        if not died:
            assert r.returncode == 0, r.stderr
            break
        killed_at.append(n)
        d.kill()
        d.start()
        if r.returncode != 0:
            # Sent again as the client said (a draft, or the command with
            # its request id), or not at all if nothing reached the daemon.
            if "Send it" in r.stderr:
                again = world.run_client(*parse_resend_command(r.stderr), input="")
                assert again.returncode == 0, again.stderr
            else:
                assert "cannot reach lookbackd" in r.stderr, r.stderr
                assert run(m).returncode == 0
        text = export_text(world)
        assert text.count(m) == 1, (n, r.returncode, r.stderr, text.count(m))
    else:
        raise AssertionError("the write never finished")
    assert len(killed_at) >= 5, killed_at  # the write's steps were really cut
    d.stop()
    print(f"\n{write}: killed at each of {len(killed_at)} steps, recorded exactly once every time")


def test_a_kill_at_every_step_of_a_backup_or_compaction_leaves_whole_files(world):
    """A backup file, and this machine's sync file after `sync compact`, are
    either there whole or not there (the old one): never half written."""
    needs_ptrace()
    folder = world.base / "sync"
    d = world.daemon(CONFIG + f"[sync]\nfolder = {folder}\n")
    for i in range(20):
        call(world, "Done", habit="h0", note=f"record {i}")
    cut = {"backup": 0, "compact": 0}
    for what in cut:
        for n in range(1, 300):
            target = world.base / f"backup-{n}.db"
            tracer = attach_killer(d.pid, n)
            argv = ["backup", str(target)] if what == "backup" else ["sync", "compact"]
            r = world.run_client(*argv)
            time.sleep(0.05)
            died = d.proc.poll() is not None
            if not died:
                tracer.terminate()
            tracer.wait(timeout=10)
            if died:
                cut[what] += 1
                d.kill()
                d.start()
            if what == "backup" and target.exists():
                db = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", n
                assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 20, n
                db.close()
            leftovers = [p.name for p in folder.iterdir() if not p.name.endswith(".jsonl")]
            (log,) = folder.glob("*.jsonl")
            lines = log.read_text().splitlines()
            assert json.loads(lines[0])["format"] == "lookback-sync", n
            assert sum('"note":"record ' in line for line in lines) >= 20, n
            if not died:
                assert r.returncode == 0, r.stderr
                assert not leftovers, leftovers
                break
        else:
            raise AssertionError(f"{what} never finished")
    d.stop()
    print(f"\nbackup cut at {cut['backup']} steps, compaction at {cut['compact']}: every file whole")
    assert cut["backup"] >= 3 and cut["compact"] >= 3, cut


# --------------------------------------------------------------------------
# Found in review
# --------------------------------------------------------------------------

def test_after_a_restore_the_daemon_keeps_its_locks(world):
    """Closing any fd of a file drops a process's POSIX locks on it: setting
    modes through an ordinary open of the live database after a restore let
    another reader think it was alone, checkpoint and delete the WAL under
    the daemon, and acknowledged writes were gone after a crash."""
    d = world.daemon(CONFIG)
    call(world, "Done", habit="h0", note="before")
    backup = world.base / "backup.db"
    assert world.run_client("backup", str(backup)).returncode == 0
    os.chmod(backup, 0o644)  # a mode to fix
    assert world.run_client("restore", "--yes", str(backup)).returncode == 0
    other = sqlite3.connect(world.database)  # a backup script, the sqlite3 CLI
    other.execute("SELECT count(*) FROM checkins").fetchone()
    other.close()
    for i in range(3):
        assert "error" not in call(world, "Done", habit="h1", note=f"after the restore {i}")
    d.kill()
    d.start()
    text = export_text(world)
    assert [text.count(f"after the restore {i}") for i in range(3)] == [1, 1, 1]
    assert oct(os.stat(world.database).st_mode & 0o777) == "0o600"


def test_undo_sent_again_forgets_the_same_record_not_the_next(world):
    world.daemon(CONFIG)
    for note in ("first", "second"):
        call(world, "Done", habit="h0", note=note)
    # LastRecord passes; both tries of the Forget are done, their replies lost.
    r, requests = through_proxy(world, ["pass", "drop", "drop"], "undo", "--yes")
    assert r.returncode == EX_UNAVAILABLE, r.stderr
    resend = parse_resend_command(r.stderr)
    assert resend[2] == "forget" and resend[-1] == "--yes", resend
    r = world.run_client(*resend)
    assert r.returncode == 0, r.stderr
    text = export_text(world)
    assert '"note":"first"' in text and '"note":"second"' not in text


def test_a_forgotten_record_leaves_no_text_among_the_stored_replies(world):
    d = world.daemon(CONFIG)
    goal = call(world, "GoalAdd", text="a secret goal", idempotency_key=str(uuid.uuid4()))["parameters"]
    done = call(world, "Done", habit="h0", note="a secret note", idempotency_key=str(uuid.uuid4()))["parameters"]
    for rec in (goal, done):
        assert "error" not in call(world, "Forget", id=rec["id"], idempotency_key=str(uuid.uuid4()))
    d.stop()
    db = sqlite3.connect(f"file:{world.database}?mode=ro", uri=True)
    replies = [row[0] for row in db.execute("SELECT reply FROM requests")]
    db.close()
    assert len(replies) == 2  # the two Forgets, remembered for their resends
    assert not [r for r in replies if "secret" in r], replies
