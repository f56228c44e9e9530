"""An idle lookbackd makes no system calls (issue 3: "No periodic polling").

The daemon runs with both schedules far in the future, no client connected
and no watchdog (no WATCHDOG_USEC), on conftest's private session bus with
the mock notification server. It first shows one prompt (`lookback remind`),
so its libnotify/GDBus side is connected and listening for button clicks
too, then is traced with `strace -f -c` for 20 s. The only calls allowed are
the ones each thread was already blocked in when strace attached (GLib's
poll on sd-event's epoll fd, GDBus's worker thread in poll): each may count
once per thread, and only if it returns (e.g. as restart_syscall)."""

import os
import pathlib
import shutil
import subprocess
import time

import pytest

from conftest import wait_for

TRACE_SECONDS = 20
# What a thread already blocked when strace attached may show.
BLOCKING = {"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "restart_syscall"}


def parse_strace_summary(text):
    """{syscall: calls} from `strace -c` output (empty when nothing happened)."""
    calls = {}
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith(("%", "-")) or fields[-1] == "total":
            continue
        # % time, seconds, usecs/call, calls, [errors,] syscall
        try:
            calls[fields[-1]] = int(fields[3])
        except (IndexError, ValueError):
            raise AssertionError(f"cannot read the strace summary line {line!r} in:\n{text}")
    return calls


def notify_count(log):
    try:
        text = pathlib.Path(log).read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    return sum(1 for line in text.splitlines() if line.split(" ", 2)[1:2] == ["Notify"])


def test_idle_daemon_makes_no_syscalls(world, session_bus, tmp_path):
    if not shutil.which("strace"):
        pytest.skip("strace is not installed (Debian: strace)")
    world.write_config("[weekly]\nat = 2099-01-04 20:00\n[halfyear]\nat = 2099-07-01 10:00\n")
    env = world.env_with(WATCHDOG_USEC=None, WATCHDOG_PID=None, NOTIFY_SOCKET=None)
    assert "WATCHDOG_USEC" not in env
    d = world.daemon(env=env)

    nxt = {n["kind"]: n["at"] for n in world.json("status")["next"]}
    assert all(at > (time.time() + 365 * 86400) * 1e6 for at in nxt.values()), f"schedules not far away: {nxt}"
    before = notify_count(session_bus["log"])
    r = world.run_client("remind", "weekly")
    assert r.returncode == 0, r.stderr
    wait_for(lambda: notify_count(session_bus["log"]) > before, timeout=10, what="the reminder's Notify")
    # Today's snapshot is taken a second after start: let it be done too.
    wait_for(lambda: "daily snapshot" in d.stderr, timeout=10, what="today's snapshot")
    time.sleep(1.0)  # let it settle

    threads = sorted(os.listdir(f"/proc/{d.pid}/task"))
    out = tmp_path / "strace.out"
    err = tmp_path / "strace.err"
    with open(err, "wb") as e:
        trace = subprocess.run(["timeout", "-s", "INT", str(TRACE_SECONDS), "strace", "-f", "-c", "-p", str(d.pid),
                                "-o", str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=e,
                               timeout=TRACE_SECONDS + 30)
    strace_err = err.read_text(errors="replace")
    if "attached" not in strace_err:
        if "Operation not permitted" in strace_err:
            pytest.skip(f"strace may not trace lookbackd here (ptrace not permitted): {strace_err.strip()}")
        raise AssertionError(f"strace failed (exit {trace.returncode}):\n{strace_err}")
    assert d.proc.poll() is None, f"lookbackd died under strace:\n{d.stderr}"

    summary = out.read_text(errors="replace") if out.exists() else ""
    calls = parse_strace_summary(summary)
    total = sum(calls.values())
    unexpected = {name: n for name, n in calls.items() if name not in BLOCKING}
    assert not unexpected and total <= len(threads), (
        f"the idle daemon ({len(threads)} threads) made system calls within {TRACE_SECONDS} s: "
        f"{', '.join(f'{name} x{n}' for name, n in sorted(calls.items(), key=lambda c: -c[1]))}\n"
        f"unexpected: {sorted(unexpected)}\n{summary}")
    assert notify_count(session_bus["log"]) == before + 1
