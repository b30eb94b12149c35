#!/usr/bin/env python3
"""Validate and summarise gctrace recordings made by record.sh.

Usage: summarize.py [RECORDINGS_DIR]   (default: recordings/ next to this file)

 * checks that every line of every *.gctrace file matches the Go 1.19
   gctrace regex below (exit status 1 if any line does not);
 * cross-checks the line count against num_gc in the matching summary;
 * writes RECORDINGS_DIR/RESULTS.md with a per-program table and prints it.
"""
import glob
import json
import os
import re
import sys
from collections import defaultdict

GCTRACE_RE = re.compile(
    r"^gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, "
    r"([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, "
    r"(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, "
    r"(\d+) MB globals, (\d+) P( \(forced\))?$"
)
NAME_RE = re.compile(r"^gogc(\w+)_lim(\w+)_rep(\d+)\.gctrace$")
PROG_ORDER = ["steady-noscan", "pointer-heavy", "grow-release", "bursty",
              "large-objects", "near-limit"]
GOGC_ORDER = ["25", "50", "100", "200", "400", "off"]
MIB = 1 << 20


def lim_key(lim):
    if lim == "none":
        return (0, 0)
    m = re.match(r"(\d+)MiB", lim)
    return (1, int(m.group(1)) if m else 0)


def rng(vals, fmt):
    lo, hi = min(vals), max(vals)
    if fmt(lo) == fmt(hi):
        return fmt(lo)
    return f"{fmt(lo)}–{fmt(hi)}"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "recordings")
    total_lines = 0
    bad = []
    mismatch = []
    cells = defaultdict(list)  # (prog, gogc, lim) -> [(ngc_lines, summary)]
    for path in sorted(glob.glob(os.path.join(root, "*", "*.gctrace"))):
        prog = os.path.basename(os.path.dirname(path))
        m = NAME_RE.match(os.path.basename(path))
        if not m:
            continue
        gogc, lim, _rep = m.groups()
        with open(path) as f:
            lines = f.read().splitlines()
        seq = []
        for i, line in enumerate(lines):
            mm = GCTRACE_RE.match(line)
            if not mm:
                bad.append(f"{path}:{i + 1}: {line!r}")
            else:
                seq.append(int(mm.group(1)))
        total_lines += len(lines)
        if seq and seq != list(range(1, len(seq) + 1)):
            bad.append(f"{path}: gc numbers are not 1..N consecutive")
        sp = path[: -len(".gctrace")] + ".summary.json"
        with open(sp) as f:
            summ = json.loads(f.readline())
        if summ["num_gc"] != len(lines):
            mismatch.append(f"{path}: {len(lines)} lines vs num_gc={summ['num_gc']}")
        cells[(prog, gogc, lim)].append((len(lines), summ))

    out = []
    out.append(f"gctrace lines checked: {total_lines}; non-matching: {len(bad)}; "
               f"runs: {sum(len(v) for v in cells.values())}")
    if mismatch:
        out.append(f"runs whose gctrace line count != summary num_gc: {len(mismatch)} "
                   "(expected occasionally: a cycle that completes after the summary's "
                   "ReadMemStats snapshot, e.g. while the main goroutine is parked in a "
                   "GC assist during JSON encoding, still prints its gctrace line)")
    out.append("")
    out.append("Peak heap = max of sampled /memory/classes/heap/objects:bytes (= HeapAlloc), MiB.")
    out.append("Peak mapped = max of sampled (Sys - HeapReleased), MiB. GC CPU = MemStats.GCCPUFraction.")
    out.append("Ranges are min–max over the repetitions.")
    progs = sorted({k[0] for k in cells},
                   key=lambda p: PROG_ORDER.index(p) if p in PROG_ORDER else 99)
    for prog in progs:
        out.append("")
        out.append(f"### {prog}")
        out.append("")
        out.append("| GOGC | GOMEMLIMIT | reps | GCs | peak heap MiB | peak mapped MiB | GC CPU % | pause total ms | wall s | total alloc MiB |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        keys = sorted((k for k in cells if k[0] == prog),
                      key=lambda k: (lim_key(k[2]), GOGC_ORDER.index(k[1]) if k[1] in GOGC_ORDER else 99))
        for k in keys:
            runs = cells[k]
            s = [r[1] for r in runs]
            out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                k[1], k[2], len(runs),
                rng([r[0] for r in runs], lambda v: f"{v}"),
                rng([x["peak_heap_alloc_bytes"] / MIB for x in s], lambda v: f"{v:.0f}"),
                rng([x["peak_sys_minus_released_bytes"] / MIB for x in s], lambda v: f"{v:.0f}"),
                rng([x["gc_cpu_fraction"] * 100 for x in s], lambda v: f"{v:.1f}"),
                rng([x["pause_total_ns"] / 1e6 for x in s], lambda v: f"{v:.1f}"),
                rng([x["wall_ns"] / 1e9 for x in s], lambda v: f"{v:.2f}"),
                rng([x["total_alloc_bytes"] / MIB for x in s], lambda v: f"{v:.0f}"),
            ))
    text = "\n".join(out) + "\n"
    with open(os.path.join(root, "RESULTS.md"), "w") as f:
        f.write("# Recorded results\n\n" + text)
    sys.stdout.write(text)
    for b in bad[:20]:
        print("BAD:", b, file=sys.stderr)
    for m in mismatch[:20]:
        print("note, line count != num_gc:", m, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
