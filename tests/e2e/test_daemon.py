"""The daemon as a process: single instance, stale sockets, the runtime
directory rules, socket activation, peer credentials, the database file,
and the command lines of both programs."""

import os
import pathlib
import pwd
import shutil
import signal
import sqlite3
import stat
import subprocess

import pytest

from conftest import (EX_USAGE, EXIT_USAGE, LOOKBACK, LOOKBACKD, SLOW, Daemon, sha256, varlink_call,
                      wait_for, wrap)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_second_daemon_refuses(world):
    first = world.daemon()
    second = world.daemon(start=False, name="second")
    second.start(wait=False)
    assert second.wait_exit() == 1
    assert f"lookbackd is already running (pid {first.pid})" in second.stderr
    # The first one keeps its socket and keeps serving.
    assert world.socket.exists()
    r = world.run_client("status")
    assert r.returncode == 0, r.stderr
    first.stop()
    assert not world.socket.exists()


def test_stale_socket_replaced(world):
    d = world.daemon()
    d.signal(signal.SIGKILL)
    assert d.wait_exit() == -signal.SIGKILL
    assert stat.S_ISSOCK(os.lstat(world.socket).st_mode), "the killed daemon's socket file stays behind"
    assert world.run_client("status").returncode == 69

    d.start()
    assert mode(world.socket) == 0o600
    r = world.run_client("status")
    assert r.returncode == 0, r.stderr
    d.stop()


def new_tmp_entries(before):
    return sorted(p for p in set(os.listdir("/tmp")) - before if "lookback" in p)


@pytest.mark.parametrize("case", ["unset", "empty", "mode-0755", "other-owner", "missing"])
def test_runtime_dir_refused(world, case):
    env = world.env
    runtime = world.runtime
    if case == "unset":
        env = world.env_with(XDG_RUNTIME_DIR=None)
        expect = "XDG_RUNTIME_DIR is not set"
    elif case == "empty":
        env = world.env_with(XDG_RUNTIME_DIR="")
        expect = "XDG_RUNTIME_DIR is not set"
    elif case == "mode-0755":
        os.chmod(runtime, 0o755)
        expect = "is accessible to group or others (must be 0700)"
    elif case == "missing":
        env = world.env_with(XDG_RUNTIME_DIR=world.base / "no-such-dir")
        expect = "does not exist"
    else:
        if os.getuid() != 0:
            pytest.skip("chown to nobody needs root")
        nobody = pwd.getpwnam("nobody")
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        expect = "is not owned by this user"

    before = set(os.listdir("/tmp"))
    d = Daemon(world, env=env, name=f"lookbackd-{case}")
    d.start(wait=False)
    rc = d.wait_exit()
    assert rc != 0
    lines = [line for line in d.stderr.splitlines() if line.strip()]
    assert lines, "no reason given"
    assert expect in lines[0]
    assert lines[0].startswith("<3>")
    assert "\n" not in lines[0]
    # No socket anywhere: not in the runtime dir, not in /tmp.
    assert not world.socket.exists()
    assert new_tmp_entries(before) == []
    assert not (world.base / "no-such-dir").exists()


def test_runtime_dir_refusal_is_one_line(world):
    """The issue: "it refuses to start with a one-line reason". The reason
    must be the daemon's only output, as it is for "already running"."""
    os.chmod(world.runtime, 0o755)
    d = Daemon(world, name="lookbackd-one-line")
    d.start(wait=False)
    assert d.wait_exit() == 1
    lines = [line for line in d.stderr.splitlines() if line.strip()]
    assert lines == [f"<3>XDG_RUNTIME_DIR={world.runtime} is accessible to group or others (must be 0700)"], \
        "lookbackd printed more than the one-line reason:\n" + d.stderr


def test_lookback_socket_dir_must_be_private(world):
    shared = world.base / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    d = Daemon(world, env=world.env_with(LOOKBACK_SOCKET=shared / "lb.sock"), name="lookbackd-shared")
    d.start(wait=False)
    assert d.wait_exit() != 0
    assert "is open to group or others (mode 0755, must be 0700)" in d.stderr
    assert not (shared / "lb.sock").exists()


def test_lookback_socket_override(world):
    private = world.base / "private"
    private.mkdir(mode=0o700)
    sock = private / "lb.sock"
    env = world.env_with(LOOKBACK_SOCKET=sock)
    d = Daemon(world, env=env, name="lookbackd-override")
    d.start(wait=False)
    wait_for(lambda: sock.exists() and "ready" in d.stderr, what="the socket at $LOOKBACK_SOCKET")
    assert mode(sock) == 0o600
    assert not world.socket.exists()
    r = world.run_client("status", env=env)
    assert r.returncode == 0, r.stderr
    d.stop()
    assert not sock.exists()


def test_socket_activation(world):
    if not shutil.which("systemd-socket-activate"):
        pytest.skip("systemd-socket-activate is not installed")
    passed = [a for var in ("XDG_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                            "DBUS_SESSION_BUS_ADDRESS", "TZ", "LANG") for a in ("-E", var)]
    d = Daemon(world, name="activated",
               argv=["systemd-socket-activate", *passed, "-l", str(world.socket), *wrap([LOOKBACKD])])
    d.start(wait=False)
    wait_for(lambda: "Listening on" in d.stderr, what="systemd-socket-activate to listen")
    assert not world.database.exists(), "lookbackd must not run before the first connection"

    r = world.run_client("status")
    assert r.returncode == 0, r.stderr
    assert "Next weekly review" in r.stdout
    assert "listening on the socket systemd passed" in d.stderr
    assert world.database.exists()

    r = world.run_client("answer", "--date", "2023-08-16", input="Recorded through an activated daemon.")
    assert r.returncode == 0, r.stderr
    d.stop()  # systemd-socket-activate execs lookbackd in place: this is lookbackd's exit
    # The socket was systemd's to create and remove: the daemon leaves it alone.
    assert world.socket.exists()

    db = sqlite3.connect(f"file:{world.database}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT a.kind, a.period_start, a.period_end, e.question, e.body FROM answers a "
                          "JOIN answer_entries e ON e.answer_id = a.id").fetchall()
        assert rows == [("weekly", "2023-08-14", "2023-08-20", "What went well this week?",
                         "Recorded through an activated daemon.")]
        (uuid,) = db.execute("SELECT uuid FROM answers").fetchone()
        assert len(uuid) == 36
    finally:
        db.close()


def nobody_can_run(path, env):
    return subprocess.run(["runuser", "-u", "nobody", "--", "test", "-x", str(path)], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=20).returncode == 0


# Connects, sends stdin (argv[2] bytes) as far as the peer takes it, and
# prints how many bytes came back before the hang-up.
RAW_CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
data = sys.stdin.buffer.read(int(sys.argv[2]))
try:
    s.sendall(data)
except OSError:
    pass
got = 0
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += len(chunk)
except ConnectionResetError:
    pass
print("received", got)
"""


def test_other_uid_refused(world):
    if os.getuid() != 0:
        pytest.skip("running a client as nobody needs root (runuser)")
    if not shutil.which("runuser"):
        pytest.skip("runuser is not installed")
    d = world.daemon()
    r = world.run_client("answer", "--date", "2023-08-16", input="Private thoughts.")
    assert r.returncode == 0, r.stderr

    # Loosen the tree only now that the daemon has checked and bound.
    client = pathlib.Path(LOOKBACK)
    if not nobody_can_run(client, world.env):
        bindir = world.base / "bin"
        bindir.mkdir(mode=0o755)
        client = pathlib.Path(shutil.copy2(LOOKBACK, bindir / "lookback"))
        os.chmod(client, 0o755)
    for p in (world.base, world.runtime):
        os.chmod(p, 0o755)
    os.chmod(world.socket, 0o777)
    if not nobody_can_run(client, world.env):
        pytest.skip(f"nobody cannot execute {client} (path permissions)")

    # The client, as nobody, will not use a socket in a directory that is
    # not its own: it refuses before it connects.
    for args in (["status"], ["--json", "log"]):
        r = subprocess.run(["runuser", "-u", "nobody", "--", "env", f"LOOKBACK_SOCKET={world.socket}",
                            "HOME=/nonexistent", str(client), *args], env=world.env, capture_output=True,
                           text=True, timeout=20, stdin=subprocess.DEVNULL, cwd="/")
        assert r.returncode != 0, r.stdout
        assert "Private thoughts" not in r.stdout
        assert f"{world.runtime}, the socket's directory, is owned by uid 0, not by you (uid 65534)" in r.stderr
    assert "refused a connection" not in d.stderr

    # A raw client as nobody that does connect: the daemon hangs up on it
    # before reading a byte, whatever it sends, and answers nothing.
    for request in (b'{"method":"io.lookback.Log","parameters":{}}\0', b"x" * (4 << 20)):
        r = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", RAW_CLIENT, str(world.socket),
                            str(len(request))], input=request, capture_output=True, timeout=20, cwd="/")
        assert r.returncode == 0, r.stderr
        assert r.stdout.decode().split() == ["received", "0"], r.stdout
    wait_for(lambda: d.stderr.count("refused a connection from uid 65534") == 2, what="the refusals to be logged")
    assert "client (pid" not in d.stderr, "nothing was read from it, so nothing failed to parse"

    # Our own client will not use the socket while its directory is open
    # to others either; once it is 0700 again, our user is still served.
    r = world.run_client("log")
    assert r.returncode != 0 and "mode 0755, must be 0700" in r.stderr, r.stderr
    os.chmod(world.runtime, 0o700)
    r = world.run_client("log")
    assert r.returncode == 0, r.stderr
    assert "Private thoughts." in r.stdout
    d.stop()


def test_database_and_socket_permissions(world):
    d = world.daemon()
    assert world.database.exists()
    assert mode(world.database.parent) == 0o700
    assert mode(world.socket) == 0o600
    assert stat.S_ISSOCK(os.lstat(world.socket).st_mode)
    db = sqlite3.connect(f"file:{world.database}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
    finally:
        db.close()
    d.stop()
    assert not world.socket.exists()


def test_database_directories_created_0700(world):
    deep = world.base / "deep" / "er" / "lookback.db"
    d = world.daemon(config=f"[daemon]\ndatabase = {deep}\n")
    assert deep.exists()
    assert mode(world.base / "deep") == 0o700
    assert mode(world.base / "deep" / "er") == 0o700
    assert not world.database.exists()
    d.stop()


def test_corrupt_database_never_written(world):
    d = world.daemon()
    r = world.run_client("answer", "--date", "2023-08-16", input="Before the damage.")
    assert r.returncode == 0, r.stderr
    d.stop()

    with open(world.database, "r+b") as f:
        f.write(bytes((i * 37 + 11) % 256 for i in range(100)))
    before = sha256(world.database)
    size = os.path.getsize(world.database)
    leftovers = sorted(p.name for p in world.database.parent.iterdir())

    d.start(wait=False)
    assert d.wait_exit() != 0
    assert str(world.database) in d.stderr
    assert "not touching it" in d.stderr
    assert sha256(world.database) == before
    assert os.path.getsize(world.database) == size
    assert sorted(p.name for p in world.database.parent.iterdir()) == leftovers
    assert not world.socket.exists()


# --------------------------------------------------------------------------
# Command lines
# --------------------------------------------------------------------------

def run(argv, world):
    return subprocess.run(wrap(argv), capture_output=True, text=True, env=world.env, timeout=20 * SLOW,
                          stdin=subprocess.DEVNULL)


def test_daemon_help_and_version(world):
    r = run([LOOKBACKD, "--help"], world)
    assert r.returncode == 0
    assert r.stdout.startswith("Usage: lookbackd")
    for option in ("--config", "--check-config", "--version", "LOOKBACK_SOCKET"):
        assert option in r.stdout
    r = run([LOOKBACKD, "--version"], world)
    assert r.returncode == 0
    assert r.stdout.startswith("lookbackd ")
    # Usage errors use sysexits' EX_USAGE, like its 78 for configs.
    for argv in ([LOOKBACKD, "--bogus"], [LOOKBACKD, "extra"]):
        r = run(argv, world)
        assert r.returncode == EX_USAGE, argv
        assert "lookbackd --help" in r.stderr
    assert not world.socket.exists()


def test_client_help(world):
    r = run([LOOKBACK, "--help"], world)
    assert r.returncode == 0
    assert r.stdout.startswith("Usage: lookback")
    commands = ["answer", "done", "status", "log", "habits"]
    for c in commands:
        assert f"\n  {c} " in r.stdout
    r = run([LOOKBACK, "--version"], world)
    assert r.returncode == 0 and r.stdout.startswith("lookback ")
    for c in commands:
        for argv in ([LOOKBACK, c, "--help"], [LOOKBACK, "help", c]):
            r = run(argv, world)
            assert r.returncode == 0, (argv, r.stderr)
            assert r.stdout.startswith(f"Usage: lookback {c}"), argv
    # No daemon is needed for any of that.
    assert not world.socket.exists()


@pytest.mark.parametrize("argv", [
    ["frobnicate"], ["--bogus", "status"], ["status", "--bogus"], ["status", "extra"], ["log", "--bogus"],
    ["log", "monthly"], ["habits", "extra"], ["answer", "--bogus"], ["answer", "monthly"],
    ["answer", "weekly", "halfyear"], ["done"], [],
])
def test_client_usage_errors(world, argv):
    r = run([LOOKBACK, *argv], world)
    assert r.returncode == EXIT_USAGE, (argv, r.stdout, r.stderr)
    assert r.stderr or r.stdout.startswith("Usage:")


def test_non_socket_file_at_socket_path_is_kept(world):
    """Only a *stale socket* may be replaced. A regular file that happens to
    sit at the socket path is not lookbackd's to delete."""
    world.socket.write_text("not a socket: precious\n")
    d = world.daemon(start=False)
    d.start(wait=False)
    wait_for(lambda: d.proc.poll() is not None or not world.socket.is_file() or "ready" in d.stderr,
             what="lookbackd to start or refuse")
    assert world.socket.is_file() and world.socket.read_text() == "not a socket: precious\n", \
        "lookbackd deleted a regular file at its socket path:\n" + d.stderr
    assert d.wait_exit() != 0


def test_sd_notify_protocol(world):
    """READY=1 once the socket listens, STATUS=, watchdog pings, RELOADING=1
    and READY=1 around SIGHUP, STOPPING=1 on SIGTERM."""
    import socket as socketlib
    path = world.base / "notify.sock"
    nsock = socketlib.socket(socketlib.AF_UNIX, socketlib.SOCK_DGRAM)
    nsock.bind(str(path))
    nsock.settimeout(5)
    messages = []

    def until(prefix):
        """Reads notifications until one has a line starting with @prefix; returns that line."""
        while True:
            m = nsock.recv(4096).decode()
            messages.append(m)
            for line in m.split("\n"):
                if line.startswith(prefix):
                    return line

    try:
        d = world.daemon(env=world.env_with(NOTIFY_SOCKET=path, WATCHDOG_USEC=200000), start=False)
        d.start(wait=False)
        until("READY=1")
        # Ready means listening: a client is answered right away.
        assert "io.lookback" in varlink_call(world.socket, "org.varlink.service.GetInfo")["parameters"]["interfaces"]
        assert world.database.exists()
        assert until("STATUS=").startswith("STATUS=Waiting; next weekly review ")
        until("WATCHDOG=1")
        d.signal(signal.SIGHUP)
        until("RELOADING=1")
        until("READY=1")
        d.signal(signal.SIGTERM)
        until("STOPPING=1")
        assert d.wait_exit() == 0
    finally:
        nsock.close()


def test_sigint_stops_cleanly(world):
    d = world.daemon()
    d.signal(signal.SIGINT)
    assert d.wait_exit() == 0
    assert "received Interrupt, stopping" in d.stderr
    assert not world.socket.exists()
