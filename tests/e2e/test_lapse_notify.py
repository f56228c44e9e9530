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
def habit_hint(name):
    """The lapse notification names the habit in the commands it suggests."""
    return f"Pick it up again: lookback done {name}\nor pause it with a reason: lookback pause {name}"


REVIEW_HINT = "Write one now: lookback answer weekly"
# How long to let dbusmock write a call it may still be logging.
SETTLE = 0.5

@pytest.fixture
def world(make_world):
    """Overrides conftest's world: a fresh bus and mock per test."""
    return make_world()


@pytest.fixture
def bus(world):
    return world.bus


def short_day(day):
    """The notification's "Sun 20 Aug"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def settled(bus):
    """Every Notify so far as (summary, body), once the mock had time to log."""
    time.sleep(SETTLE)
    return [(n.summary, n.body) for n in bus.notifications()]


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
    assert calls == [("daily has lapsed", f"No check-in yet, {missed} days missed.\n{habit_hint('daily')}")]
    assert lapse_flags(world) == [("daily", since.isoformat())]
    habits = {h["name"]: h for h in world.json("habits")["habits"]}
    assert habits["daily"]["status"] == "lapsed" and habits["daily"]["lapsed_since"] == since.isoformat()
    assert habits["slipping"]["status"] == "at-risk"
    assert habits["steady"]["status"] == "new"

    # A restart: the lapse was flagged, so nothing is said again.
    d.restart()
    assert settled(bus) == calls

    # A habit kept every day does not lapse. (Newest first: oldest first,
    # a slow client lets the daemon see Mon 30 Nov alone and rightly call it
    # a lapse before the next day arrives, as under valgrind.)
    for k in (1, 2, 3):
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
    assert calls == [("gym has lapsed", f"No check-in since {short_day(last)}, 9 days missed.\n{habit_hint('gym')}")]
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
