#!/usr/bin/env bash
# gogcsim: record gcpacertrace for the memory programs with the REAL Go 1.19 runtime: each
# cycle's scan work ("for H+S+G B work": heap, stacks, globals), which gctrace does not print,
# and the pacer's cons/mark estimate, next to the gctrace lines. tests/604_real_memory.cpp
# checks the scenarios' heap scan work a cycle against it, and reads grow-shrink's cons/mark.
#
# Needs Go 1.19.x (GO=..., default /usr/lib/go-1.19/bin/go), 2 idle cores.
# Usage: tests/real/memory/record_pacertrace.sh   (PROGS="small-churn mixed-sizes large-objects grow-shrink")
# Each program once at GOMAXPROCS=2 GOGC=100 GODEBUG=gctrace=1,gcpacertrace=1 (one run shows
# the work a cycle: it repeats from cycle to cycle). Writes
# recordings/<prog>/gogc100_pacertrace.txt: the program's stderr, a header line first.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGS="${PROGS:-small-churn mixed-sizes large-objects grow-shrink}"
TMP_NAME=pacer
source "$HERE/go_env.sh"
for p in $PROGS; do
  (cd "$HERE" && "$GO" build -o "$TMP/$p" "./$p")
  out="$HERE/recordings/$p/gogc100_pacertrace.txt"
  {
    echo "# GOMAXPROCS=2 GOGC=100, $("$GO" version | cut -d' ' -f3), $(date -u +%Y-%m-%d), $(nproc) CPUs, by tests/real/memory/record_pacertrace.sh"
    (cd "$TMP" && GOMAXPROCS=2 GOGC=100 GODEBUG=gctrace=1,gcpacertrace=1 "./$p" -out "$TMP/$p" 2>&1 >/dev/null)
  } > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "$out: $(grep -c '^gc ' "$out") cycles"
done
