"""Who may be on the other end of the socket (issue 11, item 7).

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

    def finish(self):
        """Stops it; the bytes received on each connection it accepted."""
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return [int(line.split()[1]) for line in out.splitlines() if line.startswith("connection")]


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
    received = impostor.finish()
    assert_refused(r, str(world.socket), f"uid {NOBODY}", "nothing was sent")
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
    received = impostor.finish()
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
        received = impostor.finish()
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
