"""Schedules and prompts end to end (issue 3): timers that fire on time and
exactly once, catch-up after downtime, snooze, skip, answer, remind, the
notification's text and actions, and what happens without a notification
server or without a session bus.

Every test gets its own private dbus-daemon (and, unless it wants none, its
own python3-dbusmock notification server) so the Notify log starts empty and
the N-th notification of the test has id N. The programs run with TZ=UTC, so
`at` specs are written in UTC."""

import datetime
import math
import os
import pathlib
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import (DEFAULT_WEEKLY_QUESTIONS, LOOKBACK, LOOKBACKD, SLOW, SYSTEM_PYTHON, Daemon, World,
                      today_utc, wait_for, wrap)

UTC = datetime.timezone.utc
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ACTIONS_WEEKLY = ["answer", "Answer", "snooze", "Snooze 1 h", "skip", "Skip this week"]
ACTIONS_HALFYEAR = ["answer", "Answer", "snooze", "Snooze 1 h", "skip", "Skip this half"]
# Schedules that cannot come due while a test runs.
FAR_HALFYEAR = "[halfyear]\nat = 2099-07-01 10:00\n"

@pytest.fixture
def world(make_world):
    """Overrides conftest's world: a fresh bus and mock per test."""
    return make_world()


# --------------------------------------------------------------------------
# Time, periods and texts
# --------------------------------------------------------------------------

def ahead(seconds):
    """A whole UTC second at least @seconds - 1 s from now (times
    LOOKBACK_TEST_SLOW: a daemon under valgrind takes that much longer to
    start), and its daily spec."""
    t = datetime.datetime.fromtimestamp(int(time.time()) + math.ceil(seconds * SLOW), UTC)
    return t, t.strftime("%H:%M:%S")


def two_ahead(lead=2):
    """Two consecutive whole seconds, the first at least @lead - 1 s ahead, in
    the same minute, and their spec "HH:MM:S1,S2" (one spec, two occurrences)."""
    lead = math.ceil(lead * SLOW)
    while True:
        first = int(time.time()) + lead
        if first % 60 <= 58:
            break
        time.sleep(60 - time.time() % 60 + 0.01)  # let the minute roll over first
    t1 = datetime.datetime.fromtimestamp(first, UTC)
    t2 = t1 + datetime.timedelta(seconds=1)
    return t1, t2, f"{t1:%H:%M}:{t1.second:02d},{t2.second:02d}"


def sleep_until(epoch):
    delay = epoch - time.time()
    if delay > 0:
        time.sleep(delay)


def week_of(day):
    """The Monday-start week containing @day: (start, end)."""
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def week_name(day):
    """The notification's name of the week containing @day ("Week 48, 23-29 Nov")."""
    start, end = week_of(day)
    week = (start + datetime.timedelta(days=3)).isocalendar()[1]
    if start.month == end.month:
        return f"Week {week}, {start.day}-{end.day} {MONTHS[start.month - 1]}"
    return f"Week {week}, {start.day} {MONTHS[start.month - 1]}-{end.day} {MONTHS[end.month - 1]}"


def week_label(day):
    """`lookback status`'s label of that week ("2026-W48 (Mon 23 Nov - Sun 29 Nov)")."""
    start, end = week_of(day)
    iso_year, week, _ = (start + datetime.timedelta(days=3)).isocalendar()
    return (f"{iso_year}-W{week:02d} ({WEEKDAYS[start.weekday()]} {start.day} {MONTHS[start.month - 1]} - "
            f"{WEEKDAYS[end.weekday()]} {end.day} {MONTHS[end.month - 1]})")


def half_name(day):
    return f"{'January-June' if day.month <= 6 else 'July-December'} {day.year}"


def config_text(weekly_at=None, questions=None, answer_command=None, halfyear=FAR_HALFYEAR):
    text = "[weekly]\n"
    if weekly_at:
        text += f"at = {weekly_at}\n"
    for q in questions or []:
        text += f"question = {q}\n"
    text += halfyear
    if answer_command:
        text += f"[notify]\nanswer_command = {answer_command}\n"
    return text


def status(world):
    return world.json("status")


def assert_quiet(bus, count, seconds, why):
    """No further Notify for @seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = bus.notifications()
        assert len(got) == count, f"{why}: expected {count} Notify call(s), got {got}"
        time.sleep(0.05)


def open_db_ro(world):
    return sqlite3.connect(f"file:{world.database}?mode=ro", uri=True)


def run_stderr_on_tty(world, *args):
    """Runs the client with stderr on a pseudo-terminal (stdout a pipe):
    (returncode, stdout, what reached the terminal)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(wrap([LOOKBACK, *args]), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=slave, env=world.env, cwd=world.base)
        os.close(slave)
        slave = -1
        out, _ = proc.communicate(timeout=30 * SLOW)
        terminal = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return proc.returncode, out.decode("utf-8"), terminal.decode("utf-8").replace("\r\n", "\n")


def prompt_lines(daemon, what):
    return [line for line in daemon.stderr.splitlines() if what in line]


# --------------------------------------------------------------------------
# Timers
# --------------------------------------------------------------------------

def test_schedule_fires_one_notification(world):
    t, spec = ahead(3)
    d = world.daemon(config_text(spec))
    assert status(world)["pending"] == [], "a first start must not prompt for the past"
    n = world.bus.wait_notifications(1, timeout=t.timestamp() - time.time() + 5)
    first = n[0]
    assert first.time >= t.timestamp() - 0.05, f"fired before {spec}: {first}"
    assert first.time < t.timestamp() + 2.0, f"fired late for {spec}: {first}"

    yesterday = t.date() - datetime.timedelta(days=1)
    assert first.app == "lookback"
    assert first.summary == "Weekly review"
    assert first.replaces == 0
    assert first.body == f"{week_name(yesterday)} · 3 questions\n{DEFAULT_WEEKLY_QUESTIONS[0]}", first
    assert first.actions == ACTIONS_WEEKLY

    pending = status(world)["pending"]
    start, end = week_of(yesterday)
    assert [(p["kind"], p["period_start"], p["period_end"], p["missed"]) for p in pending] == [
        ("weekly", start.isoformat(), end.isoformat(), 1)]
    text = world.run_client("status")
    assert text.returncode == 0, text.stderr
    assert f"weekly review for {week_label(yesterday)}  (lookback answer weekly)" in text.stdout, text.stdout
    assert len(prompt_lines(d, "prompted the weekly review")) == 1, d.stderr
    assert_quiet(world.bus, 1, 0.7, "one occurrence, one notification")


def test_catch_up_after_downtime_is_one_prompt(world):
    t1, t2, spec = two_ahead(lead=2)
    d = world.daemon(config_text(spec))  # records the schedule, starting from now
    d.stop()
    assert time.time() < t1.timestamp(), "the first start took too long for this test"
    sleep_until(t2.timestamp() + 0.3)  # both occurrences pass while it is down
    d.start()
    n = world.bus.wait_notifications(1, timeout=5)
    assert len(n) == 1
    yesterday = t2.date() - datetime.timedelta(days=1)
    assert n[0].summary == "Weekly review"
    assert n[0].body == (f"{week_name(yesterday)} · 3 questions\n{DEFAULT_WEEKLY_QUESTIONS[0]}\n"
                         "Catch-up: 2 weekly prompts were missed while lookback was not running."), n[0]
    assert n[0].actions == ACTIONS_WEEKLY
    pending = status(world)["pending"]
    assert len(pending) == 1 and pending[0]["kind"] == "weekly", pending
    assert pending[0]["missed"] == 2
    assert pending[0]["period_start"] == week_of(yesterday)[0].isoformat()
    text = world.run_client("status").stdout
    assert "[2 prompts missed while lookbackd was not running]" in text, text
    assert "(catch-up)" in d.stderr
    assert_quiet(world.bus, 1, 0.7, "a catch-up is one prompt, not one per missed occurrence")


def test_restart_after_prompt_does_not_repeat_it(world):
    t, spec = ahead(2)
    d = world.daemon(config_text(spec))
    world.bus.wait_notifications(1, timeout=t.timestamp() - time.time() + 5)
    fired = status(world)["pending"]
    d.restart()
    assert_quiet(world.bus, 1, 1.0, "restarted right after the prompt")
    assert status(world)["pending"] == fired
    assert len(prompt_lines(d, "prompted the weekly review")) == 1, d.stderr


# --------------------------------------------------------------------------
# Snooze, skip, answer
# --------------------------------------------------------------------------

def remind_weekly(world, expect_notifications=1):
    r = world.run_client("--json", "remind", "weekly")
    assert r.returncode == 0, r.stderr
    if world.bus and world.bus.mock:
        return world.bus.wait_notifications(expect_notifications, timeout=5)[-1]
    return None


def test_snooze_refires_and_survives_restart(world):
    d = world.daemon(config_text("2099-01-04 20:00"))
    first = remind_weekly(world)

    asked = time.time()
    r = world.run_client("snooze", "2s")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Snoozed the weekly review until "), r.stdout
    n = world.bus.wait_notifications(2, timeout=6)
    again = n[1]
    assert again.summary == first.summary and again.body == first.body and again.actions == first.actions
    assert 1.9 <= again.time - asked <= 3.5, f"snoozed for 2 s, re-shown after {again.time - asked:.2f} s"

    # Snoozed again, and the daemon stopped at once: the snooze is stored.
    asked = time.time()
    r = world.run_client("--json", "snooze", "3s", "--kind", "weekly")
    assert r.returncode == 0, r.stderr
    d.stop()
    d.start()
    n = world.bus.wait_notifications(3, timeout=8)
    assert len(n) == 3, n
    assert n[2].body == first.body and n[2].summary == "Weekly review"
    assert 2.9 <= n[2].time - asked <= 4.5, f"snoozed for 3 s, re-shown after {n[2].time - asked:.2f} s"
    assert "snoozed_until" not in status(world)["next"][0], "the snooze is over"
    assert_quiet(world.bus, 3, 0.5, "the snooze is spent")


def test_skip_action_records_a_skipped_period(world):
    d = world.daemon(config_text("2099-01-04 20:00"))
    remind_weekly(world)
    pending = status(world)["pending"]
    assert len(pending) == 1
    period_start = pending[0]["period_start"]

    world.bus.invoke_action(1, "skip")
    wait_for(lambda: status(world)["pending"] == [], timeout=5, what="the skipped prompt to leave pending")
    wait_for(lambda: "skipped the weekly review" in d.stderr, timeout=5, what="the daemon to log the skip")
    with open_db_ro(world) as db:
        skips = db.execute("SELECT habit, day, note FROM skips").fetchall()
        states = db.execute("SELECT kind, period_start, state FROM prompts").fetchall()
    assert skips == [("weekly-review", period_start, "skipped from the notification")]
    assert states == [("weekly", period_start, "skipped")]
    assert_quiet(world.bus, 1, 0.3, "a skip shows nothing")


def test_snooze_action_snoozes_one_hour(world):
    world.daemon(config_text("2099-01-04 20:00"))
    remind_weekly(world)
    world.bus.invoke_action(1, "snooze")
    clicked = time.time()

    def snoozed():
        return next((n.get("snoozed_until") for n in status(world)["next"] if n["kind"] == "weekly"), None)

    until = wait_for(snoozed, timeout=5, what="next[weekly].snoozed_until")
    assert abs(until / 1e6 - (clicked + 3600)) < 5, f"snoozed until {until / 1e6}, clicked at {clicked}"
    assert len(status(world)["pending"]) == 1, "snoozed, still pending"
    assert_quiet(world.bus, 1, 0.3, "snoozed for an hour")


def test_answer_action_runs_answer_command(world):
    marker = world.base / "answered"
    script = world.write("answer.sh", f'#!/bin/sh\nprintf "%s\\n" "$#" "$@" > "{marker}.tmp"\n'
                                      f'mv "{marker}.tmp" "{marker}"\n', mode=0o755)
    d = world.daemon(config_text("2099-01-04 20:00", answer_command=str(script)))
    remind_weekly(world)
    world.bus.invoke_action(1, "answer")
    wait_for(marker.exists, timeout=5, what="the answer command to run")
    assert marker.read_text().split("\n")[:2] == ["1", "weekly"], "called with one argument, the kind"
    # The command may finish before the daemon has written its log line.
    wait_for(lambda: f"running '{script} weekly'" in d.stderr, timeout=2, what="the log line")
    assert len(status(world)["pending"]) == 1, "answering is up to `lookback answer`"
    assert d.proc.poll() is None


def test_question_markup_is_escaped(world):
    world.daemon(config_text("2099-01-04 20:00", questions=["What <a href=x>& went well?"]))
    n = remind_weekly(world)
    yesterday = today_utc() - datetime.timedelta(days=1)
    assert n.body == f"{week_name(yesterday)} · 1 question\nWhat &lt;a href=x&gt;&amp; went well?", n


def test_no_actions_capability(make_world):
    world = make_world(capabilities="body")
    world.daemon(config_text("2099-01-04 20:00"))
    n = remind_weekly(world)
    assert n.actions == []
    assert n.summary == "Weekly review"
    assert n.body.endswith("\nrun: lookback answer weekly"), n
    assert n.body.startswith(week_name(today_utc() - datetime.timedelta(days=1)) + " · 3 questions\n")


# --------------------------------------------------------------------------
# Without a notification server, without a bus
# --------------------------------------------------------------------------

@pytest.mark.parametrize("setup", ["no-notification-server", "no-session-bus"])
def test_prompt_without_notifications_stays_pending(make_world, setup):
    world = make_world(bus=setup != "no-session-bus", mock=False)
    t, spec = ahead(2)
    d = world.daemon(config_text(spec))
    yesterday = t.date() - datetime.timedelta(days=1)
    wait_for(lambda: prompt_lines(d, "cannot show the weekly review prompt"), timeout=t.timestamp() - time.time() + 5,
             what="the warning that the prompt cannot be shown")
    time.sleep(0.3)
    assert d.proc.poll() is None, f"lookbackd died:\n{d.stderr}"
    warnings = prompt_lines(d, "cannot show the weekly review prompt")
    assert len(warnings) == 1, d.stderr
    assert warnings[0].startswith("<4>") and week_label(yesterday) in warnings[0], warnings

    pending = status(world)["pending"]
    assert [(p["kind"], p["period_start"]) for p in pending] == [("weekly", week_of(yesterday)[0].isoformat())]
    text = world.run_client("status")
    assert f"weekly review for {week_label(yesterday)}" in text.stdout, text.stdout

    reminder = f"lookback: the weekly review for {week_label(yesterday)} is waiting: lookback answer weekly"
    rc, out, terminal = run_stderr_on_tty(world, "habits")
    assert rc == 0, terminal
    assert terminal.splitlines() == [reminder], terminal
    assert reminder not in out
    with open(world.base / "habits.err", "w+") as err:
        r = subprocess.run(wrap([LOOKBACK, "habits"]), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                           env=world.env, cwd=world.base, timeout=30 * SLOW)
        err.seek(0)
        assert r.returncode == 0
        assert err.read() == "", "no reminder when stderr is not a terminal"
    assert out == r.stdout.decode(), "the reminder changes nothing on stdout"
    assert d.proc.poll() is None


@pytest.mark.parametrize("setup", ["no-notification-server", "no-session-bus"])
def test_prompt_without_notifications_logs_one_warning_per_prompt(make_world, setup):
    """The issue: "the daemon logs one warning per prompt". Nothing else at
    warning level may reach the log for it (libnotify's own g_warning included)."""
    world = make_world(bus=setup != "no-session-bus", mock=False)
    d = world.daemon(config_text("2099-01-04 20:00"))
    for kind, title in (("weekly", "weekly review"), ("halfyear", "half-year review")):
        r = world.run_client("remind", kind)
        assert r.returncode == 0, r.stderr
        wait_for(lambda: prompt_lines(d, f"cannot show the {title} prompt"), timeout=5, what=f"the {kind} warning")
    time.sleep(0.2)
    assert d.proc.poll() is None
    warnings = [line for line in d.stderr.splitlines()
                if line.startswith(("<0>", "<1>", "<2>", "<3>", "<4>")) or "WARNING" in line or "CRITICAL" in line]
    assert len(warnings) == 2, "one warning per prompt, and nothing else at warning level:\n" + d.stderr


# --------------------------------------------------------------------------
# skip, remind from the terminal
# --------------------------------------------------------------------------

def test_skip_by_date_and_remind_halfyear(world):
    world.daemon(config_text("2099-01-04 20:00"))
    reply = world.json("skip", "weekly", "--date", "2026-01-07")
    assert (reply["kind"], reply["period_start"], reply["period_end"]) == ("weekly", "2026-01-05", "2026-01-11")
    with open_db_ro(world) as db:
        skips = db.execute("SELECT habit, day, uuid FROM skips").fetchall()
    assert skips == [("weekly-review", "2026-01-05", reply["id"])]

    reply = world.json("remind", "halfyear")
    yesterday = today_utc() - datetime.timedelta(days=1)
    half_start = datetime.date(yesterday.year, 1 if yesterday.month <= 6 else 7, 1)
    assert (reply["kind"], reply["period_start"]) == ("halfyear", half_start.isoformat())
    n = world.bus.wait_notifications(1, timeout=5)[0]
    assert n.app == "lookback" and n.summary == "Half-year review"
    assert n.body.startswith(f"{half_name(yesterday)} · 4 questions\n"), n
    assert n.actions == ACTIONS_HALFYEAR
    assert [p["kind"] for p in status(world)["pending"]] == ["halfyear"]

    # The half-year prompt writes that half's report and says where.
    base = pathlib.Path(world.env["XDG_DATA_HOME"]) / "lookback" / "reports" / \
        f"{half_start.year}-H{1 if half_start.month == 1 else 2}"
    html, md = base.with_suffix(".html"), base.with_suffix(".md")
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert md.read_text().startswith("# Lapse report")
    assert (html.stat().st_mode & 0o777, md.stat().st_mode & 0o777) == (0o600, 0o600)
    assert f"\nReport: {html}" in n.body


# --------------------------------------------------------------------------
# The clock and the config
# --------------------------------------------------------------------------

def faketime_for_daemon():
    """libfaketime to preload into lookbackd, or skip the test."""
    lib = libfaketime()
    if not shutil.which("faketime") or not lib:
        pytest.skip("faketime/libfaketime is not installed (Debian: faketime); it fakes the clock lookbackd starts with")
    # An ASan build insists on its runtime coming first in the library list,
    # which a preloaded libfaketime breaks; the plain build runs these tests.
    linked = subprocess.run(["ldd", LOOKBACKD], capture_output=True, text=True).stdout
    if "libasan" in linked:
        pytest.skip("libfaketime cannot be preloaded into an AddressSanitizer build")
    return lib


def libfaketime():
    """Debian's libfaketime (package faketime/libfaketime), or None."""
    for path in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                 "/usr/lib/faketime/libfaketime.so.1"):
        if os.path.exists(path):
            return path
    return None


def test_backward_clock_jump_does_not_repeat_prompt(world):
    lib = faketime_for_daemon()
    t, spec = ahead(2)
    d = world.daemon(config_text(spec))
    world.bus.wait_notifications(1, timeout=t.timestamp() - time.time() + 5)
    pending = status(world)["pending"]
    d.stop()
    # The same daemon, started with its wall clock an hour behind (what
    # `faketime -f -1h lookbackd` does, but with lookbackd itself as the
    # process, so it can be stopped): the occurrence it prompted for is now an
    # hour in its future, and must not come round again. Timers still run on
    # the kernel's clock, so a timer armed for that occurrence would fire now.
    behind = Daemon(world, env=world.env_with(LD_PRELOAD=lib, FAKETIME="-1h", DONT_FAKE_MONOTONIC=1),
                    name="behind").start()
    assert_quiet(world.bus, 1, 1.5, "after the clock went back an hour")
    assert status(world)["pending"] == pending
    behind.stop()
    d.start()
    assert_quiet(world.bus, 1, 0.5, "back on the real clock")


def test_status_next_after_backward_clock_jump(world):
    """After the clock went back past a prompt already given, that occurrence
    will not fire again (the timer is armed for the one after it), so
    `lookback status` must not announce it as the next prompt either."""
    lib = faketime_for_daemon()
    t, spec = ahead(2)
    d = world.daemon(config_text(spec))
    world.bus.wait_notifications(1, timeout=t.timestamp() - time.time() + 5)
    d.stop()
    Daemon(world, env=world.env_with(LD_PRELOAD=lib, FAKETIME="-1h", DONT_FAKE_MONOTONIC=1), name="behind").start()
    nxt = {x["kind"]: x for x in status(world)["next"]}
    tomorrow = t + datetime.timedelta(days=1)
    assert nxt["weekly"]["at"] == int(tomorrow.timestamp()) * 1000000, (
        f"status says the next weekly prompt is at {datetime.datetime.fromtimestamp(nxt['weekly']['at'] / 1e6, UTC)}, "
        f"but the {spec} occurrence of {t} was prompted already; the next one is {tomorrow}")


def test_reload_with_new_at_rearms_the_timer(world):
    old, old_spec = ahead(5)
    d = world.daemon(config_text(old_spec))
    new, new_spec = ahead(3)
    assert new < old
    world.write_config(config_text(new_spec))
    d.signal(signal.SIGHUP)
    wait_for(lambda: "configuration reloaded" in d.stderr, timeout=5, what="the reload")
    assert time.time() < new.timestamp(), "the reload took too long for this test"
    n = world.bus.wait_notifications(1, timeout=new.timestamp() - time.time() + 3)
    assert new.timestamp() - 0.05 <= n[0].time < new.timestamp() + 2.0, f"expected at {new_spec}: {n[0]}"
    sleep_until(old.timestamp() + 1.0)
    assert_quiet(world.bus, 1, 0.1, f"nothing at the old time {old_spec}")
    nxt = {x["kind"]: x for x in status(world)["next"]}
    assert nxt["weekly"]["schedule"] == new_spec


def test_check_config_prints_next_three_occurrences(world):
    world.write_config("[weekly]\nat = Sun 20:00\n[halfyear]\nat = *-01,07-01 10:00\n")

    def expected(now):
        def fmt(times):
            return ", ".join(t.strftime("%a %Y-%m-%d %H:%M:%S UTC") for t in times)
        sunday = datetime.datetime.combine(now.date() + datetime.timedelta(days=6 - now.weekday()),
                                           datetime.time(20, 0), UTC)
        weekly = [sunday + datetime.timedelta(weeks=k) for k in range(-1, 4)]
        half = [datetime.datetime(y, m, 1, 10, 0, tzinfo=UTC) for y in range(now.year, now.year + 3) for m in (1, 7)]
        return (f"; next weekly prompts: {fmt([t for t in weekly if t > now][:3])}",
                f"; next half-year prompts: {fmt([t for t in half if t > now][:3])}")

    before = datetime.datetime.now(UTC)
    r = subprocess.run(wrap([LOOKBACKD, "--check-config"]), capture_output=True, text=True, env=world.env,
                       timeout=30 * SLOW,
                       stdin=subprocess.DEVNULL, cwd=world.base)
    after = datetime.datetime.now(UTC)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("; next ")]
    assert tuple(lines) in (expected(before), expected(after)), r.stdout


def test_check_config_second_lists(world):
    """"21:57:10,20" is seconds 10 and 20 of 21:57, every day."""
    world.write_config("[weekly]\nat = 21:57:10,20\n")
    now = datetime.datetime.now(UTC)
    r = subprocess.run(wrap([LOOKBACKD, "--check-config"]), capture_output=True, text=True, env=world.env,
                       timeout=30 * SLOW,
                       stdin=subprocess.DEVNULL, cwd=world.base)
    assert r.returncode == 0, r.stderr
    line = next(line for line in r.stdout.splitlines() if line.startswith("; next weekly prompts:"))
    got = [datetime.datetime.strptime(s.strip(), "%a %Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
           for s in line.split(":", 1)[1].split(",")]
    candidates = sorted(datetime.datetime.combine(now.date() + datetime.timedelta(days=k), datetime.time(21, 57, s), UTC)
                        for k in range(3) for s in (10, 20))
    assert got == [c for c in candidates if c > now][:3], line
