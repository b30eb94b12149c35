#!/usr/bin/env bash
# Record what sweeping costs in the six validation programs, with Go 1.19 (ground truth for the
# cost `sweep_ns_per_span`, models/costs.md).
#
# Usage: tests/validation/record_sweep.sh [--reps N]
# GO as in record.sh.
#
# gctrace does not show sweeping. A runtime/trace does: every stretch a goroutine sweeps (the
# proportional sweep before it takes a span, mcentral and large-object reclaim, gcStart
# finishing the sweep) is a GCSweepStart/GCSweepDone pair with the bytes of the spans swept,
# and the background sweeper is the goroutine that yields after every span. For each program
# at GOGC=100 without a limit and at its first validation limit (GOMAXPROCS=2), N repetitions:
# the program runs with GCSUMMARY_TRACE (internal/gcsummary writes the trace), `go tool trace
# -d` lists the events, and awk sums them. Writes recordings/sweep.tsv, one row per run.
set -euo pipefail

HELP_LINES=14
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

declare -A LIMIT=([steady-noscan]=96MiB [pointer-heavy]=96MiB [grow-release]=320MiB [bursty]=64MiB
                  [large-objects]=192MiB [near-limit]=240MiB)
OUT=recordings/sweep.tsv
{
  header "GOGC=100, GOMAXPROCS=2"
  echo "# sweep_ms: goroutines' sweep stretches; swept_bytes: bytes of the spans they swept; bg_sweep_ms: the"
  echo "# background sweeper's time on a P; wall_s and num_gc from the program's summary (tracing slows it a little)"
  printf 'program\tlimit\trep\tsweep_stretches\tsweep_ms\tswept_bytes\tbg_sweep_ms\tbg_yields\twall_s\tnum_gc\n'
  for prog in steady-noscan pointer-heavy grow-release bursty large-objects near-limit; do
    "$GO" build -o "$TMP/$prog" "./$prog"
    for lim in none "${LIMIT[$prog]}"; do
      env_lim=()
      [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
      for rep in $(seq 1 "$REPS"); do
        env -u GODEBUG GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" GCSUMMARY_TRACE="$TMP/run.trace" "$TMP/$prog" > "$TMP/summary.json"
        "$GO" tool trace -d "$TMP/run.trace" 2>/dev/null > "$TMP/events.txt"
        read -r n sweep_ms swept bg_ms bg_yields < <(awk '
          $1 !~ /^[0-9]+$/ { next }
          { p = ""; g = ""; for (i = 3; i <= NF; i++) { if ($i ~ /^p=/) p = substr($i, 3); else if ($i ~ /^g=/ && g == "") g = substr($i, 3) } }
          $2 == "GCSweepStart" { open[p] = $1 }
          $2 == "GCSweepDone" && (p in open) {
            dur += $1 - open[p]; delete open[p]; n++
            for (i = 3; i <= NF; i++) if ($i ~ /^swept=/) bytes += substr($i, 7)
          }
          $2 == "GoStart" || $2 == "GoStartLabel" { run[p] = g; since[p] = $1 }
          $2 ~ /^(GoSched|GoPreempt|GoBlock.*|GoSysCall|GoSysBlock|GoEnd|GoStop|GoWaiting)$/ && (p in run) {
            on[run[p]] += $1 - since[p]; if ($2 == "GoSched") yields[run[p]]++; delete run[p]
          }
          END {
            best = ""; for (x in yields) if (best == "" || yields[x] > yields[best]) best = x
            printf "%d %.1f %.0f %.1f %d\n", n, dur / 1e6, bytes, (best == "" ? 0 : on[best] / 1e6), (best == "" ? 0 : yields[best])
          }' "$TMP/events.txt")
        wall=$(sed -n 's/.*"wall_ns":\([0-9]*\).*/\1/p' "$TMP/summary.json")
        gcs=$(sed -n 's/.*"num_gc":\([0-9]*\).*/\1/p' "$TMP/summary.json")
        printf '%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n' "$prog" "$lim" "$rep" "$n" "$sweep_ms" "$swept" "$bg_ms" "$bg_yields" \
          "$(awk -v w="$wall" 'BEGIN { printf "%.3f", w / 1e9 }')" "$gcs"
      done
    done
  done
} > "$OUT.tmp"
publish "$OUT"
