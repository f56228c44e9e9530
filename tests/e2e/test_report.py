"""The half-year lapse report end to end (issue 4): a year replayed through
the real client, back-filled with --date, then the report checked field by
field as JSON, its text and Markdown forms, the HTML file's structure, the
commands around it (habits, skip, resume, goals) and the half-year and
weekly templates.

The replayed year is the person of USER.md in 2023: weekly reviews every
week until the week ending Sun 20 Aug, then none; a monthly reading habit
kept all year; tennis every other Friday until a torn ligament on 29 May
(a pause with a reason, never resumed); running weekly from January to March
and then abandoned; six goals, three achieved, one dropped.

The year is built once per module (about 80 client calls). Tests that
change data work on a copy of its database, in a world of their own."""

import calendar
import datetime
import html.parser
import json
import os
import re
import sqlite3

import pytest

from conftest import EXIT_USAGE, Varlink, World, today_utc, varlink_call

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

H2_FROM, H2_TO = D(2023, 7, 1), D(2023, 12, 31)
TENNIS_SINCE = D(2023, 1, 6)
PAUSE_FROM = D(2023, 5, 29)
LAST_REVIEW_WEEK = D(2023, 8, 14)  # the week Mon 14 Aug - Sun 20 Aug

YEAR_CONFIG = f"""[weekly]
at = 2099-01-01 00:00
[halfyear]
at = 2099-07-01 00:00
[habit "reading"]
every = month
[habit "tennis"]
every = 2 weeks
since = {TENNIS_SINCE}
[habit "running"]
every = week
"""
HABITS = ["weekly-review", "halfyear-review", "reading", "tennis", "running"]

GOALS = [
    ("Weekly review whenever possible", "achieved"),
    ("One book a month with the reading group", "achieved"),
    ("Tennis with the club every other Friday", "dropped"),
    ("English study", "achieved"),
    ("A bartending licence", "open"),
    ("Cook at home instead of scrolling", "open"),
]
DROP_REASON = "the club folded"
GOALS_HEADING = "## Goals: mark each [achieved] or [dropped], or leave it [open]"


# --------------------------------------------------------------------------
# Dates and the expected numbers, from first principles
# --------------------------------------------------------------------------

def human(day):
    """The report's "Mon 21 Aug 2023"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def monday(day):
    return day - datetime.timedelta(days=day.weekday())


def periods_of(anchor, length_days, frm, to):
    """Fixed-length periods counted from @anchor (the first day of period 0):
    those that end within [frm, to], as (start, end)."""
    out = []
    start = anchor
    while start <= to:
        end = start + datetime.timedelta(days=length_days - 1)
        if frm <= end <= to:
            out.append((start, end))
        start = end + DAY
    return out


def months_of(frm, to):
    """Calendar months that end within [frm, to]."""
    out = []
    start = D(frm.year, frm.month, 1)
    while start <= to:
        nxt = D(start.year + start.month // 12, start.month % 12 + 1, 1)
        if frm <= nxt - DAY <= to:
            out.append((start, nxt - DAY))
        start = nxt
    return out


def fates(periods, checkins, pauses=()):
    """Each period's fate (times = 1, no skips): met, paused, missed."""
    out = []
    for start, end in periods:
        if any(start <= c <= end for c in checkins):
            out.append("met")
        elif any(pf <= end and (pt is None or pt >= start) for pf, pt in pauses):
            out.append("paused")
        else:
            out.append("missed")
    return out


def longest_run(fs):
    """The longest streak: paused and skipped periods neither break nor extend it."""
    best = run = 0
    for f in fs:
        if f == "met":
            run += 1
            best = max(best, run)
        elif f != "paused" and f != "skipped":
            run = 0
    return best


def trailing_met(fs):
    """The current streak: met periods counted back from the last; paused and
    skipped ones neither break nor extend it."""
    n = 0
    for f in reversed(fs):
        if f == "met":
            n += 1
        elif f == "missed":
            break
    return n


def strength(fs, lengths, times=1):
    """lapse.h's score: per period m = (0.5 ** (sqrt(times / L) / 13)) ** L."""
    s = 0.0
    for f, days in zip(fs, lengths):
        if f not in ("met", "missed"):
            continue
        m = (0.5 ** ((times / days) ** 0.5 / 13)) ** days
        s = s * m + (1 - m if f == "met" else 0)
    return s


# --------------------------------------------------------------------------
# The replayed year
# --------------------------------------------------------------------------

REVIEW_WEEKS = [D(2023, 1, 2) + k * WEEK for k in range((LAST_REVIEW_WEEK - D(2023, 1, 2)).days // 7 + 1)]
READING_DAYS = [D(2023, m, 10 + m) for m in range(1, 13)]
TENNIS_DAYS = [TENNIS_SINCE + k * 2 * WEEK for k in range(30) if TENNIS_SINCE + k * 2 * WEEK < PAUSE_FROM]
RUNNING_DAYS = [D(2023, 1, 4) + k * WEEK for k in range(13)]  # Wednesdays, 4 Jan - 29 Mar


def ok(r, what):
    assert r.returncode == 0, f"{what} exited {r.returncode}:\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def replay(w):
    for k, week in enumerate(REVIEW_WEEKS):
        day = week + datetime.timedelta(days=k % 7)  # any day of the week names it
        ok(w.run_client("answer", "weekly", "--date", day, input=f"Week {k + 1}: kept at it.\n"), f"answer {day}")
    for day in READING_DAYS:
        ok(w.run_client("done", "reading", "--date", day), f"done reading {day}")
    for day in TENNIS_DAYS:
        ok(w.run_client("done", "tennis", "--date", day), f"done tennis {day}")
    ok(w.run_client("pause", "tennis", "--from", PAUSE_FROM, "--reason", "torn ligament"), "pause tennis")
    for day in RUNNING_DAYS:
        ok(w.run_client("done", "running", "--date", day), f"done running {day}")
    ids = []
    for text, fate in GOALS:
        ids.append(w.json("goal", "add", text)["id"])
    for gid, (text, fate) in zip(ids, GOALS):
        if fate == "achieved":
            ok(w.run_client("goal", "achieved", gid[:8]), "goal achieved")
        elif fate == "dropped":
            ok(w.run_client("goal", "drop", gid[:8], "--reason", DROP_REASON), "goal drop")
    return ids


@pytest.fixture(scope="module")
def year(binaries, session_bus):
    w = World(session_bus["address"])
    try:
        w.daemon(config=YEAR_CONFIG)
        w.goal_ids = replay(w)
        yield w
    finally:
        w.cleanup()


@pytest.fixture
def clone(year, session_bus):
    """clone() -> a new World running its own lookbackd on a copy of the
    year's database, for tests that change data."""
    worlds = []

    def make():
        w = World(session_bus["address"])
        worlds.append(w)
        w.write_config(YEAR_CONFIG)
        w.database.parent.mkdir(mode=0o700, parents=True)
        src, dst = sqlite3.connect(year.database), sqlite3.connect(w.database)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        os.chmod(w.database, 0o600)
        w.goal_ids = year.goal_ids
        w.daemon()
        return w

    try:
        yield make
    finally:
        for w in worlds:
            w.cleanup()


def report(w, *args, frm=H2_FROM, to=H2_TO):
    extra = []
    if frm is not None:
        extra += ["--from", frm]
    if to is not None:
        extra += ["--to", to]
    return ok(w.run_client("report", *extra, *args), f"report {args}").stdout


def report_json(w, frm=H2_FROM, to=H2_TO):
    """The report object, as the daemon sends it for `lookback report
    --format json` (the client prints exactly this object). Read over the
    socket so the fields are checked even while the client's printing of it
    is broken; test_json_format_through_client checks the client's output
    equals it."""
    params = {"format": "json"}
    if frm is not None:
        params["from"] = str(frm)
    if to is not None:
        params["to"] = str(to)
    reply = varlink_call(w.socket, "io.lookback.Report", params, timeout=30)
    assert "error" not in reply, reply
    return reply["parameters"]["report"]


def by_name(rep):
    return {h["name"]: h for h in rep["habits"]}


# --------------------------------------------------------------------------
# JSON, field by field
# --------------------------------------------------------------------------

def test_json_format_through_client(year):
    """`lookback report --format json` prints the report object, and the
    global --json gives the same."""
    rep = report_json(year)
    r = year.run_client("report", "--from", H2_FROM, "--to", H2_TO, "--format", "json")
    assert r.returncode == 0, f"report --format json exited {r.returncode}: {r.stderr}"
    assert json.loads(r.stdout) == rep
    r = year.run_client("--json", "report", "--from", H2_FROM, "--to", H2_TO)
    assert r.returncode == 0, f"--json report exited {r.returncode}: {r.stderr}"
    assert json.loads(r.stdout) == rep
    out = year.base / "h2.json"
    r = year.run_client("report", "--from", H2_FROM, "--to", H2_TO, "--format", "json", "--output", out)
    assert r.returncode == 0, f"report --format json --output exited {r.returncode}: {r.stderr}"
    assert json.loads(out.read_text()) == rep


def test_json_report_shape_and_weekly_review(year):
    rep = report_json(year)
    assert rep["from"] == "2023-07-01" and rep["to"] == "2023-12-31"
    assert [h["name"] for h in rep["habits"]] == HABITS

    fixed = {"name", "every", "times", "periods", "met", "missed", "skipped", "paused", "adherence", "strength",
             "current_streak", "longest_streak", "longest_streak_in_range", "last_done", "status", "lapsed_since", "lapses",
             "pauses", "notes", "open"}
    for h in rep["habits"]:
        assert fixed <= set(h), f"{h['name']} lacks {fixed - set(h)}"

    wr = by_name(rep)["weekly-review"]
    weeks = periods_of(monday(REVIEW_WEEKS[0]), 7, H2_FROM, H2_TO)
    answered = [w + 6 * DAY for w in REVIEW_WEEKS]  # a back-filled answer checks in on its period's end
    fs = fates(weeks, answered)
    met, missed = fs.count("met"), fs.count("missed")
    first_missed = weeks[fs.index("missed")][0]
    # The issue's own numbers, and the same from first principles.
    assert (len(weeks), met, missed) == (27, 8, 19)
    assert first_missed == D(2023, 8, 21)
    assert wr["every"] == "week" and wr["times"] == 1
    assert wr["periods"] == len(weeks) == 27
    assert wr["met"] == met == 8
    assert wr["missed"] == missed == 19
    assert wr["skipped"] == 0 and wr["paused"] == 0
    assert wr["adherence"] == round(met / (met + missed), 3) == 0.296
    assert wr["current_streak"] == trailing_met(fs) == 0
    assert wr["longest_streak_in_range"] == longest_run(fs) == 8
    # Over the whole history up to the range's end, so never below the current one.
    assert wr["longest_streak"] >= wr["longest_streak_in_range"]
    assert wr["longest_streak"] >= wr["current_streak"]
    assert wr["last_done"] == "2023-08-20"
    assert wr["status"] == "lapsed"
    assert wr["lapsed_since"] == "2023-08-21"
    assert wr["lapses"] == [{"from": "2023-08-21", "to": None, "missed": 19}]
    assert wr["pauses"] == []
    # Strength over every finished week since the first answer.
    all_weeks = periods_of(monday(REVIEW_WEEKS[0]), 7, REVIEW_WEEKS[0], H2_TO)
    expected = strength(fates(all_weeks, answered), [7] * len(all_weeks))
    assert wr["strength"] == pytest.approx(expected, abs=0.006)
    assert 0 <= wr["strength"] < 0.2


def test_json_report_reading_tennis_running(year):
    h = by_name(report_json(year))

    reading = h["reading"]
    months = months_of(H2_FROM, H2_TO)
    assert reading["every"] == "month"
    assert (reading["periods"], reading["met"], reading["missed"]) == (len(months), 6, 0)
    assert reading["adherence"] == 1.0
    assert reading["status"] == "ok"
    assert reading["current_streak"] == len(READING_DAYS) == 12  # every month since the first
    assert reading["longest_streak_in_range"] == 6
    # Regression (one truth): the longest is over the whole history, like the current one.
    assert reading["longest_streak"] == 12 >= reading["current_streak"]
    assert reading["last_done"] == READING_DAYS[-1].isoformat()
    assert reading["lapses"] == [] and reading["pauses"] == [] and reading["lapsed_since"] is None

    tennis = h["tennis"]
    blocks = periods_of(monday(TENNIS_SINCE), 14, H2_FROM, H2_TO)
    fs = fates(blocks, TENNIS_DAYS, [(PAUSE_FROM, None)])
    assert set(fs) == {"paused"}
    assert tennis["every"] == "2 weeks"
    assert tennis["status"] == "paused"
    assert tennis["pauses"] == [{"from": "2023-05-29", "to": None, "reason": "torn ligament"}]
    assert (tennis["periods"], tennis["paused"], tennis["missed"], tennis["met"]) == (len(blocks), len(blocks), 0, 0)
    assert tennis["adherence"] is None  # no met or missed period in the range
    assert tennis["lapses"] == [] and tennis["lapsed_since"] is None
    assert tennis["last_done"] == TENNIS_DAYS[-1].isoformat() == "2023-05-26"
    # Paused periods neither break nor extend the streak of fortnights kept.
    all_blocks = periods_of(monday(TENNIS_SINCE), 14, TENNIS_SINCE, H2_TO)
    assert tennis["current_streak"] == trailing_met(fates(all_blocks, TENNIS_DAYS, [(PAUSE_FROM, None)]))
    assert tennis["current_streak"] == len(TENNIS_DAYS)
    assert tennis["longest_streak_in_range"] == 0
    assert tennis["longest_streak"] == tennis["current_streak"]  # over the whole history

    running = h["running"]
    weeks = periods_of(monday(RUNNING_DAYS[0]), 7, H2_FROM, H2_TO)
    lapse_from = monday(RUNNING_DAYS[-1]) + WEEK
    missed_total = len(periods_of(lapse_from, 7, lapse_from, H2_TO))
    assert lapse_from == D(2023, 4, 3)
    assert (running["periods"], running["met"], running["missed"]) == (len(weeks), 0, len(weeks))
    assert running["adherence"] == 0.0
    assert running["status"] == "lapsed"
    assert running["lapsed_since"] == lapse_from.isoformat()
    assert running["lapses"] == [{"from": lapse_from.isoformat(), "to": None, "missed": missed_total}]
    assert running["last_done"] == RUNNING_DAYS[-1].isoformat()
    assert running["current_streak"] == 0 and running["longest_streak_in_range"] == 0
    assert running["longest_streak"] == len(RUNNING_DAYS)  # the spring before it lapsed

    half = h["halfyear-review"]
    assert half["every"] == "6 months"
    assert (half["periods"], half["status"], half["last_done"], half["adherence"]) == (0, "new", None, None)


def test_json_report_goals(year):
    """Goals are created today, so they show in a report whose range has today."""
    today = today_utc().isoformat()
    h2 = report_json(year)
    assert h2["goals"] == []
    assert h2["goals_summary"] == {"set": 0, "achieved": 0, "dropped": 0, "open": 0}

    rep = report_json(year, frm=None, to=None)
    assert rep["to"] == today
    assert rep["goals_summary"] == {"set": 6, "achieved": 3, "dropped": 1, "open": 2}
    goals = rep["goals"]
    assert [g["text"] for g in goals] == [t for t, _ in GOALS]
    for g, gid, (text, fate) in zip(goals, year.goal_ids, GOALS):
        assert g["id"] == gid and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", gid)
        assert g["status"] == fate
        assert g["created"] == today
        assert g["closed"] == (None if fate == "open" else today)
        if fate == "dropped":
            assert g["reason"] == DROP_REASON


def test_default_from_is_six_months_before_to(year):
    assert report_json(year, frm=None, to=D(2023, 12, 31))["from"] == "2023-07-01"
    assert report_json(year, frm=None, to=D(2024, 6, 30))["from"] == "2024-01-01"
    assert report_json(year, frm=None, to=D(2023, 6, 30))["from"] == "2023-01-01"
    rep = report_json(year, frm=None, to=None)
    to = today_utc()
    assert rep["to"] == to.isoformat()
    # Six months before: the day after @to, six calendar months back.
    nxt = to + DAY
    y, m = (nxt.year, nxt.month - 6) if nxt.month > 6 else (nxt.year - 1, nxt.month + 6)
    assert rep["from"] == D(y, m, min(nxt.day, calendar.monthrange(y, m)[1])).isoformat()


# --------------------------------------------------------------------------
# Text, Markdown, HTML
# --------------------------------------------------------------------------

def test_text_report_leads_with_lapses(year):
    text = report(year, "--format", "text")
    assert text.startswith("Lapse report 2023-07-01 - 2023-12-31\n")
    lines = text.splitlines()

    def find(needle):
        hits = [i for i, line in enumerate(lines) if needle in line]
        assert hits, f"no line with {needle!r} in:\n{text}"
        return hits[0]

    wr = find("weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)")
    run = find(f"running: lapsed since {human(D(2023, 4, 3))}, ")
    pause = find("tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament")
    held = find("Habits that held")
    reading = find("reading (every month)")
    goals = find("Goals: ")
    assert find("Lapses") < wr < pause and run < pause
    assert pause < held < reading < goals
    assert "met 8 of 27 periods, adherence 29.6%" in lines[wr + 1]
    # The held habit's week-by-week strip: six met months.
    assert "██████" in "\n".join(lines[reading:goals])
    # Nothing in this range was set as a goal.
    assert lines[goals] == "Goals: none were set"


def test_text_report_goals_line_last(year):
    text = report(year, "--format", "text", frm=None, to=None)
    lines = text.splitlines()
    idx = {key: next(i for i, line in enumerate(lines) if key in line)
           for key in ("weekly-review: lapsed since Mon 21 Aug 2023", "torn ligament", "Habits that held",
                       "Goals: 3 of 6 achieved, 1 dropped, 2 open")}
    order = list(idx.values())
    assert order == sorted(order), text
    tail = "\n".join(lines[idx["Goals: 3 of 6 achieved, 1 dropped, 2 open"]:])
    for text_, fate in GOALS:
        assert f"{fate}: {text_}" in tail
    assert f"reason: {DROP_REASON}" in tail


def test_markdown_report(year):
    md = report(year, "--format", "markdown")
    assert md.startswith("# Lapse report 2023-07-01 - 2023-12-31\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Lapses", "## Pauses", "## Habits that held"]
    assert headings[-1] == "## Goals: none were set"
    assert "- **weekly-review**: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)" in md
    assert "- **tennis**: paused since Mon 29 May 2023 (ongoing); reason: torn ligament" in md
    assert md.index("## Lapses") < md.index("torn ligament") < md.index("## Habits that held")


class StrictHTML(html.parser.HTMLParser):
    """html.parser is lenient; this one records what a browser would have
    to repair: end tags that do not close the open element, elements left
    open, scripts, references to anything outside the file."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.heatmaps, self.decls = [], [], [], []

    def handle_decl(self, decl):
        self.decls.append(decl)

    def unknown_decl(self, data):
        self.errors.append(f"unknown declaration {data!r}")

    def _attrs(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset") or (value and "url(" in value):
                self.errors.append(f"<{tag} {name}={value!r}> refers outside the file")
        if tag == "svg" and "heatmap" in (dict(attrs).get("class") or "").split():
            self.heatmaps.append(dict(attrs).get("aria-label"))
        if tag in ("script", "iframe", "object", "link"):
            self.errors.append(f"<{tag}>")

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in self.VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            self.errors.append(f"</{tag}> at {self.getpos()}")
        elif not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def finish(self):
        self.close()
        if self.stack:
            self.errors.append(f"left open: {self.stack}")
        return self


def check_html(text, habits):
    assert text.startswith("<!DOCTYPE html>"), text[:80]
    lowered = text.lower()
    assert "<script" not in lowered
    assert "http://" not in lowered and "https://" not in lowered and "//" not in text
    p = StrictHTML()
    p.feed(text)
    p.finish()
    assert p.errors == [], p.errors[:10]
    assert [d.lower() for d in p.decls] == ["doctype html"]
    assert text.count('<svg class="heatmap"') == len(habits)
    assert [label.split(":")[0] for label in p.heatmaps] == habits
    return p


def test_html_report_file(year):
    out = year.base / "h2-2023.html"
    r = ok(year.run_client("report", "--from", H2_FROM, "--to", H2_TO, "--format", "html", "--output", out),
           "report --format html")
    assert r.stdout == "" and str(out) in r.stderr
    text = out.read_text(encoding="utf-8")
    check_html(text, HABITS)
    # Lapses and pauses are shaded: the cells carry the classes the CSS styles.
    assert 'class="cell missed in-lapse"' in text
    assert 'class="cell paused in-pause"' in text
    assert "<h2>Lapses</h2>" in text and "torn ligament" in text
    # The same content without --output, on stdout.
    assert report(year, "--format", "html") == text


def test_habits_shows_weekly_review_lapsed(year):
    r = ok(year.run_client("habits"), "habits")
    line = next(line for line in r.stdout.splitlines() if line.startswith("weekly-review "))
    assert re.split(r"\s{2,}", line)[2] == "lapsed"
    assert line.endswith("(lapsed since 2023-08-21)")
    assert "2023-08-20" in line
    tennis = next(line for line in r.stdout.splitlines() if line.startswith("tennis "))
    assert re.split(r"\s{2,}", tennis)[1:3] == ["2 weeks", "paused"]
    habits = {h["name"]: h for h in year.json("habits")["habits"]}
    assert habits["weekly-review"]["status"] == "lapsed"
    assert habits["weekly-review"]["lapsed_since"] == "2023-08-21"
    assert habits["running"]["lapsed_since"] == "2023-04-03"


# --------------------------------------------------------------------------
# Commands that change data: each on a copy of the year
# --------------------------------------------------------------------------

def test_skip_makes_a_month_skipped(clone):
    w = clone()
    r = ok(w.run_client("skip", "reading", "--date", "2024-01-10", "--note", "book club on holiday"), "skip")
    assert r.stdout == "reading: skipped the period 2024-01-01..2024-01-31.\n"
    reading = by_name(report_json(w, frm=H2_FROM, to=D(2024, 1, 31)))["reading"]
    assert (reading["periods"], reading["met"], reading["skipped"], reading["missed"]) == (7, 6, 1, 0)
    assert reading["adherence"] == 1.0
    assert reading["status"] == "ok"
    assert reading["current_streak"] == 12  # a skip neither breaks nor extends it
    assert reading["lapses"] == []
    # Without the skip, February would start a lapse in January.
    feb = by_name(report_json(w, frm=H2_FROM, to=D(2024, 2, 29)))["reading"]
    assert (feb["skipped"], feb["missed"], feb["status"]) == (1, 1, "at-risk")
    text = report(w, "--format", "text", frm=H2_FROM, to=D(2024, 1, 31))
    assert "met 6 of 7 periods (1 skipped), adherence 100%" in text


def test_resume_ends_the_pause(clone):
    w = clone()
    resume = D(2023, 9, 4)
    r = ok(w.run_client("resume", "tennis", "--date", resume), "resume")
    assert r.stdout == "tennis: paused 2023-05-29 to 2023-09-03; counting again from the day after.\n"
    tennis = by_name(report_json(w))["tennis"]
    assert tennis["pauses"] == [{"from": "2023-05-29", "to": "2023-09-03", "reason": "torn ligament"}]
    blocks = periods_of(monday(TENNIS_SINCE), 14, H2_FROM, H2_TO)
    fs = fates(blocks, TENNIS_DAYS, [(PAUSE_FROM, resume - DAY)])
    first_missed = blocks[fs.index("missed")][0]
    assert (tennis["paused"], tennis["missed"], tennis["met"]) == (fs.count("paused"), fs.count("missed"), 0)
    assert tennis["status"] == "lapsed"
    assert tennis["lapsed_since"] == first_missed.isoformat()
    assert tennis["lapses"] == [{"from": first_missed.isoformat(), "to": None, "missed": fs.count("missed")}]
    assert tennis["adherence"] == 0.0
    # Nothing is open any more.
    r = w.run_client("resume", "tennis")
    assert r.returncode == 1 and "tennis is not paused" in r.stderr


def test_goal_commands(clone):
    w = clone()
    ids = w.goal_ids
    r = ok(w.run_client("goal", "list", "--all"), "goal list --all")
    lines = r.stdout.splitlines()
    assert len(lines) == len(GOALS)
    for line, gid, (text, fate) in zip(lines, ids, GOALS):
        assert line.startswith(f"{gid[:8]}  {fate:<8}  ")
        assert text in line
    assert f"(dropped {today_utc()}: {DROP_REASON})" in lines[2]
    open_ids = [gid[:8] for gid, (_, fate) in zip(ids, GOALS) if fate == "open"]
    r = ok(w.run_client("goal", "list"), "goal list")
    assert [line[:8] for line in r.stdout.splitlines()] == open_ids

    r = ok(w.run_client("goal", "reopen", ids[0][:6]), "goal reopen")
    assert r.stdout == f"Goal {ids[0][:8]} is open.\n"
    g = next(g for g in w.json("goal", "list", "--all")["goals"] if g["id"] == ids[0])
    assert g["status"] == "open" and g.get("closed") is None
    assert ids[0][:8] in ok(w.run_client("goal", "list"), "goal list").stdout

    r = w.run_client("goal", "achieved", "fedcba")
    if not any(gid.startswith("fedcba") for gid in ids):
        assert r.returncode == 1
        assert "no goal has an id starting with 'fedcba'" in r.stderr
    r = w.run_client("goal", "achieved", "not-hex")
    assert r.returncode == 1 and "no goal has an id starting with 'not-hex'" in r.stderr
    # Fewer than 4 characters is too easy to mistype: the client refuses it.
    r = w.run_client("goal", "drop", "%")
    assert r.returncode == EXIT_USAGE and "give at least 4 characters" in r.stderr

    # An ambiguous prefix: add goals until two ids share a first digit.
    all_ids = list(ids)
    while len({gid[0] for gid in all_ids}) == len(all_ids):
        all_ids.append(w.json("goal", "add", f"Filler {len(all_ids)}")["id"])
    shared = next(c for c in "0123456789abcdef" if sum(gid[0] == c for gid in all_ids) > 1)
    before = w.json("goal", "list", "--all")["goals"]
    # The daemon resolves any prefix; an ambiguous one is refused (the
    # client's 4-character minimum makes one this short unreachable from it).
    reply = varlink_call(w.socket, "io.lookback.GoalSet", {"id": shared, "status": "achieved"})
    assert reply["error"] == "io.lookback.AmbiguousGoal" and reply["parameters"] == {"id": shared}
    assert w.json("goal", "list", "--all")["goals"] == before  # nothing changed

    r = w.run_client("goal", "add", "")
    assert r.returncode == EXIT_USAGE
    r = w.run_client("goal", "achieved", ids[1][:8], "--reason", "only drop takes one")
    assert r.returncode == EXIT_USAGE


# --------------------------------------------------------------------------
# The half-year and weekly templates
# --------------------------------------------------------------------------

# Keeps a copy of the template, writes an answer under every question and
# rewrites goal marks: MARKS is a JSON object {id8: "[status]"}.
MARKING_EDITOR = r'''#!/usr/bin/python3
import json, os, re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
open(os.environ["EDITOR_SEEN"], "w", encoding="utf-8").write(text)
if os.environ.get("EDITOR_EMPTY"):
    open(path, "w").write("")
    sys.exit(0)
marks = json.loads(os.environ.get("MARKS", "{}"))
out = []
for line in text.split("\n"):
    m = re.match(r"\[open\] ([0-9a-f]{8}) ", line)
    if m and m.group(1) in marks:
        line = marks[m.group(1)] + line[len("[open]"):]
    out.append(line)
    if line.startswith("## ") and not line.startswith("## Goals:"):
        out.append("Written in the editor.")
open(path, "w", encoding="utf-8").write("\n".join(out))
'''


def edit_env(w, seen, **extra):
    editor = w.write("marking-editor.py", MARKING_EDITOR, mode=0o755)
    return w.env_with(EDITOR=editor, EDITOR_SEEN=seen, **extra)


def test_halfyear_template_marks_goals(clone):
    w = clone()
    open_ids = [gid for gid, (_, fate) in zip(w.goal_ids, GOALS) if fate == "open"]
    open_texts = [text for text, fate in GOALS if fate == "open"]
    seen = w.base / "seen.txt"
    env = edit_env(w, seen, MARKS=json.dumps({open_ids[1][:8]: "[achieved]"}))
    r = w.run_client_tty("answer", "halfyear", "--date", "2023-12-31", env=env)
    assert r.returncode == 0, r.stderr
    assert "Recorded half-year review for" in r.stdout

    template = seen.read_text(encoding="utf-8")
    lines = template.splitlines()
    comments = [line for line in lines if line.startswith("#") and not line.startswith("## ")]
    assert "# Lapse report 2023-07-01 - 2023-12-31" in comments
    assert "# weekly-review: lapsed since Mon 21 Aug 2023, 19 weeks missed (ongoing)" in comments
    assert any(c.startswith("# running: lapsed since Mon 3 Apr 2023, ") for c in comments)
    assert "# tennis: paused since Mon 29 May 2023 (ongoing); reason: torn ligament" in comments
    assert any(c.startswith("# Held: ") and "reading 100%" in c for c in comments)
    assert "# Goals: none were set" in comments  # none was open during the half-year itself
    assert GOALS_HEADING in lines
    after = lines[lines.index(GOALS_HEADING) + 1:]
    goal_lines = [line for line in after if line.startswith("[")]
    assert goal_lines == [f"[open] {gid[:8]} {text}" for gid, text in zip(open_ids, open_texts)]
    for line in goal_lines:
        assert re.fullmatch(r"\[open\] [0-9a-f]{8} .+", line)
    # The summary comes before the questions, the goals section after them.
    first_question = next(i for i, line in enumerate(lines) if line.startswith("## "))
    assert lines.index("# Lapse report 2023-07-01 - 2023-12-31") < first_question < lines.index(GOALS_HEADING)

    goals = {g["id"]: g for g in w.json("goal", "list", "--all")["goals"]}
    assert goals[open_ids[1]]["status"] == "achieved"
    assert goals[open_ids[0]]["status"] == "open"
    answers = w.log("halfyear")
    assert [a["period_start"] for a in answers] == ["2023-07-01"]
    # Acknowledged, so the editor's draft is gone.
    assert not w.drafts.exists() or list(w.drafts.iterdir()) == []


def test_halfyear_template_bad_mark_keeps_draft(clone):
    w = clone()
    open_ids = [gid for gid, (_, fate) in zip(w.goal_ids, GOALS) if fate == "open"]
    seen = w.base / "seen.txt"
    before = w.json("log")["answers"]
    env = edit_env(w, seen, MARKS=json.dumps({open_ids[1][:8]: "[done]"}))
    r = w.run_client_tty("answer", "halfyear", "--date", "2023-12-31", env=env)
    assert r.returncode == 1
    m = re.search(r"line (\d+) of the goals section: use \[achieved\], \[dropped\] or \[open\]\n"
                  r"Your text is kept in (\S+)", r.stderr)
    assert m, r.stderr
    assert m.group(1) == "2"  # the second goal line
    draft = m.group(2)
    assert os.path.exists(draft)
    assert f"[done] {open_ids[1][:8]}" in open(draft, encoding="utf-8").read()
    assert w.json("log")["answers"] == before
    goals = {g["id"]: g for g in w.json("goal", "list", "--all")["goals"]}
    assert [goals[g]["status"] for g in open_ids] == ["open", "open"]


def test_weekly_template_lists_slipping_habits(year):
    seen = year.base / "seen-weekly.txt"
    before = year.json("log")["answers"]
    env = edit_env(year, seen, EDITOR_EMPTY="1")
    r = year.run_client_tty("answer", "weekly", "--date", "2023-12-27", env=env)
    assert r.returncode == 1 and "aborted, nothing recorded" in r.stderr
    assert year.json("log")["answers"] == before
    lines = seen.read_text(encoding="utf-8").splitlines()
    assert "# Slipping habits:" in lines
    assert "#   weekly-review: lapsed since 2023-08-21 (last check-in 2023-08-20)" in lines
    assert "#   running: lapsed since 2023-04-03 (last check-in 2023-03-29)" in lines
    assert not any("tennis" in line for line in lines)  # paused, not slipping
    assert lines.index("# Slipping habits:") < next(i for i, line in enumerate(lines) if line.startswith("## "))


# --------------------------------------------------------------------------
# A report bigger than one Varlink message
# --------------------------------------------------------------------------

def big_report(world, n):
    """@n daily habits since 2015 with a few check-ins; their 10-year HTML
    report, through the client to a file. Returns (text, names)."""
    config = "[weekly]\nat = 2099-01-01 00:00\n[halfyear]\nat = 2099-07-01 00:00\n"
    names = [f"daily-{i:02d}" for i in range(n)]
    for name in names:
        config += f'[habit "{name}"]\nevery = day\nsince = 2015-01-01\n'
    world.daemon(config=config)
    for day in ("2015-01-01", "2019-06-15", "2024-12-31"):
        ok(world.run_client("done", names[0], "--date", day), "done")
    ok(world.run_client("done", names[-1], "--date", "2020-02-29"), "done")

    out = world.base / "ten-years.html"
    ok(world.run_client("report", "--from", "2015-01-01", "--to", "2024-12-31", "--format", "html", "--output", out,
                        timeout=60), f"the 10-year HTML report of {n} daily habits")
    text = out.read_text(encoding="utf-8")
    assert text.endswith("</body>\n</html>\n")
    days = (D(2024, 12, 31) - D(2015, 1, 1)).days + 1
    assert text.count('<rect class="cell ') == n * days + 7 * (n + 2)  # cells, plus a legend per habit
    check_html(text, ["weekly-review", "halfyear-review", *names])
    return text, names


def test_big_html_report_arrives_whole(world):
    """Over 1 MiB, so more than one Varlink message: a series with "continues"."""
    text, names = big_report(world, 3)
    assert len(text.encode()) > 1024 * 1024

    params = {"format": "html", "from": "2015-01-01", "to": "2024-12-31"}
    with Varlink(world.socket, timeout=30) as v:
        v.send({"method": "io.lookback.Report", "more": True, "parameters": params})
        first = v.recv()
        assert first.get("continues") is True, list(first)
        replies, last = 1, first
        while last.get("continues"):
            last = v.recv()
            replies += 1
    assert replies >= 2
    # Without "more" the caller is told it is too large, not sent half of it.
    reply = varlink_call(world.socket, "io.lookback.Report", params, timeout=30)
    assert reply.get("error") == "io.lookback.MessageTooLarge" and "continues" not in reply


def test_ten_year_thirty_habit_html_report_arrives_whole(world):
    """The issue's benchmark case, 30 daily habits over 10 years, as HTML
    (over 10 MiB): it must still arrive, not drop the connection."""
    text, names = big_report(world, 30)
    assert len(text.encode()) > 8 * 1024 * 1024
    assert world.daemons[0].proc.poll() is None
