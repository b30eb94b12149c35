#!/usr/bin/env bash
# Record how much memory the near-limit program releases to the OS itself, and what it costs,
# with Go 1.19 (ground truth for the cost `sync_scavenge_ns_per_byte` and for tests/605).
#
# Usage: tests/validation/record_scavenging.sh [--reps N]
# Needs strace and GNU time (/usr/bin/time). GO as in record.sh.
#
# For GOMEMLIMIT none, 240MiB and 200MiB (GOGC=100, GOMAXPROCS=2), N repetitions each:
#   - a run under `strace -f -e trace=madvise`: madvise(MADV_DONTNEED) calls and bytes (what
#     the runtime releases; GODEBUG=scavtrace=1 shows the background scavenger doing ~0 of it,
#     so it is the allocating goroutines scavenging over the limit);
#   - a run without strace under /usr/bin/time: system and user CPU seconds, wall seconds.
# Writes recordings/near-limit/scavenging.tsv (one row per run).
set -euo pipefail

HELP_LINES=13
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
command -v strace >/dev/null || { echo "record_scavenging.sh: strace is not installed" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "record_scavenging.sh: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$GO" build -o "$TMP/near-limit" ./near-limit
OUT=recordings/near-limit/scavenging.tsv
{
  echo "# near-limit, GOGC=100, GOMAXPROCS=2, $("$GO" version | cut -d' ' -f3), $(date -u +%Y-%m-%d), by tests/validation/record_scavenging.sh"
  printf 'limit\trep\tdontneed_calls\tdontneed_bytes\tsys_s\tuser_s\twall_s\n'
  for lim in none 240MiB 200MiB; do
    env_lim=()
    [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
    for rep in $(seq 1 "$REPS"); do
      env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" strace -f -e trace=madvise -o "$TMP/strace.txt" "$TMP/near-limit" >/dev/null
      read -r calls bytes < <(awk '/MADV_DONTNEED/ { n++; sub(/.*madvise\(0x[0-9a-f]+, /, ""); sub(/,.*/, ""); b += $0 } END { printf "%d %d\n", n, b }' "$TMP/strace.txt")
      env GOMAXPROCS=2 GOGC=100 "${env_lim[@]}" /usr/bin/time -f '%S %U %e' -o "$TMP/time.txt" "$TMP/near-limit" >/dev/null
      read -r sys user wall < "$TMP/time.txt"
      printf '%s\t%d\t%d\t%d\t%s\t%s\t%s\n' "$lim" "$rep" "$calls" "$bytes" "$sys" "$user" "$wall"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
