"""Lapse notifications end to end (issue 4): when a habit's run of missed
periods reaches lapse_after, lookbackd says so once — at start-up too
(caught up after downtime) — and remembers it across restarts.

Each test has its own dbus-daemon and python3-dbusmock notification server,
so the Notify log starts empty. The daemon checks for lapses before it
serves its socket, so by the time it answers, what it had to say is sent."""

import datetime
import os
import pathlib
import re
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import SYSTEM_PYTHON, World, today_utc, wait_for

DAY = datetime.timedelta(days=1)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SCHEDULES = "[weekly]\nat = 2099-01-01 00:00\n[halfyear]\nat = 2099-07-01 00:00\n"
HABIT_HINT = "Pick it up again, or pause it with a reason: lookback pause"
REVIEW_HINT = "Write one now: lookback answer"
# How long to let dbusmock write a call it may still be logging.
SETTLE = 0.5

# A bus of our own with no service directories: nothing is activated behind
# the test's back. (The pattern of test_prompts.py, kept local.)
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

NOTIFY = re.compile(r'Notify "(?P<app>.*?)" (?P<replaces>\d+) "(?P<icon>.*?)" "(?P<summary>.*?)" '
                    r'"(?P<body>.*)" \[(?P<actions>.*?)\] \{(?P<hints>.*)\} (?P<timeout>-?\d+)', re.S)


class PrivateBus:
    """A dbus-daemon with dbusmock's notification server logging to a file."""

    def __init__(self, workdir):
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = self.workdir / "notify.log"
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG)
        out = subprocess.run(["dbus-daemon", f"--config-file={config}", "--fork", "--print-address=1",
                              "--print-pid=1"], capture_output=True, text=True, timeout=20, check=True,
                             stdin=subprocess.DEVNULL)
        self.address, pid = out.stdout.split("\n")[:2]
        self.pid = int(pid)
        self.env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address)
        self.mock_err = self.workdir / "dbusmock.err"
        with open(self.mock_err, "wb") as err:
            self.mock = subprocess.Popen(
                [SYSTEM_PYTHON, "-m", "dbusmock", "--session", "--template", "notification_daemon",
                 "-p", '{"capabilities": "body actions"}', "-l", str(self.log)],
                env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        wait_for(self._answers, timeout=20, interval=0.05, what="the mock notification server")

    def _answers(self):
        if self.mock.poll() is not None:
            raise AssertionError("dbusmock exited: " + self.mock_err.read_text())
        return subprocess.run(["gdbus", "introspect", "--session", "--dest", "org.freedesktop.Notifications",
                               "--object-path", "/org/freedesktop/Notifications"], env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=10).returncode == 0

    def notifications(self):
        """Every Notify call so far as (summary, body)."""
        try:
            text = self.log.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        out = []
        for chunk in re.split(r"\n(?=\d+\.\d+ )", text.rstrip("\n")):
            m = re.match(r"(\d+\.\d+) (Notify .*)", chunk, re.S)
            if m:
                call = NOTIFY.fullmatch(m[2])
                assert call, f"cannot parse the Notify call: {m[2]!r}"
                out.append((call["summary"], call["body"]))
        return out

    def wait_notifications(self, n, timeout=10):
        return wait_for(lambda: len(self.notifications()) >= n and self.notifications(), timeout=timeout,
                        what=f"{n} Notify call(s)")

    def stop(self):
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
def bus(binaries, tmp_path):
    b = PrivateBus(tmp_path / "bus")
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture
def world(bus):
    """Overrides conftest's world: on this test's own bus."""
    w = World(bus.address)
    try:
        yield w
    finally:
        w.cleanup()


def short_day(day):
    """The notification's "Sun 20 Aug"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def settled(bus):
    time.sleep(SETTLE)
    return bus.notifications()


def lapse_flags(world):
    with sqlite3.connect(world.database) as db:
        return sorted(db.execute("SELECT habit, lapse_from FROM lapse_flags").fetchall())


def done(world, habit, day):
    r = world.run_client("done", habit, "--date", day)
    assert r.returncode == 0, r.stderr


def test_lapse_notified_once_also_after_restarts(world, bus):
    today = today_utc()
    since = today - 5 * DAY
    config = SCHEDULES + (
        f'[habit "daily"]\nevery = day\nlapse_after = 2\nsince = {since}\n'
        # One missed day: at risk, not yet a lapse.
        f'[habit "slipping"]\nevery = day\nlapse_after = 2\nsince = {today - DAY}\n'
        # No since and no check-in yet: not started.
        '[habit "steady"]\nevery = day\nlapse_after = 2\n')
    d = world.daemon(config=config)

    calls = bus.wait_notifications(1)
    calls = settled(bus)
    missed = (today - since).days  # every day from `since` up to yesterday
    assert calls == [("daily has lapsed", f"No check-in yet, {missed} days missed.\n{HABIT_HINT}")]
    assert lapse_flags(world) == [("daily", since.isoformat())]
    habits = {h["name"]: h for h in world.json("habits")["habits"]}
    assert habits["daily"]["status"] == "lapsed" and habits["daily"]["lapsed_since"] == since.isoformat()
    assert habits["slipping"]["status"] == "at-risk"
    assert habits["steady"]["status"] == "new"

    # A restart: the lapse was flagged, so nothing is said again.
    d.restart()
    assert settled(bus) == calls

    # A habit kept every day does not lapse.
    for k in (3, 2, 1):
        done(world, "steady", today - k * DAY)
    d.restart()
    assert settled(bus) == calls

    # Picking the lapsed habit up again today and restarting: still once.
    done(world, "daily", today)
    d.restart()
    assert settled(bus) == calls
    assert lapse_flags(world) == [("daily", since.isoformat())]
    assert d.stderr.count("daily lapsed") == 1
    assert "slipping lapsed" not in d.stderr and "steady lapsed" not in d.stderr


def test_no_lapse_no_notification(world, bus):
    today = today_utc()
    config = SCHEDULES + (f'[habit "fresh"]\nevery = day\nlapse_after = 2\nsince = {today}\n'
                          '[habit "kept"]\nevery = week\n')
    d = world.daemon(config=config)
    done(world, "kept", today - 14 * DAY)
    done(world, "kept", today - 7 * DAY)
    done(world, "kept", today)
    d.restart()
    assert settled(bus) == []
    assert lapse_flags(world) == []


def test_lapse_caught_up_after_downtime_names_the_last_check_in(world, bus):
    """A check-in ten days ago and the daemon restarted: the lapse that
    began meanwhile is flagged at start-up, naming the last check-in."""
    today = today_utc()
    last = today - 10 * DAY
    d = world.daemon(config=SCHEDULES + '[habit "gym"]\nevery = day\nlapse_after = 3\n')
    done(world, "gym", last)
    d.restart()
    calls = bus.wait_notifications(1)
    calls = settled(bus)
    assert calls == [("gym has lapsed", f"No check-in since {short_day(last)}, 9 days missed.\n{HABIT_HINT}")]
    assert lapse_flags(world) == [("gym", (last + DAY).isoformat())]
    d.restart()
    assert settled(bus) == calls


def test_weekly_review_lapse_wording(world, bus):
    """The built-in weekly-review lapses in weeks, and says how to write one."""
    today = today_utc()
    monday = today - datetime.timedelta(days=today.weekday())
    answered = monday - 5 * 7 * DAY  # the week five weeks before this one
    d = world.daemon(config=SCHEDULES)
    r = world.run_client("answer", "weekly", "--date", answered, input="Back-filled.\n")
    assert r.returncode == 0, r.stderr
    d.restart()
    calls = bus.wait_notifications(1)
    calls = settled(bus)
    sunday = answered + 6 * DAY  # a back-filled answer checks in on its week's last day
    assert calls == [("weekly-review has lapsed",
                      f"No check-in since {short_day(sunday)}, 4 weeks missed.\n{REVIEW_HINT}")]
    d.restart()
    assert settled(bus) == calls
