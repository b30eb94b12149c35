#!/usr/bin/env bash
# Record how much memory the validation programs release to the OS themselves, and what it
# costs, with Go 1.19 (ground truth for the cost `sync_scavenge_ns_per_byte`, tests/605).
#
# Usage: tests/validation/record_scavenging.sh [--reps N]
# Needs GNU time (/usr/bin/time) and the Go source (golang-1.19-src). GO as in record.sh.
#
# The programs are built against a counting runtime (counting_runtime.sh: the runtime's own
# count of the bytes and calls it releases; not strace, which changes what it counts).
#
# For each program without a limit and at its limits (near-limit: 240MiB and 200MiB; the
# others at their first, as record.sh runs them), GOGC=100, GOMAXPROCS=2, N repetitions each,
# one run under /usr/bin/time: bytes and calls released, system and user CPU seconds, wall
# seconds. Writes recordings/<program>/scavenging.tsv (one row per run).
set -euo pipefail

HELP_LINES=14
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
[[ -x /usr/bin/time ]] || { echo "record_scavenging.sh: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }
source counting_runtime.sh

counting_runtime "$TMP"
for spec in "near-limit none 240MiB 200MiB" "steady-noscan none 96MiB" "pointer-heavy none 96MiB" \
            "grow-release none 320MiB" "bursty none 64MiB" "large-objects none 192MiB"; do
  read -r prog limits <<<"$spec"
  "$GO" build -tags gogcsim_released -overlay "$TMP/overlay.json" -o "$TMP/$prog" "./$prog"
  OUT="recordings/$prog/scavenging.tsv"
  {
    header "$prog, GOGC=100, GOMAXPROCS=2"
    printf 'limit\trep\treleased_calls\treleased_bytes\tsys_s\tuser_s\twall_s\n'
    for lim in $limits; do
      env_lim=()
      [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
      for rep in $(seq 1 "$REPS"); do
        env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" /usr/bin/time -f '%S %U %e' -o "$TMP/time.txt" "$TMP/$prog" > "$TMP/summary.json"
        bytes="$(grep -o '"released_bytes":[0-9]*' "$TMP/summary.json" | cut -d: -f2)"
        calls="$(grep -o '"released_calls":[0-9]*' "$TMP/summary.json" | cut -d: -f2)"
        read -r sys user wall < "$TMP/time.txt"
        printf '%s\t%d\t%d\t%d\t%s\t%s\t%s\n' "$lim" "$rep" "$calls" "$bytes" "$sys" "$user" "$wall"
      done
    done
  } > "$OUT.tmp"
  publish "$OUT"
done

