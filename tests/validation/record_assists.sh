#!/usr/bin/env bash
# Record how near-limit's mark assists are spent with and without its memory limit, with Go
# 1.19: ground truth for the gap README.md names (its GC CPU at GOMEMLIMIT=200MiB is 36-41 %,
# the model's 23 %: the same ~200 MB heap costs 32-40 ms of mark CPU a cycle at the limit and
# 15-17 without it, and assists make the difference).
#
# Usage: tests/validation/record_assists.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2, GOGC=100, GOMEMLIMIT none and 200MiB, N repetitions; a
# runtime/trace gives every assist (GCMarkAssistStart/Done) and the marks (from the
# sweep-termination stop to the mark-termination stop), gctrace the GC's own CPU. One row per run:
#   gcs          marks traced          mark_ms          their wall time, summed
#   assists      assist episodes       assist_ms        their wall time, summed
#   long         episodes over 1 ms    long_ms          their wall time, summed
#   long_at_start  of those, the ones that began within 1 ms of their mark's start
#   gctrace_assist_ms, gctrace_worker_ms   gctrace's assist and background + idle CPU, summed
# Writes recordings/assists.tsv.
set -euo pipefail

HELP_LINES=16
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

OUT=recordings/assists.tsv
{
  header "near-limit, GOGC=100, GOMAXPROCS=2"
  printf 'limit\trep\tgcs\tmark_ms\tassists\tassist_ms\tlong\tlong_ms\tlong_at_start\tgctrace_assist_ms\tgctrace_worker_ms\n'
  "$GO" build -o "$TMP/near-limit" ./near-limit
  for limit in none 200MiB; do
    for rep in $(seq 1 "$REPS"); do
      if [[ "$limit" == none ]]; then lim=(); else lim=(GOMEMLIMIT="$limit"); fi
      env "${lim[@]}" GODEBUG=gctrace=1 GOMAXPROCS=2 GOGC=100 GCSUMMARY_TRACE="$TMP/run.trace" \
        "$TMP/near-limit" > /dev/null 2> "$TMP/gctrace"
      read -r gassist gworker < <(sed -nE 's/.* ms clock, [0-9.]+\+([0-9.]+)\/([0-9.]+)\/([0-9.]+)\+.*/\1 \2 \3/p' "$TMP/gctrace" |
        awk '{a += $1; w += $2 + $3} END {printf "%.1f %.1f\n", a, w}')
      "$GO" tool trace -d "$TMP/run.trace" 2>/dev/null | sort -n -k1,1 -s > "$TMP/events.txt"
      awk -v limit="$limit" -v rep="$rep" -v ga="$gassist" -v gw="$gworker" '
        function field(name,   i) { for (i = 3; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
        $1 !~ /^[0-9]+$/ { next }
        $2 == "GCSTWStart" && /sweep termination/ { stw1 = 1; next }
        $2 == "GCSTWDone" && stw1 { stw1 = 0; marking = 1; t0 = $1; gcs++; next }
        $2 == "GCSTWStart" && /mark termination/ && marking { marking = 0; mark += $1 - t0; next }
        $2 == "GCMarkAssistStart" { start[field("g")] = $1; began[field("g")] = $1 - t0; next }
        $2 == "GCMarkAssistDone" {
          g = field("g")
          if (!(g in start)) next
          d = $1 - start[g]
          n++; total += d
          if (d > 1e6) { nl++; long += d; if (began[g] < 1e6) at_start++ }
          delete start[g]
        }
        END {
          printf "%s\t%d\t%d\t%.1f\t%d\t%.1f\t%d\t%.1f\t%d\t%s\t%s\n", limit, rep, gcs, mark / 1e6, n, total / 1e6, nl, long / 1e6, at_start, ga, gw
        }' "$TMP/events.txt"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
