#!/usr/bin/env bash
# Record what the background scavenger costs where it releases most, grow-release without a
# limit, with Go 1.19: N runs with transparent huge pages and N without (nothp/: prctl
# PR_SET_THP_DISABLE), GOGC=100, GOMAXPROCS=2, each with GODEBUG=scavtrace=1 and a
# runtime/trace (GCSUMMARY_TRACE; tracing slows the program ~20 %), built against the
# counting runtime (counting_runtime.sh). Per run: the scavenger goroutine's time on a P (it is
# the goroutine that sleeps on its timer, GoSleep), the bytes it released (scavtrace's "work":
# background releases only), their ratio, and the counted bytes and calls of all releases.
# Ground truth for the scavenger's cost per byte (README, tests/605).
#
# Usage: tests/validation/record_scavenger_trace.sh [--reps N]
# Writes recordings/grow-release/scavenger_cost.tsv.
set -euo pipefail

HELP_LINES=12
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
source counting_runtime.sh

counting_runtime "$TMP"
"$GO" build -tags gogcsim_released -overlay "$TMP/overlay.json" -o "$TMP/grow-release" ./grow-release
"$GO" build -o "$TMP/nothp" ./nothp
OUT="recordings/grow-release/scavenger_cost.tsv"
{
  header "grow-release, GOGC=100, GOMAXPROCS=2" "traced"
  printf 'thp\trep\tscavenger_on_p_ms\tbackground_released_bytes\tns_per_byte\treleased_bytes\treleased_calls\n'
  for thp in on off; do
    wrap=()
    [[ "$thp" == off ]] && wrap=("$TMP/nothp")
    for rep in $(seq 1 "$REPS"); do
      env GOMAXPROCS=2 GOGC=100 GODEBUG=scavtrace=1 GCSUMMARY_TRACE="$TMP/run.trace" "${wrap[@]}" "$TMP/grow-release" \
        > "$TMP/summary.json" 2> "$TMP/scavtrace.txt"
      "$GO" tool trace -d "$TMP/run.trace" > "$TMP/trace.txt" 2>/dev/null
      # The scavenger: the goroutine with the most GoSleep events (bgscavenge's timed sleeps).
      g="$(awk '$2 == "GoSleep" { n[$4]++ } END { for (g in n) if (n[g] > best) { best = n[g]; bg = g } print bg }' "$TMP/trace.txt")"
      on_p_ms="$(awk -v g="$g" '
        $2 == "GoStart" { cur = ""; for (i = 3; i <= NF; i++) if ($i ~ /^g=/) cur = $i; if (cur == g) { start = $1; p = $3; on = 1 } }
        on && $3 == p && ($2 == "GoSleep" || $2 == "GoBlock" || $2 == "GoPreempt" || $2 == "GoSched" || $2 == "GoSysBlock") { t += $1 - start; on = 0 }
        END { printf "%.2f", t / 1e6 }' "$TMP/trace.txt")"
      bg_bytes="$(awk '/^scav / { kib += $2 } END { printf "%d", kib * 1024 }' "$TMP/scavtrace.txt")"
      bytes="$(grep -o '"released_bytes":[0-9]*' "$TMP/summary.json" | cut -d: -f2)"
      calls="$(grep -o '"released_calls":[0-9]*' "$TMP/summary.json" | cut -d: -f2)"
      printf '%s\t%d\t%s\t%d\t%s\t%d\t%d\n' "$thp" "$rep" "$on_p_ms" "$bg_bytes" \
        "$(awk -v ms="$on_p_ms" -v b="$bg_bytes" 'BEGIN { printf "%.3f", ms * 1e6 / b }')" "$bytes" "$calls"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
