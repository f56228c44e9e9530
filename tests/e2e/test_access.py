"""Who may be on the other end of the socket, and the modes of what the
daemon owns (issue 11, items 7 and 8).

The impostor cases run a listener as `nobody` (setpriv) where the client
might look for lookbackd; each asserts that the client refuses with a
message naming the socket and the uid, and that the impostor received
zero bytes. They need root, as CI has."""

import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from conftest import Daemon, wait_for

NOBODY = 65534

# A listener that passes for lookbackd: it accepts for a while, answers
# anything with a plausible reply, and reports on stdout, one line per
# connection, how many bytes it received.
IMPOSTOR = r"""
import os, socket, sys, time
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
s.listen(8)
s.settimeout(0.2)
print("ready", flush=True)
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(2)
    got = 0
    try:
        while True:
            data = c.recv(65536)
            if not data:
                break
            got += len(data)
            c.sendall(b'{"parameters":{}}\0')
    except OSError:
        pass
    c.close()
    print(f"connection {got}", flush=True)
"""


def need_root():
    if os.getuid() != 0:
        pytest.skip("running a listener as nobody needs root")
    if not shutil.which("setpriv"):
        pytest.skip("setpriv is not installed")


class Impostor:
    """The IMPOSTOR script as nobody, listening at @path."""

    def __init__(self, path, seconds=8):
        self.proc = subprocess.Popen(
            ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, "-c", IMPOSTOR,
             str(path), str(seconds)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", self.proc.stderr.read()
        self.received = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("connection"):
                self.received.append(int(line.split()[1]))

    def finish(self, connections):
        """Waits (bounded) for @connections to be reported, and a moment
        more for any unexpected one; stops it; the bytes received on each."""
        try:
            wait_for(lambda: len(self.received) >= connections, timeout=5, what="the impostor's report")
        finally:
            time.sleep(0.5)
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.reader.join(timeout=5)
        return self.received


def let_nobody_in(world):
    """Lets nobody reach into the world's base dir (not list it)."""
    os.chmod(world.base, 0o711)


def nobody_dir(parent, name):
    d = pathlib.Path(parent) / name
    d.mkdir(mode=0o700)
    os.chown(d, NOBODY, NOBODY)
    return d


def assert_refused(r, *words):
    assert r.returncode != 0, r.stdout
    assert "Recorded" not in r.stdout + r.stderr
    assert "Start it with" not in r.stderr, "a refusal is not 'not running'"
    for w in words:
        assert w in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("lookback: ")]
    assert len(lines) >= 1 and len(lines[0]) < 400


def test_socket_planted_while_the_runtime_dir_was_open(world):
    """The runtime dir was 0777 for a moment; nobody bound lookback.sock;
    the dir is 0700 again, so only SO_PEERCRED can tell."""
    need_root()
    let_nobody_in(world)
    os.chmod(world.runtime, 0o777)
    impostor = Impostor(world.socket)
    os.chmod(world.runtime, 0o700)
    r = world.run_client("answer", "--date", "2023-08-16", input="Private thoughts.")
    r2 = world.run_client("status")
    received = impostor.finish(2)
    assert_refused(r, str(world.socket), f"uid {NOBODY}", "nothing was sent", "Your text is saved in")
    assert_refused(r2, f"uid {NOBODY}")
    assert received == [0, 0], "the client connected, checked and hung up without a byte"


def test_symlinked_runtime_dir_repointed_by_another_user(world):
    """XDG_RUNTIME_DIR is a link that nobody owns, pointing at nobody's own
    dir where it listens: the client refuses before it connects."""
    need_root()
    let_nobody_in(world)
    theirs = nobody_dir(world.base, "theirs")
    impostor = Impostor(theirs / "lookback.sock")
    link = world.base / "run-link"
    link.symlink_to(theirs)
    os.lchown(link, NOBODY, NOBODY)
    env = world.env_with(XDG_RUNTIME_DIR=link)
    r = world.run_client("answer", "--date", "2023-08-16", input="Private thoughts.", env=env)
    received = impostor.finish(0)
    assert_refused(r, str(link), f"symlink owned by uid {NOBODY}")
    assert received == []


def test_lookback_socket_in_tmp(world):
    """LOOKBACK_SOCKET points into /tmp, where anyone may bind."""
    need_root()
    shared = pathlib.Path(tempfile.mkdtemp(prefix="lbshared-"))
    try:
        os.chmod(shared, 0o1777)
        path = shared / "lookback.sock"
        impostor = Impostor(path)
        r = world.run_client("status", env=world.env_with(LOOKBACK_SOCKET=path))
        received = impostor.finish(0)
        assert_refused(r, str(shared), "mode 1777, must be 0700", "refusing to use a socket there")
        assert received == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_symlinked_runtime_dir(world):
    """The daemon binds nowhere behind a symlink, even one of ours; the
    client follows only a link that is ours, to a 0700 dir of ours."""
    link = world.base / "run-link"
    link.symlink_to(world.runtime)
    env = world.env_with(XDG_RUNTIME_DIR=link)
    d = Daemon(world, env=env, name="lookbackd-link")
    d.start(wait=False)
    assert d.wait_exit() != 0
    assert f"XDG_RUNTIME_DIR={link} is a symlink; refusing to put the socket there" in d.stderr
    assert not world.socket.exists()

    d = world.daemon()
    r = world.run_client("status", env=env)
    assert r.returncode == 0, r.stderr
    if os.getuid() == 0:
        os.lchown(link, NOBODY, NOBODY)
        r = world.run_client("status", env=env)
        assert_refused(r, f"symlink owned by uid {NOBODY}")
    d.stop()


def test_socket_is_bound_race_free(world):
    """The socket appears at its name already 0600, and no temporary name
    is left beside it; a second daemon still finds the first."""
    d = world.daemon()
    st = os.lstat(world.socket)
    assert stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600
    assert sorted(os.listdir(world.runtime)) == ["lookback.sock"]
    second = Daemon(world, name="lookbackd-second")
    second.start(wait=False)
    assert second.wait_exit() != 0
    assert "already running" in second.stderr
    assert sorted(os.listdir(world.runtime)) == ["lookback.sock"]
    d.stop()
    # A stale socket (the daemon was killed) is replaced, not refused.
    d.start()
    d.kill()
    assert world.socket.exists()
    d.start()
    assert world.run_client("status").returncode == 0
    d.stop()


def test_daemons_racing_for_the_socket(world):
    """Started together, exactly one serves; the others say it is already
    running (none replaces the winner's socket), and no temporary name is
    left behind."""
    daemons = [Daemon(world, name=f"lookbackd-race{i}") for i in range(4)]
    for d in daemons:
        d.start(wait=False)
    wait_for(lambda: sum(d.proc.poll() is not None for d in daemons) == 3, timeout=20,
             what="all but one to give up")
    losers = [d for d in daemons if d.proc.poll() is not None]
    winner = next(d for d in daemons if d.proc.poll() is None)
    for d in losers:
        d.wait_exit()
        assert f"lookbackd is already running (pid {winner.pid})" in d.stderr, d.stderr
    assert sorted(os.listdir(world.runtime)) == ["lookback.sock"]
    assert world.run_client("status").returncode == 0
    winner.stop()


def mode(p):
    return stat.S_IMODE(os.lstat(p).st_mode)


def test_loose_modes_are_fixed_and_said_once(world):
    d = world.daemon(config='[habit "walk"]\nevery = day\n')
    assert world.run_client("done", "walk").returncode == 0
    backups = world.state / "lookback" / "backups"
    wait_for(lambda: backups.exists() and any(backups.iterdir()), what="today's snapshot")
    d.stop()
    snapshot = next(backups.iterdir())
    db_dir = world.database.parent
    os.chmod(db_dir, 0o777)
    os.chmod(world.database, 0o666)
    os.chmod(backups, 0o755)
    os.chmod(snapshot, 0o644)
    wal = pathlib.Path(f"{world.database}-wal")
    wal.write_bytes(b"")
    os.chmod(wal, 0o644)
    d.start()
    assert mode(db_dir) == 0o700
    assert mode(world.database) == 0o600
    assert mode(backups) == 0o700
    assert mode(snapshot) == 0o600
    for p in (f"{world.database}-wal", f"{world.database}-shm"):
        if os.path.exists(p):
            assert mode(p) == 0o600
    err = d.stderr
    for p, old, new in ((db_dir, "0777", "0700"), (world.database, "0666", "0600"), (backups, "0755", "0700"),
                        (snapshot, "0644", "0600")):
        assert err.count(f"fixed mode of {p}: {old} -> {new}") == 1, err
    d.restart()
    assert d.stderr.count("fixed mode of") == err.count("fixed mode of"), "said once, not at every start"
    d.stop()


def test_a_restored_database_is_0600(world):
    d = world.daemon(config='[habit "walk"]\nevery = day\n')
    assert world.run_client("done", "walk").returncode == 0
    backup = world.base / "b.db"
    assert world.run_client("backup", str(backup)).returncode == 0
    assert mode(backup) == 0o600
    os.chmod(backup, 0o644)  # as a copy from elsewhere may well be
    r = world.run_client("restore", "--yes", str(backup))
    assert r.returncode == 0, r.stderr
    assert mode(world.database) == 0o600
    for p in world.database.parent.iterdir():
        assert mode(p) & 0o077 == 0, f"{p} is {oct(mode(p))}"
    assert world.run_client("done", "walk").returncode == 0
    # Restored by hand, as the "damaged" message advises (cp keeps the
    # snapshot's 0644): the next start makes it 0600 and says so.
    d.stop()
    for suffix in ("-wal", "-shm"):
        pathlib.Path(f"{world.database}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, world.database)
    assert mode(world.database) == 0o644
    d.start()
    assert mode(world.database) == 0o600
    assert f"fixed mode of {world.database}: 0644 -> 0600" in d.stderr
    d.stop()


def test_a_configured_folder_keeps_its_mode(world):
    """[backup] folder is the person's choice (it may be shared on purpose):
    the snapshots in it are made 0600, the folder is left as it is."""
    folder = world.base / "my-backups"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    d = world.daemon(config=f'[backup]\nfolder = {folder}\n[habit "walk"]\nevery = day\n')
    wait_for(lambda: any(folder.iterdir()), what="today's snapshot")
    d.stop()
    snapshot = next(folder.iterdir())
    os.chmod(snapshot, 0o644)
    d.start()
    assert mode(folder) == 0o755
    assert mode(snapshot) == 0o600
    assert f"fixed mode of {folder}:" not in d.stderr
    d.stop()
