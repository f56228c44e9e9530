#!/usr/bin/python3
"""Calls go one way: a check over the daemon's object files.

From `nm` of every object that makes up lookbackd (the daemon's own files
and the core library), each undefined symbol is matched to the file that
defines it, which gives the call graph between source files. Fails on:
  - any cycle between files (reported with the symbols that make it);
  - a call into manager.c from anywhere but lookbackd.c (the parts never
    call back up);
  - a call from one method handler file into another (they share only
    method-params.c);
  - a call from the core (daemon/core/) into any daemon file.
Usage: check-layers.py BUILD_DIR
"""
import collections
import pathlib
import subprocess
import sys


def objects(build):
    dirs = [build / "CMakeFiles" / "lookbackd.dir" / "daemon", build / "CMakeFiles" / "lookback-core.dir" / "daemon"]
    source = pathlib.Path(__file__).resolve().parent.parent / "daemon"
    # Objects of sources that no longer exist linger in a reused build dir.
    found = [o for d in dirs for o in sorted(d.rglob("*.o")) if (source / name_of(o)).exists()]
    if not found:
        sys.exit(f"check-layers: no object files under {build}; build lookbackd first")
    return found


def name_of(obj):
    # .../daemon/core/periods.c.o -> core/periods.c
    parts = obj.parts
    return "/".join(parts[parts.index("daemon") + 1:])[: -len(".o")]


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", str(obj)], capture_output=True, text=True, check=True).stdout
    defined = {line.split()[2] for line in out.splitlines() if len(line.split()) == 3 and line.split()[1] in "TDBR"}
    out = subprocess.run(["nm", "--undefined-only", str(obj)], capture_output=True, text=True, check=True).stdout
    undefined = {line.split()[-1] for line in out.splitlines() if line.strip()}
    return defined, undefined


def main():
    build = pathlib.Path(sys.argv[1])
    defined, undefined = {}, {}
    for obj in objects(build):
        d, u = symbols(obj)
        defined[name_of(obj)] = d
        undefined[name_of(obj)] = u
    owner = {s: f for f, syms in defined.items() for s in syms}
    edges = collections.defaultdict(lambda: collections.defaultdict(set))
    for f, syms in undefined.items():
        for s in syms:
            if s in owner and owner[s] != f:
                edges[f][owner[s]].add(s)
    problems = []
    for f, targets in edges.items():
        for t, syms in targets.items():
            why = ", ".join(sorted(syms)[:3])
            if t == "manager.c" and f != "lookbackd.c":
                problems.append(f"{f} calls up into {t}: {why}")
            if f.startswith("method-") and t.startswith("method-") and t != "method-params.c":
                problems.append(f"handler {f} calls handler {t}: {why}")
            if f.startswith("core/") and not t.startswith("core/"):
                problems.append(f"the core's {f} reaches out to {t}: {why}")
    problems += cycles(edges)
    n_edges = sum(len(t) for t in edges.values())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"check-layers: {len(problems)} problem(s) in {len(defined)} files, {n_edges} file-to-file calls")
    print(f"check-layers: {len(defined)} files, {n_edges} file-to-file calls, no cycle, calls go down")


def cycles(edges):
    """Tarjan's strongly connected components; any with more than one file is a cycle."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                links = [f"{a} -> {b} ({', '.join(sorted(edges[a][b])[:2])})"
                         for a in comp for b in edges.get(a, {}) if b in comp]
                out.append("cycle: " + "; ".join(sorted(links)))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    main()
