#!/usr/bin/env bash
# gogcsim: record ground-truth per-cycle data from the REAL Go 1.19 pacer
# test harness (runtime.TestGcPacer in src/runtime/mgcpacer_test.go).
#
# Needs:   Debian packages golang-1.19-go golang-1.19-src (GOROOT /usr/lib/go-1.19),
#          python3, bash, coreutils.  ~0.5 GB free in ${TMPDIR:-/tmp}.
# Ran with: go version go1.19.8 linux/amd64 (Debian golang-1.19 1.19.8).
#
# What it does (never touches /usr/lib/go-1.19 itself):
#   1. copies the Go 1.19 tree (symlinks dereferenced) to a scratch GOROOT,
#   2. drops two instrumentation files into the COPY's src/runtime:
#        gogcsim_export_pacer_test.go  (package runtime: read-only accessors)
#        gogcsim_pacer_log_test.go     (package runtime_test: output helpers)
#      and edits the COPY's mgcpacer_test.go with instrument_pacer_test.py
#      (pure read-only logging, one tab-separated line per simulated cycle),
#   3. runs  go test runtime -run 'TestGcPacer$' -v -count=1  (must PASS),
#   4. writes one CSV per scenario into this directory (<kebab-name>.csv).
# Re-runnable: the scratch GOROOT is recreated on every run; CSVs are overwritten.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../go119_runtime_test.sh"
run_instrumented_runtime_test pacer TestGcPacer mgcpacer_test.go "$HERE/instrument_pacer_test.py" \
  "$HERE/gogcsim_export_pacer_test.go" "$HERE/gogcsim_pacer_log_test.go"

python3 - "$WORK/test.out" "$HERE" "$VER" <<'PY'
import re, sys, collections
out, outdir, ver = sys.argv[1], sys.argv[2], sys.argv[3]
HEADER = ("cycle,gcPercent,memoryLimit,nCores,allocRate,scanRate,growthRate,scannableFrac,"
          "stackBytes,globalsBytes,heap_marked_prev,heap_trigger,heap_goal,heap_peak,heap_marked,"
          "gc_utilization,assist_utilization,cons_mark,runway,"
          "cons_mark_before,current_cons_mark,cons_mark_err_integral,sweep_dist_min_trigger,"
          "trigger_start,heap_goal_start,heap_live_start,heap_scan_start,"
          "assist_work_per_byte_start,assist_work_per_byte_end,n_revise,gc_duration,assist_time,"
          "next_heap_marked,bytes_allocated_black,heap_scannable,heap_scan_work,stack_scan_work,"
          "globals_scan_work,last_heap_scan,last_stack_scan,gc_percent_heap_goal_next,"
          "memory_limit_heap_goal_next,heap_goal_next,runway_next,heap_minimum")
ncol = HEADER.count(",") + 1
EXPECT = ["Steady", "SteadyBigStacks", "SteadyBigGlobals", "StepAlloc", "HeavyStepAlloc",
          "StepScannableFrac", "HighGOGC", "OscAlloc", "JitterAlloc", "HeavyJitterAlloc",
          "SmallHeapSlowAlloc", "MediumHeapSlowAlloc", "LargeHeapSlowAlloc", "SteadyMemoryLimit",
          "SteadyMemoryLimitNoGCPercent", "ExceedMemoryLimit", "ExceedMemoryLimitNoGCPercent",
          "MaintainMemoryLimit", "MaintainMemoryLimitNoGCPercent"]
rows = collections.OrderedDict()
for line in open(out, errors="replace"):
    # The tag may be preceded by other unterminated output on the same line.
    i = line.find("GOGCSIM_PACER\t")
    if i < 0:
        continue
    _, name, csv = line[i:].rstrip("\n").split("\t")
    f = csv.split(",")
    assert len(f) == ncol, (name, len(f), ncol)
    rows.setdefault(name, []).append(f)

def kebab(s):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", s).lower()

missing = [n for n in EXPECT if n not in rows]
extra = [n for n in rows if n not in EXPECT]
if missing or extra:
    sys.exit("scenario mismatch: missing=%s extra=%s" % (missing, extra))
for name in EXPECT:
    rs = sorted(rows[name], key=lambda f: int(f[0]))
    cyc = [int(f[0]) for f in rs]
    assert cyc == list(range(1, len(rs) + 1)), (name, "cycle numbers not 1..n")
    path = "%s/%s.csv" % (outdir, kebab(name))
    with open(path, "w") as fh:
        fh.write(HEADER + "\n")
        for f in rs:
            fh.write(",".join(f) + "\n")
    print("%-32s %4d rows -> %s" % (name, len(rs), path.split("/")[-1]))

# Per-revise-period traces (only scenarios listed in gogcsimTraceRevise).
RHEADER = ("cycle,period,assist_work_per_byte,utilization,bytes_scanned,bytes_allocated,"
           "globals_scanned,stack_scanned,heap_scanned,actual_elapsed,actual_allocated,"
           "heap_scan_delta,globals_work_left,stack_work_left,heap_work_left,heap_live_after,"
           "heap_scan_after,assist_work_per_byte_after,heap_goal_after,assist_time_acc,gc_duration_acc")
rn = RHEADER.count(",") + 1
rev = collections.OrderedDict()
for line in open(out, errors="replace"):
    i = line.find("GOGCSIM_REVISE\t")
    if i < 0:
        continue
    _, name, csv = line[i:].rstrip("\n").split("\t")
    f = csv.split(",")
    assert len(f) == rn, (name, len(f), rn)
    rev.setdefault(name, []).append(f)
import os
os.makedirs(outdir + "/revise", exist_ok=True)
for name in EXPECT:
    if name not in rev:
        continue
    rs = rev[name]  # emitted in order within one (sequential) subtest
    path = "%s/revise/%s.csv" % (outdir, kebab(name))
    with open(path, "w") as fh:
        fh.write(RHEADER + "\n")
        for f in rs:
            fh.write(",".join(f) + "\n")
    print("%-32s %4d rows -> revise/%s" % (name, len(rs), path.split("/")[-1]))
PY
{
  echo "source: runtime.TestGcPacer (src/runtime/mgcpacer_test.go), instrumented copy"
  echo "go: $VER"
  echo "command: go test runtime -run 'TestGcPacer\$' -v -count=1"
  echo "result:"
  grep -E '^--- (PASS|FAIL): TestGcPacer ' "$WORK/test.out"
  grep -E '^\s+--- (PASS|FAIL): TestGcPacer/' "$WORK/test.out" | sort
  grep -E '^(ok|FAIL)\s' "$WORK/test.out"
} | sed -E 's/\([0-9.]+s\)/(<time>)/g; s/[[:space:]]+[0-9.]+s$//' > "$HERE/run_info.txt"
echo "done; scratch GOROOT left in $WORK (safe to delete)" >&2
