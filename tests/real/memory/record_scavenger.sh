#!/usr/bin/env bash
# gogcsim: record what the REAL Go 1.19 background scavenger does in the memory programs:
# how often it runs, how much CPU it takes and how many bytes it releases per CPU second.
# Ground truth for the scavenger's pacing and cost in the fluid and object levels
# (models/costs.md, "Scavenging"; tests/604_real_memory.cpp reads the recording).
#
# Needs Go 1.19.x (GO=..., default /usr/lib/go-1.19/bin/go), awk, 2 idle cores.
# Usage: tests/real/memory/record_scavenger.sh   (REPS=3 PROGS="mixed-sizes large-objects grow-shrink")
#
# Each run: GOMAXPROCS=2 GOGC=<G> GODEBUG=gctrace=1,scavtrace=1 and a runtime/trace
# (SAMPLER_TRACE). The scavenger is the runtime goroutine that sleeps on its timer (GoSleep:
# bgscavenge's scavengerState.sleep); its stretches on a P come from the trace, the bytes it
# released from scavtrace's "work" (background releases only, summed over the run). Columns:
#   gcs          GC cycles
#   runs         its stretches on a P of 0.05 ms or more (work runs; shorter ones found nothing)
#   cpu_ms       its time on a P in all
#   released_mib what it released
#   ns_per_byte  cpu_ms / released bytes
# Tracing slows the programs (walls ~20 % longer); the scavenger itself emits no events.
# Writes recordings/scavenger.tsv.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPS="${REPS:-3}"
PROGS="${PROGS:-mixed-sizes large-objects grow-shrink}"
TMP_NAME=scav
source "$HERE/go_env.sh"
OUT="$HERE/recordings/scavenger.tsv"
{
  echo "# GOMAXPROCS=2, $("$GO" version | cut -d' ' -f3), $(date -u +%Y-%m-%d), $(nproc) CPUs, by tests/real/memory/record_scavenger.sh"
  printf 'program\tgogc\trep\twall_s\tgcs\truns\tcpu_ms\treleased_mib\tns_per_byte\n'
  for p in $PROGS; do
    (cd "$HERE" && "$GO" build -o "$TMP/$p" "./$p")
    for gogc in 100 200; do
      for rep in $(seq 1 "$REPS"); do
        GOMAXPROCS=2 GOGC="$gogc" GODEBUG=gctrace=1,scavtrace=1 SAMPLER_TRACE="$TMP/run.trace" \
          "$TMP/$p" -out "$TMP/run" 2> "$TMP/stderr.txt"
        "$GO" tool trace -d "$TMP/run.trace" 2>/dev/null | sort -n -k1,1 -s > "$TMP/events.txt"
        gcs=$(grep -c '^gc ' "$TMP/stderr.txt")
        released=$(awk '/^scav /{k += $2} END {printf "%.1f", k / 1024}' "$TMP/stderr.txt")
        wall=$(awk '/^gogcsim-summary/{for (i = 1; i <= NF; i++) if ($i ~ /^wall_s=/) print substr($i, 8)}' "$TMP/stderr.txt")
        # The runtime's goroutines are created before main.main runs (by g=0); the scavenger is
        # the one of them with the most timer sleeps.
        g=$(awk '$2 == "GoCreate" && $4 == "g=0" {rt[$(NF-1)] = 1}
                 $2 == "GoSleep" && ($4 in rt) {n[$4]++}
                 END {best = ""; for (k in n) if (best == "" || n[k] > n[best]) best = k; print best}' "$TMP/events.txt")
        awk -v G="$g" -v p="$p" -v gogc="$gogc" -v rep="$rep" -v wall="$wall" -v gcs="$gcs" -v rel="$released" '
          $2 == "GoStart" && $(NF-1) == G {start = $1}
          $4 == G && start && $2 ~ /^Go(Sleep|Block|BlockSync|BlockCond|BlockRecv|BlockSend|BlockSelect|Preempt|Sched|End|SysBlock)$/ {
            d = $1 - start; cpu += d; if (d >= 50000) runs++; start = 0 }
          END { printf "%s\t%s\t%s\t%s\t%d\t%d\t%.1f\t%s\t%.3f\n", p, gogc, rep, wall, gcs, runs, cpu / 1e6, rel,
                       (rel > 0 ? cpu / (rel * 1048576) : 0) }' "$TMP/events.txt"
      done
    done
  done
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
