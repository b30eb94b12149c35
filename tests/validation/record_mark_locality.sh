#!/usr/bin/env bash
# Record what marking one object costs on this machine, by where the objects lie: the
# measurement behind README.md's bursty GC CPU gap (mark-locality/main.go says how).
#
# Usage: tests/validation/record_mark_locality.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2, GODEBUG=gctrace=1; per case and repetition, the median
# mark CPU (assist + background + idle) of the 10 forced GCs over 32 MiB of live objects.
# Writes recordings/mark_locality.tsv: size, mode (slice: held by a slice, the mark fans
# out; chain: a linked list), order (seq: allocation order; shuffled: scattered), rep,
# objects, mark CPU ms, ns per object.
set -euo pipefail

HELP_LINES=11
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
"$GO" build -o "$TMP/ml" ./mark-locality
OUT=recordings/mark_locality.tsv
{
  header "GOMAXPROCS=2" "$(nproc) CPUs"
  printf 'size\tmode\torder\trep\tobjects\tmark_cpu_ms\tns_per_object\n'
  for c in "24 slice seq" "24 slice shuffled" "24 chain seq" "24 chain shuffled" "64 slice seq" "64 slice shuffled" \
           "256 slice seq" "256 slice shuffled" "256 chain seq" "256 chain shuffled"; do
    read -r size mode order <<<"$c"
    for rep in $(seq 1 "$REPS"); do
      n=$(GOMAXPROCS=2 GODEBUG=gctrace=1 "$TMP/ml" "$size" "$mode" "$order" 2> "$TMP/trace")
      # forced cycles' "A+B/C/D+E ms cpu": mark CPU = B + C + D; the median of the last 8
      ms=$(grep '(forced)' "$TMP/trace" | tail -8 | sed -E 's/.* ms clock, [0-9.]+\+([0-9.]+)\/([0-9.]+)\/([0-9.]+)\+.*/\1 \2 \3/' |
           awk '{print $1 + $2 + $3}' | sort -g | awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}')
      awk -v s="$size" -v m="$mode" -v o="$order" -v r="$rep" -v n="$n" -v ms="$ms" \
        'BEGIN {printf "%s\t%s\t%s\t%s\t%d\t%.2f\t%.1f\n", s, m, o, r, n, ms, ms * 1e6 / n}'
    done
  done
} > "$OUT.tmp"
publish "$OUT"
