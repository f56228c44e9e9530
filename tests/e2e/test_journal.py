"""The journal end to end: search in Korean and English through the FTS5
index (particles, NFD input, notes, pauses, goals, filters, hostile
queries), "on this day", and recurring themes."""

import unicodedata

from conftest import Varlink, today_utc, varlink_call

CONFIG = """
[habit "exercise"]
every = week
times = 1
"""


def call(world, method, **params):
    reply = varlink_call(world.socket, "io.lookback." + method, params)
    assert "error" not in reply, reply
    return reply["parameters"]


def answer(world, date, *texts, kind="weekly"):
    entries = [{"question": f"Question {i + 1}", "answer": t} for i, t in enumerate(texts)]
    call(world, "Answer", kind=kind, date=date, entries=entries)


def search(world, query, **params):
    return call(world, "Search", query=query, **params)


def dates(reply):
    return sorted(h["date"] for h in reply["hits"])


def marked(hit):
    return [hit["passage"][m["start"]:m["end"]] for m in hit["passage_marks"]]


def test_korean_inside_words_and_english_prefixes(world):
    world.daemon(CONFIG)
    answer(world, "2024-03-06", "나는 전문가인가? 잘 모르겠다.", "운동을 했다. Went running twice.")
    answer(world, "2024-03-13", "영어 공부를 조금 했다.", "Expertise is slow to build.")
    answer(world, "2024-03-20", "독서 모임에 갔다.", "Nothing about sport.")

    hit = search(world, "전문가")["hits"]
    assert [h["date"] for h in hit] == ["2024-03-04"]
    assert hit[0]["source"] == "weekly" and hit[0]["question"] == "Question 1"
    assert marked(hit[0]) == ["전문가"]
    assert dates(search(world, "운동")) == ["2024-03-04"]
    assert marked(search(world, "운동")["hits"][0]) == ["운동"]
    assert dates(search(world, "영어")) == ["2024-03-11"]
    assert dates(search(world, "모임")) == ["2024-03-18"]
    # English: case-folded, prefixes find whole words.
    assert dates(search(world, "EXPERT")) == ["2024-03-11"]
    assert marked(search(world, "expert")["hits"][0]) == ["Expertise"]
    assert dates(search(world, "run")) == ["2024-03-04"]
    # All words must be there; a Korean word that is absent finds nothing.
    assert dates(search(world, "운동 running")) == ["2024-03-04"]
    assert search(world, "운동 독서")["total"] == 0
    assert search(world, "수영")["total"] == 0
    # The newest version of an answer is what counts.
    answer(world, "2024-03-20", "독서 대신 수영을 했다.", "Swimming.")
    assert search(world, "모임")["total"] == 0
    assert dates(search(world, "수영")) == ["2024-03-18"]


def test_nfd_text_is_found_by_nfc_query_and_back(world):
    world.daemon(CONFIG)
    answer(world, "2024-05-08", unicodedata.normalize("NFD", "운동을 했다, café au lait"))
    answer(world, "2024-05-15", "독서 and naïve notes")
    assert dates(search(world, unicodedata.normalize("NFC", "운동"))) == ["2024-05-06"]
    assert dates(search(world, "cafe")) == ["2024-05-06"]
    assert dates(search(world, unicodedata.normalize("NFD", "독서"))) == ["2024-05-13"]
    assert dates(search(world, "NAIVE")) == ["2024-05-13"]


def test_notes_pauses_goals_and_filters(world):
    world.daemon(CONFIG)
    answer(world, "2024-01-10", "A week of 운동 and rain.")
    call(world, "Done", habit="exercise", date="2024-01-12", note="짧은 운동, knee hurt")
    call(world, "Skip", habit="exercise", date="2024-01-20", note="knee still sore")
    call(world, "Pause", habit="exercise", **{"from": "2024-02-01", "to": "2024-02-10"}, reason="knee surgery")
    goal = call(world, "GoalAdd", text="Run a 10 km race without knee pain")
    call(world, "GoalSet", id=goal["id"], status="dropped", reason="운동 대신 수영")

    every = search(world, "knee")
    assert sorted(h["source"] for h in every["hits"]) == ["checkin", "goal", "pause", "skip"]
    assert every["total"] == 4
    notes = search(world, "knee", kind="notes")
    assert sorted(h["source"] for h in notes["hits"]) == ["checkin", "pause", "skip"]
    assert all(h["habit"] == "exercise" for h in notes["hits"])
    goals = search(world, "운동", kind="goals")["hits"]
    assert [h["source"] for h in goals] == ["goal"] and goals[0]["goal"] == goal["id"]
    assert goals[0]["goal_status"] == "dropped"
    assert [h["source"] for h in search(world, "운동", kind="weekly")["hits"]] == ["weekly"]
    # Dates: answers by their period, notes by their day.
    assert sorted(h["source"] for h in search(world, "knee", to="2024-01-15")["hits"]) == ["checkin"]
    assert sorted(h["source"] for h in search(world, "knee", **{"from": "2024-01-15"}, to="2024-02-05")["hits"]) \
        == ["pause", "skip"]
    # Newest first, and a limit that still counts every match.
    by_date = search(world, "knee", sort="date", limit=2)
    assert by_date["total"] == 4 and len(by_date["hits"]) == 2
    assert by_date["hits"][0]["date"] >= by_date["hits"][1]["date"]


def test_hostile_queries_are_answered_while_others_are_served(world):
    world.daemon(CONFIG)
    answer(world, "2024-01-10", "AND OR NOT words \"quoted\" near(this)")
    other = Varlink(world.socket)
    for q in ['"unbalanced', "AND OR", "NEAR(", "*", "a\"b", "((", "-x", "^", "NOT", "OR OR OR"]:
        reply = varlink_call(world.socket, "io.lookback.Search", {"query": q})
        if "error" in reply:
            assert reply["error"] == "io.lookback.InvalidQuery", (q, reply)
            assert "\n" not in reply["parameters"]["reason"]
        # The daemon goes on serving a second, already open connection.
        assert "error" not in other.call("io.lookback.Status")
    assert search(world, "AND OR")["total"] == 1
    assert search(world, '"unbalanced')["total"] == 0
    long = varlink_call(world.socket, "io.lookback.Search", {"query": "x" * 100_000})
    assert long["error"] == "io.lookback.InvalidQuery"
    assert "too long" in long["parameters"]["reason"]
    nothing = varlink_call(world.socket, "io.lookback.Search", {"query": "  ... !!! "})
    assert nothing["error"] == "io.lookback.InvalidQuery"
    nul = varlink_call(world.socket, "io.lookback.Search", {"query": "a\u0000b"})
    assert "error" in nul
    # Raw FTS5 syntax only with raw, and its errors come back in one line.
    raw = varlink_call(world.socket, "io.lookback.Search", {"query": '"unbalanced', "raw": True})
    assert raw["error"] == "io.lookback.InvalidQuery" and raw["parameters"]["reason"]
    assert "\n" not in raw["parameters"]["reason"]
    assert search(world, "words OR nothing", raw=True)["total"] == 1
    assert "error" not in other.call("io.lookback.Status")
    other.close()


def test_on_this_day_lists_earlier_years_oldest_first(world):
    world.daemon(CONFIG)
    answer(world, "2021-12-01", "Five years ago: first snow.")
    answer(world, "2023-12-02", "Three years ago: moved flat.")
    answer(world, "2023-12-20", "Not this week.")
    call(world, "Done", habit="exercise", date="2024-12-03", note="cold run")
    days = call(world, "OnThisDay", date="2026-12-03")
    assert [y["year"] for y in days["years"]] == [2021, 2023, 2024]
    assert days["years"][0]["period_start"] == "2021-11-29"
    assert [e["text"] for e in days["years"][1]["entries"]] == ["Three years ago: moved flat."]
    assert days["years"][2]["entries"][0]["source"] == "checkin"
    assert call(world, "OnThisDay", date="2021-12-01")["years"] == []


def test_themes_name_the_rare_term_and_its_years(world):
    world.daemon(CONFIG)
    # 120 answers over five years: common words everywhere, one worry in
    # three years with three different particles (3 of 120: under 5%).
    n = 0
    for year in range(2020, 2025):
        for month in range(1, 13):
            for day in (3, 17):
                text = "이번 주는 운동을 했다. Work was busy and the family was fine."
                if (year, month, day) in ((2020, 3, 3), (2022, 5, 17), (2023, 9, 3)):
                    text += " " + {2020: "나는 전문가인가?", 2022: "전문가를 만나고 싶다.", 2023: "전문가가 되고 싶다."}[year]
                answer(world, f"{year}-{month:02d}-{day:02d}", text)
                n += 1
    themes = call(world, "Themes")
    assert themes["answers"] == n
    terms = [t["term"] for t in themes["themes"]]
    assert terms[0] == "전문가", terms
    top = themes["themes"][0]
    assert top["years"] == [2023, 2022, 2020] and top["count"] == 3
    for common in ("운동", "work", "busy", "family", "fine"):
        assert common not in terms


def test_templates_bring_back_a_year_and_six_months_ago(world):
    world.daemon(CONFIG)
    # A back-filled five-year journal: one answer a month, each naming its week.
    for year in range(2021, 2027):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-25"
            if day < "2026-12-01":
                answer(world, day, f"Answer written for {day}.\nSecond line.\nThird line.\nFourth line.")
    # The weeks a year and six months before the week of 30 Nov 2026.
    answer(world, "2025-11-26", "Year-ago week: 독서 모임.\nline 2\nline 3\nline 4 not shown")
    answer(world, "2026-05-27", "Half-year-ago week: 운동 시작.")
    answer(world, "2026-11-25", "Last week, too recent to resurface.")
    notes = call(world, "GetTemplate", kind="weekly", date="2026-12-02")["notes"]
    assert "A year ago, for 2025-W48" in notes, notes
    assert "    > Year-ago week: 독서 모임." in notes
    assert "line 4 not shown" not in notes and "    > …" in notes
    assert "Six months ago, for 2026-W22" in notes
    assert "    > Half-year-ago week: 운동 시작." in notes
    assert f"(on {today_utc().isoformat()})" in notes  # back-filled today, and it says so
    assert "too recent" not in notes and "2026-11-25." not in notes
    # Nothing for a period that is not over: a year before a week far back
    # has no answer, so no line claims one.
    early = call(world, "GetTemplate", kind="weekly", date="2021-01-06")["notes"]
    assert "A year ago" not in early and "Six months ago" not in early

    answer(world, "2025-08-01", "Half-year 2025-H2: learned to cook.", kind="halfyear")
    answer(world, "2026-03-01", "Half-year 2026-H1: moved flat.", kind="halfyear")
    half = call(world, "GetTemplate", kind="halfyear", date="2026-08-01")["notes"]
    assert "A year ago, for 2025-H2" in half, half
    assert "learned to cook" in half and "moved flat" in half


def test_halfyear_template_names_recurring_themes(world):
    world.daemon(CONFIG)
    for year in range(2020, 2025):
        for month in range(1, 13):
            for day in (3, 17):
                text = "Work was busy and the family was fine."
                if (year, month, day) in ((2020, 3, 3), (2022, 5, 17), (2023, 9, 3)):
                    text += " Am I an expert in anything?"
                answer(world, f"{year}-{month:02d}-{day:02d}", text)
    half = call(world, "GetTemplate", kind="halfyear", date="2025-03-01")["notes"]
    assert "You have written about *expert* in 2020, 2022 and 2023" in half, half
    assert "lookback search expert" in half
    assert "*work*" not in half and "*family*" not in half


def test_client_search_onthisday_themes(world):
    world.daemon(CONFIG)
    answer(world, "2023-09-06", "나는 전문가인가? \x1b[31mred\x1b[0m")
    answer(world, "2025-12-03", "A cold week.")
    r = world.run_client("search", "전문가")
    assert r.returncode == 0, r.stderr
    assert "2023-09-04" in r.stdout and "Question 1" in r.stdout
    assert "나는 **전문가**인가?" in r.stdout  # piped: marked with asterisks
    assert "\x1b" not in r.stdout  # what was written never reaches the terminal as escapes
    miss = world.run_client("search", "수영")
    assert miss.returncode == 1 and "No match for '수영'" in miss.stderr
    bad = world.run_client("search", "--raw", '"unbalanced')
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    assert world.json("search", "전문가")["hits"][0]["passage_marks"] == [{"start": 3, "end": 6}]
    assert "Question 1" in world.run_client("onthisday", "--date", "2026-12-02").stdout
    assert world.run_client("themes").returncode == 0
    for cmd in ("search", "onthisday", "themes"):
        h = world.run_client(cmd, "--help")
        assert h.returncode == 0 and "Usage" in h.stdout + h.stderr, (cmd, h)


def test_index_is_rebuilt_from_the_tables(world):
    """The database stays writable by any SQLite (Debian's sqlite3 CLI, a
    script): what it writes is queued by plain-SQL triggers and indexed when
    the daemon next opens the file; and a changed tokenizer version refills
    the whole index, as the migration that added it did."""
    import sqlite3
    daemon = world.daemon(CONFIG)
    answer(world, "2024-03-06", "나는 전문가인가?")
    call(world, "Done", habit="exercise", date="2024-03-07", note="swimming 1 km")
    daemon.stop()
    db = sqlite3.connect(world.database)
    with db:
        db.execute("INSERT INTO checkins (uuid, habit, day, note, created_usec) "
                   "VALUES ('00000000-0000-4000-8000-000000000001', 'exercise', '2024-03-09', 'rowing machine', 0)")
    db.close()
    daemon = world.daemon()
    assert dates(search(world, "rowing")) == ["2024-03-09"]
    daemon.stop()
    db = sqlite3.connect(world.database)
    with db:
        db.execute("UPDATE search_meta SET value = 0 WHERE key = 'tokenizer'")
    db.close()
    world.daemon()
    assert dates(search(world, "전문가")) == ["2024-03-04"]
    assert dates(search(world, "swim")) == ["2024-03-07"]
    assert dates(search(world, "rowing")) == ["2024-03-09"]
    assert search(world, "전문가")["total"] == 1  # filled once, not twice


def test_halfyear_report_names_recurring_themes(world):
    world.daemon(CONFIG)
    for year in range(2020, 2025):
        for month in range(1, 13):
            for day in (3, 17):
                text = "Work was busy and the family was fine."
                if (year, month, day) in ((2020, 3, 3), (2022, 5, 17), (2023, 9, 3)):
                    text += " 나는 전문가인가? <b>expert</b>"
                answer(world, f"{year}-{month:02d}-{day:02d}", text)
    report = call(world, "Report", **{"from": "2024-07-01"}, to="2024-12-31", format="json")["report"]
    assert [t["term"] for t in report["themes"]][:2] == ["expert", "전문가"], report["themes"]
    assert report["themes"][0]["years"] == [2023, 2022, 2020]
    text = call(world, "Report", **{"from": "2024-07-01"}, to="2024-12-31", format="text")["content"]
    assert "Recurring themes" in text
    assert "You have written about *전문가* in 2020, 2022 and 2023" in text
    html = call(world, "Report", **{"from": "2024-07-01"}, to="2024-12-31", format="html")["content"]
    assert "<h2>Recurring themes</h2>" in html and "<b>expert</b>" not in html
    # Before a third year, no theme yet.
    early = call(world, "Report", **{"from": "2022-01-01"}, to="2022-06-30", format="json")["report"]
    assert early["themes"] == []
