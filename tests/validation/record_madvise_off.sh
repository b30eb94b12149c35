#!/usr/bin/env bash
# Record what releasing memory costs near-limit's marks at GOMEMLIMIT=200MiB, with Go 1.19:
# the same program built twice, against the installed runtime and against one whose
# sysUnusedOS does nothing (no madvise: the runtime still counts the pages released, so the
# pacer, the limit and the scavenger do what they did, but the kernel does no work and no
# other thread is interrupted). Ground truth for the fluid level's split of a mark between
# the worker and the assists while the program releases memory (fluid_level.hpp, tests/605).
#
# Usage: tests/validation/record_madvise_off.sh [--reps N]
# Needs GNU time (/usr/bin/time) and the Go source (golang-1.19-src). GO as in record.sh.
# GOMAXPROCS=2, GOGC=100, GOMEMLIMIT=200MiB, N repetitions each. One row per run: the
# runtime (madvise or none), cycles, per cycle the mean assist and background (dedicated +
# fractional + idle) CPU in ms and the mean mark wall time in ms (gctrace), the mean heap
# growth during a mark in MB, and the run's system, user and wall seconds.
# Writes recordings/near-limit/madvise_off.tsv.
set -euo pipefail

HELP_LINES=15
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
[[ -x /usr/bin/time ]] || { echo "record_madvise_off.sh: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }
mem_go="$("$GO" env GOROOT)/src/runtime/mem.go"
[[ -f "$mem_go" ]] || { echo "record_madvise_off.sh: $mem_go not found (install golang-1.19-src)" >&2; exit 2; }
grep -q $'^\tsysUnusedOS(v, n)$' "$mem_go" || { echo "record_madvise_off.sh: $mem_go is not the Go 1.19 layout" >&2; exit 2; }
sed $'s/^\tsysUnusedOS(v, n)$/\t\/\/ sysUnusedOS(v, n): left out by record_madvise_off.sh/' "$mem_go" > "$TMP/mem.go"
printf '{"Replace":{"%s":"%s"}}\n' "$mem_go" "$TMP/mem.go" > "$TMP/overlay.json"
"$GO" build -o "$TMP/madvise" ./near-limit
"$GO" build -overlay "$TMP/overlay.json" -o "$TMP/none" ./near-limit

OUT=recordings/near-limit/madvise_off.tsv
{
  header "near-limit, GOGC=100, GOMEMLIMIT=200MiB, GOMAXPROCS=2"
  printf 'runtime\trep\tgcs\tassist_ms\tbackground_ms\tmark_ms\tgrowth_mb\tsys_s\tuser_s\twall_s\n'
  for runtime in madvise none; do
    for rep in $(seq 1 "$REPS"); do
      env GODEBUG=gctrace=1 GOMAXPROCS=2 GOGC=100 GOMEMLIMIT=200MiB \
        /usr/bin/time -f '%S %U %e' -o "$TMP/time.txt" "$TMP/$runtime" > /dev/null 2> "$TMP/gctrace"
      read -r sys user wall < "$TMP/time.txt"
      grep '^gc ' "$TMP/gctrace" | awk -v rt="$runtime" -v rep="$rep" -v sys="$sys" -v user="$user" -v wall="$wall" '
        {
          split($5, clock, "+"); split($8, cpu, "+"); split(cpu[2], m, "/"); split($11, heap, "->")
          n++; mark += clock[2]; assist += m[1]; bg += m[2] + m[3]; growth += heap[2] - heap[1]
        }
        END {
          printf "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\n", rt, rep, n, assist / n, bg / n, mark / n, growth / n, sys, user, wall
        }'
    done
  done
} > "$OUT.tmp"
publish "$OUT"
