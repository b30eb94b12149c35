#!/usr/bin/env python3
"""Summarize tests/real/memory/recordings into Markdown tables (min-max over reps).

Usage: python3 summarize.py [recordings_dir] > recordings/SUMMARY.md
MiB = 2^20 bytes.  mapped = total_bytes - heap_released_bytes.
"""
import csv, glob, json, os, re, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "recordings")
MiB = 2.0 ** 20
ORDER = ["small-churn", "mixed-sizes", "large-objects", "grow-shrink"]

runs = defaultdict(list)  # (prog, setting) -> [(json, rows)]
for j in sorted(glob.glob(os.path.join(root, "*", "*.json"))):
    prog = os.path.basename(os.path.dirname(j))
    m = re.match(r"(.*)_rep(\d+)\.json$", os.path.basename(j))
    setting = m.group(1)
    d = json.load(open(j))
    rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(open(j[:-5] + ".csv"))]
    runs[(prog, setting)].append((d, rows))

def keyorder(k):
    p, s = k
    return (ORDER.index(p) if p in ORDER else 99, s)

def rng(vals, fmt="{:.0f}"):
    lo, hi = min(vals), max(vals)
    a, b = fmt.format(lo), fmt.format(hi)
    return a if a == b else f"{a}–{b}"

print("# Recorded results (min–max over repetitions)\n")
print(f"Source: `{os.path.basename(os.path.abspath(root))}/*/*.json|csv`; MiB = 2^20 B; "
      "mapped = total − heap_released; peaks are over the 10 ms samples (full-resolution, before CSV downsampling).\n")

print("## Peak / final memory (MiB)\n")
print("| program | setting | reps | objects peak | objects final | unused peak | unused final | free peak | free final | released peak | released final | mapped peak | mapped final | RSS peak | RSS final |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for k in sorted(runs, key=keyorder):
    rs = runs[k]
    cells = []
    for col in ["heap_objects_bytes", "heap_unused_bytes", "heap_free_bytes", "heap_released_bytes", "mapped_bytes", "rss_bytes"]:
        cells.append(rng([d["peak"][col] / MiB for d, _ in rs]))
        cells.append(rng([d["final"][col] / MiB for d, _ in rs]))
    print(f"| {k[0]} | {k[1]} | {len(rs)} | " + " | ".join(cells) + " |")

print("\n## Rates, GC counts, ratios\n")
print("HeapInuse/HeapIdle/HeapReleased/Sys are MiB from the final runtime.ReadMemStats. Mean ratios are time averages over all samples with heap_objects > 8 MiB; "
      "`rss/mapped` = rss_bytes / (total − released).\n")
print("`cpu/wall` = (user+sys CPU s)/wall s of the program (2.0 = both cores busy); "
      "`others` = CPU s used by other processes on the host during the run (contention).\n")
print("| program | setting | wall s | cpu/wall | others cpu s | alloc MB/s | alloc Mobj/s | NumGC | mean unused/objects | mean free/objects | mean rss/mapped | mean goal/objects | final HeapInuse | final HeapIdle | final HeapReleased | final Sys | unused<0 samples |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for k in sorted(runs, key=keyorder):
    rs = runs[k]
    cw = [(d.get("cpu_user_s", 0) + d.get("cpu_sys_s", 0)) / d["wall_s"] for d, _ in rs]
    oc = [d.get("host_other_cpu_s", 0) for d, _ in rs]
    def tavg(rows, f):
        v = [f(r) for r in rows if r["heap_objects_bytes"] > 8 * MiB]
        return sum(v) / len(v) if v else float("nan")
    un = [tavg(rows, lambda r: r["heap_unused_bytes"] / r["heap_objects_bytes"]) for _, rows in rs]
    fr = [tavg(rows, lambda r: r["heap_free_bytes"] / r["heap_objects_bytes"]) for _, rows in rs]
    rm = [tavg(rows, lambda r: r["rss_bytes"] / (r["total_bytes"] - r["heap_released_bytes"])) for _, rows in rs]
    go = [tavg(rows, lambda r: r["gc_heap_goal_bytes"] / r["heap_objects_bytes"]) for _, rows in rs]
    ms = lambda f: rng([d["memstats"][f] / MiB for d, _ in rs])
    print(f"| {k[0]} | {k[1]} | {rng([d['wall_s'] for d,_ in rs], '{:.2f}')} | {rng(cw, '{:.2f}')} | {rng(oc, '{:.2f}')} | "
          f"{rng([d['alloc_rate_bytes_per_s']/1e6 for d,_ in rs])} | {rng([d['alloc_rate_objects_per_s']/1e6 for d,_ in rs], '{:.2f}')} | "
          f"{rng([d['memstats']['NumGC'] for d,_ in rs])} | {rng(un, '{:.3f}')} | {rng(fr, '{:.3f}')} | {rng(rm, '{:.3f}')} | {rng(go, '{:.2f}')} | "
          f"{ms('HeapInuse')} | {ms('HeapIdle')} | {ms('HeapReleased')} | {ms('Sys')} | "
          f"{rng([d.get('negative_samples', {}).get('heap_unused_bytes', 0) for d,_ in rs])} |")

gs = [k for k in sorted(runs, key=keyorder) if k[0] == "grow-shrink"]
if gs:
    print("\n## grow-shrink after the drop\n")
    print("t = seconds after the `dropped` mark. released@x = heap_released (MiB) x s after the drop; "
          "t50/t90 = time until released reaches 50%/90% of its post-drop maximum; "
          "freed = time until heap_objects falls below 25% of its post-drop maximum (the first GC cycle that *started* after the drop has finished sweeping; "
          "a cycle already running at the drop still marks the dropped objects); rel MiB/s = slope of heap_released between 10% and 90% of its post-drop rise.\n")
    print("| setting | grown at s | post-drop s | freed | t50 released | t90 released | rel MiB/s | released@0.25 | @0.5 | @1 | @2 | mapped@2 | RSS@0 | RSS@0.5 | RSS@1 | RSS@2 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in gs:
        acc = defaultdict(list)
        for d, rows in runs[k]:
            marks = {m["name"]: m["t_ns"] / 1e9 for m in d["marks"]}
            td, tend = marks["dropped"], marks["done"]
            acc["grown"].append(marks["grown"]); acc["post"].append(tend - td)
            post = [r for r in rows if r["t_ns"] / 1e9 >= td]
            if not post:
                continue
            t = lambda r: r["t_ns"] / 1e9 - td
            omax = max(r["heap_objects_bytes"] for r in post)
            imax = max(range(len(post)), key=lambda i: post[i]["heap_objects_bytes"])
            acc["fg"].append(next((t(r) for r in post[imax:] if r["heap_objects_bytes"] < 0.25 * omax), float("nan")))
            mx = max(r["heap_released_bytes"] for r in post)
            base = post[0]["heap_released_bytes"]
            tq = {}
            for q, name in [(0.1, "t10"), (0.5, "t50"), (0.9, "t90")]:
                tq[name] = next((t(r) for r in post if r["heap_released_bytes"] - base >= q * (mx - base)), float("nan"))
                acc[name].append(tq[name])
            acc["rate"].append(0.8 * (mx - base) / MiB / (tq["t90"] - tq["t10"]) if tq["t90"] > tq["t10"] else float("nan"))
            def at(x, col):
                cand = [r for r in post if t(r) <= x]
                r = cand[-1] if cand else post[0]
                if col == "mapped":
                    return (r["total_bytes"] - r["heap_released_bytes"]) / MiB
                return r[col] / MiB
            for x in [0.25, 0.5, 1, 2]:
                acc[f"rel{x}"].append(at(x, "heap_released_bytes"))
            acc["map2"].append(at(2, "mapped"))
            for x in [0, 0.5, 1, 2]:
                acc[f"rss{x}"].append(at(x, "rss_bytes"))
        f2 = "{:.2f}"
        print(f"| {k[1]} | {rng(acc['grown'], f2)} | {rng(acc['post'], f2)} | {rng(acc['fg'], f2)} | {rng(acc['t50'], f2)} | {rng(acc['t90'], f2)} | {rng(acc['rate'])} | "
              + " | ".join(rng(acc[f"rel{x}"]) for x in [0.25, 0.5, 1, 2]) + f" | {rng(acc['map2'])} | "
              + " | ".join(rng(acc[f"rss{x}"]) for x in [0, 0.5, 1, 2]) + " |")
