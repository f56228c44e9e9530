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
