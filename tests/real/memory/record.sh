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
# Contention: the programs need both cores.  Before each run the script waits (bounded)
# until other processes use < QUIET_MAX_BUSY cores (default 0.3, measured over 0.5 s), and
# a run during which other processes used > 30% of its wall time in CPU
# (host_other_cpu_s in the JSON) is re-run, up to RETRIES (default 8) re-runs in total.
# recordings/RUNLOG.txt lists every run incl. discarded ones.
# Usage: tests/real/memory/record.sh            (all programs, 3 reps; ~1.5-3 min on 2 cores)
#        REPS=1 PROGS="grow-shrink" tests/real/memory/record.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-/usr/lib/go-1.19/bin/go}"
REPS="${REPS:-3}"
PROGS="${PROGS:-small-churn mixed-sizes large-objects grow-shrink}"
QUIET_MAX_BUSY="${QUIET_MAX_BUSY:-0.3}"   # cores used by others that still count as quiet
QUIET_WAIT_S="${QUIET_WAIT_S:-20}"        # max wait before one run
QUIET_TOTAL_S="${QUIET_TOTAL_S:-180}"     # max total waiting
RETRIES="${RETRIES:-8}"
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

rm -f "$OUT/RUNLOG.txt"
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

busy_jiffies() { # host busy (user+nice+system+irq+softirq+steal) and total jiffies
  awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat
}
waited_total=0
wait_quiet() { # bounded wait until other processes use < QUIET_MAX_BUSY cores
  local start now b0 t0 b1 t1 ok
  start=$(date +%s)
  while :; do
    read -r b0 t0 < <(busy_jiffies); sleep 0.5; read -r b1 t1 < <(busy_jiffies)
    ok=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$(nproc)" -v m="$QUIET_MAX_BUSY" \
         'BEGIN{c=(t>0)?b/t*n:0; printf "%s %.2f", (c<m)?"1":"0", c}')
    now=$(date +%s)
    if [ "${ok%% *}" = 1 ] || [ $((now - start)) -ge "$QUIET_WAIT_S" ] || [ "$waited_total" -ge "$QUIET_TOTAL_S" ]; then
      waited_total=$((waited_total + now - start))
      echo "${ok#* }"
      return
    fi
    sleep 1
  done
}

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
      while :; do
        busy_before=$(wait_quiet)
        env "${envs[@]}" "$BIN/$p" -out "$prefix" 2> "$prefix.trace"
        line="$(grep '^gogcsim-summary' "$prefix.trace" | cut -d' ' -f3-)"
        contended=$(awk -v l="$line" 'BEGIN{n=split(l,a," "); for(i=1;i<=n;i++){split(a[i],kv,"="); v[kv[1]]=kv[2]}
                    print (v["other_cpu_s"] > 0.3*v["wall_s"]) ? 1 : 0}')
        echo "rep $r $p $name others_before=${busy_before}cores contended=$contended: $line" | tee -a "$OUT/RUNLOG.txt" >&2
        if [ "$contended" = 1 ] && [ "$RETRIES" -gt 0 ]; then
          RETRIES=$((RETRIES - 1)); echo "  -> re-running (contended)" | tee -a "$OUT/RUNLOG.txt" >&2; continue
        fi
        break
      done
    done < <(settings_for "$p")
  done
done
t1=$(date +%s)
echo "recording_wall_s: $((t1 - t0)) (of which waiting for a quiet machine: ${waited_total} s)" >> "$OUT/MACHINE.txt"
echo "recorded in $((t1 - t0)) s" >&2

if command -v python3 >/dev/null; then
  python3 "$HERE/summarize.py" "$OUT" > "$OUT/SUMMARY.md"
  echo "wrote $OUT/SUMMARY.md" >&2
fi
