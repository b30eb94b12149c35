#!/usr/bin/env bash
# Record what a span costs in runtime metadata besides its mspan record, with Go 1.19: the
# mark and allocation bitmaps (mark-bits/main.go says how). Ground truth for the fluid level's
# per-span metadata (models/heap/fluid_heap.hpp, tests/203).
#
# Usage: tests/validation/record_mark_bits.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2. One row per case and repetition: case, rep, spans,
# mark-bit bytes a span, mspan bytes a span, metadata/other bytes a span.
# Writes recordings/mark_bits.tsv.
set -euo pipefail

HELP_LINES=9
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
"$GO" build -o "$TMP/mb" ./mark-bits
OUT=recordings/mark_bits.tsv
{
  header "GOMAXPROCS=2"
  printf 'case\trep\tspans\tmark_bit_bytes\tmspan_bytes\tmetadata_other_bytes\n'
  for rep in $(seq 1 "$REPS"); do
    GOMAXPROCS=2 "$TMP/mb" | awk -v rep="$rep" -F'\t' '{printf "%s\t%d\t%s\t%s\t%s\t%s\n", $1, rep, $2, $3, $4, $5}'
  done
} > "$OUT.tmp"
publish "$OUT"
