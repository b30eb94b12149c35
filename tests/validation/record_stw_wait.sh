#!/usr/bin/env bash
# Record why Go 1.19's stop-the-world pauses grow to milliseconds under a tight memory limit:
# near-limit at GOMEMLIMIT=200MiB has 13-15 sweep-termination pauses of 2.7-7.4 ms a run
# (60-85 ms in all), none without a limit. A stop waits for every running goroutine to reach a
# safe point, and a goroutine inside mheap.allocSpan runs on the system stack, not preemptible:
# its synchronous scavenging (the memory limit's overage and heap-growth scavenging, released
# with madvise before it returns) and the sweeping it does to reclaim pages first (mheap.alloc)
# hold the stop until they end.
#
# Usage: tests/validation/record_stw_wait.sh [--reps N]
# Needs the Go source (golang-1.19-src). GO as in record.sh.
#
# near-limit is built against a runtime (-overlay of mheap.go and proc.go, made from the
# installed source) that times every allocSpan scavenge and every reclaim, and every
# stopTheWorldWithSema's wait for the Ps to stop, noting whether a scavenge or a reclaim was
# running when the stop began; it prints the counts at exit. GOGC=100, GOMAXPROCS=2, no limit,
# 240MiB and 200MiB, N repetitions: recordings/near-limit/stw_wait.tsv, one row per run, and
# the run's sweep-termination pauses over 1 ms from its gctrace.
set -euo pipefail

HELP_LINES=17
source "$(dirname "${BASH_SOURCE[0]}")/record_options.sh"
SRC="$("$GO" env GOROOT)/src/runtime"
[[ -f "$SRC/mheap.go" && -f "$SRC/proc.go" ]] || { echo "record_stw_wait.sh: $SRC not found (install golang-1.19-src)" >&2; exit 2; }

# mheap.go: time allocSpan's scavenge call and mheap.alloc's reclaim; count them while running.
awk '
/^\t\th\.pages\.scavenge\(bytesToScavenge, func\(\) bool \{$/ {
  print "\t\tgogcsimScavStart := nanotime()"
  print "\t\tatomic.Xadd(&gogcsimInScav, 1)"
  print; getline; print; getline; print
  print "\t\tatomic.Xadd(&gogcsimInScav, -1)"
  print "\t\tgogcsimNote(&gogcsimScav, nanotime()-gogcsimScavStart, uint64(bytesToScavenge), growth > 0)"
  scav = 1; next
}
/^\t\t\th\.reclaim\(npages\)$/ {
  print "\t\t\tgogcsimReclaimStart := nanotime()"
  print "\t\t\tatomic.Xadd(&gogcsimInReclaim, 1)"
  print
  print "\t\t\tatomic.Xadd(&gogcsimInReclaim, -1)"
  print "\t\t\tgogcsimNote(&gogcsimReclaim, nanotime()-gogcsimReclaimStart, uint64(npages)*pageSize, false)"
  reclaim = 1; next
}
{ print }
END {
  if (!scav || !reclaim) exit 1
  print "\n// Added by gogcsim'"'"'s record_stw_wait.sh."
  print "type gogcsimCalls struct{ calls, ns, bytes, long, longNs, growth uint64 }"
  print "var gogcsimScav, gogcsimReclaim gogcsimCalls"
  print "var gogcsimInScav, gogcsimInReclaim uint32"
  print "func gogcsimNote(c *gogcsimCalls, ns int64, bytes uint64, growth bool) {"
  print "\tatomic.Xadd64(&c.calls, 1)"
  print "\tatomic.Xadd64(&c.ns, ns)"
  print "\tatomic.Xadd64(&c.bytes, int64(bytes))"
  print "\tif growth {"
  print "\t\tatomic.Xadd64(&c.growth, 1)"
  print "\t}"
  print "\tif ns >= 1000000 {"
  print "\t\tatomic.Xadd64(&c.long, 1)"
  print "\t\tatomic.Xadd64(&c.longNs, ns)"
  print "\t}"
  print "}"
}' "$SRC/mheap.go" > "$TMP/mheap.go" || { echo "record_stw_wait.sh: $SRC/mheap.go is not the Go 1.19 layout this patches" >&2; exit 2; }

# proc.go: time each stop's wait; print every count when main returns.
awk '
/^func stopTheWorldWithSema\(\) \{$/ {
  print; print "\tgogcsimStopStart := nanotime()"
  print "\tgogcsimScavAtStop, gogcsimReclaimAtStop := atomic.Load(&gogcsimInScav), atomic.Load(&gogcsimInReclaim)"
  stop = 1; next
}
stop == 1 && /^\t\/\/ sanity checks$/ {
  print "\tgogcsimNoteStop(nanotime()-gogcsimStopStart, gogcsimScavAtStop > 0, gogcsimReclaimAtStop > 0)"
  print; stop = 2; next
}
/^\texit\(0\)$/ && !printed {
  print "\tgogcsimPrint()"
  print; printed = 1; next
}
{ print }
END {
  if (stop != 2 || !printed) exit 1
  print "\n// Added by gogcsim'"'"'s record_stw_wait.sh."
  print "var gogcsimStops, gogcsimLongStops, gogcsimLongStopNs, gogcsimLongStopsScav, gogcsimLongStopsReclaim, gogcsimMaxStopNs uint64"
  print "func gogcsimNoteStop(ns int64, scav, reclaim bool) {"
  print "\tgogcsimStops++"
  print "\tif uint64(ns) > gogcsimMaxStopNs {"
  print "\t\tgogcsimMaxStopNs = uint64(ns)"
  print "\t}"
  print "\tif ns < 1000000 {"
  print "\t\treturn"
  print "\t}"
  print "\tgogcsimLongStops++"
  print "\tgogcsimLongStopNs += uint64(ns)"
  print "\tif scav {"
  print "\t\tgogcsimLongStopsScav++"
  print "\t}"
  print "\tif reclaim {"
  print "\t\tgogcsimLongStopsReclaim++"
  print "\t}"
  print "}"
  print "func gogcsimPrint() {"
  print "\tprintln(\"gogcsim-stw\", gogcsimStops, gogcsimLongStops, gogcsimLongStopNs, gogcsimLongStopsScav, gogcsimLongStopsReclaim, gogcsimMaxStopNs,"
  print "\t\tgogcsimScav.calls, gogcsimScav.ns, gogcsimScav.bytes, gogcsimScav.long, gogcsimScav.longNs, gogcsimScav.growth,"
  print "\t\tgogcsimReclaim.calls, gogcsimReclaim.ns, gogcsimReclaim.bytes, gogcsimReclaim.long, gogcsimReclaim.longNs)"
  print "}"
}' "$SRC/proc.go" > "$TMP/proc.go" || { echo "record_stw_wait.sh: $SRC/proc.go is not the Go 1.19 layout this patches" >&2; exit 2; }
printf '{"Replace":{"%s":"%s","%s":"%s"}}\n' "$SRC/mheap.go" "$TMP/mheap.go" "$SRC/proc.go" "$TMP/proc.go" > "$TMP/overlay.json"

"$GO" build -overlay "$TMP/overlay.json" -o "$TMP/near-limit" ./near-limit
OUT="recordings/near-limit/stw_wait.tsv"
{
  header "near-limit, GOGC=100, GOMAXPROCS=2, a runtime that times its stops and allocSpan's scavenging"
  echo "# stops: stopTheWorldWithSema calls; long: its wait for the Ps >= 1 ms (ns in all, how many began with an"
  echo "# allocSpan scavenge or a reclaim running, the longest wait); scav_*: allocSpan's scavenge calls (ns, bytes"
  echo "# asked, >= 1 ms: count and ns, calls after a heap growth); reclaim_*: mheap.alloc's reclaim (ns, bytes"
  echo "# asked, >= 1 ms); gctrace_long_sweepterm_ms: the gctrace's sweep-termination pauses over 1 ms"
  printf 'limit\trep\tstops\tlong_stops\tlong_stop_ns\tlong_stops_scav\tlong_stops_reclaim\tmax_stop_ns\tscav_calls\tscav_ns\tscav_bytes\tscav_long\tscav_long_ns\tscav_growth_calls\treclaim_calls\treclaim_ns\treclaim_bytes\treclaim_long\treclaim_long_ns\tgctrace_long_sweepterm_ms\n'
  for lim in none 240MiB 200MiB; do
    env_lim=()
    [[ "$lim" != none ]] && env_lim=(GOMEMLIMIT="$lim")
    for rep in $(seq 1 "$REPS"); do
      env GOMAXPROCS=2 GOGC=100 GODEBUG=gctrace=1 "${env_lim[@]}" "$TMP/near-limit" > /dev/null 2> "$TMP/err.txt"
      counts="$(grep '^gogcsim-stw ' "$TMP/err.txt" | cut -d' ' -f2- | tr ' ' '\t')"
      long_a="$(grep '^gc ' "$TMP/err.txt" | awk '{split($5, a, "+"); if (a[1] > 1) s = s (s ? "," : "") a[1]} END {print (s ? s : "-")}')"
      printf '%s\t%d\t%s\t%s\n' "$lim" "$rep" "$counts" "$long_a"
    done
  done
} > "$OUT.tmp"
publish "$OUT"
