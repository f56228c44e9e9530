"""[sync] folder through real Syncthing: two lookbackds, each in its own
World (XDG dirs, private bus) with its own device id (LOOKBACK_DEVICE_ID:
both run on one machine, so /etc/machine-id cannot tell them apart), each
syncing through its own folder of a two-Syncthing pair on loopback
(syncthing.py). A check-in on A shows in B's `lookback habits`, and one on
B in A's. Waits are bounded (60 s each way) but this is not a timing test;
the times are printed (pytest -s).

Each daemon writes only FOLDER/<its device>.jsonl and reads the other's,
which Syncthing delivers as `.syncthing.NAME.tmp` renamed over NAME."""

import hashlib
import secrets
import time

from conftest import today_utc
from syncthing import syncthing_pair

WAIT = 60
CONFIG = '[sync]\nfolder = {folder}\n\n[habit "water"]\nevery = day\n'


def water(world):
    habits = {h["name"]: h for h in world.json("habits")["habits"]}
    return habits["water"]


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


class Scene:
    """The pair, the two worlds and their daemons, for waits that say all
    that is known when they time out."""

    def __init__(self, pair, worlds, daemons, folders):
        self.pair = pair
        self.worlds = worlds
        self.daemons = daemons
        self.folders = folders

    def state(self):
        lines = []
        for name, folder in zip("AB", self.folders):
            lines.append(f"folder {name} ({folder}): {listing(folder)}")
        for name, d in zip("AB", self.daemons):
            lines.append(f"===== lookbackd {name} stderr =====\n{d.stderr}")
        return "\n".join(lines)

    def wait(self, condition, what, timeout=WAIT):
        """Seconds until @condition held; fails with the daemons' stderr,
        the folders and Syncthing's logs after @timeout."""
        start = time.monotonic()

        def check():
            for name, d in zip("AB", self.daemons):
                if d.proc.poll() is not None:
                    raise AssertionError(f"lookbackd {name} exited with {d.proc.returncode}\n{self.state()}")
            return condition()

        try:
            self.pair.wait(check, timeout, what, interval=0.1)
        except AssertionError as e:
            raise AssertionError(f"{e}\n{self.state()}") from None
        return time.monotonic() - start


def test_checkins_travel_both_ways_through_syncthing(make_world, tmp_path):
    with syncthing_pair(tmp_path / "st") as (folder_a, folder_b, pair):
        a, b = make_world(), make_world()
        dev_a, dev_b = secrets.token_hex(16), secrets.token_hex(16)
        a.env["LOOKBACK_DEVICE_ID"] = dev_a
        b.env["LOOKBACK_DEVICE_ID"] = dev_b
        file_a, file_b = f"{dev_a}.jsonl", f"{dev_b}.jsonl"
        da = a.daemon(CONFIG.format(folder=folder_a))
        db = b.daemon(CONFIG.format(folder=folder_b))
        scene = Scene(pair, (a, b), (da, db), (folder_a, folder_b))
        today = today_utc().isoformat()
        assert water(a)["total"] == 0 and water(b)["total"] == 0

        def size(path):
            try:
                return path.stat().st_size
            except FileNotFoundError:
                return -1

        def one_way(src, dst, src_folder, dst_folder, own, done_args, arrived, names):
            """`lookback done` on @src; seconds until its file grew, until
            Syncthing's copy in @dst_folder caught up, until @arrived(dst)."""
            from_name, to_name = names
            before = size(src_folder / own)
            t0 = time.monotonic()
            deadline = t0 + WAIT  # for the whole way, not each step

            def left():
                return max(0.5, deadline - time.monotonic())

            r = src.run_client("done", "water", *done_args)
            assert r.returncode == 0, r.stderr
            scene.wait(lambda: size(src_folder / own) > before, f"lookbackd {from_name} to append to {own}", left())
            written = time.monotonic() - t0
            grown = size(src_folder / own)
            scene.wait(lambda: size(dst_folder / own) >= grown, f"Syncthing to carry {own} to {to_name}", left())
            copied = time.monotonic() - t0
            scene.wait(lambda: arrived(dst), f"{to_name}'s `lookback habits` to show {from_name}'s check-in",
                       left())
            seen = time.monotonic() - t0
            print(f"{from_name} -> {to_name}: {own[:8]}... appended {written:.2f}s after `lookback done`, "
                  f"in {to_name}'s folder {copied:.2f}s, in {to_name}'s habits {seen:.2f}s")
            return seen

        def has_a_checkin(world):
            h = water(world)
            return (h["last_done"], h["this_period"], h["total"]) == (today, 1, 1)

        print()
        a_to_b = one_way(a, b, folder_a, folder_b, file_a, (), has_a_checkin, "AB")
        assert water(a)["total"] == 1
        b_to_a = one_way(b, a, folder_b, folder_a, file_b, ("--note", "from B"),
                         lambda w: water(w)["total"] == 2, "BA")
        print(f"A -> B {a_to_b:.2f}s, B -> A {b_to_a:.2f}s (each waited for at most {WAIT}s)")

        # Both agree, each wrote only its own file, and Syncthing saw no conflict.
        ha, hb = water(a), water(b)
        for h in (ha, hb):
            assert (h["last_done"], h["this_period"], h["total"]) == (today, 2, 2), h
        pair.wait_idle(WAIT)
        for folder in (folder_a, folder_b):
            names = [n for n in listing(folder) if not n.startswith(".syncthing.")]
            assert [n for n in names if n.endswith(".jsonl")] == sorted([file_a, file_b]), scene.state()
            assert not [n for n in names if ".sync-conflict-" in n], scene.state()
        for name in (file_a, file_b):
            digests = {hashlib.sha256((f / name).read_bytes()).hexdigest() for f in (folder_a, folder_b)}
            assert len(digests) == 1, f"{name} differs between the folders once idle\n{scene.state()}"

        da.stop()
        db.stop()
