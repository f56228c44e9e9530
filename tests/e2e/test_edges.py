"""Edges a careful user hits: wrong dates and ranges, pauses that collide,
streaks on the day they are made, untouched templates, options in odd
places. Each test here pins a behaviour a review of the client found wrong
once."""

import datetime

from conftest import EX_UNAVAILABLE, EXIT_USAGE, today_utc

DAY = datetime.timedelta(days=1)
FAR = "[weekly]\nat = 2099-01-01 00:00\n[halfyear]\nat = 2099-07-01 00:00\n"


def habits(world):
    return {h["name"]: h for h in world.json("habits")["habits"]}


def test_dates_before_1970_are_refused(world):
    world.daemon(config=FAR + '[habit "run"]\nevery = day\n')
    r = world.run_client("done", "run", "--date", "1016-11-23")
    assert r.returncode == EXIT_USAGE
    assert "lookback records nothing before 1970" in r.stderr
    # The daemon refuses them too, whoever asks.
    from conftest import varlink_call
    reply = varlink_call(world.socket, "io.lookback.Done", {"habit": "run", "date": "0026-05-01"})
    assert reply["error"] == "org.varlink.service.InvalidParameter"
    assert habits(world)["run"]["total"] == 0


def test_streak_counts_the_current_period_once(world):
    today = today_utc()
    monday = today - datetime.timedelta(days=today.weekday())
    world.daemon(config=FAR + f'[habit "gym"]\nevery = week\nsince = {monday - 21 * DAY}\n')
    for weeks_back in (3, 2, 1):
        assert world.run_client("done", "gym", "--date", monday - weeks_back * 7 * DAY).returncode == 0
    assert habits(world)["gym"]["streak"] == 3  # this week not met yet
    # Met this week, on any day of it so far: four in a row, not five.
    assert world.run_client("done", "gym", "--date", monday).returncode == 0
    assert habits(world)["gym"]["streak"] == 4
    assert world.run_client("done", "gym").returncode == 0
    assert habits(world)["gym"]["streak"] == 4


def test_report_to_a_future_day_is_refused(world):
    world.daemon(config=FAR)
    tomorrow = today_utc() + DAY
    r = world.run_client("report", "--to", tomorrow)
    assert r.returncode == EXIT_USAGE and "is in the future" in r.stderr
    r = world.run_client("report", "--from", "2026-03-01", "--to", "2026-02-01")
    assert r.returncode == EXIT_USAGE and "--from 2026-03-01 is after --to 2026-02-01" in r.stderr
    r = world.run_client("--json", "report", "--format", "markdown")
    assert r.returncode == EXIT_USAGE and "contradict" in r.stderr


def test_pauses_may_not_overlap_and_a_planned_one_is_not_resumed(world):
    world.daemon(config=FAR + '[habit "tennis"]\nevery = 2 weeks\n')
    ok = world.run_client("pause", "tennis", "--from", "2026-05-29", "--to", "2026-08-31", "--reason", "ligament")
    assert ok.returncode == 0, ok.stderr
    r = world.run_client("pause", "tennis", "--from", "2026-06-01", "--to", "2026-07-01")
    assert r.returncode == 1
    assert "tennis has a pause from 2026-05-29 to 2026-08-31 already" in r.stderr
    r = world.run_client("pause", "tennis", "--from", "2026-09-10", "--to", "2026-09-01")
    assert r.returncode == EXIT_USAGE and "--from 2026-09-10 is after --to 2026-09-01" in r.stderr

    later = today_utc() + 30 * DAY
    assert world.run_client("pause", "tennis", "--from", later, "--reason", "trip").returncode == 0
    r = world.run_client("resume", "tennis")
    assert r.returncode == 1
    assert f"tennis is not paused yet (a pause is planned from {later})" in r.stderr
    pauses = world.json("report", "--from", "2026-01-01")["habits"][-1]
    assert pauses["name"] == "tennis"


def test_check_in_before_since_is_said_not_to_count(world):
    world.daemon(config=FAR + '[habit "tennis"]\nevery = week\nsince = 2026-01-02\n')
    r = world.run_client("done", "tennis", "--date", "2025-06-01")
    assert r.returncode == 0
    assert "but tennis starts on 2026-01-02, so this one does not count" in r.stdout


def test_untouched_halfyear_template_with_goals_aborts(world):
    world.daemon(config=FAR)
    assert world.run_client("goal", "add", "Get a bartending licence").returncode == 0
    untouched = world.write("untouched.sh", "#!/bin/sh\nexit 0\n", mode=0o755)
    r = world.run_client_tty("answer", "halfyear", "--date", "2026-06-15", env=world.env_with(EDITOR=untouched))
    assert r.returncode == 1
    assert "aborted, nothing recorded" in r.stderr
    assert world.log() == []
    assert list(world.drafts.iterdir()) == []


def test_snooze_is_not_shown_once_the_prompt_is_skipped(world):
    world.daemon(config=FAR)
    world.run_client("remind", "weekly")
    assert world.run_client("snooze", "1h").returncode == 0
    assert "snoozed_until" in world.json("status")["next"][0]
    assert world.run_client("skip", "weekly").returncode == 0
    status = world.json("status")
    assert status["pending"] == [] and "snoozed_until" not in status["next"][0]


def test_remind_of_an_answered_period_does_not_make_it_pending(world):
    world.daemon(config=FAR)
    yesterday = today_utc() - DAY
    r = world.run_client("answer", "--date", yesterday, input="Done already.\n")
    assert r.returncode == 0, r.stderr
    reply = world.json("remind", "weekly")
    assert reply["answered"] is True
    assert world.json("status")["pending"] == []
    r = world.run_client("remind", "weekly")
    assert "answered already, so nothing became pending" in r.stdout


def test_global_options_and_help_everywhere(world):
    world.daemon(config=FAR)
    after = world.run_client("status", "--json")
    assert after.returncode == 0 and after.stdout.lstrip().startswith("{")
    r = world.run_client("goal", "add", "--help")
    assert r.returncode == 0 and r.stdout.startswith("Usage: lookback goal")
    assert world.json("goal", "list", "--all")["goals"] == []
    r = world.run_client()
    assert r.returncode == EXIT_USAGE and r.stdout == "" and "no command given" in r.stderr
    r = world.run_client("help", "nosuch")
    assert r.returncode == EXIT_USAGE and "unknown command 'nosuch'" in r.stderr
    r = world.run_client("answer", "--bogus")
    assert r.returncode == EXIT_USAGE and r.stderr.startswith("lookback answer: ")


def test_report_output_dash_is_stdout(world):
    world.daemon(config=FAR)
    r = world.run_client("report", "--format", "markdown", "--output", "-")
    assert r.returncode == 0 and r.stdout.startswith("# Lapse report")
    assert not (world.base / "-").exists()


def test_no_runtime_dir_says_why(world):
    r = world.run_client("status", env=world.env_with(XDG_RUNTIME_DIR=None))
    assert r.returncode == EX_UNAVAILABLE
    assert "XDG_RUNTIME_DIR is not set" in r.stderr


def test_empty_stdin_with_the_daemon_down_keeps_no_draft(world):
    r = world.run_client("answer", input="\n  \n")
    assert r.returncode == EX_UNAVAILABLE
    assert "Nothing was typed, so no draft was kept." in r.stderr
    assert not world.drafts.exists() or list(world.drafts.iterdir()) == []


def test_undated_draft_names_the_day_it_was_written(world):
    r = world.run_client("answer", input="Written offline.\n")
    assert r.returncode == EX_UNAVAILABLE
    assert f"lookback answer weekly --date {today_utc()} --file " in r.stderr


def test_length_limits_are_said_in_characters(world):
    """A note is refused for its length with the limit as people count it,
    not as "refused the value of 'note'"; one just under it is taken."""
    world.daemon(config=FAR + '[habit "run"]\nevery = day\n')
    limit = ("at most 4,096 bytes (4,096 letters of English, about 1,365 characters of Korean or Chinese); "
             "nothing recorded")
    r = world.run_client("done", "run", "--note", "달리기" * 500)  # 1,500 characters, 4,500 bytes
    assert r.returncode == 1
    assert f"lookbackd refused the note: it may be {limit}" in r.stderr
    assert habits(world)["run"]["this_period"] == 0
    r = world.run_client("goal", "add", "목" * 1400)
    assert r.returncode == 1 and "lookbackd refused the goal's text: it may be at most 4,096 bytes" in r.stderr
    r = world.run_client("done", "run", "--note", "달" * 1365)  # 4,095 bytes
    assert r.returncode == 0, r.stderr
    r = world.run_client("answer", "weekly", "--date", "2023-08-16", input="x" * (512 * 1024 + 1))
    assert r.returncode != 0
    assert ("the input is too large: an answer may be at most 524,288 bytes (524,288 letters of English, about "
            "174,762 characters of Korean or Chinese)") in r.stderr
