#!/usr/bin/env bash
# Record how much memory the validation programs release to the OS themselves, and what it
# costs, with Go 1.19 (ground truth for the cost `sync_scavenge_ns_per_byte`, tests/605).
#
# Usage: tests/validation/record_scavenging.sh [--reps N]
# Needs strace and GNU time (/usr/bin/time). GO as in record.sh.
#
# For each program without a limit and at its limits (near-limit: 240MiB and 200MiB; the
# others at their first, as record.sh runs them), GOGC=100, GOMAXPROCS=2, N repetitions each:
#   - a run under `strace -f -e trace=madvise`: madvise(MADV_DONTNEED) calls and bytes (what
#     the runtime releases: over the limit the allocating goroutines, else the background
#     scavenger);
#   - a run without strace under /usr/bin/time: system and user CPU seconds, wall seconds.
# Writes recordings/<program>/scavenging.tsv (one row per run).
set -euo pipefail

HELP_LINES=14
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
command -v strace >/dev/null || { echo "record_scavenging.sh: strace is not installed" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "record_scavenging.sh: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for spec in "near-limit none 240MiB 200MiB" "steady-noscan none 96MiB" "pointer-heavy none 96MiB" \
            "grow-release none 320MiB" "bursty none 64MiB" "large-objects none 192MiB"; do
  read -r prog limits <<<"$spec"
  "$GO" build -o "$TMP/$prog" "./$prog"
  OUT="recordings/$prog/scavenging.tsv"
  {
    echo "# $prog, GOGC=100, GOMAXPROCS=2, $("$GO" version | cut -d' ' -f3), $(date -u +%Y-%m-%d), by tests/validation/record_scavenging.sh"
    printf 'limit\trep\tdontneed_calls\tdontneed_bytes\tsys_s\tuser_s\twall_s\n'
    for lim in $limits; do
      env_lim=()
      [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
      for rep in $(seq 1 "$REPS"); do
        env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" strace -f -e trace=madvise -o "$TMP/strace.txt" "$TMP/$prog" >/dev/null
        read -r calls bytes < <(awk '/MADV_DONTNEED/ { n++; sub(/.*madvise\(0x[0-9a-f]+, /, ""); sub(/,.*/, ""); b += $0 } END { printf "%d %d\n", n, b }' "$TMP/strace.txt")
        env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" /usr/bin/time -f '%S %U %e' -o "$TMP/time.txt" "$TMP/$prog" >/dev/null
        read -r sys user wall < "$TMP/time.txt"
        printf '%s\t%d\t%d\t%d\t%s\t%s\t%s\n' "$lim" "$rep" "$calls" "$bytes" "$sys" "$user" "$wall"
      done
    done
  } > "$OUT.tmp"
  publish "$OUT"
done
