#!/usr/bin/env bash
# Record how the validation programs' marks are spent, with Go 1.19 (ground truth for the
# fluid level's `workers: scheduled`, models/collector/fractional_worker.hpp).
#
# Usage: tests/validation/record_marks.sh [--reps N]
# GO as in record.sh.
#
# gctrace gives a mark's wall time and its worker and assist CPU, not when they ran. A
# runtime/trace does: each fractional/idle worker run starts with a GoStartLabel "GC (...)"
# and ends when its goroutine blocks or is preempted; assists are GCMarkAssistStart/Done. For
# steady-noscan, grow-release and large-objects at GOGC=100 without a limit (GOMAXPROCS=2), N
# repetitions, one row per mark (after sweep termination to the mark termination stop):
#   mark_ms      its wall time
#   worker_ms    worker runs, summed over Ps; assist_ms: assists, summed
#   runs         worker runs
#   last_gap_ms  from the end of the last worker run or assist before the final one to the
#                start of the final one (the wait for a P to schedule its worker), 0 if none
# Writes recordings/marks.tsv.
set -euo pipefail

HELP_LINES=17
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

OUT=recordings/marks.tsv
{
  header "GOGC=100, no limit, GOMAXPROCS=2"
  printf 'program\trep\tmark\tmark_ms\tworker_ms\tassist_ms\truns\tlast_gap_ms\n'
  for prog in steady-noscan grow-release large-objects; do
    "$GO" build -o "$TMP/$prog" "./$prog"
    for rep in $(seq 1 "$REPS"); do
      env -u GODEBUG GOMAXPROCS=2 GOGC=100 GCSUMMARY_TRACE="$TMP/run.trace" "$TMP/$prog" > /dev/null
      "$GO" tool trace -d "$TMP/run.trace" 2>/dev/null | sort -n -k1,1 -s > "$TMP/events.txt"
      awk -v prog="$prog" -v rep="$rep" '
        function field(name,   i) { for (i = 3; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
        function finish_activity(t) { if (t > last_end) last_end = t }
        function begin_activity(t) {
          # A run or assist that starts while nothing runs: the wait before it.
          if (active == 0 && last_end > 0) gap = t - last_end
          active++
        }
        $1 !~ /^[0-9]+$/ { next }
        $2 == "GoStartLabel" { worker[field("g")] = 1 }
        $2 == "GCSTWStart" && /sweep termination/ { state = "stw1"; next }
        $2 == "GCSTWDone" && state == "stw1" {
          state = "mark"; t0 = $1; w = 0; a = 0; runs = 0; active = 0; last_end = 0; gap = 0
          delete run_start; delete assist_start; next
        }
        state != "mark" { next }
        $2 == "GoStartLabel" { p = field("p"); begin_activity($1); run_start[p] = $1; runs++; next }
        ($2 == "GoBlock" || $2 == "GoPreempt" || $2 == "GoSched" || $2 == "GoBlockGC") && (field("g") in worker) {
          p = field("p")
          if (p in run_start) { w += $1 - run_start[p]; delete run_start[p]; active--; finish_activity($1) }
          next
        }
        $2 == "GCMarkAssistStart" { p = field("p"); begin_activity($1); assist_start[p] = $1; next }
        $2 == "GCMarkAssistDone" {
          p = field("p")
          if (p in assist_start) { a += $1 - assist_start[p]; delete assist_start[p]; active--; finish_activity($1) }
          next
        }
        $2 == "GCSTWStart" && /mark termination/ {
          for (p in run_start) w += $1 - run_start[p]
          for (p in assist_start) a += $1 - assist_start[p]
          n++
          printf "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%d\t%.3f\n", prog, rep, n, ($1 - t0) / 1e6, w / 1e6, a / 1e6, runs, gap / 1e6
          state = ""
        }' "$TMP/events.txt"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
