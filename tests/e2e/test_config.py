"""Configuration: --check-config, file:line errors and exit 78, SIGHUP reload."""

import os
import re
import signal
import subprocess

import pytest

from conftest import EX_CONFIG, LOOKBACKD, SOURCE_DIR, wait_for

# (name, text, line of the error, a phrase the message must contain)
BAD_CONFIGS = [
    ("unknown-section", "[daemon]\nweek_start = monday\n\n[bogus]\nkey = 1\n", 4, "unknown section [bogus]"),
    ("unknown-key", "[weekly]\nat = Sun 20:00\ncolour = blue\n", 3, "unknown key 'colour' in [weekly]"),
    ("bad-week-start", "[daemon]\n; the week\n\nweek_start = friday\n", 4, "expected 'monday' or 'sunday'"),
    ("bad-at", "[weekly]\n# when\nat = Blursday 25:00\n", 3, "calendar spec"),
    ("duplicate-habit", '[habit "reading"]\nevery = month\n\n[habit "reading"]\nevery = week\n', 4,
     'duplicate section [habit "reading"], first on line 1'),
    ("bad-every", '[habit "tennis"]\nsince = 2025-01-03\nevery = fortnight\n', 3, "got 'fortnight'"),
    ("empty-at", "[weekly]\nat =\n", 2, "at: empty value; expected a calendar spec"),
    ("never-fires", "[halfyear]\nat = *-02-30 10:00\n", 2, "calendar spec '*-02-30 10:00' never fires: no such day"),
    ("never-fires-leap", "[weekly]\n\nat = 2023-02-29 09:00\n", 3, "never fires"),
    ("never-fires-april", "[weekly]\nat = *-04-31\n", 2, "at: calendar spec '*-04-31' never fires"),
    ("habit-without-every", '[daemon]\nweek_start = sunday\n[habit "english"]\ntimes = 3\n', 3,
     "habit 'english' needs every ="),
]


def check_config(world, *args, env=None):
    return subprocess.run([LOOKBACKD, "--check-config", *map(str, args)], capture_output=True, text=True,
                          env=env or world.env, timeout=20, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("name,text,line,phrase", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_file_line(world, name, text, line, phrase):
    path = world.write(f"{name}.ini", text)
    r = check_config(world, "--config", path)
    assert r.returncode == EX_CONFIG, r.stderr
    errors = [x for x in r.stderr.splitlines() if x.startswith(f"{path}:") and re.match(rf"{re.escape(str(path))}:\d+:", x)]
    assert len(errors) == 1, r.stderr
    assert errors[0].startswith(f"{path}:{line}: "), r.stderr
    assert phrase in errors[0]
    assert "configuration OK" not in r.stderr

    # The daemon refuses to start on it, with the same message.
    d = world.daemon(args=["--config", path], start=False)
    d.start(wait=False)
    assert d.wait_exit() == EX_CONFIG
    assert f"{path}:{line}: " in d.stderr
    assert not world.socket.exists()


def test_all_errors_reported(world):
    text = ("[daemon]\n"               # 1
            "week_start = friday\n"    # 2
            "\n"                        # 3
            "[weekly]\n"               # 4
            "at = Sun 20:00\n"         # 5
            "colour = blue\n"          # 6
            "[habit \"reading\"]\n"    # 7
            "every = fortnight\n")     # 8
    path = world.write("three.ini", text)
    r = check_config(world, "--config", path)
    assert r.returncode == EX_CONFIG
    lines = [int(m.group(1)) for m in re.finditer(rf"^{re.escape(str(path))}:(\d+): ", r.stderr, re.M)]
    assert lines == [2, 6, 8], r.stderr


def test_bad_default_config_stops_daemon(world):
    d = world.daemon(config="[weekly]\nat = Sun 20:00\nat = Mon 20:00\n", start=False)
    d.start(wait=False)
    assert d.wait_exit() == EX_CONFIG
    assert f"{world.config_file}:3: at given twice, first on line 2" in d.stderr


def test_missing_explicit_config(world):
    missing = world.base / "nope.ini"
    r = check_config(world, "--config", missing)
    assert r.returncode == EX_CONFIG
    assert str(missing) in r.stderr
    d = world.daemon(args=["--config", missing], start=False)
    d.start(wait=False)
    assert d.wait_exit() == EX_CONFIG


def test_good_config_check(world):
    path = world.write("good.ini", '[daemon]\nweek_start = sunday\n[weekly]\nat = Fri 17:30\n'
                                   'question = What did I learn?\n[habit "reading"]\nevery = month\ntimes = 2\n')
    r = check_config(world, "--config", path)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stderr
    out = r.stdout
    assert f"# lookback configuration, effective settings ({path})" in out
    assert "week_start = sunday" in out
    assert "at = Fri 17:30" in out
    assert "question = What did I learn?" in out
    assert "What went well this week?" not in out  # the file's questions replace the defaults
    assert '[habit "reading"]\nevery = month\ntimes = 2\nlapse_after = 2\n' in out
    assert '[habit "weekly-review"]' in out and '[habit "halfyear-review"]' in out
    weekly = next(x for x in out.splitlines() if x.startswith("; next weekly prompts:"))
    assert weekly.count("Fri ") == 3 and "17:30:00" in weekly
    halfyear = next(x for x in out.splitlines() if x.startswith("; next half-year prompts:"))
    assert re.search(r"\d{4}-(01|07)-01 10:00:00", halfyear)


def test_no_config_file_uses_defaults(world):
    assert not world.config_file.exists()
    r = check_config(world)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stderr
    assert "built-in defaults" in r.stdout
    assert "question = What went well this week?" in r.stdout
    assert "week_start = monday" in r.stdout
    # The default location is the one checked when it exists.
    world.write_config("[daemon]\nweek_start = sunday\n")
    r = check_config(world)
    assert r.returncode == 0, r.stderr
    assert f"# lookback configuration, effective settings ({world.config_file})" in r.stdout
    assert f"; the database is {world.database}" in r.stdout
    assert "week_start = sunday" in r.stdout


def test_shipped_config_is_valid(world):
    shipped = SOURCE_DIR / "config" / "lookback.ini"
    r = check_config(world, "--config", shipped)
    assert r.returncode == 0, r.stderr
    assert "configuration OK" in r.stderr
    defaults = check_config(world)
    # As shipped, every key is set to its built-in default.
    strip = lambda s: s.split("\n", 2)[2]  # noqa: E731 - drop the lines naming the source
    assert strip(r.stdout.split("\n", 1)[1]) == strip(defaults.stdout.split("\n", 1)[1])


def test_sighup_reload(world):
    d = world.daemon(config="[daemon]\nweek_start = monday\n")
    names = lambda: [h["name"] for h in world.json("habits")["habits"]]  # noqa: E731
    assert names() == ["weekly-review", "halfyear-review"]

    world.write_config('[daemon]\nweek_start = monday\n\n[habit "tennis"]\nevery = 2 weeks\n')
    d.signal(signal.SIGHUP)
    wait_for(lambda: "tennis" in names(), what="the reloaded habit")
    tennis = next(h for h in world.json("habits")["habits"] if h["name"] == "tennis")
    assert tennis["every"] == "2 weeks"
    assert "configuration reloaded" in d.stderr

    # A broken config on reload is reported with file:line; the old one stays.
    world.write_config('[daemon]\nweek_start = monday\n\n[habit "tennis"]\nevery = fortnight\n')
    d.signal(signal.SIGHUP)
    wait_for(lambda: "reload failed" in d.stderr, what="the failed reload to be logged")
    assert f"{world.config_file}:5: every: expected" in d.stderr
    assert names() == ["weekly-review", "halfyear-review", "tennis"]
    r = world.run_client("done", "tennis")
    assert r.returncode == 0, r.stderr
    d.stop()


def test_check_config_says_when_no_more_prompts_come(world):
    """Fewer than three occurrences left: the ones there are, then a line of
    its own saying there are no more (not '... UTC never' run together); a
    year past the 100-year search horizon is found, not shown as never."""
    path = world.write("once.ini", "[weekly]\nat = 2127-01-01 10:00\n[halfyear]\nat = 2020-01-01 10:00\n")
    r = check_config(world, "--config", path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "; next weekly prompts: Wed 2127-01-01 10:00:00 UTC" in lines
    assert "; no more weekly prompts after that" in lines
    assert "; no more half-year prompts: every time '2020-01-01 10:00' names has passed" in lines
    assert not any(x.startswith("; next half-year prompts") for x in lines)
    assert "never" not in r.stdout
    assert "configuration OK" in r.stderr


def test_a_fifo_at_the_config_path_is_refused_not_waited_on(world):
    """A FIFO (or any non-regular file) where lookback.ini belongs: start-up
    refuses it at once with the reason (exit 78), and a running daemon told
    to reload keeps its configuration and keeps answering."""
    world.config_file.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(world.config_file)
    d = world.daemon(start=False)
    d.start(wait=False)
    assert d.wait_exit(timeout=10) == EX_CONFIG
    assert "not a regular file (a FIFO)" in d.stderr
    os.unlink(world.config_file)
    d = world.daemon(config='[habit "tennis"]\nevery = week\n')
    os.unlink(world.config_file)
    os.mkfifo(world.config_file)
    d.signal(signal.SIGHUP)
    wait_for(lambda: "reload failed" in d.stderr, what="the refused reload in the log")
    assert "not a regular file (a FIFO)" in d.stderr
    assert "tennis" in [h["name"] for h in world.json("habits")["habits"]], "the old configuration stays"
