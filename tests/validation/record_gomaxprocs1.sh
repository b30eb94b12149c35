#!/usr/bin/env bash
# Record the six validation programs with one P (GOMAXPROCS=1), GOGC=100, no limit, with Go
# 1.19: the same gctrace and summary as record.sh, for the regime where the pacer plans no
# dedicated worker and a fractional one of 25 % of the only P, and no P is ever idle.
#
# Usage: tests/validation/record_gomaxprocs1.sh [--reps N]
# GO as in record.sh. Writes recordings/gomaxprocs1/<prog>_rep<R>.gctrace (gctrace lines
# only) and .summary.json (the program's one-line summary).
set -euo pipefail

HELP_LINES=8
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

OUT=recordings/gomaxprocs1
mkdir -p "$OUT"
for prog in steady-noscan pointer-heavy grow-release bursty large-objects near-limit; do
  "$GO" build -o "$TMP/$prog" "./$prog"
  for rep in $(seq 1 "$REPS"); do
    env -u GOMEMLIMIT GOMAXPROCS=1 GOGC=100 GODEBUG=gctrace=1 "$TMP/$prog" >"$TMP/out" 2>"$TMP/err"
    grep -E '^gc [0-9]+ @' "$TMP/err" >"$OUT/${prog}_rep$rep.gctrace.tmp" || true
    grep -m1 '^{' "$TMP/out" >"$OUT/${prog}_rep$rep.summary.json.tmp"
    mv "$OUT/${prog}_rep$rep.summary.json.tmp" "$OUT/${prog}_rep$rep.summary.json"
    publish "$OUT/${prog}_rep$rep.gctrace" | grep -c '^gc ' | sed "s|^|$OUT/${prog}_rep$rep: |; s|$| cycles|"
  done
done
header "GOMAXPROCS=1, GOGC=100, no limit" >"$OUT/MACHINE.txt.tmp"
{ echo "cpus: $(nproc)"; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; } >>"$OUT/MACHINE.txt.tmp"
mv "$OUT/MACHINE.txt.tmp" "$OUT/MACHINE.txt"
