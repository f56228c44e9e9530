"""Your data is yours: export (JSON checked against the checked-in schema,
Markdown), merge-import by id (idempotent, union from either side,
tombstones win), refused files leave the database byte-for-byte
unchanged, and undo / forget remove a record from every view."""

import hashlib
import json
import os
import pathlib
import signal
import time

import jsonschema
import pytest

from conftest import varlink_call

SCHEMA = json.loads((pathlib.Path(os.environ.get("LOOKBACK_SOURCE_DIR", "."))
                     / "daemon" / "lookback-export.schema.json").read_text())

CONFIG = """
[habit "reading"]
every = day

[habit "tennis"]
every = week
times = 2
"""


def call(world, method, **params):
    reply = varlink_call(world.socket, "io.lookback." + method, params)
    assert "error" not in reply, reply
    return reply["parameters"]


def export(world, *args):
    r = world.run_client("export", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def export_doc(world):
    doc = json.loads(export(world))
    jsonschema.validate(doc, SCHEMA)
    return doc


def comparable(doc):
    """A document without what differs between two machines' exports of
    the same records: when and where it was written."""
    d = dict(doc)
    for k in ("exported_at", "device", "host"):
        d.pop(k, None)
    return d


def import_file(world, path, *args):
    return world.json("import", str(path), *args)


def counts(reply):
    return {k["kind"]: (k["added"], k["had"]) for k in reply["kinds"] if k["added"] or k["had"]}


def fill(world, tag, day="2026-11-20"):
    """Some of everything, different per @tag."""
    call(world, "Done", habit="reading", date=day, note=f"{tag}: a chapter")
    call(world, "Done", habit="tennis", date=day)
    call(world, "Skip", habit="reading", date="2026-11-21", note=f"{tag} was ill")
    call(world, "Pause", habit="tennis", **{"from": "2026-11-01", "to": "2026-11-05", "reason": f"{tag} trip"})
    call(world, "Answer", kind="weekly", date=day,
         entries=[{"question": "What went well?", "answer": f"{tag}: 잘 됐다"},
                  {"question": "What next?", "answer": "more"}])
    g = call(world, "GoalAdd", text=f"{tag} goal")
    call(world, "GoalSet", id=g["id"], status="achieved", reason="done it")
    return g["id"]


def db_state(world):
    """The database's bytes (with its WAL), to prove nothing was written."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = pathlib.Path(str(world.database) + suffix)
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_export_validates_and_round_trips(make_world):
    a, b = make_world(), make_world()
    a.daemon(CONFIG)
    b.daemon(CONFIG)
    fill(a, "A")
    doc = export_doc(a)
    assert doc["format"] == "lookback-export" and doc["version"] == 1
    assert len(doc["answers"]) == 1 and len(doc["answers"][0]["entries"]) == 2
    assert {c["habit"] for c in doc["checkins"]} == {"reading", "tennis"}
    assert doc["goals"][0]["changes"][0]["status"] == "achieved"
    assert doc["skips"][0]["note"] == "A was ill"
    assert doc["pauses"][0]["reason"] == "A trip" and doc["pauses"][0]["to"] == "2026-11-05"
    path = a.write("a.json", json.dumps(doc))

    first = import_file(b, path)
    assert counts(first) == {"answer": (1, 0), "checkin": (2, 0), "skip": (1, 0), "pause": (1, 0),
                             "goal": (1, 0), "goal-change": (1, 0), "prompt": (0, 0)} or \
        {k: v for k, v in counts(first).items() if k != "prompt"} == {
            "answer": (1, 0), "checkin": (2, 0), "skip": (1, 0), "pause": (1, 0), "goal": (1, 0),
            "goal-change": (1, 0)}
    assert comparable(export_doc(b)) == comparable(doc)
    # The same file again: nothing new, nothing changed.
    before = export_doc(b)
    second = import_file(b, path)
    assert all(k["added"] == 0 and k["updated"] == 0 for k in second["kinds"]), second
    assert comparable(export_doc(b)) == comparable(before)
    # The goal's fate came with its history.
    goals = b.json("goal", "list", "--all")["goals"]
    assert [(g["text"], g["status"], g["reason"]) for g in goals] == [("A goal", "achieved", "done it")]
    # The report counts the imported check-ins.
    habits = {h["name"]: h for h in b.json("habits")["habits"]}
    assert habits["reading"]["total"] == 1 and habits["tennis"]["total"] == 1


def test_merge_is_a_union_from_either_side(make_world):
    a, b = make_world(), make_world()
    a.daemon(CONFIG)
    b.daemon(CONFIG)
    fill(a, "A")
    fill(b, "B", day="2026-11-25")
    # Overlap: B already has A's records once A's export went there.
    pa = a.write("a.json", export(a))
    import_file(b, pa)
    pb = b.write("b.json", export(b))
    pa = a.write("a.json", export(a))
    ra = import_file(a, pb)
    rb = import_file(b, pa)
    assert all(k["added"] == 0 for k in rb["kinds"]), rb  # B had all of A already
    assert sum(k["added"] for k in ra["kinds"]) > 0
    assert comparable(export_doc(a)) == comparable(export_doc(b))
    # Two answers for one week from two machines: both versions kept.
    week = [x for x in a.log("--from", "2026-11-16", "--to", "2026-11-29")]
    assert len(week) == 2


def test_tombstone_travels_and_holds(make_world):
    a, b = make_world(), make_world()
    a.daemon(CONFIG)
    b.daemon(CONFIG)
    fill(a, "A")
    pa = a.write("a-old.json", export(a))
    import_file(b, pa)
    checkin = [c for c in export_doc(a)["checkins"] if c["habit"] == "reading"][0]
    r = a.run_client("forget", checkin["id"][:8], "--yes")
    assert r.returncode == 0, r.stderr
    assert "check-in of reading" in r.stdout
    doc = export_doc(a)
    assert checkin["id"] not in [c["id"] for c in doc["checkins"]]
    assert [t["id"] for t in doc["tombstones"]] == [checkin["id"]]
    # The old copy does not bring it back here...
    again = import_file(a, pa)
    assert {k["kind"]: k["forgotten"] for k in again["kinds"]}["checkin"] == 1
    assert checkin["id"] not in [c["id"] for c in export_doc(a)["checkins"]]
    # ...and the tombstone removes it there.
    gone = import_file(b, a.write("a-new.json", export(a)))
    assert gone["removed"] == 1
    assert checkin["id"] not in [c["id"] for c in export_doc(b)["checkins"]]
    assert {h["name"]: h["total"] for h in b.json("habits")["habits"]}["reading"] == 0


def settled_db_state(world):
    """db_state once the daemon's own background writes are done (a lapse
    check runs half a second after a write settles): the same for 1.5 s."""
    state, since = db_state(world), time.monotonic()
    deadline = since + 20
    while time.monotonic() - since < 1.5:
        assert time.monotonic() < deadline, "the database never settled"
        time.sleep(0.1)
        now = db_state(world)
        if now != state:
            state, since = now, time.monotonic()
    return state


def test_refused_files_change_nothing(world):
    world.daemon(CONFIG + "\n[backup]\nenabled = no\n")
    fill(world, "A")
    good = export(world)
    doc = json.loads(good)
    before = settled_db_state(world)
    other_checkin = dict(doc["checkins"][0], note="something else")
    cases = {
        "malformed": ("{\"format\": \"lookback-export\", \"version\": 1,, }", "line 1"),
        "future": (json.dumps(dict(doc, version=2)), "newer"),
        "wrong format": (json.dumps(dict(doc, format="jrnl")), "not a lookback export"),
        "not json object": ("[1, 2]", "not a JSON object"),
        "bad date": (json.dumps(dict(doc, checkins=[dict(doc["checkins"][0], date="2026-13-01")])), "$.checkins[0]"),
        "unknown field": (json.dumps(dict(doc, extra=1)), "unknown field"),
        "same id, other content": (json.dumps(dict(doc, checkins=[other_checkin])), "different content"),
        "bad utf-8": (None, "JSON"),
    }
    for name, (text, expect) in cases.items():
        p = world.base / "bad.json"
        if text is None:
            p.write_bytes(good.encode()[:200] + b"\xff\xfe" + good.encode()[200:])
        else:
            p.write_text(text)
        r = world.run_client("import", p)
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert expect in r.stderr and "Nothing was changed" in r.stderr, (name, r.stderr)
        assert db_state(world) == before, name
    # Truncated at 50 places: each is refused with its position.
    step = max(1, len(good) // 51)
    for i in range(1, 51):
        p = world.base / "cut.json"
        p.write_text(good[:i * step])
        r = world.run_client("import", p)
        assert r.returncode == 1 and "line" in r.stderr, (i * step, r.stderr)
    assert db_state(world) == before
    # A file over the limit is refused before it is read.
    big = world.base / "big.json"
    with open(big, "wb") as f:
        f.truncate(100 * 1000 * 1000)
    r = world.run_client("import", big)
    assert r.returncode == 1 and "MB" in r.stderr, r.stderr
    # A FIFO is not read at all.
    fifo = world.base / "fifo.json"
    os.mkfifo(fifo)
    r = world.run_client("import", fifo, timeout=10)
    assert r.returncode == 1 and "not a regular file" in r.stderr
    assert db_state(world) == before


def test_dry_run_counts_and_keeps_nothing(make_world):
    a, b = make_world(), make_world()
    a.daemon(CONFIG)
    b.daemon(CONFIG)
    fill(a, "A")
    p = a.write("a.json", export(a))
    before = export_doc(b)
    r = b.run_client("import", p, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "would add" in r.stdout and "Dry run" in r.stdout
    assert comparable(export_doc(b)) == comparable(before)
    real = import_file(b, p)
    assert counts(real)["checkin"] == (2, 0)


def test_undo_takes_back_the_last_local_record(world):
    world.daemon(CONFIG)
    r = world.run_client("undo", "--yes")
    assert r.returncode == 0 and "Nothing to undo" in r.stderr
    call(world, "Done", habit="reading", note="first")
    call(world, "Done", habit="reading", note="second")
    assert {h["name"]: h["this_period"] for h in world.json("habits")["habits"]}["reading"] == 2
    # Without a terminal and without --yes: shown, not removed.
    r = world.run_client("undo")
    assert r.returncode == 1 and "second" in r.stderr and "--yes" in r.stderr
    r = world.run_client("undo", "--yes")
    assert r.returncode == 0 and "second" in r.stdout
    assert {h["name"]: h["this_period"] for h in world.json("habits")["habits"]}["reading"] == 1
    hist = world.json("history", "reading")["events"]
    assert [e["note"] for e in hist] == ["first"]
    # The search index forgets it too.
    assert call(world, "Search", query="second")["total"] == 0


def test_forget_goal_change_restores_previous_fate(world):
    world.daemon(CONFIG)
    g = call(world, "GoalAdd", text="run a marathon")
    call(world, "GoalSet", id=g["id"], status="dropped", reason="knee")
    call(world, "GoalSet", id=g["id"], status="open")
    assert world.json("goal", "list")["goals"][0]["status"] == "open"
    r = world.run_client("undo", "--yes")
    assert r.returncode == 0 and "goal change" in r.stdout, r.stdout
    goals = world.json("goal", "list", "--all")["goals"]
    assert goals[0]["status"] == "dropped" and goals[0]["reason"] == "knee"
    # Forgetting the goal takes its history with it.
    r = world.run_client("forget", g["id"][:6], "--yes")
    assert r.returncode == 0, r.stderr
    assert world.json("goal", "list", "--all")["goals"] == []
    r = world.run_client("forget", "abc", "--yes")
    assert r.returncode != 0
    r = world.run_client("forget", "ffffffff", "--yes")
    assert r.returncode == 1 and "no record" in r.stderr


def test_forget_answer_version_brings_back_the_one_before(world):
    world.daemon(CONFIG)
    call(world, "Answer", kind="weekly", date="2026-11-20", entries=[{"question": "Q", "answer": "old text"}])
    new = call(world, "Answer", kind="weekly", date="2026-11-20", entries=[{"question": "Q", "answer": "new text"}])
    r = world.run_client("forget", new["id"][:8], "--yes")
    assert r.returncode == 0, r.stderr
    log = world.log("--from", "2026-11-16", "--to", "2026-11-22")
    assert [a["entries"][0]["answer"] for a in log] == ["old text"]
    assert call(world, "Search", query="new")["total"] == 0
    assert call(world, "Search", query="old")["total"] == 1


def test_markdown_export_reads_as_a_journal(world):
    world.daemon(CONFIG)
    fill(world, "A")
    call(world, "Answer", kind="weekly", date="2026-11-27", entries=[{"question": "What went well?", "answer": "later"}])
    md = export(world, "--format", "markdown")
    assert md.startswith("# lookback journal")
    assert md.index("later") < md.index("A: 잘 됐다")  # newest review first
    assert md.index("# Habits") > md.index("A: 잘 됐다")
    assert "A: a chapter" in md and "skipped: A was ill" in md and "**A goal**" in md
    out = world.base / "journal.md"
    r = world.run_client("export", "--format", "markdown", "--output", out)
    assert r.returncode == 0 and out.read_text() == md
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_answer_edit_adds_a_version_with_the_old_text(world, editor):
    world.daemon(CONFIG)
    first = call(world, "Answer", kind="weekly", date="2026-11-20",
                 entries=[{"question": "What went well?", "answer": "tennis twice"},
                          {"question": "Old question", "answer": "kept as asked"}])
    seen = world.base / "seen.txt"
    env = world.env_with(EDITOR=editor, EDITOR_ANSWERS=json.dumps(["and reading", ""]), EDITOR_SEEN=seen)
    r = world.run_client_tty("answer", "--edit", first["id"][:8], env=env)
    assert r.returncode == 0, r.stderr
    text = seen.read_text()
    # The editor was given the old text under the answer's own questions.
    assert "## What went well?\ntennis twice" in text and "## Old question\nkept as asked" in text
    log = world.log("--from", "2026-11-16", "--to", "2026-11-22")
    assert len(log) == 2  # the old version is kept
    assert log[0]["entries"][0]["answer"] == "and reading\ntennis twice"
    assert log[1]["id"] == first["id"]
    # Without an id: the period's newest version; a period without an
    # answer has nothing to edit.
    env = world.env_with(EDITOR=editor, EDITOR_ANSWERS=json.dumps(["third"]), EDITOR_SEEN=seen)
    r = world.run_client_tty("answer", "--edit", "--date", "2026-11-20", env=env)
    assert r.returncode == 0, r.stderr
    assert "and reading" in seen.read_text()
    r = world.run_client_tty("answer", "--edit", "--date", "2026-10-01", env=env)
    assert r.returncode == 1 and "no answer to edit" in r.stderr
    r = world.run_client("answer", "--edit")
    assert r.returncode == 2 and "terminal" in r.stderr


def test_imported_notes_join_the_journal(world):
    world.daemon(CONFIG)
    doc = json.loads(export(world))
    note = {"id": "0b7c4a3e-9d55-5e0a-8f41-2a6a0c7d1e11", "date": "2025-12-03", "title": "첫눈",
            "body": "The first snow; 산책을 했다.", "recorded_at": "2025-12-03T21:00:00.000000Z",
            "device": "0" * 32}
    doc["notes"] = [note]
    jsonschema.validate(doc, SCHEMA)
    r = import_file(world, world.write("notes.json", json.dumps(doc)))
    assert counts(r)["note"] == (1, 0)
    hits = call(world, "Search", query="산책")["hits"]
    assert [(h["source"], h["date"]) for h in hits] == [("note", "2025-12-03")]
    assert hits[0]["text"].startswith("첫눈\n")
    assert call(world, "Search", query="snow", kind="notes")["total"] == 1
    years = call(world, "OnThisDay", date="2026-12-03")["years"]
    assert [e["source"] for y in years for e in y["entries"]] == ["note"]
    out = export(world, "--format", "markdown")
    assert "## 2025-12-03 — 첫눈" in out
    # Forgotten, it leaves the index too.
    assert world.run_client("forget", note["id"][:8], "--yes").returncode == 0
    assert call(world, "Search", query="산책")["total"] == 0


SAMPLES = pathlib.Path(os.environ.get("LOOKBACK_SOURCE_DIR", ".")) / "tests" / "samples"


@pytest.mark.parametrize("fmt, path, extra, kind", [
    ("loop", "loop", (), "checkin"),
    ("jrnl", "jrnl.json", (), "note"),
    ("jrnl", "jrnl.json", ("--as", "weekly"), "answer"),
    ("markdown", "markdown", (), "note"),
])
def test_other_programs_import_once(world, fmt, path, extra, kind):
    world.daemon(CONFIG)
    first = import_file(world, SAMPLES / path, "--from", fmt, *extra)
    added = {k["kind"]: k["added"] for k in first["kinds"]}
    assert added[kind] > 0, first
    if fmt == "loop":
        # Loop's habits are not configured here: named, with the sections to add.
        assert first["unknown_habits"] and first["config"]
        assert all("[habit " in c for c in first["config"])
    again = import_file(world, SAMPLES / path, "--from", fmt, *extra)
    assert all(k["added"] == 0 for k in again["kinds"]), again
    assert {k["kind"]: k["had"] for k in again["kinds"]}[kind] == added[kind]
    doc = export_doc(world)
    if kind == "note":
        assert len(doc["notes"]) == added["note"]
        word = next(w for n in doc["notes"] for w in n["body"].split() if w.isalpha() and len(w) > 3)
        assert call(world, "Search", query=word)["total"] >= 1
    if kind == "answer":
        weeks = [(a["period_start"]) for a in doc["answers"]]
        assert len(weeks) == len(set(weeks))  # one answer per week, entries for its entries


def test_loop_habits_count_once_configured(world):
    world.daemon(CONFIG)
    first = import_file(world, SAMPLES / "loop", "--from", "loop")
    world.write_config(CONFIG + "\n" + "\n".join(first["config"]))
    r = world.run_client("status")
    world.daemons[0].signal(signal.SIGHUP)  # reload the config
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        names = {h["name"]: h for h in world.json("habits")["habits"]}
        if all(u in names for u in first["unknown_habits"]):
            break
        time.sleep(0.05)
    names = {h["name"]: h for h in world.json("habits")["habits"]}
    checkins = sum(1 for c in export_doc(world)["checkins"])
    assert sum(names[u]["total"] for u in first["unknown_habits"] if u in names) == checkins
    assert r.returncode == 0
