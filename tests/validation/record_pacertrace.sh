#!/usr/bin/env bash
# Record gcpacertrace for one validation program at some GOGC values, with Go 1.19: the scan
# work each cycle did ("for h+s+g B work"), which gctrace does not print, next to its gctrace.
#
# Usage: tests/validation/record_pacertrace.sh PROG GOGC... [--reps N]
#        e.g. tests/validation/record_pacertrace.sh bursty 25 400
# GO as in record.sh. GOMAXPROCS=2, no memory limit. Writes
# recordings/PROG/gogc<G>_pacertrace.txt (the program's stderr: gctrace and pacer lines), one
# run each (--reps is accepted and ignored: one run shows the work per cycle).
set -euo pipefail

HELP_LINES=10
PROG="${1:?usage: record_pacertrace.sh PROG GOGC...}"
shift
GOGCS=()
while [[ $# -gt 0 && "$1" != --* ]]; do GOGCS+=("$1"); shift; done
[[ ${#GOGCS[@]} -gt 0 ]] || { echo "record_pacertrace.sh: give at least one GOGC" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
[[ -d "$PROG" ]] || { echo "record_pacertrace.sh: no program $PROG" >&2; exit 2; }
"$GO" build -o "$TMP/prog" "./$PROG"
for g in "${GOGCS[@]}"; do
  OUT="recordings/$PROG/gogc${g}_pacertrace.txt"
  env -u GOMEMLIMIT GOMAXPROCS=2 GOGC="$g" GODEBUG=gctrace=1,gcpacertrace=1 "$TMP/prog" >/dev/null 2>"$OUT.tmp"
  publish "$OUT" | grep -c '^gc ' | sed "s|^|$OUT: |; s|$| cycles|"
done
