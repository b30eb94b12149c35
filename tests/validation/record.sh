#!/usr/bin/env bash
# Record Go 1.19 gctrace ground truth for the validation programs.
#
# Usage: tests/validation/record.sh [--quick] [--reps N] [--progs "a b"] [--out DIR]
#                                   [--no-pacertrace]
#   --quick        subset: GOGC {100, off} x {no limit, first limit}, 1 rep,
#                  written to recordings-quick/ (unless --out is given).
#                  QUICK=1 in the environment does the same.
#   --reps N       repetitions per matrix cell (default 3).
#   --progs LIST   only these programs (space separated).
#   --out DIR      output directory (default tests/validation/recordings).
#   --no-pacertrace  skip the extra steady-noscan gcpacertrace run.
#
# Environment: GO (default /usr/lib/go-1.19/bin/go, else `go` on PATH).
#
# For every run the script stores, under OUT/<prog>/:
#   gogc<G>_lim<L>_rep<R>.gctrace       only the stderr lines matching the
#                                       Go 1.19 gctrace format
#   gogc<G>_lim<L>_rep<R>.summary.json  the program's one-line JSON summary
# L is "none" or the GOMEMLIMIT value (e.g. 96MiB). All runs use
# GOMAXPROCS=2 and GODEBUG=gctrace=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

QUICK="${QUICK:-0}"
REPS=3
PROGS_SEL=""
OUT=""
PACERTRACE=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --reps) REPS="$2"; shift ;;
    --progs) PROGS_SEL="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --no-pacertrace) PACERTRACE=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ -z "${GO:-}" ]]; then
  if [[ -x /usr/lib/go-1.19/bin/go ]]; then GO=/usr/lib/go-1.19/bin/go; else GO=go; fi
fi
GOVERSION="$("$GO" version)"
case "$GOVERSION" in
  *go1.19*) ;;
  *) echo "warning: expected Go 1.19, got: $GOVERSION" >&2 ;;
esac

if [[ "$QUICK" == 1 ]]; then
  REPS=1
  OUT="${OUT:-$HERE/recordings-quick}"
else
  OUT="${OUT:-$HERE/recordings}"
fi

ALL_PROGS=(steady-noscan pointer-heavy grow-release bursty large-objects near-limit)

# GOMEMLIMIT values per program (binding values; rationale in README.md).
declare -A LIMITS=(
  [steady-noscan]="96MiB"    # live ~66 MiB; GOGC=100 goal ~132 MiB -> binding for GOGC >= ~40
  [pointer-heavy]="96MiB"    # live ~50 MiB; GOGC=100 goal ~100 MiB + overheads -> binding for GOGC >= ~50
  [grow-release]="384MiB 320MiB"  # peak live ~275 MiB: 384MiB binds near the peak for GOGC >= ~35,
                                  # 320MiB binds near the peak for every GOGC; neither binds after release
  [bursty]="64MiB"           # live ~36 MiB; binding for GOGC >= ~60 (bursts overshoot)
  [large-objects]="192MiB"   # live ~122 MiB; binding for GOGC >= ~50
  [near-limit]="200MiB 240MiB"  # live ~183 MiB: 200MiB = ~9% headroom, 240MiB = ~30%
)
GOGCS_FULL="25 50 100 200 400 off"
# GOGC=off without a limit: only where the whole allocation volume (= peak
# heap, since nothing is ever collected) stays < 4 GiB. All six programs
# allocate < 3.5 GiB in total, so it is recorded for all of them.
declare -A OFF_NOLIMIT_OK=(
  [steady-noscan]=1 [pointer-heavy]=1 [grow-release]=1 [bursty]=1 [large-objects]=1 [near-limit]=1
)

if [[ -n "$PROGS_SEL" ]]; then
  read -r -a PROGS <<<"$PROGS_SEL"
else
  PROGS=("${ALL_PROGS[@]}")
fi

# Go 1.19 gctrace line (POSIX ERE version of the regex in README.md).
GCTRACE_RE='^gc [0-9]+ @[0-9.]+s [0-9]+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.]+\+[0-9.]+/[0-9.]+/[0-9.]+\+[0-9.]+ ms cpu, [0-9]+->[0-9]+->[0-9]+ MB, [0-9]+ MB goal, [0-9]+ MB stacks, [0-9]+ MB globals, [0-9]+ P( \(forced\))?$'

BIN="$(mktemp -d "${TMPDIR:-/tmp}/gogcsim-validation.XXXXXX")"
trap 'rm -rf "$BIN"' EXIT

echo "building with $GOVERSION" >&2
for p in "${PROGS[@]}"; do
  (cd "$HERE" && GO111MODULE=on "$GO" build -o "$BIN/$p" "./$p")
done

mkdir -p "$OUT"
START_EPOCH=$(date +%s)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -a)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "mem_total: $(grep -m1 MemTotal /proc/meminfo | awk '{print $2 " " $3}')"
  echo "go: $GOVERSION"
  echo "GOMAXPROCS: 2 (all runs)"
  echo "reps: $REPS"
  echo "quick: $QUICK"
  echo "programs: ${PROGS[*]}"
} >"$OUT/MACHINE.txt"

# run_one PROG GOGC LIMIT STEM [GODEBUG]
# Runs the program once; writes STEM.gctrace and STEM.summary.json.
TOTAL_LINES=0
run_one() {
  local prog="$1" gogc="$2" lim="$3" stem="$4" godebug="${5:-gctrace=1}"
  local err out
  err="$(mktemp "$BIN/err.XXXXXX")"
  out="$(mktemp "$BIN/out.XXXXXX")"
  local -a envs=(GOMAXPROCS=2 "GOGC=$gogc" "GODEBUG=$godebug")
  if [[ "$lim" != none ]]; then envs+=("GOMEMLIMIT=$lim"); fi
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  env -u GOMEMLIMIT -u GOGC -u GODEBUG -u GOMAXPROCS "${envs[@]}" \
    timeout 300 "$BIN/$prog" >"$out" 2>"$err" || rc=$?
  t1=$(date +%s.%N)
  if [[ $rc -ne 0 ]]; then
    echo "FAILED ($rc): $prog GOGC=$gogc GOMEMLIMIT=$lim" >&2
    cat "$err" | tail -5 >&2
    return 1
  fi
  if [[ "$godebug" == gctrace=1 ]]; then
    grep -E "$GCTRACE_RE" "$err" >"$stem.gctrace" || true
    local n other
    n=$(wc -l <"$stem.gctrace")
    other=$(grep -vcE "$GCTRACE_RE" "$err" || true)
    TOTAL_LINES=$((TOTAL_LINES + n))
    if [[ "$other" -ne 0 ]]; then
      echo "note: $prog $stem: $other non-gctrace stderr line(s) dropped" >&2
    fi
  else
    cp "$err" "$stem.txt"
  fi
  grep -m1 '^{' "$out" >"$stem.summary.json"
  printf '%-14s GOGC=%-4s lim=%-7s %6ss %5s GCs\n' "$prog" "$gogc" "$lim" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" \
    "$(if [[ -f "$stem.gctrace" ]]; then wc -l <"$stem.gctrace"; else echo -; fi)" >&2
}

# Clear old matrix files of the programs being recorded.
for p in "${PROGS[@]}"; do
  mkdir -p "$OUT/$p"
  rm -f "$OUT/$p"/gogc*_lim*_rep*.gctrace "$OUT/$p"/gogc*_lim*_rep*.summary.json
done

for ((rep = 1; rep <= REPS; rep++)); do
  for p in "${PROGS[@]}"; do
    read -r -a lims <<<"${LIMITS[$p]}"
    if [[ "$QUICK" == 1 ]]; then
      gogcs="100 off"
      lims=(none "${lims[0]}")
    else
      gogcs="$GOGCS_FULL"
      lims=(none "${lims[@]}")
    fi
    for g in $gogcs; do
      for l in "${lims[@]}"; do
        if [[ "$g" == off && "$l" == none && -z "${OFF_NOLIMIT_OK[$p]:-}" ]]; then
          continue
        fi
        run_one "$p" "$g" "$l" "$OUT/$p/gogc${g}_lim${l}_rep${rep}"
      done
    done
  done
done

if [[ "$PACERTRACE" == 1 && " ${PROGS[*]} " == *" steady-noscan "* ]]; then
  # Full stderr (gcpacertrace + gctrace lines), GOGC=100, no limit.
  run_one steady-noscan 100 none "$OUT/steady-noscan/gogc100_pacertrace" "gctrace=1,gcpacertrace=1"
fi

END_EPOCH=$(date +%s)
echo "recording_seconds: $((END_EPOCH - START_EPOCH))" >>"$OUT/MACHINE.txt"
echo "gctrace_lines: $TOTAL_LINES (in the runs of this invocation)" >>"$OUT/MACHINE.txt"
echo "done in $((END_EPOCH - START_EPOCH)) s; $TOTAL_LINES gctrace lines" >&2

# Check every .gctrace line (with the exact regex from README.md) and print
# the results table.
if command -v python3 >/dev/null; then
  python3 "$HERE/summarize.py" "$OUT"
fi
