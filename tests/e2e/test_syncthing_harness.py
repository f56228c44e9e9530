"""The two-Syncthing harness itself (syncthing.py): a file written in one
folder reaches the other, and an appended line comes back. Prints the
connection and propagation times (run with -s to see them)."""

import os

from syncthing import syncthing_pair

TIMEOUT = 30


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def test_file_goes_both_ways(tmp_path):
    with syncthing_pair(tmp_path / "st") as (folder_a, folder_b, pair):
        assert folder_a != folder_b
        t = pair.timings
        print(f"\nsyncthing: generate {t['generate']:.2f}s; from start: REST {t['rest']:.2f}s, "
              f"connected {t['connected']:.2f}s, idle {t['idle']:.2f}s")

        line1 = "one line written in A\n"
        append(folder_a / "notes.txt", line1)
        a_to_b = pair.wait_file(folder_b, "notes.txt", lambda d: d == line1.encode(), timeout=TIMEOUT)

        line2 = "and one appended in B\n"
        append(folder_b / "notes.txt", line2)
        b_to_a = pair.wait_file(folder_a, "notes.txt", lambda d: d == (line1 + line2).encode(), timeout=TIMEOUT)

        # A second change from A, to a file that already exists on both.
        line3 = "and A again\n"
        append(folder_a / "notes.txt", line3)
        a_to_b_again = pair.wait_file(folder_b, "notes.txt", lambda d: d == (line1 + line2 + line3).encode(),
                                      timeout=TIMEOUT)

        print(f"syncthing propagation: new file A->B {a_to_b:.2f}s, append B->A {b_to_a:.2f}s, "
              f"append A->B {a_to_b_again:.2f}s")
        pair.scan()  # a full scan of both finds nothing the watcher missed
        pair.wait_idle(TIMEOUT)
        for inst in (pair.a, pair.b):
            assert inst.folder_status()["localFiles"] == 1
        names = sorted(p.name for p in folder_b.iterdir())
        assert names == [".stfolder", "notes.txt"], names
        assert not [p for p in folder_a.iterdir() if ".sync-conflict-" in p.name]
