"""End-to-end fixtures for lookback: the real lookbackd and lookback binaries,
temp XDG directories per test, and a private D-Bus session bus with
python3-dbusmock's notification_daemon template.

Binaries come from $LOOKBACKD and $LOOKBACK (ctest sets them), the source
tree from $LOOKBACK_SOURCE_DIR. Run with Debian's /usr/bin/python3."""

import atexit
import datetime
import hashlib
import json
import os
import pathlib
import pty
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

LOOKBACKD = os.environ.get("LOOKBACKD", "")
LOOKBACK = os.environ.get("LOOKBACK", "")
SOURCE_DIR = pathlib.Path(os.environ.get("LOOKBACK_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SYSTEM_PYTHON = "/usr/bin/python3"

# Exit codes the programs document.
EXIT_USAGE = 2
EX_USAGE = 64
EX_UNAVAILABLE = 69
EX_CONFIG = 78

DEFAULT_WEEKLY_QUESTIONS = [
    "What went well this week?",
    "What did not, and why?",
    "What will I focus on next week?",
]

# Environment variables that must not leak from the caller into the programs.
_SCRUB = (
    "VISUAL", "EDITOR", "LOOKBACK_SOCKET", "LOOKBACK_CLIENT_TIMEOUT", "LISTEN_FDS", "LISTEN_PID",
    "LISTEN_FDNAMES", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "XDG_RUNTIME_DIR", "XDG_DATA_HOME",
    "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "DBUS_SESSION_BUS_ADDRESS", "TZ", "LANG", "LC_ALL",
)


# A checker both programs run under (tests/valgrind.sh sets it), e.g.
#   LOOKBACK_WRAPPER="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
# valgrind's report of each process goes to CHECKER_LOGS/PID.log, and the
# checker_reports fixture fails a test when one of its processes reported an
# error. LOOKBACK_TEST_SLOW scales the harness's waits and deadlines (never
# what a test checks) for a checker that slows the programs down.
WRAPPER = shlex.split(os.environ.get("LOOKBACK_WRAPPER", ""))
SLOW = float(os.environ.get("LOOKBACK_TEST_SLOW", "1"))
CHECKER_LOGS = pathlib.Path(tempfile.mkdtemp(prefix="lbcheck-")) if WRAPPER else None
if CHECKER_LOGS:
    atexit.register(shutil.rmtree, CHECKER_LOGS, True)
if WRAPPER and os.path.basename(WRAPPER[0]) == "valgrind" and not any(a.startswith("--log-file") for a in WRAPPER):
    WRAPPER.insert(1, f"--log-file={CHECKER_LOGS}/%p.log")


def wrap(argv):
    """@argv (a lookbackd or lookback command line) under LOOKBACK_WRAPPER, if set."""
    return [*WRAPPER, *map(str, argv)]


# What valgrind says about an error (with -q there is no summary).
_CHECKER_ERROR = re.compile(r"^==\d+== (ERROR SUMMARY: [1-9]|Invalid (read|write|free)|Conditional jump|"
                            r"Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|"
                            r".* are definitely lost)", re.M)


@pytest.fixture(autouse=True)
def checker_reports():
    """Fails the test when a process it ran under the checker reported an error."""
    yield
    if not CHECKER_LOGS:
        return
    bad = []
    for log in sorted(CHECKER_LOGS.glob("*.log")):
        text = log.read_text(encoding="utf-8", errors="replace")
        if _CHECKER_ERROR.search(text):
            bad.append(f"{log.name}:\n{text}")
        log.unlink()
    assert not bad, "the checker reported errors:\n" + "\n".join(bad)


# Tests whose scenario needs the programs to be fast, skipped under the
# checker (they run in every other pass), each with why.
CHECKER_SKIP = {
    "test_two_machines_converge_through_a_shared_folder":
        "B's own pause must be recorded before B reads A's identical one from the folder (else PauseOverlaps)",
}


# Whole files of stress tests, which measure the programs themselves (and
# run in the plain and ASan passes).
CHECKER_SKIP_FILES = {
    "test_crash.py": "hundreds of SIGKILLs and restarts, each start seconds long under valgrind",
    "test_hostile.py": "its RSS bound and 1 s latencies would measure valgrind, not lookbackd",
    "test_storage.py": "runs lookbackd itself (mount namespaces, as nobody, with an LD_PRELOAD fault shim)",
}


def pytest_collection_modifyitems(config, items):
    if not WRAPPER:
        return
    for item in items:
        why = CHECKER_SKIP.get(item.originalname) or CHECKER_SKIP_FILES.get(item.path.name)
        if why:
            item.add_marker(pytest.mark.skip(reason=f"under LOOKBACK_WRAPPER: {why}"))


def wait_for(condition, timeout=10.0, interval=0.02, what="a condition"):
    """Polls @condition until it returns something true; fails after @timeout
    (times LOOKBACK_TEST_SLOW)."""
    timeout *= SLOW
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def today_utc():
    """Today as the programs see it: every test runs them with TZ=UTC."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def parse_resend_command(stderr):
    """The 'lookback answer ... --file DRAFT' line a failed answer prints, or the
    'lookback --request-id ID ...' line of a write that may have been done, as
    argv (without 'lookback')."""
    for line in stderr.splitlines():
        for marker in ("Send it once lookbackd runs: ",
                       "Send it again once lookbackd runs; it will not be recorded twice: "):
            if marker in line:
                argv = shlex.split(line.split(marker, 1)[1])
                assert argv[0] == "lookback", line
                return argv[1:]
    raise AssertionError(f"no resend command in:\n{stderr}")


# --------------------------------------------------------------------------
# Raw Varlink
# --------------------------------------------------------------------------

class Varlink:
    """One connection speaking Varlink framing: JSON objects ending in NUL."""

    def __init__(self, path, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout * SLOW)
        self.sock.connect(str(path))
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, message):
        self.send_raw(json.dumps(message).encode() + b"\0")

    def recv(self):
        """The next message as a dict; raises EOFError when the daemon closed."""
        while b"\0" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed by the daemon")
            self.buf += chunk
        message, self.buf = self.buf.split(b"\0", 1)
        return json.loads(message.decode())

    def call(self, method, parameters=None, **extra):
        message = {"method": method}
        if parameters is not None:
            message["parameters"] = parameters
        message.update(extra)
        self.send(message)
        return self.recv()

    def is_closed(self, timeout=5.0):
        """True once the daemon hung up (EOF or reset) within @timeout."""
        self.sock.settimeout(timeout * SLOW)
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def varlink_call(path, method, parameters=None, timeout=5.0, **extra):
    with Varlink(path, timeout) as v:
        return v.call(method, parameters, **extra)


# --------------------------------------------------------------------------
# The private session bus
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def binaries():
    for name, value in (("LOOKBACKD", LOOKBACKD), ("LOOKBACK", LOOKBACK)):
        if not value or not os.access(value, os.X_OK):
            pytest.fail(f"${name} must name the built {name.lower()} binary (got {value!r}); "
                        "ctest sets it, or export it by hand")
    return LOOKBACKD, LOOKBACK


@pytest.fixture(scope="session")
def session_bus(tmp_path_factory):
    """A private dbus-daemon with dbusmock's notification server on it."""
    for tool in ("dbus-daemon", "gdbus"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed for the end-to-end tests (Debian: dbus, libglib2.0-bin)")
    workdir = tmp_path_factory.mktemp("bus")
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                         capture_output=True, text=True, timeout=20, check=True, stdin=subprocess.DEVNULL)
    address, pid = out.stdout.split("\n")[:2]
    bus_pid = int(pid)
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    log = workdir / "notify.log"
    mock_err = open(workdir / "dbusmock.err", "wb")
    mock = subprocess.Popen([SYSTEM_PYTHON, "-m", "dbusmock", "--session", "--template", "notification_daemon",
                             "-p", '{"capabilities": "body actions"}', "-l", str(log)],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=mock_err)

    def answers():
        if mock.poll() is not None:
            raise AssertionError("dbusmock exited: " + (workdir / "dbusmock.err").read_text())
        return subprocess.run(["gdbus", "introspect", "--session", "--dest", "org.freedesktop.Notifications",
                               "--object-path", "/org/freedesktop/Notifications"], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=10).returncode == 0

    try:
        wait_for(answers, timeout=20, interval=0.05, what="the mock notification server")
        yield {"address": address, "log": log}
    finally:
        mock.terminate()
        try:
            mock.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
        mock_err.close()
        try:
            os.kill(bus_pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------------
# Per-test world: temp XDG dirs, the client, daemons
# --------------------------------------------------------------------------

class Daemon:
    """One lookbackd process (restartable), its stderr captured to a file."""

    def __init__(self, world, args=(), env=None, name="lookbackd", argv=None):
        self.world = world
        self.args = list(args)
        self.env = env
        self.argv = argv  # a full command line instead of [LOOKBACKD, *args]
        self.stderr_path = world.base / f"{name}.stderr"
        self.stdout_path = world.base / f"{name}.stdout"
        self.proc = None
        self.returncode = None
        self.expect_exit = False  # set once the test stops, kills or waits for it
        world.daemons.append(self)

    @property
    def pid(self):
        return self.proc.pid

    @property
    def stderr(self):
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def start(self, wait=True):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        with open(self.stderr_path, "ab") as err, open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen(self.argv or wrap([LOOKBACKD, *self.args]), env=self.env or self.world.env,
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=self.world.base)
        self.returncode = None
        self.expect_exit = False
        if wait:
            self.wait_ready()
        return self

    def answers(self):
        try:
            reply = varlink_call(self.world.socket, "org.varlink.service.GetInfo", timeout=2)
        except OSError:
            return False
        return "io.lookback" in reply.get("parameters", {}).get("interfaces", [])

    def wait_ready(self, timeout=10):
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"lookbackd exited with {self.proc.returncode} before answering:\n{self.stderr}")
            return self.answers()
        wait_for(ready, timeout=timeout, what="lookbackd to answer on its socket")
        return self

    def wait_exit(self, timeout=10):
        self.expect_exit = True
        try:
            self.returncode = self.proc.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"lookbackd did not exit within {timeout}s:\n{self.stderr}")
        return self.returncode

    def signal(self, sig):
        if sig != signal.SIGHUP:
            self.expect_exit = True
        self.proc.send_signal(sig)

    def stop(self):
        """SIGTERM, and assert the clean exit 0."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit()
        assert rc == 0, f"lookbackd exited {rc} on SIGTERM:\n{self.stderr}"
        return rc

    def restart(self):
        self.stop()
        return self.start()

    def kill(self):
        self.expect_exit = True
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def died_unexpectedly(self):
        """A message if the daemon exited while the test still relied on it."""
        if self.proc is None or self.expect_exit or self.proc.poll() is None:
            return None
        return f"lookbackd (pid {self.proc.pid}) exited by itself with {self.proc.returncode}:\n{self.stderr}"

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10 * SLOW)
            except subprocess.TimeoutExpired:
                self.kill()


class World:
    """A private user environment: base dir with runtime (0700), data,
    config, state and home dirs, and the env the programs run with."""

    def __init__(self, bus_address):
        self.base = pathlib.Path(tempfile.mkdtemp(prefix="lbe2e-"))
        self.runtime = self.base / "run"
        self.data = self.base / "data"
        self.config = self.base / "config"
        self.state = self.base / "state"
        self.home = self.base / "home"
        for d in (self.runtime, self.data, self.config, self.state, self.home):
            d.mkdir(mode=0o700)
        os.chmod(self.runtime, 0o700)
        self.socket = self.runtime / "lookback.sock"
        self.config_file = self.config / "lookback" / "lookback.ini"
        self.database = self.data / "lookback" / "lookback.db"
        self.drafts = self.state / "lookback" / "drafts"
        self.daemons = []
        env = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("PYTEST")}
        env.update({
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_DATA_HOME": str(self.data),
            "XDG_CONFIG_HOME": str(self.config),
            "XDG_STATE_HOME": str(self.state),
            "DBUS_SESSION_BUS_ADDRESS": bus_address,
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        })
        self.env = env

    def env_with(self, **changes):
        """A copy of the env; a value of None removes the variable."""
        env = dict(self.env)
        for k, v in changes.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = str(v)
        return env

    def write_config(self, text):
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(text, encoding="utf-8")
        return self.config_file

    def write(self, name, text, mode=None):
        p = self.base / name
        p.write_text(text, encoding="utf-8")
        if mode is not None:
            os.chmod(p, mode)
        return p

    def daemon(self, config=None, args=(), env=None, start=True, name="lookbackd"):
        """A lookbackd; @config is written to the default config location first."""
        if config is not None:
            self.write_config(config)
        d = Daemon(self, args=args, env=env, name=name)
        if start:
            d.start()
        return d

    def run_client(self, *args, input=None, env=None, timeout=30, binary=None):
        return subprocess.run(wrap([binary or LOOKBACK, *args]), input=input, capture_output=True, text=True,
                              encoding="utf-8", errors="strict", env=env or self.env, timeout=timeout * SLOW,
                              stdin=subprocess.DEVNULL if input is None else None, cwd=self.base)

    def run_client_tty(self, *args, env=None, timeout=30):
        """Runs the client with stdin on a pseudo-terminal (so `answer` opens the editor)."""
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen(wrap([LOOKBACK, *args]), stdin=slave, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env or self.env, cwd=self.base)
            os.close(slave)
            slave = -1
            try:
                out, err = proc.communicate(timeout=timeout * SLOW)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                raise
        finally:
            if slave >= 0:
                os.close(slave)
            os.close(master)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode("utf-8"), err.decode("utf-8"))

    def json(self, *args, **kwargs):
        """`lookback --json ARGS` that must succeed; its parsed output."""
        r = self.run_client("--json", *args, **kwargs)
        assert r.returncode == 0, f"lookback --json {args} exited {r.returncode}: {r.stderr}"
        return json.loads(r.stdout)

    def log(self, *args):
        return self.json("log", *args)["answers"]

    def cleanup(self):
        died = [m for m in (d.died_unexpectedly() for d in self.daemons) if m]
        for d in self.daemons:
            d.cleanup()
        # Anything loosened or chowned for the other-uid tests is ours to remove.
        shutil.rmtree(self.base, ignore_errors=True)
        assert not died, "\n".join(died)


@pytest.fixture
def world(binaries, session_bus):
    w = World(session_bus["address"])
    try:
        yield w
    finally:
        w.cleanup()


# An editor for `lookback answer`: appends one answer under each "## "
# heading, in order (EDITOR_ANSWERS, a JSON list), optionally replaces the
# file (EDITOR_REPLACE), keeps a copy of what it was given (EDITOR_SEEN), and
# can first stop the daemon (EDITOR_KILL_PID), waiting until it is gone.
EDITOR_SCRIPT = r'''#!/usr/bin/python3
import json, os, signal, sys, time
path = sys.argv[1]
original = open(path, encoding="utf-8").read()
if os.environ.get("EDITOR_SEEN"):
    open(os.environ["EDITOR_SEEN"], "w", encoding="utf-8").write(original)
pid = os.environ.get("EDITOR_KILL_PID")
if pid:
    pid = int(pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    def gone():
        if os.path.exists(os.environ["EDITOR_KILL_SOCKET"]):
            return False
        try:
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except FileNotFoundError:
            return True
    while not gone():
        if time.monotonic() > deadline:
            sys.exit("the daemon did not stop")
        time.sleep(0.02)
if "EDITOR_REPLACE" in os.environ:
    text = os.environ["EDITOR_REPLACE"]
else:
    answers = json.loads(os.environ.get("EDITOR_ANSWERS", "[]"))
    out, i = [], 0
    for line in original.split("\n"):
        out.append(line)
        if line.startswith("## ") and i < len(answers):
            out.append(answers[i])
            i += 1
    text = "\n".join(out)
open(path, "w", encoding="utf-8").write(text)
'''


@pytest.fixture
def editor(world):
    """Path of the scripted editor, executable."""
    return world.write("editor.py", EDITOR_SCRIPT, mode=0o755)


# --------------------------------------------------------------------------
# A private bus per test, for tests that read the Notify log from empty
# (prompts, lapse notifications) or want no notification server at all.
# --------------------------------------------------------------------------

# A session bus of our own: no service directories, so nothing can be
# D-Bus-activated behind the test's back (no notification server unless we
# start the mock).
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


# --------------------------------------------------------------------------
# The Notify log
# --------------------------------------------------------------------------

class Notification:
    """One Notify call as python-dbusmock logged it."""

    PATTERN = re.compile(r'Notify "(?P<app>.*?)" (?P<replaces>\d+) "(?P<icon>.*?)" "(?P<summary>.*?)" '
                         r'"(?P<body>.*)" \[(?P<actions>.*?)\] \{(?P<hints>.*)\} (?P<timeout>-?\d+)', re.S)

    def __init__(self, stamp, text):
        m = self.PATTERN.fullmatch(text)
        assert m, f"cannot parse the Notify call: {text!r}"
        self.time = stamp
        self.app = m["app"]
        self.replaces = int(m["replaces"])
        self.summary = m["summary"]
        self.body = m["body"]
        self.actions = re.findall(r'"([^"]*)"', m["actions"])

    def __repr__(self):
        return f"<Notify {self.time:.3f} {self.summary!r} {self.body!r} {self.actions}>"


def log_calls(path):
    """Every call in a dbusmock log as (epoch, text); a call may span lines."""
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    calls = []
    for chunk in re.split(r"\n(?=\d+\.\d+ )", text.rstrip("\n")):
        m = re.match(r"(\d+\.\d+) (.*)", chunk, re.S)
        if m:
            calls.append((float(m[1]), m[2]))
    return calls


class PrivateBus:
    """A dbus-daemon, optionally with dbusmock's notification server."""

    def __init__(self, workdir, mock=True, capabilities="body actions"):
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / "notify.log"
        self.mock = None
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG)
        out = subprocess.run(["dbus-daemon", f"--config-file={config}", "--fork", "--print-address=1",
                              "--print-pid=1"], capture_output=True, text=True, timeout=20, check=True,
                             stdin=subprocess.DEVNULL)
        self.address, pid = out.stdout.split("\n")[:2]
        self.pid = int(pid)
        self.env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address)
        if mock:
            self.mock_err = self.workdir / "dbusmock.err"
            with open(self.mock_err, "wb") as err:
                self.mock = subprocess.Popen(
                    [SYSTEM_PYTHON, "-m", "dbusmock", "--session", "--template", "notification_daemon",
                     "-p", '{"capabilities": "%s"}' % capabilities, "-l", str(self.log)],
                    env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
            wait_for(self._mock_answers, timeout=20, interval=0.05, what="the mock notification server")

    def _mock_answers(self):
        if self.mock.poll() is not None:
            raise AssertionError("dbusmock exited: " + self.mock_err.read_text())
        return subprocess.run(["gdbus", "introspect", "--session", "--dest", "org.freedesktop.Notifications",
                               "--object-path", "/org/freedesktop/Notifications"], env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=10).returncode == 0

    def notifications(self):
        return [Notification(t, text) for t, text in log_calls(self.log) if text.startswith("Notify ")]

    def wait_notifications(self, n, timeout=10):
        """Waits until at least @n Notify calls were logged; returns them all."""
        return wait_for(lambda: len(self.notifications()) >= n and self.notifications(), timeout=timeout,
                        interval=0.02, what=f"{n} Notify call(s) in the dbusmock log")

    def invoke_action(self, notification_id, action):
        """Clicks a button: the mock emits ActionInvoked(id, action)."""
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
                        "--object-path", "/org/freedesktop/Notifications", "--method",
                        "org.freedesktop.DBus.Mock.EmitSignal", "org.freedesktop.Notifications", "ActionInvoked",
                        "us", f"[<uint32 {notification_id}>, <'{action}'>]"], env=self.env,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=10, check=True)

    def stop(self):
        if self.mock:
            self.mock.terminate()
            try:
                self.mock.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.mock.kill()
                self.mock.wait()
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


@pytest.fixture
def make_world(binaries, tmp_path):
    """make_world(bus=True, mock=True, capabilities=...) -> a conftest World on a
    fresh private bus (world.bus), or with DBUS_SESSION_BUS_ADDRESS naming a
    socket that does not exist (bus=False; world.bus is None)."""
    buses, worlds = [], []

    def make(bus=True, mock=True, capabilities="body actions"):
        if bus:
            b = PrivateBus(tmp_path / f"bus{len(buses)}", mock=mock, capabilities=capabilities)
            buses.append(b)
            address = b.address
        else:
            b = None
            address = f"unix:path={tmp_path}/no-bus-here/bus"
        w = World(address)
        w.bus = b
        worlds.append(w)
        return w

    try:
        yield make
    finally:
        for w in worlds:
            w.cleanup()
        for b in buses:
            b.stop()


def pytest_terminal_summary(terminalreporter):
    """The figures the reliability tests print (RELIABILITY.md quotes
    them), after the run — and into $LOOKBACK_FIGURES, which CI shows."""
    lines = []
    for rep in terminalreporter.stats.get("passed", []):
        if rep.when == "call" and rep.capstdout.strip():
            lines.append(f"{rep.nodeid}:")
            lines += ["  " + line for line in rep.capstdout.strip().splitlines() if line.strip()]
    if not lines:
        return
    terminalreporter.section("figures")
    for line in lines:
        terminalreporter.write_line(line)
    path = os.environ.get("LOOKBACK_FIGURES")
    if path:
        pathlib.Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
