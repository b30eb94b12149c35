#!/usr/bin/env bash
# gogcsim: record REAL Go 1.19 runtime memory timeseries for the programs in this
# directory (small-churn, mixed-sizes, large-objects, grow-shrink).
#
# Needs:   Go 1.19.x (default /usr/lib/go-1.19/bin/go; override with GO=...), bash,
#          coreutils, python3 (only for the final SUMMARY.md), ~1.5 GB free RAM.
# Ran with: go version go1.19.8 linux/amd64 (Debian golang-1.19 1.19.8), 2 cores.
#
# For each repetition (REPS, default 3) x program x setting it runs
#     GOMAXPROCS=2 GOGC=<G> [GOMEMLIMIT=<L>] GODEBUG=gctrace=1,scavtrace=1 <prog> -out <prefix>
# settings: GOGC=100, GOGC=200 for every program; additionally GOGC=100 GOMEMLIMIT=400MiB
# for grow-shrink.  Outputs (overwritten):
#     recordings/<prog>/gogc<G>[_lim<L>]_rep<R>.csv    10 ms timeseries (<= 1000 rows)
#     recordings/<prog>/gogc<G>[_lim<L>]_rep<R>.json   summary (peaks, finals, MemStats, histograms)
#     recordings/<prog>/gogc<G>[_lim<L>]_rep<R>.trace  stderr: gctrace + scavtrace + gogcsim-mark lines
#     recordings/MACHINE.txt, recordings/SUMMARY.md
# Usage: tests/real/memory/record.sh            (all programs, 3 reps; ~2 min on 2 cores)
#        REPS=1 PROGS="grow-shrink" tests/real/memory/record.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-/usr/lib/go-1.19/bin/go}"
REPS="${REPS:-3}"
PROGS="${PROGS:-small-churn mixed-sizes large-objects grow-shrink}"
OUT="$HERE/recordings"
BIN="$(mktemp -d "${TMPDIR:-/tmp}/gogcsim-realmemory.XXXXXX")"
trap 'rm -rf "$BIN"' EXIT

[ -x "$GO" ] || { echo "missing $GO (apt-get install golang-1.19-go, or set GO=)" >&2; exit 1; }
VER="$("$GO" version)"
case "$VER" in
  *"go1.19."*) ;;
  *) echo "expected Go 1.19.x, got: $VER" >&2; exit 1 ;;
esac

unset GOGC GOMEMLIMIT GODEBUG GOEXPERIMENT GOARCH GOOS || true
export GOFLAGS= GO111MODULE=on CGO_ENABLED=0

echo "building with $VER" >&2
for p in $PROGS; do
  (cd "$HERE" && "$GO" build -o "$BIN/$p" "./$p")
done

mkdir -p "$OUT"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -a)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem: $(grep -m1 MemTotal /proc/meminfo | awk '{print $2, $3}')"
  echo "thp: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo n/a)"
  echo "go: $VER"
  echo "reps: $REPS"
  echo "programs: $PROGS"
} > "$OUT/MACHINE.txt"

settings_for() { # prints "GOGC GOMEMLIMIT(or -)" lines
  echo "100 -"
  echo "200 -"
  if [ "$1" = "grow-shrink" ]; then echo "100 400MiB"; fi
}

t0=$(date +%s)
for r in $(seq 1 "$REPS"); do
  for p in $PROGS; do
    mkdir -p "$OUT/$p"
    while read -r g lim; do
      name="gogc${g}"
      envs=(GOMAXPROCS=2 "GOGC=$g" GODEBUG=gctrace=1,scavtrace=1)
      if [ "$lim" != "-" ]; then
        name="${name}_lim${lim}"
        envs+=("GOMEMLIMIT=$lim")
      fi
      prefix="$OUT/$p/${name}_rep${r}"
      env "${envs[@]}" "$BIN/$p" -out "$prefix" 2> "$prefix.trace"
      echo "rep $r $p $name: $(grep '^gogcsim-summary' "$prefix.trace" | cut -d' ' -f3-)" >&2
    done < <(settings_for "$p")
  done
done
t1=$(date +%s)
echo "recording_wall_s: $((t1 - t0))" >> "$OUT/MACHINE.txt"
echo "recorded in $((t1 - t0)) s" >&2

if command -v python3 >/dev/null; then
  python3 "$HERE/summarize.py" "$OUT" > "$OUT/SUMMARY.md"
  echo "wrote $OUT/SUMMARY.md" >&2
fi
