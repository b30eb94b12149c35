#!/usr/bin/env bash
# Record what the allocation between two marks does to the next mark's cost on this machine:
# the measurement behind README.md's bursty GC CPU gap (a mark at GOGC=400 costs twice one at
# GOGC=25 for the same live records). mark-locality/main.go says how.
#
# Usage: tests/validation/record_mark_cache.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2, GOGC off, GODEBUG=gctrace=1; per case, garbage size and
# repetition, the median mark CPU (assist + background + idle) of the last 8 of 10 forced GCs
# over 32 MiB of live objects, each GC after GARBAGE_MIB of 2 KiB objects written once per
# 64 B line. Writes recordings/mark_cache.tsv: size, mode, order (as mark_locality.tsv),
# garbage_mib, rep, objects, mark CPU ms, ns per object.
set -euo pipefail

HELP_LINES=12
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
"$GO" build -o "$TMP/ml" ./mark-locality
OUT=recordings/mark_cache.tsv
{
  header "GOMAXPROCS=2" "$(nproc) CPUs"
  printf 'size\tmode\torder\tgarbage_mib\trep\tobjects\tmark_cpu_ms\tns_per_object\n'
  for c in "256 slice seq" "256 chain seq" "256 slice shuffled" "24 slice seq"; do
    read -r size mode order <<<"$c"
    for garbage in 0 8 32 128 512; do
      for rep in $(seq 1 "$REPS"); do
        n=$(GOMAXPROCS=2 GODEBUG=gctrace=1 "$TMP/ml" "$size" "$mode" "$order" "$garbage" 2> "$TMP/trace")
        ms=$(grep '(forced)' "$TMP/trace" | tail -8 | sed -E 's/.* ms clock, [0-9.]+\+([0-9.]+)\/([0-9.]+)\/([0-9.]+)\+.*/\1 \2 \3/' |
             awk '{print $1 + $2 + $3}' | sort -g | awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
        awk -v s="$size" -v m="$mode" -v o="$order" -v g="$garbage" -v r="$rep" -v n="$n" -v ms="$ms" \
          'BEGIN {printf "%s\t%s\t%s\t%s\t%s\t%d\t%.2f\t%.1f\n", s, m, o, g, r, n, ms, ms * 1e6 / n}'
      done
    done
  done
} > "$OUT.tmp"
publish "$OUT"
