"""The Varlink protocol spoken raw: introspection, errors, framing faults,
stalled and many concurrent clients, oneway calls. Hostile clients (frames
over the limit, floods, slow readers) are in test_hostile.py."""

import json
import re
import socket
import time

import pytest

from conftest import SLOW, SOURCE_DIR, Varlink, varlink_call

METHODS = ["GetTemplate", "Answer", "Done", "Status", "Habits", "Log"]
INVALID_PARAMETER = "org.varlink.service.InvalidParameter"


@pytest.fixture
def daemon(world):
    return world.daemon()


def test_get_info(world, daemon):
    reply = varlink_call(world.socket, "org.varlink.service.GetInfo")
    assert "error" not in reply
    p = reply["parameters"]
    assert "io.lookback" in p["interfaces"]
    assert "org.varlink.service" in p["interfaces"]
    assert p["product"] == "lookbackd"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", p["version"])


def test_get_interface_description(world, daemon):
    reply = varlink_call(world.socket, "org.varlink.service.GetInterfaceDescription", {"interface": "io.lookback"})
    description = reply["parameters"]["description"]
    assert "interface io.lookback" in description
    assert "method Answer" in description
    for name in METHODS:
        assert re.search(rf"^method {name}\(", description, re.M), name
    # It is the documented interface file, compiled in: the same methods and errors.
    shipped = (SOURCE_DIR / "daemon" / "io.lookback.varlink").read_text(encoding="utf-8")
    declared = re.compile(r"^(method|error) (\w+)", re.M)
    assert set(declared.findall(description)) == set(declared.findall(shipped))

    # Every method the description documents really exists (none is MethodNotFound).
    with Varlink(world.socket) as v:
        for name in re.findall(r"^method (\w+)\(", description, re.M):
            reply = v.call(f"io.lookback.{name}", {})
            assert reply.get("error") != "org.varlink.service.MethodNotFound", name

    service = varlink_call(world.socket, "org.varlink.service.GetInterfaceDescription",
                           {"interface": "org.varlink.service"})
    assert "method GetInfo()" in service["parameters"]["description"]
    missing = varlink_call(world.socket, "org.varlink.service.GetInterfaceDescription", {"interface": "com.nope"})
    assert missing["error"] == "org.varlink.service.InterfaceNotFound"
    assert missing["parameters"] == {"interface": "com.nope"}


def test_unknown_method(world, daemon):
    reply = varlink_call(world.socket, "io.lookback.Frobnicate", {})
    assert reply["error"] == "org.varlink.service.MethodNotFound"
    assert reply["parameters"]["method"] == "io.lookback.Frobnicate"


@pytest.mark.parametrize("method,parameters,bad", [
    ("io.lookback.Done", {}, "habit"),                                   # missing
    ("io.lookback.Done", {"habit": 5}, "habit"),                         # mistyped
    ("io.lookback.Done", {"habit": None}, "habit"),                      # null for a required one
    ("io.lookback.Done", {"habit": "reading", "mood": "good"}, "mood"),  # unknown
    ("io.lookback.Log", {"from": 20230816}, "from"),
    ("io.lookback.Log", {"from": "2023-02-29"}, "from"),                 # the right type, not a date
    ("io.lookback.Log", {"kind": "monthly"}, "kind"),
    ("io.lookback.Answer", {"kind": "weekly"}, "entries"),
    ("io.lookback.Answer", {"entries": "text"}, "entries"),
    ("io.lookback.Answer", {"entries": [{"question": "q"}]}, "entries"),
    ("io.lookback.Answer", {"entries": [{"question": "q", "answer": 1}]}, "entries"),
    ("io.lookback.Answer", {"entries": [{"question": "q", "answer": "a"}], "date": "someday"}, "date"),
    ("io.lookback.Status", {"verbose": True}, "verbose"),
    ("org.varlink.service.GetInterfaceDescription", {}, "interface"),
])
def test_invalid_parameter(world, daemon, method, parameters, bad):
    reply = varlink_call(world.socket, method, parameters)
    assert reply["error"] == INVALID_PARAMETER, reply
    assert reply["parameters"] == {"parameter": bad}
    assert world.log() == []


def test_invalid_json_keeps_connection(world, daemon):
    with Varlink(world.socket) as v:
        for junk in (b"{not json", b"[1, 2]", b'{"parameters": {}}', b'{"method": 7}',
                     b'{"method": "io.lookback.Status", "parameters": []}', b"\xff\xfe"):
            v.send_raw(junk + b"\0")
            reply = v.recv()
            assert reply["error"] == "io.lookback.InvalidMessage", junk
        # Still the same connection, still answering.
        reply = v.call("org.varlink.service.GetInfo")
        assert "io.lookback" in reply["parameters"]["interfaces"]


def test_message_just_under_limit_is_answered(world, daemon):
    # A message below 1 MiB is read whole, then refused on its contents only.
    with Varlink(world.socket) as v:
        v.send({"method": "io.lookback.Log", "parameters": {"kind": "x" * (1024 * 1024 - 200)}})
        reply = v.recv()
        assert reply == {"error": INVALID_PARAMETER, "parameters": {"parameter": "kind"}}
        assert v.call("io.lookback.Habits")["parameters"]["habits"]


def test_stalled_client_does_not_block_others(world):
    daemon = world.daemon(env=world.env_with(LOOKBACK_CLIENT_TIMEOUT=1))
    stalled = Varlink(world.socket)
    stalled.send_raw(b'{"method": "io.lookback.Sta')
    started = time.monotonic()
    # Another client gets its answer at once while the first one is stalled.
    for _ in range(3):
        t = time.monotonic()
        with Varlink(world.socket, timeout=2) as other:
            assert other.call("io.lookback.Status")["parameters"]["version"]
        assert time.monotonic() - t < 0.5 * SLOW
    r = world.run_client("status")
    assert r.returncode == 0, r.stderr
    # The stalled one is dropped after the 1 s timeout (not long after).
    assert stalled.is_closed(timeout=5)
    elapsed = time.monotonic() - started
    assert 0.5 < elapsed < 4 * SLOW, elapsed
    stalled.close()
    assert "sent no complete message in time" in daemon.stderr
    daemon.stop()


def test_many_clients_at_once(world, daemon):
    # One process may hold 32 connections (SERVER_CONNECTIONS_PER_PID_MAX);
    # a 33rd is told why it is turned away, and the 32 are all served.
    clients = [Varlink(world.socket, timeout=10) for _ in range(32)]
    try:
        with Varlink(world.socket) as extra:
            assert extra.recv() == {"error": "io.lookback.Busy",
                                    "parameters": {"reason": "too many connections from this process"}}
            assert extra.is_closed()
        for i, c in enumerate(clients):
            c.send({"method": "io.lookback.Status" if i % 2 else "org.varlink.service.GetInfo"})
        for i, c in enumerate(clients):
            reply = c.recv()
            assert "error" not in reply, reply
            assert ("today" if i % 2 else "interfaces") in reply["parameters"]
    finally:
        for c in clients:
            c.close()


def test_pipelined_calls_on_one_connection(world, daemon):
    with Varlink(world.socket) as v:
        v.send_raw(b"".join(json.dumps({"method": m}).encode() + b"\0"
                            for m in ("io.lookback.Habits", "org.varlink.service.GetInfo", "io.lookback.Log")))
        assert "habits" in v.recv()["parameters"]
        assert "interfaces" in v.recv()["parameters"]
        assert v.recv()["parameters"] == {"answers": []}


def test_oneway_gets_no_reply(world, daemon):
    with Varlink(world.socket) as v:
        v.send({"method": "io.lookback.Status", "oneway": True})
        v.send({"method": "io.lookback.Done", "parameters": {"habit": "nosuch"}, "oneway": True})
        # The next reply on the connection is the next call's, not the oneway ones'.
        reply = v.call("org.varlink.service.GetInfo")
        assert "interfaces" in reply["parameters"]
        v.sock.settimeout(0.3)
        try:
            extra = v.sock.recv(65536)
        except socket.timeout:
            extra = None
        assert extra is None, f"unexpected bytes after the last reply: {extra!r}"


def test_oneway_write_is_done(world, daemon):
    entries = [{"question": "What went well this week?", "answer": "Oneway, but recorded."}]
    with Varlink(world.socket) as v:
        v.send({"method": "io.lookback.Answer", "parameters": {"date": "2023-08-16", "entries": entries},
                "oneway": True})
        assert "interfaces" in v.call("org.varlink.service.GetInfo")["parameters"]
    log = world.log()
    assert [e["answer"] for a in log for e in a["entries"]] == ["Oneway, but recorded."]


def test_protocol_level_errors(world, daemon):
    with Varlink(world.socket) as v:
        reply = v.call("io.lookback.Answer", {"entries": [{"question": "q", "answer": ""}]})
        assert reply["error"] == "io.lookback.EmptyAnswer"
        reply = v.call("io.lookback.Done", {"habit": "nosuch"})
        assert reply["error"] == "io.lookback.UnknownHabit"
        assert reply["parameters"] == {"habit": "nosuch", "known": ["weekly-review", "halfyear-review"]}
        reply = v.call("io.lookback.GetTemplate", {"kind": "halfyear", "date": "2023-08-16"})
        p = reply["parameters"]
        assert (p["period_start"], p["period_end"], p["versions"]) == ("2023-07-01", "2023-12-31", 0)
        assert p["title"] == "half-year review for 2023-H2 (Jul - Dec)"
        assert len(p["questions"]) == 4
        reply = v.call("io.lookback.GetTemplate", {"date": "2999-01-01"})
        assert reply["error"] == "io.lookback.FutureDate"
        assert reply["parameters"] == {"parameter": "date", "date": "2999-01-01"}
    assert world.log() == []
