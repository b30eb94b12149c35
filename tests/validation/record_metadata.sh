#!/usr/bin/env bash
# Record the runtime's own memory at the end of each validation program's run, with Go 1.19:
# every /memory/classes/* metric (runtime/metrics), ground truth for the fluid level's
# metadata (models/heap/fluid_heap.hpp) — memory a GOMEMLIMIT counts and the heap cannot use.
# Metadata is never returned to the OS, so its value at the end is its peak.
#
# Usage: tests/validation/record_metadata.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2, GOGC=100, each program without a limit and at its first
# limit (as record.sh runs them), N repetitions. One row per run and class: program, limit,
# rep, class (the metric's name without /memory/classes/ and :bytes), bytes.
# Writes recordings/metadata.tsv.
set -euo pipefail

HELP_LINES=11
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

OUT=recordings/metadata.tsv
{
  header "GOGC=100, GOMAXPROCS=2"
  printf 'program\tlimit\trep\tclass\tbytes\n'
  for spec in "steady-noscan 96MiB" "pointer-heavy 96MiB" "grow-release 320MiB" "bursty 64MiB" \
              "large-objects 192MiB" "near-limit 240MiB"; do
    read -r prog first <<<"$spec"
    "$GO" build -o "$TMP/$prog" "./$prog"
    for lim in none "$first"; do
      env_lim=()
      [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
      for rep in $(seq 1 "$REPS"); do
        env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" GCSUMMARY_CLASSES="$TMP/classes.tsv" "$TMP/$prog" > /dev/null
        sed -E 's|^/memory/classes/||; s|:bytes\t|\t|' "$TMP/classes.tsv" |
          awk -v p="$prog" -v l="$lim" -v r="$rep" '{printf "%s\t%s\t%s\t%s\n", p, l, r, $0}'
      done
    done
  done
} > "$OUT.tmp"
publish "$OUT"
