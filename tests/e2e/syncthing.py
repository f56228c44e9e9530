"""Two real Syncthing instances on loopback, sharing one folder both ways.

    from syncthing import syncthing_pair

    def test_something(tmp_path):
        with syncthing_pair(tmp_path / "st") as (folder_a, folder_b, pair):
            (folder_a / "x.txt").write_text("hello\\n")
            elapsed = pair.wait_file(folder_b, "x.txt", lambda data: data == b"hello\\n", timeout=30)

Uses Debian 12's `syncthing` package (1.19.x) and Python's standard library
only. Everything lives under BASE_DIR: each instance has its own --home
(config.xml, keys, database), its own HOME, its own folder and its log file
(syncthing-a.log, syncthing-b.log), printed when the block fails.

What each instance is set up with, all in config.xml before it starts:
  * GUI/REST on 127.0.0.1:<free port>, with an API key we choose (X-API-Key);
  * listening on tcp4://127.0.0.1:<free port> only, and the other device at
    the static address tcp://127.0.0.1:<its port> (why tcp4: below);
  * global and local discovery, relays, NAT traversal (so STUN too), usage
    and crash reporting, auto-upgrade, restart-on-wakeup and the browser off;
    env STNODEFAULTFOLDER=1 STNOUPGRADE=1 STNORESTART=1 STHASHING=standard
    and HOME under BASE_DIR, `serve --no-browser --no-restart --no-upgrade`;
  * one folder, id `lookback`, sendreceive, shared with the other device,
    fsWatcherEnabled with fsWatcherDelayS=1, rescanIntervalS=3600 (we rely on
    the inotify watcher, not on polling) and ignorePerms.

`syncthing_pair` yields once both answer on REST, each sees the other as
connected (/rest/system/connections) and the folder is idle on both
(/rest/db/status) with nothing needed from the other side
(/rest/db/completion). If syncthing is not installed, or cannot generate
its keys or start its REST API, it calls pytest.skip with the reason (pass
skip=False to get SyncthingUnavailable instead); anything that goes wrong
after both started is a failure. Every wait has a timeout, and both
processes (each in its own process group) are stopped at the end: SIGTERM,
then SIGKILL after 10 s.

Measured on the project's machine (2 cores, Debian 12, syncthing 1.19.2-ds1;
pair.timings has the numbers of each run): `generate` for both 0.1 s; B is
started first and answers on REST after about 0.55 s (a first start runs
its database migrations and a 0.45 s hashing benchmark), then A, which
answers 0.55 s later and is connected to B 0.01-0.03 s after that (its
first dial); both folders are idle at once, so the block is entered about
1.1-1.2 s after the first start (3 s with syncthing's own SHA256 benchmark,
which STHASHING=standard skips), and teardown takes about 1 s more. A file
written in one folder appears in the other 0.6-1.5 s later: the watcher's
aggregation (fsWatcherDelayS=1: changes are sent at its next 1 s tick),
then scan, index update and pull, a few ms on loopback; the same with
both cores busy. test_syncthing_harness.py prints these.

Started at the same moment, the two dial each other at once, each from its
listening port (SO_REUSEPORT) when listening on tcp://: on one IP the two
dials have the same address pair and can meet in a TCP simultaneous open,
one connection on which both sides play TLS client. In about one run of
twenty they connected only 20 s later, the hello deadline. Hence the
staggered start and the tcp4:// listeners (a tcp:// dial does not reuse a
tcp4 listener's port).

1.19's `serve` runs as a monitor process and a child even with
--no-restart, hence the process group: SIGTERM goes to both.

The pair: pair.a and pair.b are the instances (.folder, .home, .log_path,
.device_id, .api(path, method, body) for any REST call); pair.wait_file(),
pair.scan(), pair.wait_connected(), pair.wait_idle(), pair.wait(condition,
timeout, what) and pair.timings.

Syncthing writes a received file as `.syncthing.NAME.tmp` in the folder
and renames it over NAME (a reader watching with inotify sees IN_MOVED_TO,
not IN_CLOSE_WRITE); the folder also holds its `.stfolder` marker
directory.
"""

import contextlib
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

FOLDER_ID = "lookback"
SYNCTHING = os.environ.get("SYNCTHING", "syncthing")


class SyncthingUnavailable(Exception):
    """syncthing is missing or could not start: a reason to skip, not a failure."""


def free_ports(n):
    """@n distinct free TCP ports on 127.0.0.1 (each bound to port 0 at once, then released)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _set(parent, tag, value):
    """Sets (creating it if needed) the text of @parent's child @tag."""
    el = parent.find(tag)
    if el is None:
        el = ET.SubElement(parent, tag)
    el.text = str(value)
    return el


class Instance:
    """One syncthing process: its home, folder, ports, API key and device id."""

    def __init__(self, name, base):
        self.name = name
        self.base = pathlib.Path(base) / name
        self.home = self.base / "home"          # --home: config.xml, keys, database
        self.user_home = self.base / "user"     # $HOME
        self.folder = self.base / "folder"
        self.log_path = pathlib.Path(base) / f"syncthing-{name}.log"
        self.gui_port = None
        self.listen_port = None
        self.api_key = secrets.token_hex(16)
        self.device_id = None
        self.proc = None
        self.started_at = None
        for d in (self.home, self.user_home, self.folder):
            d.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("ST", "PYTEST"))}
        self.env.update({"HOME": str(self.user_home), "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1",
                         "STNORESTART": "1", "LANG": "C.UTF-8",
                         # Go's own SHA256, without the 0.9 s benchmark that picks one.
                         "STHASHING": "standard"})
        self.env.pop("XDG_CONFIG_HOME", None)
        self.env.pop("XDG_DATA_HOME", None)
        self.env.pop("XDG_STATE_HOME", None)

    @property
    def config_path(self):
        return self.home / "config.xml"

    @property
    def address(self):
        return f"tcp://127.0.0.1:{self.listen_port}"

    def _run(self, *args, timeout=60):
        try:
            return subprocess.run([SYNCTHING, *args], env=self.env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError as e:
            raise SyncthingUnavailable(f"{SYNCTHING} is not installed (Debian: apt-get install syncthing): {e}")
        except subprocess.TimeoutExpired:
            raise SyncthingUnavailable(f"`syncthing {' '.join(args)}` did not finish within {timeout}s")

    def generate(self):
        """Keys and a fresh config.xml; reads the device id."""
        r = self._run("generate", f"--home={self.home}", "--no-default-folder", "--skip-port-probing")
        if r.returncode != 0 or not self.config_path.exists():
            raise SyncthingUnavailable(f"`syncthing generate` exited {r.returncode}:\n{r.stdout}{r.stderr}")
        r = self._run("serve", "--device-id", f"--home={self.home}")
        device_id = r.stdout.strip()
        if r.returncode != 0 or len(device_id) != 63:
            raise SyncthingUnavailable(f"`syncthing serve --device-id` exited {r.returncode}: "
                                       f"{r.stdout!r} {r.stderr!r}")
        self.device_id = device_id

    def configure(self, peer):
        """Rewrites config.xml: loopback only, nothing phoning home, @peer's
        device at its static address and the shared folder."""
        tree = ET.parse(self.config_path)
        root = tree.getroot()

        own = [d for d in root.findall("device") if d.get("id") == self.device_id]
        if len(own) != 1:
            raise AssertionError(f"{self.config_path} does not list device {self.device_id} once")
        own[0].set("name", f"st-{self.name}")
        for addr in own[0].findall("address"):
            own[0].remove(addr)
        own_addr = ET.Element("address")
        own_addr.text = self.address
        own[0].insert(0, own_addr)

        gui = root.find("gui")
        gui.set("enabled", "true")
        gui.set("tls", "false")
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)

        opts = root.find("options")
        for addr in opts.findall("listenAddress"):
            opts.remove(addr)
        listen = ET.Element("listenAddress")
        # tcp4://, not tcp://: syncthing dials from its listening port when
        # a listener of the dial's scheme exists (SO_REUSEPORT), and two on
        # one IP dialing each other at once from their listening ports make
        # one TCP connection by simultaneous open, where both sides speak
        # TLS as the client: a 20 s stall (the hello deadline). A tcp4
        # listener is not reused for a tcp:// dial.
        listen.text = f"tcp4://127.0.0.1:{self.listen_port}"
        opts.insert(0, listen)
        for tag, value in (
            ("globalAnnounceEnabled", "false"),
            ("localAnnounceEnabled", "false"),
            ("relaysEnabled", "false"),
            ("natEnabled", "false"),
            ("stunKeepaliveStartS", "0"),    # STUN is off with NAT off; this too says so
            ("stunKeepaliveMinS", "0"),
            ("announceLANAddresses", "false"),
            ("startBrowser", "false"),
            ("urAccepted", "-1"),             # usage reporting declined...
            ("urSeen", "3"),                  # ...and the question for version 3 seen
            ("crashReportingEnabled", "false"),
            ("autoUpgradeIntervalH", "0"),
            ("restartOnWakeup", "false"),
            ("setLowPriority", "false"),
            ("reconnectionIntervalS", "1"),
        ):
            _set(opts, tag, value)
        for el in opts.findall("unackedNotificationID"):
            opts.remove(el)

        defaults = root.find("defaults")

        # The peer, from the <defaults><device> template.
        for d in root.findall("device"):
            if d.get("id") == peer.device_id:
                root.remove(d)
        dev = ET.fromstring(ET.tostring(defaults.find("device")))
        dev.set("id", peer.device_id)
        dev.set("name", f"st-{peer.name}")
        for addr in dev.findall("address"):
            dev.remove(addr)
        addr = ET.Element("address")
        addr.text = peer.address
        dev.insert(0, addr)
        _set(dev, "autoAcceptFolders", "false")
        root.insert(list(root).index(own[0]) + 1, dev)

        # The folder, from the <defaults><folder> template, shared by both.
        for f in root.findall("folder"):
            root.remove(f)
        folder = ET.fromstring(ET.tostring(defaults.find("folder")))
        folder.attrib.update({
            "id": FOLDER_ID, "label": FOLDER_ID, "path": str(self.folder), "type": "sendreceive",
            "rescanIntervalS": "3600", "fsWatcherEnabled": "true", "fsWatcherDelayS": "1",
            "ignorePerms": "true", "autoNormalize": "true",
        })
        template = folder.find("device")
        for d in folder.findall("device"):
            folder.remove(d)
        for i, device_id in enumerate((self.device_id, peer.device_id)):
            d = ET.fromstring(ET.tostring(template)) if template is not None else ET.Element("device")
            d.set("id", device_id)
            d.set("introducedBy", "")
            folder.insert(i, d)
        _set(folder, "paused", "false")
        root.insert(list(root).index(own[0]), folder)

        tree.write(self.config_path, encoding="unicode")
        (self.folder / ".stfolder").mkdir(exist_ok=True)

    def start(self):
        self.log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                [SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade",
                 "--logflags=3"],
                env=self.env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                cwd=self.base, start_new_session=True)
        except OSError as e:
            raise SyncthingUnavailable(f"cannot run {SYNCTHING}: {e}")

    # ---- REST --------------------------------------------------------------

    def api(self, path, method="GET", body=None, timeout=5.0):
        """One REST call; the parsed JSON reply (None when the body is empty)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", data=data, method=method,
                                     headers={"X-API-Key": self.api_key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            text = reply.read().decode()
        return json.loads(text) if text.strip() else None

    def answers(self):
        if self.proc.poll() is not None:
            raise SyncthingUnavailable(f"syncthing {self.name} exited with {self.proc.returncode} before "
                                       f"answering on REST:\n{self.log_text()}")
        try:
            return self.api("/rest/system/ping", timeout=2).get("ping") == "pong"
        except (OSError, ValueError):
            return False

    def connected_to(self, peer):
        conns = self.api("/rest/system/connections")["connections"]
        return conns.get(peer.device_id, {}).get("connected", False)

    def folder_status(self):
        return self.api(f"/rest/db/status?folder={FOLDER_ID}")

    def completion(self, peer):
        return self.api(f"/rest/db/completion?folder={FOLDER_ID}&device={peer.device_id}")

    def scan(self, sub=None):
        path = f"/rest/db/scan?folder={FOLDER_ID}"
        if sub:
            path += "&sub=" + urllib.parse.quote(sub)
        self.api(path, method="POST", timeout=30)

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"syncthing {self.name} exited with {self.proc.returncode} "
                                 f"(its log, {self.log_path}, is printed below)")

    # ---- teardown ----------------------------------------------------------

    def stop(self, timeout=10.0):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in its group (it should be nothing: --no-restart).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()

    def log_text(self, limit=20000):
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return text if len(text) <= limit else "...\n" + text[-limit:]


class Pair:
    """Both instances, with waits that always end."""

    def __init__(self, a, b):
        self.a = a
        self.b = b
        self.timings = {}

    @property
    def instances(self):
        return (self.a, self.b)

    def instance(self, folder):
        """The instance whose folder is (or holds) @folder."""
        folder = pathlib.Path(folder).resolve()
        for inst in self.instances:
            if folder == inst.folder.resolve() or inst.folder.resolve() in folder.parents:
                return inst
        raise ValueError(f"{folder} is neither instance's folder")

    def logs(self):
        return "\n".join(f"===== syncthing {i.name} ({i.log_path}) =====\n{i.log_text()}"
                         for i in self.instances)

    def wait(self, condition, timeout, what, interval=0.05):
        """Polls @condition until it returns something true; AssertionError
        with both logs after @timeout s, or as soon as a syncthing exits."""
        deadline = time.monotonic() + timeout
        while True:
            for inst in self.instances:
                inst.check_alive()
            try:
                value = condition()
            except (OSError, ValueError, KeyError):
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what} "
                                     f"(syncthing's logs: {self.a.log_path}, {self.b.log_path}, printed below)")
            time.sleep(interval)

    def wait_connected(self, timeout=60):
        self.wait(lambda: self.a.connected_to(self.b) and self.b.connected_to(self.a), timeout,
                  "the two syncthings to connect (/rest/system/connections)")

    def idle(self):
        """True when the folder is idle on both, with nothing to pull, and
        each has the other's index complete."""
        for inst, peer in ((self.a, self.b), (self.b, self.a)):
            st = inst.folder_status()
            if st.get("state") == "error" or st.get("error"):
                raise AssertionError(f"folder {FOLDER_ID} on syncthing {inst.name} is in error: "
                                     f"{st} (logs printed below)")
            if st.get("state") != "idle" or st.get("needTotalItems", 0) != 0:
                return False
            if st.get("watchError"):
                raise AssertionError(f"syncthing {inst.name}'s watcher failed: {st['watchError']}")
            comp = inst.completion(peer)
            if comp.get("completion") != 100 or comp.get("needItems", 0) != 0:
                return False
        return True

    def wait_idle(self, timeout=60):
        self.wait(self.idle, timeout, f"folder {FOLDER_ID} to be idle and in sync on both")

    def scan(self, folder=None):
        """Asks for a scan now (on the instance owning @folder, or both) rather
        than waiting for the watcher."""
        for inst in ([self.instance(folder)] if folder else self.instances):
            inst.scan()

    def wait_file(self, folder, name, predicate=None, timeout=30):
        """Waits until FOLDER/NAME exists and predicate(its bytes) is true;
        returns the seconds it took. A missing or partly written file is
        simply not there yet."""
        path = pathlib.Path(folder) / name
        start = time.monotonic()

        def ready():
            try:
                data = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                return False
            return predicate is None or predicate(data)

        self.wait(ready, timeout, f"{path} to appear{' and match' if predicate else ''}", interval=0.02)
        return time.monotonic() - start


def syncthing_available():
    """None when the syncthing binary is there, else the reason it is not."""
    if shutil.which(SYNCTHING) is None:
        return f"{SYNCTHING} is not installed (Debian: apt-get install syncthing)"
    return None


@contextlib.contextmanager
def syncthing_pair(base_dir, timeout=60, skip=True):
    """Starts two syncthings under @base_dir sharing folder `lookback`, waits
    until they are connected and idle (each wait at most @timeout s), and
    yields (folder_a, folder_b, pair). Both are stopped on the way out; on
    an exception their logs are printed."""
    base = pathlib.Path(base_dir)
    base.mkdir(parents=True, exist_ok=True)
    a, b = Instance("a", base), Instance("b", base)
    pair = Pair(a, b)
    ok = False
    try:
        try:
            reason = syncthing_available()
            if reason:
                raise SyncthingUnavailable(reason)
            t0 = time.monotonic()
            a.gui_port, a.listen_port, b.gui_port, b.listen_port = free_ports(4)
            a.generate()
            b.generate()
            a.configure(b)
            b.configure(a)
            pair.timings["generate"] = time.monotonic() - t0
            t0 = time.monotonic()
            # B first, then A once B answers (so B listens): A's first dial
            # reaches B, while B's first dial, to an A not started yet, was
            # refused; B's next comes 5 s later, when they are connected.
            # Started together, both dial at once and syncthing 1.19 may
            # keep neither connection for a while.
            for inst in (b, a):
                inst.start()
                deadline = time.monotonic() + min(timeout, 30)
                while not inst.answers():
                    if time.monotonic() > deadline:
                        raise SyncthingUnavailable(f"syncthing {inst.name}'s REST API did not answer within "
                                                   f"30s\n{pair.logs()}")
                    time.sleep(0.05)
            pair.timings["rest"] = time.monotonic() - t0
        except SyncthingUnavailable as e:
            ok = True  # the reason has the logs already
            if skip:
                import pytest
                pytest.skip(f"syncthing unavailable: {e}")
            raise
        for inst in (a, b):
            got = inst.api("/rest/system/status")["myID"]
            assert got == inst.device_id, f"syncthing {inst.name} runs as {got}, expected {inst.device_id}"
        pair.wait_connected(timeout)
        pair.timings["connected"] = time.monotonic() - t0
        pair.wait_idle(timeout)
        pair.timings["idle"] = time.monotonic() - t0
        yield a.folder, b.folder, pair
        for inst in (a, b):
            inst.check_alive()
        ok = True
    finally:
        for inst in (a, b):
            inst.stop()
        if not ok and (a.proc or b.proc):
            print(pair.logs(), flush=True)
