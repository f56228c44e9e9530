"""One truth for every habit (issue 7), end to end: the live views, the
report and the notifications are renderings of one view; a lapse is
announced at once when a back-fill makes one, and only while it lasts; a
prompt's notification leaves the screen once it is dealt with; notes come
back out."""

import datetime
import random
import time

import pytest

from conftest import varlink_call, wait_for

DAY = datetime.timedelta(days=1)
SCHEDULES = "[weekly]\nat = 2099-01-01 00:00\n[halfyear]\nat = 2099-07-01 00:00\n"
SETTLE = 1.5  # the daemon's half-second settle, plus time for dbusmock to log


@pytest.fixture
def world(make_world):
    return make_world()


def today_of(world):
    return datetime.date.fromisoformat(world.json("status")["today"])


def ok(r):
    assert r.returncode == 0, r.stderr
    return r


def lapse_calls(bus):
    return [n.summary for n in bus.notifications() if n.summary.endswith("has lapsed")]


def mock_calls(bus, name):
    from conftest import log_calls
    return [text for _, text in log_calls(bus.log) if text.startswith(name)]


def test_backfill_after_startup_announces_the_lapse_at_once_and_once(world):
    d = world.daemon(config=SCHEDULES + '[habit "pages"]\nevery = day\nlapse_after = 2\n')
    today = today_of(world)
    time.sleep(SETTLE)
    assert lapse_calls(world.bus) == []  # not started: nothing to say
    ok(world.run_client("done", "pages", "--date", today - 5 * DAY, "--note", "chapter 1"))
    wait_for(lambda: lapse_calls(world.bus) == ["pages has lapsed"], timeout=10, what="the lapse notification")
    body = world.bus.notifications()[-1].body
    assert "4 days missed" in body and "lookback done pages" in body
    # Another write to another habit, a restart: said once.
    ok(world.run_client("skip", "weekly"))
    d.restart()
    time.sleep(SETTLE)
    assert lapse_calls(world.bus) == ["pages has lapsed"]
    h = {x["name"]: x for x in world.json("habits")["habits"]}["pages"]
    assert h["status"] == "lapsed" and h["lapsed_since"] == str(today - 4 * DAY)


def test_pickup_backfilled_before_the_daemon_noticed_is_not_announced(world):
    world.daemon(config=SCHEDULES + '[habit "pages"]\nevery = day\nlapse_after = 2\n')
    today = today_of(world)
    # Back-filled by a script: an old check-in, then today's, in one burst.
    for day in (today - 6 * DAY, today):
        assert varlink_call(world.socket, "io.lookback.Done", {"habit": "pages", "date": str(day)})["parameters"]
    time.sleep(SETTLE)
    assert lapse_calls(world.bus) == []
    h = {x["name"]: x for x in world.json("habits")["habits"]}["pages"]
    assert h["status"] == "ok" and h["lapsed_since"] is None and h["streak"] == 1
    rep = {x["name"]: x for x in world.json("report", "--from", today - 6 * DAY)["habits"]}["pages"]
    # The lapse is history: it ended yesterday, and the report says so.
    assert rep["lapses"] == [{"from": str(today - 5 * DAY), "to": str(today - DAY), "missed": 5}]
    assert rep["status"] == "ok"


def remind(world):
    n = len(world.bus.notifications())
    ok(world.run_client("remind", "weekly"))
    calls = world.bus.wait_notifications(n + 1)
    return len(calls)  # the mock numbers notifications from 1


@pytest.mark.parametrize("how", ["answer", "skip", "snooze"])
def test_prompt_notification_closed_when_dealt_with(world, how):
    world.daemon(config=SCHEDULES)
    nid = remind(world)
    assert mock_calls(world.bus, "CloseNotification") == []
    if how == "answer":
        ok(world.run_client("answer", "weekly", "--file", "-", input="It went well.\n"))
    elif how == "skip":
        ok(world.run_client("skip", "weekly"))
    else:
        ok(world.run_client("snooze", "1h"))
    wait_for(lambda: mock_calls(world.bus, "CloseNotification"), timeout=10, what="CloseNotification")
    assert mock_calls(world.bus, "CloseNotification") == [f"CloseNotification {nid}"]


def test_a_new_prompt_supersedes_the_old_one_on_screen(world):
    world.daemon(config=SCHEDULES)
    first = remind(world)
    remind(world)
    wait_for(lambda: mock_calls(world.bus, "CloseNotification"), timeout=10, what="CloseNotification")
    assert mock_calls(world.bus, "CloseNotification") == [f"CloseNotification {first}"]


def test_skip_of_an_answered_period_is_refused(world):
    world.daemon(config=SCHEDULES)
    ok(world.run_client("answer", "weekly", "--file", "-", input="Done this week.\n"))
    r = world.run_client("skip", "weekly")
    assert r.returncode == 1
    assert "answered already" in r.stderr
    assert not any(h["name"] == "weekly-review" and h["status"] == "skipped" for h in world.json("habits")["habits"])


def test_new_halfyear_habit_shows_the_half_being_reviewed(world):
    world.daemon(config=SCHEDULES)
    today = today_of(world)
    h = {x["name"]: x for x in world.json("habits")["habits"]}["halfyear-review"]
    first = datetime.date(today.year, 1 if today.month <= 6 else 7, 1)
    assert h["period_start"] == str(first)
    assert h["status"] == "new"


def test_notes_come_back_in_history_and_reports(world):
    world.daemon(config=SCHEDULES + '[habit "reading"]\nevery = month\n')
    today = today_of(world)
    ok(world.run_client("done", "reading", "--date", today - 2 * DAY, "--note", "finished 'Piranesi'"))
    ok(world.run_client("skip", "reading", "--note", "Christmas at my parents'"))
    ok(world.run_client("pause", "reading", "--from", today + 10 * DAY, "--reason", "exams"))
    out = ok(world.run_client("history", "reading")).stdout.splitlines()
    # Each line starts with the record's id (for `lookback forget`), then its day.
    assert all(len(line.split()[0]) == 8 for line in out)
    assert out[0].split()[1] == str(today + 10 * DAY) and "exams" in out[0]
    assert "skipped" in out[1] and "Christmas at my parents'" in out[1]
    assert "done" in out[2] and "finished 'Piranesi'" in out[2]
    events = world.json("history", "reading", "--limit", "2")["events"]
    assert [e["kind"] for e in events] == ["pause", "skip"]
    md = ok(world.run_client("report", "--format", "markdown")).stdout
    assert "## Notes" in md and "finished 'Piranesi'" in md and "Christmas at my parents'" in md
    html = ok(world.run_client("report", "--format", "html")).stdout
    assert "finished &#39;Piranesi&#39;" in html
    rep = {x["name"]: x for x in world.json("report")["habits"]}["reading"]
    assert [n["kind"] for n in rep["notes"]] == ["checkin", "skip"]
    r = world.run_client("history", "nosuch")
    assert r.returncode == 1 and "unknown habit" in r.stderr


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Asia/Seoul"])
def test_status_habits_and_report_agree_on_random_histories(world, tz):
    """The daemon's three views of a habit agree, over seeded random histories
    of every cadence (the core's property test runs thousands without the
    shell; this checks the shell adds no second truth)."""
    rng = random.Random(tz)
    cadences = ["day", "3 days", "week", "2 weeks", "month", "2 months"]
    habits = [(f"h{i}", rng.choice(cadences), rng.randint(1, 3), rng.randint(1, 3)) for i in range(12)]
    config = SCHEDULES + "".join(f'[habit "{n}"]\nevery = {e}\ntimes = {t}\nlapse_after = {la}\n'
                                 for n, e, t, la in habits)
    world.env["TZ"] = tz
    world.daemon(config=config)
    today = today_of(world)
    for name, *_ in habits:
        density = rng.random()
        for k in range(200, -1, -1):
            if rng.random() < density * 0.6:
                params = {"habit": name, "date": str(today - k * DAY)}
                assert "error" not in varlink_call(world.socket, "io.lookback.Done", params)
            if rng.random() < 0.02:
                assert "error" not in varlink_call(world.socket, "io.lookback.Skip",
                                                   {"habit": name, "date": str(today - k * DAY)})
    status = {h["name"]: h for h in world.json("status")["habits"]}
    live = {h["name"]: h for h in world.json("habits")["habits"]}
    report = {h["name"]: h for h in world.json("report", "--from", today - 400 * DAY)["habits"]}
    recent = {h["name"]: h for h in world.json("report", "--from", today - rng.randint(1, 60) * DAY)["habits"]}
    for name, *_ in habits:
        s, h, r, c = status[name], live[name], report[name], recent[name]
        assert s == h
        for a, b in [("status", "status"), ("streak", "current_streak"), ("longest_streak", "longest_streak"),
                     ("strength", "strength"), ("last_done", "last_done"), ("lapsed_since", "lapsed_since"),
                     ("adherence", "adherence")]:
            assert h[a] == r[b], f"{name}: habits.{a}={h[a]!r} report.{b}={r[b]!r}"
        for key in ("status", "current_streak", "longest_streak", "strength", "last_done", "lapsed_since"):
            assert c[key] == r[key], f"{name}: {key} differs between two ranges ending today"
        assert r["current_streak"] <= r["longest_streak"]
        assert r["met"] + r["missed"] + r["skipped"] + r["paused"] == r["periods"]
        assert r["open"] is True and r["strip"][-1] in " █"  # today's period is open, never missed


def test_answering_another_period_leaves_the_prompt_on_screen(world):
    """Back-filling an older week is not answering the prompt on screen."""
    world.daemon(config=SCHEDULES)
    today = today_of(world)
    remind(world)
    ok(world.run_client("answer", "weekly", "--date", today - 21 * DAY, "--file", "-", input="Old week.\n"))
    time.sleep(SETTLE)
    assert mock_calls(world.bus, "CloseNotification") == []
    assert world.json("status")["pending"]
