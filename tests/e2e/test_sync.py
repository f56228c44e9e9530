"""Sync through a folder: two daemons with their own homes and one shared
folder (a plain directory, or one a test carries by hand: late, out of
order, cut mid-line, as a Syncthing conflict copy, through git). Both
reach the same records whatever the order; nothing acknowledged is lost,
nothing doubled; tombstones hold; a goal changed on both sides ends the
same on both; a prompt answered on one is settled on the other."""

import json
import os
import pathlib
import random
import shutil
import signal
import subprocess
import time

import pytest

from conftest import varlink_call, wait_for
from test_data import call, comparable, export_doc, fill

DEVICE_A = "a" * 32
DEVICE_B = "b" * 32


def config(folder, extra=""):
    return f"""
[sync]
folder = {folder}

[habit "reading"]
every = day

[habit "tennis"]
every = week
times = 2

[habit "water"]
every = day
times = 2
{extra}"""


def pair(make_world, folder_a, folder_b=None, start=True):
    a, b = make_world(), make_world()
    a.env["LOOKBACK_DEVICE_ID"] = DEVICE_A
    b.env["LOOKBACK_DEVICE_ID"] = DEVICE_B
    a.sync_config = config(folder_a)
    b.sync_config = config(folder_b or folder_a)
    if start:
        a.daemon(a.sync_config)
        b.daemon(b.sync_config)
    return a, b


def records(world):
    """The export without what differs between machines (when, where
    written, prompts' firing) and in a stable order."""
    doc = comparable(export_doc(world))
    doc.pop("prompts")
    return doc


def settle_equal(a, b, timeout=20):
    def same():
        ra, rb = records(a), records(b)
        return (ra, rb) if ra == rb else None
    try:
        return wait_for(same, timeout=timeout, interval=0.2, what="both machines to hold the same records")[0]
    except AssertionError:
        ra, rb = records(a), records(b)
        for k in ra:
            if ra[k] != rb[k]:
                print(k, "\nA:", json.dumps(ra[k], indent=1)[:3000], "\nB:", json.dumps(rb[k], indent=1)[:3000])
        raise


def lines(path):
    return [json.loads(l) for l in pathlib.Path(path).read_text().splitlines()]


def test_two_machines_converge_through_a_shared_folder(make_world, tmp_path):
    folder = tmp_path / "Sync"
    a, b = pair(make_world, folder)
    fill(a, "A")
    fill(b, "B", day="2026-11-25")
    doc = settle_equal(a, b)
    assert len(doc["answers"]) == 2 and len(doc["goals"]) == 2
    assert sorted(os.listdir(folder)) == [DEVICE_A + ".jsonl", DEVICE_B + ".jsonl"]
    own = lines(folder / (DEVICE_A + ".jsonl"))
    assert own[0]["format"] == "lookback-sync" and own[0]["device"] == DEVICE_A and own[0]["host"]
    seqs = [l["seq"] for l in own[1:]]
    assert seqs == sorted(set(seqs)), "sequence numbers grow and never repeat"
    status = a.json("sync", "status")
    assert status["pending"] == 0 and status["reason"] is None
    seen = {d["device"]: d for d in status["devices"]}
    assert seen[DEVICE_B]["unread_bytes"] == 0 and seen[DEVICE_B]["host"]
    assert a.json("status")["sync"] is None
    assert "sync:" not in a.run_client("status").stdout, "status mentions sync only when something is wrong"


def try_call(world, method, **params):
    """The reply's parameters, or None when the daemon refused or was not
    there (killed mid-call): then nothing was acknowledged."""
    try:
        reply = varlink_call(world.socket, "io.lookback." + method, params, timeout=5)
    except (OSError, ValueError, ConnectionError):
        return None
    return None if "error" in reply else reply["parameters"]


def test_concurrent_writes_kills_and_restarts_converge(make_world, tmp_path):
    """Both machines write at once (check-ins, answers, goals changed on
    both sides, forgets), each killed with SIGKILL and restarted now and
    then. Afterwards: the same records on both, every acknowledged one
    there unless forgotten, none twice, every forgotten one gone on both."""
    import threading
    folder = tmp_path / "Sync"
    a, b = pair(make_world, folder, start=False)
    daemons = {"A": a.daemon(a.sync_config), "B": b.daemon(b.sync_config)}
    worlds = {"A": a, "B": b}
    acked = {"A": [], "B": []}
    forgotten = {"A": [], "B": []}
    goals = []
    shared_goal = call(a, "GoalAdd", text="a goal both change")["id"]
    wait_for(lambda: try_call(b, "GoalSet", id=shared_goal, status="open"), timeout=10, what="the goal on B")
    kills = {"A": 0, "B": 0}

    def work(tag, seed):
        rnd = random.Random(seed)
        w = worlds[tag]
        for i in range(150):
            op = rnd.random()
            if op < 0.06:
                daemons[tag].signal(signal.SIGKILL)
                daemons[tag].wait_exit()
                kills[tag] += 1
                daemons[tag].start()
                continue
            if op < 0.45:
                habit = rnd.choice(["reading", "water", "tennis"])
                day = f"2026-11-{rnd.randint(1, 28):02d}"
                r = try_call(w, "Done", habit=habit, date=day, note=f"{tag}{i}")
            elif op < 0.6:
                r = try_call(w, "Answer", kind="weekly", date=f"2026-11-{rnd.randint(1, 28):02d}",
                             entries=[{"question": "What went well?", "answer": f"{tag} {i} 잘"}])
            elif op < 0.7:
                r = try_call(w, "GoalAdd", text=f"{tag} goal {i}")
                if r:
                    goals.append(r["id"])
            elif op < 0.85:
                status = rnd.choice(["achieved", "dropped", "open"])
                r = try_call(w, "GoalSet", id=shared_goal, status=status, reason=f"{tag} {i}")
                r = None  # a change, not a record to count
            else:
                mine = [x for x in acked[tag] if x not in forgotten[tag]]
                if not mine:
                    continue
                victim = rnd.choice(mine)
                r = try_call(w, "Forget", id=victim)
                if r and r["forgotten"]:
                    forgotten[tag].append(victim)
                r = None
            if r and "id" in r:
                acked[tag].append(r["id"])

    threads = [threading.Thread(target=work, args=(t, s)) for t, s in (("A", 1), ("B", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    for tag in daemons:
        if daemons[tag].proc.poll() is not None:
            daemons[tag].start()
    doc = settle_equal(a, b, timeout=30)
    ids = [r["id"] for k in ("answers", "checkins", "goals") for r in doc[k]]
    assert len(ids) == len(set(ids)), "nothing doubled"
    gone = set(forgotten["A"] + forgotten["B"])
    for tag in acked:
        missing = [x for x in acked[tag] if x not in gone and x not in ids]
        assert not missing, f"{tag}: acknowledged but lost: {missing}"
    assert not gone & set(ids), "tombstones hold on both"
    assert {t["id"] for t in doc["tombstones"]} >= gone
    goal_a = [g for g in a.json("goal", "list", "--all")["goals"] if g["id"] == shared_goal]
    goal_b = [g for g in b.json("goal", "list", "--all")["goals"] if g["id"] == shared_goal]
    assert goal_a == goal_b, "the goal changed on both sides ends the same on both"
    assert a.json("habits") == b.json("habits"), "every view renders the same numbers"
    print(f"acked A={len(acked['A'])} B={len(acked['B'])}, forgotten {len(gone)}, kills {kills}")


def own_file(folder, device):
    return pathlib.Path(folder) / (device + ".jsonl")


def test_files_carried_late_out_of_order_cut_and_as_conflict_copies(make_world, tmp_path):
    """Each machine has its own folder; the test is the file-sync program,
    and a bad one: it delivers late, cuts a file mid-line, brings an older
    copy back as a Syncthing conflict copy, a new generation before the
    old one, and leaves temporary and unknown files about."""
    fa, fb = tmp_path / "A", tmp_path / "B"
    a, b = pair(make_world, fa, fb)
    fill(a, "A")
    src = own_file(fa, DEVICE_A)
    wait_for(lambda: src.exists() and len(src.read_text().splitlines()) >= 8, what="A's log")
    v1 = src.read_bytes()
    # Mid-transfer: the file ends inside a line.
    cut = v1.rindex(b"\n", 0, len(v1) - 1) + 20
    dst = own_file(fb, DEVICE_A)
    (fb / ".syncthing.{}.jsonl.tmp".format(DEVICE_A)).write_bytes(v1[:100])
    (fb / "README.txt").write_text("not ours")
    dst.write_bytes(v1[:cut])
    wait_for(lambda: b.json("sync", "status")["devices"] and
             [d for d in b.json("sync", "status")["devices"] if d["device"] == DEVICE_A and d["unread_bytes"] > 0],
             what="B to read the complete lines and wait for the rest")
    with open(dst, "ab") as f:
        f.write(v1[cut:])
    doc = settle_equal(a, b)
    assert len(doc["checkins"]) == 2
    # A goes on, compacts (a new generation), goes on again.
    call(a, "Done", habit="water", date="2026-11-22", note="after v1")
    wait_for(lambda: b"after v1" in src.read_bytes(), what="A's append")
    v2 = src.read_bytes()
    assert a.json("sync", "compact")["changes"] >= 8
    call(a, "Done", habit="water", date="2026-11-23", note="after compact")
    wait_for(lambda: b"after compact" in src.read_bytes(), what="A's append after compacting")
    v4 = src.read_bytes()
    assert not v4.startswith(v2[:200]), "a new generation"
    # Delivered out of order: the new generation first, then the old file
    # comes back as a conflict copy, then the old file itself again.
    dst.write_bytes(v4)
    settle_equal(a, b)
    (fb / f"{DEVICE_A}.sync-conflict-20261203-120000-ABCDEFG.jsonl").write_bytes(v2)
    dst.write_bytes(v2)
    time.sleep(1)
    doc = settle_equal(a, b)
    assert len([c for c in doc["checkins"] if c["habit"] == "water"]) == 2, "nothing doubled"
    # A line that is not JSON, in the middle: skipped with file and line, the rest applied.
    call(a, "Done", habit="reading", date="2026-11-24", note="after the bad line")
    wait_for(lambda: b"after the bad line" in src.read_bytes(), what="A's append")
    good = src.read_bytes().splitlines(keepends=True)
    bad = b"".join(good[:-1]) + b"{this is not json\n" + good[-1]
    dst.write_bytes(bad)
    settle_equal(a, b)
    n_line = len(good)
    assert f"{DEVICE_A}.jsonl:{n_line}:" in b.daemons[0].stderr and "skipping the line" in b.daemons[0].stderr
    assert b.json("status")["sync"] is None, "a bad line of another machine is not this machine's failure"


def test_shared_folder_prompt_settled_on_one_closes_on_the_other(make_world, tmp_path):
    """Prompts are shown once per person: answered on A, the prompt is no
    longer pending on B and its notification there is closed."""
    from test_one_truth import mock_calls
    folder = tmp_path / "Sync"
    a, b = pair(make_world, folder)
    for w in (a, b):
        assert w.run_client("remind", "weekly").returncode == 0
        w.bus.wait_notifications(1)
    assert b.json("status")["pending"]
    r = a.run_client("answer", "weekly", "--file", "-", input="Done on the laptop.\n")
    assert r.returncode == 0, r.stderr
    wait_for(lambda: not b.json("status")["pending"], what="the prompt settled on B")
    wait_for(lambda: mock_calls(b.bus, "CloseNotification"), what="B's notification closed")
    assert mock_calls(b.bus, "CloseNotification") == ["CloseNotification 1"]


def test_check_ins_on_two_machines_both_count(make_world, tmp_path):
    """Two check-ins of one day on two machines are two check-ins: water
    (times = 2 a day) is done for the day by one on each; reading (once a
    day) keeps both, and one was enough."""
    folder = tmp_path / "Sync"
    a, b = pair(make_world, folder)
    today = a.json("status")["today"]
    call(a, "Done", habit="water", note="laptop")
    call(b, "Done", habit="water", note="desktop")
    call(a, "Done", habit="reading")
    call(b, "Done", habit="reading")
    settle_equal(a, b)
    for w in (a, b):
        habits = {h["name"]: h for h in w.json("habits")["habits"]}
        assert habits["water"]["this_period"] == 2 and habits["water"]["times"] == 2, habits["water"]
        assert habits["reading"]["this_period"] == 2 and habits["reading"]["times"] == 1
        assert habits["water"]["status"] == habits["reading"]["status"], "both done for the day"
    assert a.json("habits") == b.json("habits")
    assert today


def test_pause_ended_on_both_sides_ends_the_same(make_world, tmp_path):
    """Last writer wins for a pause's end, by the hybrid clock: resumed on
    both machines before either heard of the other, both keep the later
    resume."""
    fa, fb = tmp_path / "A", tmp_path / "B"
    a, b = pair(make_world, fa, fb)
    call(a, "Pause", habit="tennis", **{"from": "2026-10-01"})
    wait_for(lambda: b'"pause"' in own_file(fa, DEVICE_A).read_bytes(), what="the pause in A's log")
    shutil.copy(own_file(fa, DEVICE_A), own_file(fb, DEVICE_A))
    settle_equal(a, b)
    r = a.run_client("resume", "tennis", "--date", "2026-11-10")
    assert r.returncode == 0, r.stderr
    time.sleep(0.05)
    r = b.run_client("resume", "tennis", "--date", "2026-11-12")
    assert r.returncode == 0, r.stderr
    wait_for(lambda: b'"op":"end"' in own_file(fb, DEVICE_B).read_bytes(), what="B's resume in its log")
    wait_for(lambda: b'"op":"end"' in own_file(fa, DEVICE_A).read_bytes(), what="A's resume in its log")
    shutil.copy(own_file(fa, DEVICE_A), own_file(fb, DEVICE_A))
    shutil.copy(own_file(fb, DEVICE_B), own_file(fa, DEVICE_B))
    doc = settle_equal(a, b)
    assert doc["pauses"][0]["to"] == "2026-11-11", "B resumed later: its end (the day before) wins on both"


def test_git_carries_the_folder_without_conflicts(make_world, tmp_path):
    """The folder is a git clone on each machine; commits, pulls and
    pushes through a bare remote never conflict (one writer per file) and
    both converge."""
    git = shutil.which("git")
    if not git:
        pytest.skip("git is not installed")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", HOME=str(tmp_path))

    def g(cwd, *args):
        r = subprocess.run([git, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"git {args}: {r.stdout}{r.stderr}"
        return r.stdout

    remote = tmp_path / "remote.git"
    g(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    fa, fb = tmp_path / "A", tmp_path / "B"
    g(tmp_path, "clone", "-q", str(remote), str(fa))
    g(tmp_path, "clone", "-q", str(remote), str(fb))
    a, b = pair(make_world, fa, fb)

    def sync(cwd, tag):
        g(cwd, "add", "-A")
        if g(cwd, "status", "--porcelain"):
            g(cwd, "commit", "-q", "-m", f"lookback from {tag}")
        g(cwd, "pull", "-q", "--rebase", "origin", "main") if g(cwd, "ls-remote", "origin", "main") else None
        g(cwd, "push", "-q", "origin", "HEAD:main")

    fill(a, "A")
    fill(b, "B", day="2026-11-25")
    wait_for(lambda: own_file(fa, DEVICE_A).exists() and own_file(fb, DEVICE_B).exists(), what="both logs")
    time.sleep(0.5)
    for _ in range(2):
        sync(fa, "A")
        sync(fb, "B")
    doc = settle_equal(a, b)
    assert len(doc["goals"]) == 2
    a.run_client("sync", "compact")
    call(b, "Done", habit="reading", date="2026-11-26")
    time.sleep(0.5)
    for _ in range(2):
        sync(fa, "A")
        sync(fb, "B")
    settle_equal(a, b)


def test_a_failed_write_shows_in_status_and_nothing_is_lost(make_world, tmp_path):
    """This machine's file cannot be written (a directory took its name):
    `lookback status` says so and the changes wait in the outbox; once the
    file can be written again, the next change writes it afresh, with
    everything."""
    folder = tmp_path / "Sync"
    a, b = pair(make_world, folder)
    call(a, "Done", habit="reading", date="2026-11-20")
    own = own_file(folder, DEVICE_A)
    wait_for(lambda: b'"checkin"' in own.read_bytes(), what="A's log")
    own.unlink()
    own.mkdir()
    call(a, "Done", habit="reading", date="2026-11-21", note="while it fails")
    problem = wait_for(lambda: a.json("status")["sync"], what="the failure in Status")
    assert problem["pending"] == 1 and "cannot open" in problem["reason"], problem
    text = a.run_client("status").stdout
    assert "sync: cannot open" in text and "1 change waiting" in text, text
    assert b.json("status")["sync"] is None
    own.rmdir()
    call(a, "Done", habit="water", date="2026-11-21")
    wait_for(lambda: a.json("status")["sync"] is None, what="sync to work again")
    doc = settle_equal(a, b)
    assert len(doc["checkins"]) == 3
