#!/usr/bin/env bash
# Record what releasing free heap pages to the OS costs on this machine, by how the free
# pages lie: the measurement behind README.md's note on the background scavenger
# (scavenge-cost/main.go says how).
#
# Usage: tests/validation/record_scavenge_cost.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2. Cases: free runs of 8 KiB (keep every 2nd 8 KiB object),
# 16 KiB (every 3rd), 64 KiB (every 9th), 64 KiB and 1 MiB objects (every 2nd), and all of
# 512 MiB free (one run). Writes recordings/scavenge_cost.tsv: object size, stride, rep, MiB
# released, ms, ns per byte.
set -euo pipefail

HELP_LINES=11
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
"$GO" build -o "$TMP/sc" ./scavenge-cost
OUT=recordings/scavenge_cost.tsv
{
  header "GOMAXPROCS=2" "$(nproc) CPUs"
  printf 'object_bytes\tstride\trep\treleased_mib\tms\tns_per_byte\n'
  for c in "8192 2" "8192 3" "8192 9" "65536 2" "1048576 2" "8192 1000000"; do
    read -r size stride <<<"$c"
    for rep in $(seq 1 "$REPS"); do
      printf '%s\t%s\t%s\t%s\n' "$size" "$stride" "$rep" "$(GOMAXPROCS=2 "$TMP/sc" "$stride" "$size")"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
