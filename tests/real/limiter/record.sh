#!/usr/bin/env bash
# gogcsim: record ground-truth step-by-step data from the REAL Go 1.19 GC CPU
# limiter test (runtime.TestGCCPULimiter in src/runtime/mgclimit_test.go).
#
# Needs:   Debian packages golang-1.19-go golang-1.19-src (GOROOT /usr/lib/go-1.19),
#          python3, bash, coreutils.  ~0.5 GB free in ${TMPDIR:-/tmp}.
# Ran with: go version go1.19.8 linux/amd64 (Debian golang-1.19 1.19.8).
#
# What it does (never touches /usr/lib/go-1.19 itself):
#   1. copies the Go 1.19 tree (symlinks dereferenced) to a scratch GOROOT,
#   2. drops two instrumentation files into the COPY's src/runtime:
#        gogcsim_export_limiter_test.go (package runtime: read-only accessors)
#        gogcsim_limiter_log_test.go    (package runtime_test: logging wrapper)
#      and edits the COPY's mgclimit_test.go with instrument_limiter_test.py,
#   3. runs  go test runtime -run 'TestGCCPULimiter$' -v -count=1  (must PASS),
#   4. writes gc_cpu_limiter.csv (one row per limiter call) into this directory.
# Re-runnable: the scratch GOROOT is recreated on every run; the CSV is overwritten.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../go119_runtime_test.sh"
run_instrumented_runtime_test limiter TestGCCPULimiter mgclimit_test.go "$HERE/instrument_limiter_test.py" \
  "$HERE/gogcsim_export_limiter_test.go" "$HERE/gogcsim_limiter_log_test.go"

python3 - "$WORK/test.out" "$HERE/gc_cpu_limiter.csv" <<'PY'
import sys
out, dst = sys.argv[1], sys.argv[2]
HEADER = ("step,iteration,op,now,enable_gc,assist_time,nprocs,result,fill,capacity,overflow,"
          "enabled,last_update,assist_time_pool,idle_time_pool,gc_enabled,transitioning,limiter_nprocs")
ncol = HEADER.count(",") + 1
rows = []
for line in open(out, errors="replace"):
    i = line.find("GOGCSIM_LIMITER\t")
    if i < 0:
        continue
    f = line[i:].rstrip("\n").split("\t")[1].split(",")
    assert len(f) == ncol, (len(f), ncol)
    rows.append(f)
assert [int(f[0]) for f in rows] == list(range(1, len(rows) + 1)), "steps not 1..n"
with open(dst, "w") as fh:
    fh.write(HEADER + "\n")
    for f in rows:
        fh.write(",".join(f) + "\n")
print("%d rows -> %s" % (len(rows), dst.split("/")[-1]))
PY
{
  echo "source: runtime.TestGCCPULimiter (src/runtime/mgclimit_test.go), instrumented copy"
  echo "go: $VER"
  echo "command: go test runtime -run 'TestGCCPULimiter\$' -v -count=1"
  echo "result:"
  grep -E '^--- (PASS|FAIL): TestGCCPULimiter ' "$WORK/test.out"
  grep -E '^(ok|FAIL)\s' "$WORK/test.out"
} | sed -E 's/\([0-9.]+s\)/(<time>)/g; s/[[:space:]]+[0-9.]+s$//' > "$HERE/run_info.txt"
echo "done; scratch GOROOT left in $WORK (safe to delete)" >&2
