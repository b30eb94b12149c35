#!/usr/bin/env bash
# Record how much a thread releasing memory (madvise) slows another thread on this machine:
# the measurement behind README.md's near-limit GC CPU gap (madvise-interference/main.go says how).
#
# Usage: tests/validation/record_madvise_interference.sh [--reps N]
# GO as in record.sh. GOMAXPROCS=2: the reader and the releaser each have a CPU.
#
# Cases: reader random (pointer chasing) or seq (streaming); releaser none, 8 KiB
# MADV_DONTNEED, 8 KiB with MADV_NOHUGEPAGE first (Go 1.19's sysUnused over the limit), and
# 64 KiB / 1 MiB pieces. Writes recordings/madvise_interference.tsv, one row per run; the
# extra reader time per release is (ns/step − baseline) × steps / releases.
set -euo pipefail

HELP_LINES=11
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
"$GO" build -o "$TMP/mi" ./madvise-interference
OUT=recordings/madvise_interference.tsv
{
  header "GOMAXPROCS=2" "$(nproc) CPUs"
  printf 'reader\treleaser\tchunk_bytes\trep\tns_per_step\treleases_per_ms\tmb_per_s_released\n'
  for reader in random seq; do
    for c in "0 plain" "8192 plain" "8192 nohuge" "65536 plain" "1048576 plain"; do
      read -r chunk mode <<<"$c"
      for rep in $(seq 1 "$REPS"); do
        read -r ns _ rel _ mbs _ < <(GOMAXPROCS=2 "$TMP/mi" "$chunk" "$mode" "$reader")
        name=$mode; [[ "$chunk" == 0 ]] && name=none
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$reader" "$name" "$chunk" "$rep" "$ns" "$rel" "$mbs"
      done
    done
  done
} > "$OUT.tmp"
publish "$OUT"
