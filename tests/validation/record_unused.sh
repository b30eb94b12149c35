#!/usr/bin/env bash
# Record the heap over time (runtime/metrics every 5 ms: objects, unused, free, released,
# total) for two validation programs at GOGC=100, GOMEMLIMIT=96MiB, GOMAXPROCS=2, three
# repetitions each — ground truth for how much of the heap's spans sit unused (fragmentation)
# between a sweep and the allocation that refills them:
#   pointer-heavy: replaced subtrees are allocated among temporary nodes of the same size
#                  class, so swept spans stay in use with holes (heap/unused is large);
#   steady-noscan: its long-lived 8 KiB buffers have spans of their own, the short-lived
#                  objects' spans empty out completely (heap/unused stays small).
#
# Usage: tests/validation/record_unused.sh [--reps N]    (GO as in record.sh)
# Writes recordings/<prog>/samples_gogc100_lim96MiB_rep<R>.tsv (gcsummary's GCSUMMARY_SAMPLES).
set -euo pipefail

HELP_LINES=13
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

for prog in pointer-heavy steady-noscan; do
  "$GO" build -o "$TMP/$prog" "./$prog"
  for rep in $(seq 1 "$REPS"); do
    out="recordings/$prog/samples_gogc100_lim96MiB_rep$rep.tsv"
    env GOMAXPROCS=2 GOGC=100 GOMEMLIMIT=96MiB GCSUMMARY_SAMPLES="$TMP/samples.tsv" "$TMP/$prog" >/dev/null
    mv "$TMP/samples.tsv" "$out"
    echo "$out: $(($(wc -l < "$out") - 1)) samples"
  done
done
