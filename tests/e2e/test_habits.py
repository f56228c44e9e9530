"""Habit check-ins: `lookback done` and `lookback habits`."""

import datetime

from conftest import EXIT_USAGE, today_utc

READING = '[habit "reading"]\nevery = month\n'


def month_bounds(day):
    start = day.replace(day=1)
    nxt = (start + datetime.timedelta(days=32)).replace(day=1)
    return start.isoformat(), (nxt - datetime.timedelta(days=1)).isoformat()


def habit(world, name):
    habits = {h["name"]: h for h in world.json("habits")["habits"]}
    return habits[name]


def test_done_and_habits(world):
    world.daemon(config=READING)
    today = today_utc()
    start, end = month_bounds(today)

    before = habit(world, "reading")
    assert before["last_done"] is None
    assert before["this_period"] == 0
    assert (before["every"], before["times"], before["builtin"]) == ("month", 1, False)

    r = world.run_client("done", "reading")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"reading: checked in for {today} (1 of 1 in {start}..{end})\n"

    h = habit(world, "reading")
    assert h["last_done"] == today.isoformat()
    assert h["this_period"] == 1
    assert h["total"] == 1
    assert (h["period_start"], h["period_end"]) == (start, end)

    text = world.run_client("habits")
    assert text.returncode == 0, text.stderr
    line = next(line for line in text.stdout.splitlines() if line.startswith("reading"))
    # Started today: no finished period yet, so "new"; the open period is
    # met, so the streak is 1; no adherence until a period has finished.
    assert line.split() == ["reading", "month", "new", "1/1", "done", "1", "-", today.isoformat()]
    # Built-ins come first, in a fixed order.
    names = [h["name"] for h in world.json("habits")["habits"]]
    assert names == ["weekly-review", "halfyear-review", "reading"]

    status = world.json("status")
    assert status["today"] == today.isoformat()
    assert {h["name"]: h["this_period"] for h in status["habits"]}["reading"] == 1
    assert "reading" in world.run_client("status").stdout


def test_done_yesterday_and_note(world):
    world.daemon(config=READING)
    today = today_utc()
    yesterday = today - datetime.timedelta(days=1)

    reply = world.json("done", "reading", "--date", "yesterday", "--note", "Chapter 3, 읽기 모임")
    assert reply["habit"] == "reading"
    assert reply["date"] == yesterday.isoformat()
    assert (reply["period_start"], reply["period_end"]) == month_bounds(yesterday)
    assert reply["in_period"] == 1 and reply["times"] == 1
    assert len(reply["id"]) == 36

    h = habit(world, "reading")
    assert h["last_done"] == yesterday.isoformat()
    assert h["total"] == 1
    assert h["this_period"] == (1 if yesterday.month == today.month else 0)

    assert world.json("done", "reading", "--date", "2024-02-29")["period_start"] == "2024-02-01"
    h = habit(world, "reading")
    assert h["total"] == 2
    assert h["last_done"] == yesterday.isoformat()

    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    r = world.run_client("done", "reading", "--date", tomorrow)
    assert r.returncode == 2  # a usage error, caught by the client
    assert "in the future" in r.stderr
    r = world.run_client("done", "reading", "--date", "2023-02-29")
    assert r.returncode == EXIT_USAGE
    assert "2023-02-29" in r.stderr
    assert habit(world, "reading")["total"] == 2


def test_done_unknown_habit_lists_known(world):
    world.daemon(config=READING)
    r = world.run_client("done", "nosuch")
    assert r.returncode == 1
    assert "unknown habit 'nosuch'" in r.stderr
    assert "Known habits: weekly-review, halfyear-review, reading" in r.stderr
    assert all(h["total"] == 0 for h in world.json("habits")["habits"])


def test_done_review_habit_refused(world):
    world.daemon(config=READING)
    for name, kind in (("weekly-review", "weekly"), ("halfyear-review", "halfyear")):
        r = world.run_client("done", name)
        assert r.returncode == 1
        assert f"run 'lookback answer {kind}'" in r.stderr
        assert habit(world, name)["total"] == 0


def test_done_usage_errors(world):
    world.daemon(config=READING)
    for args in (("done",), ("done", "reading", "extra"), ("done", "--bogus", "reading")):
        r = world.run_client(*args)
        assert r.returncode == EXIT_USAGE, args
        assert "usage: lookback done HABIT" in r.stderr


def test_answered_review_counts_as_checkin(world):
    world.daemon()
    r = world.run_client("answer", input="This week went fine.")
    assert r.returncode == 0, r.stderr
    h = habit(world, "weekly-review")
    assert h["this_period"] == 1
    assert h["total"] == 1
    assert h["last_done"] == today_utc().isoformat()
