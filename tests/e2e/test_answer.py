"""Answering reviews end to end: editor, stdin and --file paths, the
template rules, back-filling with --date, restarts, and drafts kept when
the daemon cannot be reached."""

import datetime
import json
import os
import re

from conftest import DEFAULT_WEEKLY_QUESTIONS, EX_UNAVAILABLE, EXIT_USAGE, parse_resend_command, today_utc

KOREAN = "전문가가 될 수 있을까?"


def entries_of(answer):
    return [(e["question"], e["answer"]) for e in answer["entries"]]


def test_answer_with_editor_round_trip(world, editor):
    daemon = world.daemon()
    seen = world.base / "seen.txt"
    answers = ["Finished the tennis club signup.", KOREAN + "\n  - 영어 공부 3회", "Cook at home four times."]
    env = world.env_with(EDITOR=editor, EDITOR_ANSWERS=json.dumps(answers), EDITOR_SEEN=seen)

    r = world.run_client_tty("answer", "--date", "2023-08-16", env=env)
    assert r.returncode == 0, r.stderr
    assert "Recorded weekly review for 2023-W33 (Mon 14 Aug - Sun 20 Aug) (3 answers)." in r.stdout

    # The editor was given the git-commit-like template.
    template = seen.read_text(encoding="utf-8")
    lines = template.splitlines()
    assert lines[0] == "# lookback: weekly review for 2023-W33 (Mon 14 Aug - Sun 20 Aug)"
    assert "# An empty file aborts: nothing is recorded." in lines
    assert [line[3:] for line in lines if line.startswith("## ")] == DEFAULT_WEEKLY_QUESTIONS
    # Acknowledged means committed, so the draft the editor worked on is gone.
    assert list(world.drafts.iterdir()) == []

    text = world.run_client("log")
    assert text.returncode == 0, text.stderr
    assert "Weekly review for 2023-W33 (Mon 14 Aug - Sun 20 Aug)" in text.stdout
    for q, a in zip(DEFAULT_WEEKLY_QUESTIONS, answers):
        assert f"## {q}\n{a}\n" in text.stdout

    log = world.log()
    assert len(log) == 1
    assert log[0]["kind"] == "weekly"
    assert (log[0]["period_start"], log[0]["period_end"]) == ("2023-08-14", "2023-08-20")
    assert entries_of(log[0]) == list(zip(DEFAULT_WEEKLY_QUESTIONS, answers))
    # Byte-exact: the Korean answer comes back as the same UTF-8 bytes.
    assert log[0]["entries"][1]["answer"].encode("utf-8") == answers[1].encode("utf-8")
    daemon.stop()


def test_answer_from_stdin_and_file(world):
    world.daemon()
    text = f"## What went well this week?\n{KOREAN}\n\n## What did not, and why?\nSlept badly.\n"
    r = world.run_client("answer", "--date", "2024-03-06", input=text)
    assert r.returncode == 0, r.stderr
    assert "Recorded weekly review for 2024-W10 (Mon 4 Mar - Sun 10 Mar) (2 answers)." in r.stdout

    f = world.write("answer.txt", "# a comment\n## What will I focus on next week?\nEnglish, every day.\n")
    r = world.run_client("answer", "--date", "2024-03-13", "--file", f)
    assert r.returncode == 0, r.stderr
    # --file - reads stdin too.
    r = world.run_client("--json", "answer", "halfyear", "--date", "2024-03-13", "--file", "-",
                         input="Half of the goals, in numbers: 4 of 9.\n")
    assert r.returncode == 0, r.stderr
    reply = json.loads(r.stdout)
    assert reply["kind"] == "halfyear"
    assert (reply["period_start"], reply["period_end"]) == ("2024-01-01", "2024-06-30")
    assert len(reply["id"]) == 36

    log = world.log()
    # Newest period first: the half-year (starts Jan 1) is the oldest start.
    assert [(a["kind"], a["period_start"]) for a in log] == [
        ("weekly", "2024-03-11"), ("weekly", "2024-03-04"), ("halfyear", "2024-01-01")]
    assert entries_of(log[0]) == [("What will I focus on next week?", "English, every day.")]
    assert entries_of(log[1]) == [("What went well this week?", KOREAN), ("What did not, and why?", "Slept badly.")]
    assert log[1]["entries"][0]["answer"].encode() == KOREAN.encode()
    assert entries_of(log[2])[0][1] == "Half of the goals, in numbers: 4 of 9."
    assert log[2]["label"] == "2024-H1 (Jan - Jun)"
    assert len({a["id"] for a in log}) == 3

    assert world.log("weekly") == log[:2]
    assert world.log("halfyear") == log[2:]


def test_answers_survive_restart(world):
    daemon = world.daemon()
    for date, text in (("2023-08-16", KOREAN), ("2023-08-23", "Second week.")):
        r = world.run_client("answer", "--date", date, input=text)
        assert r.returncode == 0, r.stderr
    before_text = world.run_client("log").stdout
    before = world.log()
    assert len(before) == 2

    daemon.stop()
    assert not world.socket.exists()
    daemon.start()

    assert world.log() == before
    assert world.run_client("log").stdout == before_text
    assert KOREAN in before_text


def test_backfill_periods_and_labels(world):
    world.daemon()
    r = world.run_client("--json", "answer", "--date", "2023-08-16", input="Paper review, typed in later.")
    assert r.returncode == 0, r.stderr
    reply = json.loads(r.stdout)
    assert reply["period_start"] == "2023-08-14"
    assert reply["period_end"] == "2023-08-20"
    assert reply["label"] == "2023-W33 (Mon 14 Aug - Sun 20 Aug)"

    r = world.run_client("--json", "answer", "halfyear", "--date", "2023-08-16", input="Drifted from running.")
    assert r.returncode == 0, r.stderr
    reply = json.loads(r.stdout)
    assert (reply["period_start"], reply["period_end"]) == ("2023-07-01", "2023-12-31")
    assert reply["label"] == "2023-H2 (Jul - Dec)"

    # The same week again: both versions are kept, the newest first.
    r = world.run_client("answer", "--date", "2023-08-20", input="A second go at the same week.")
    assert r.returncode == 0, r.stderr
    weekly = world.log("weekly")
    assert [a["period_start"] for a in weekly] == ["2023-08-14", "2023-08-14"]
    assert weekly[0]["entries"][0]["answer"] == "A second go at the same week."
    assert weekly[1]["entries"][0]["answer"] == "Paper review, typed in later."
    assert weekly[0]["created"] >= weekly[1]["created"]
    text = world.run_client("log", "weekly").stdout
    assert text.index("A second go") < text.index("Paper review")


def test_backfill_week_start_sunday(world):
    world.daemon(config="[daemon]\nweek_start = sunday\n")
    r = world.run_client("--json", "answer", "--date", "2023-08-16", input="Sunday weeks.")
    assert r.returncode == 0, r.stderr
    reply = json.loads(r.stdout)
    assert (reply["period_start"], reply["period_end"]) == ("2023-08-13", "2023-08-19")
    assert reply["label"] == "2023-W33 (Sun 13 Aug - Sat 19 Aug)"
    assert world.log()[0]["period_start"] == "2023-08-13"


def test_answer_dates_refused(world):
    world.daemon()
    tomorrow = (today_utc() + datetime.timedelta(days=1)).isoformat()
    # Refused by the client before anything is sent (or kept as a draft).
    r = world.run_client("answer", "--date", tomorrow, input="From the future.")
    assert r.returncode == EXIT_USAGE, r.stderr
    assert r.stderr == f"lookback: {tomorrow} is in the future; only today and earlier days can be recorded\n"
    assert world.log() == []

    r = world.run_client("answer", "--date", "2023-02-29", input="No such day.")
    assert r.returncode == EXIT_USAGE
    assert "2023-02-29" in r.stderr

    r = world.run_client("answer", "--date", "last-week", input="Not a date.")
    assert r.returncode == EXIT_USAGE
    assert "last-week" in r.stderr
    assert world.log() == []


def test_log_from_to_filters(world):
    world.daemon()
    for args in (("--date", "2023-08-16"), ("--date", "2023-10-04"), ("halfyear", "--date", "2023-08-16")):
        r = world.run_client("answer", *args, input="text for " + " ".join(args))
        assert r.returncode == 0, r.stderr

    def periods(*args):
        return [(a["kind"], a["period_start"]) for a in world.log(*args)]

    everything = [("weekly", "2023-10-02"), ("weekly", "2023-08-14"), ("halfyear", "2023-07-01")]
    assert periods() == everything
    # --from: periods ending on or after; --to: periods starting on or before.
    assert periods("--from", "2023-09-01") == [("weekly", "2023-10-02"), ("halfyear", "2023-07-01")]
    assert periods("--to", "2023-08-31") == [("weekly", "2023-08-14"), ("halfyear", "2023-07-01")]
    assert periods("--from", "2023-08-20", "--to", "2023-08-20") == [("weekly", "2023-08-14"),
                                                                      ("halfyear", "2023-07-01")]
    assert periods("weekly", "--from", "2023-09-01") == [("weekly", "2023-10-02")]
    assert periods("--from", "2024-01-01") == []
    assert periods("--from", "2023-01-01", "--to", "today") == everything

    r = world.run_client("log", "--from", "2024-01-01")
    assert r.returncode == 0
    assert r.stdout == ""
    assert r.stderr == "No answers in that range.\n"
    r = world.run_client("log", "--from", "2023-09-01", "--to", "2023-08-01")
    assert r.returncode == EXIT_USAGE and "--from 2023-09-01 is after --to 2023-08-01" in r.stderr
    r = world.run_client("log", "--from", "2023-13-01")
    assert r.returncode == EXIT_USAGE
    assert "2023-13-01" in r.stderr


def test_template_rules(world):
    world.daemon()
    # Text with no heading at all answers the first question.
    r = world.run_client("answer", "--date", "2023-08-16", input="\n\nJust a few words.  \n\n")
    assert r.returncode == 0, r.stderr
    assert entries_of(world.log()[0]) == [(DEFAULT_WEEKLY_QUESTIONS[0], "Just a few words.")]

    # A heading that matches no configured question is kept with its text.
    text = ("## What did not, and why?\nToo much scrolling.\n\n"
            "## 올해의 목표는?\n바텐더 자격증\n\n## What went well this week?\n\n")
    r = world.run_client("answer", "--date", "2023-08-23", input=text)
    assert r.returncode == 0, r.stderr
    assert entries_of(world.log()[0]) == [("What did not, and why?", "Too much scrolling."),
                                          ("올해의 목표는?", "바텐더 자격증")]


def test_empty_answer_aborts(world, editor):
    world.daemon()
    for text in ("", "\n\n   \n", "# only a comment\n## What went well this week?\n\n# more\n"):
        r = world.run_client("answer", input=text)
        assert r.returncode == 1, (text, r.stderr)
        assert "aborted, nothing recorded" in r.stderr

    # In the editor: leaving the template untouched aborts too, and its draft goes.
    r = world.run_client_tty("answer", env=world.env_with(EDITOR=editor))
    assert r.returncode == 1, r.stderr
    assert "aborted, nothing recorded" in r.stderr
    assert list(world.drafts.iterdir()) == []
    assert world.log() == []
    assert "No answers yet" in world.run_client("log").stderr


def test_draft_kept_when_daemon_down_stdin(world):
    text = f"## What went well this week?\n{KOREAN}\nTyped while the daemon was down.\n"
    r = world.run_client("answer", input=text)
    assert r.returncode == EX_UNAVAILABLE
    assert "systemctl --user start lookback.socket" in r.stderr

    drafts = list(world.drafts.iterdir())
    assert len(drafts) == 1
    draft = drafts[0]
    assert f"Your text is saved in {draft}" in r.stderr
    content = draft.read_text(encoding="utf-8")
    # The text, then the comment line that keeps its request id.
    assert content.startswith(text)
    assert re.fullmatch(r"# request-id: [0-9a-f-]{36} \(.*\)\n", content[len(text):])
    assert os.stat(draft).st_mode & 0o777 == 0o600
    resend = parse_resend_command(r.stderr)
    assert resend[0] == "answer" and resend[-2:] == ["--file", str(draft)]

    world.daemon()
    r = world.run_client(*resend)
    assert r.returncode == 0, r.stderr
    log = world.log()
    assert len(log) == 1
    assert entries_of(log[0]) == [("What went well this week?", KOREAN + "\nTyped while the daemon was down.")]


def test_draft_kept_with_date_when_daemon_down(world):
    r = world.run_client("answer", "halfyear", "--date", "2023-08-16", input="Goals: 4 of 9 met.")
    assert r.returncode == EX_UNAVAILABLE
    resend = parse_resend_command(r.stderr)
    assert resend[:3] == ["answer", "halfyear", "--date"]
    assert resend[3] == "2023-08-16"
    assert resend[-2] == "--file"

    world.daemon()
    r = world.run_client(*resend)
    assert r.returncode == 0, r.stderr
    log = world.log()
    assert [(a["kind"], a["period_start"]) for a in log] == [("halfyear", "2023-07-01")]
    assert log[0]["entries"][0]["answer"] == "Goals: 4 of 9 met."


def test_draft_kept_when_daemon_dies_in_editor(world, editor):
    daemon = world.daemon()
    answers = ["Written while the daemon went away.", KOREAN]
    env = world.env_with(EDITOR=editor, EDITOR_ANSWERS=json.dumps(answers), EDITOR_KILL_PID=daemon.pid,
                         EDITOR_KILL_SOCKET=world.socket)
    r = world.run_client_tty("answer", "--date", "2023-08-16", env=env)
    assert r.returncode == EX_UNAVAILABLE, r.stderr
    daemon.stop()  # it already exited on the editor's SIGTERM: cleanly, with 0

    drafts = list(world.drafts.iterdir())
    assert len(drafts) == 1
    draft = drafts[0]
    assert str(draft) in r.stderr
    content = draft.read_text(encoding="utf-8")
    assert f"## {DEFAULT_WEEKLY_QUESTIONS[0]}\n{answers[0]}\n" in content
    assert f"## {DEFAULT_WEEKLY_QUESTIONS[1]}\n{KOREAN}\n" in content
    resend = parse_resend_command(r.stderr)
    assert resend == ["answer", "weekly", "--date", "2023-08-14", "--file", str(draft)]

    daemon.start()
    r = world.run_client(*resend)
    assert r.returncode == 0, r.stderr
    log = world.log()
    assert len(log) == 1
    assert log[0]["period_start"] == "2023-08-14"
    assert entries_of(log[0]) == list(zip(DEFAULT_WEEKLY_QUESTIONS, answers))


def test_unreachable_message(world):
    for args in (("status",), ("log",), ("habits",), ("done", "reading")):
        r = world.run_client(*args)
        assert r.returncode == EX_UNAVAILABLE, (args, r.stderr)
        assert "systemctl --user start lookback.socket" in r.stderr
        assert "lookbackd" in r.stderr
        assert str(world.socket) in r.stderr


def test_file_answer_with_daemon_down_leaves_file(world):
    f = world.write("mine.txt", "## What went well this week?\nKept as it is.\n")
    before = f.read_bytes()
    r = world.run_client("answer", "--file", f)
    assert r.returncode == EX_UNAVAILABLE
    assert f"Nothing was recorded; {f} is unchanged." in r.stderr
    assert f.read_bytes() == before
    assert not world.drafts.exists() or list(world.drafts.iterdir()) == []


def test_failed_editor_keeps_draft(world):
    world.daemon()
    editor = world.write("bad-editor.sh", '#!/bin/sh\necho "half a thought" >> "$1"\nexit 3\n', mode=0o755)
    r = world.run_client_tty("answer", "--date", "2023-08-16", env=world.env_with(EDITOR=editor))
    assert r.returncode == 1
    assert "the editor exited with status 3; nothing recorded" in r.stderr
    drafts = list(world.drafts.iterdir())
    assert len(drafts) == 1 and str(drafts[0]) in r.stderr
    assert "half a thought" in drafts[0].read_text()
    assert world.log() == []


def test_visual_wins_over_editor(world, editor):
    world.daemon()
    env = world.env_with(VISUAL=editor, EDITOR="/bin/false", EDITOR_ANSWERS=json.dumps(["via VISUAL"]))
    r = world.run_client_tty("answer", "--date", "2023-08-16", env=env)
    assert r.returncode == 0, r.stderr
    assert world.log()[0]["entries"] == [{"question": DEFAULT_WEEKLY_QUESTIONS[0], "answer": "via VISUAL"}]


def test_editor_mentions_earlier_versions(world, editor):
    world.daemon()
    r = world.run_client("answer", "--date", "2023-08-16", input="first version")
    assert r.returncode == 0, r.stderr
    env = world.env_with(EDITOR=editor, EDITOR_ANSWERS=json.dumps(["second version"]))
    r = world.run_client_tty("answer", "--date", "2023-08-18", env=env)
    assert r.returncode == 0, r.stderr
    assert "This period has 1 earlier answer; it will be kept beside the new one." in r.stderr
    assert [a["entries"][0]["answer"] for a in world.log()] == ["second version", "first version"]


def test_log_with_more_than_a_mebibyte_of_answers(world):
    """Each answer is within the 512 KiB a review may have, but together they
    pass the 1 MiB a single Varlink message may carry. Years of weekly reviews
    get there; `lookback log` must still show them."""
    world.daemon()
    chunk = ("가나다라마바사 " * 16 + "\n") * 1150  # about 400 KB of UTF-8 per answer
    assert 350_000 < len(chunk.encode()) < 512 * 1024
    for date in ("2023-08-02", "2023-08-09", "2023-08-16"):
        r = world.run_client("answer", "--date", date, input=chunk)
        assert r.returncode == 0, r.stderr
    r = world.run_client("--json", "log")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["answers"]) == 3
    r = world.run_client("log")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("Weekly review for 2023-W") == 3
