#!/usr/bin/env bash
# Record the memory-limit heap goal's inputs next to the goal gctrace prints, for pointer-heavy
# and steady-noscan at GOGC=100, GOMEMLIMIT=96MiB, GOMAXPROCS=2: each run writes its gctrace
# lines and its heap samples (runtime/metrics: objects, unused, free, released, total), asked
# for every 1 ms (GCSUMMARY_SAMPLE_MS=1; the sampler gets a P about every 3-8 ms while both
# workers run). gctrace's goal is computed at mark termination (endCycle's lastHeapGoal) from
# mapped memory, free pages and heap objects; a sample taken just before a mark ends has those
# inputs. tests/604 recomputes the goal from them.
#   pointer-heavy: its swept spans keep a live node each: up to 19 MiB of heap/unused at a mark's end
#   steady-noscan: ~0.4 MiB unused; its heap overshoots the limit (the goal's overage term)
#
# Usage: tests/validation/record_limit_goal.sh [--reps N]    (GO as in record.sh)
# Writes recordings/limit-goal/<prog>_rep<R>.gctrace and .tsv (gcsummary's GCSUMMARY_SAMPLES).
set -euo pipefail

HELP_LINES=14
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"

mkdir -p recordings/limit-goal
for prog in pointer-heavy steady-noscan; do
  "$GO" build -o "$TMP/$prog" "./$prog"
  for rep in $(seq 1 "$REPS"); do
    out="recordings/limit-goal/${prog}_rep$rep"
    env GOMAXPROCS=2 GOGC=100 GOMEMLIMIT=96MiB GODEBUG=gctrace=1 GCSUMMARY_SAMPLES="$TMP/samples.tsv" \
      GCSUMMARY_SAMPLE_MS=1 "$TMP/$prog" >/dev/null 2>"$TMP/stderr"
    grep '^gc ' "$TMP/stderr" > "$out.gctrace.tmp"
    mv "$TMP/samples.tsv" "$out.tsv"
    mv "$out.gctrace.tmp" "$out.gctrace"
    echo "$out: $(wc -l < "$out.gctrace") cycles, $(($(wc -l < "$out.tsv") - 1)) samples"
  done
done
