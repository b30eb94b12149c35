# Sourced by record_scavenging.sh and record_scavenger_trace.sh (after record_options.sh, which
# sets GO): `counting_runtime DIR` writes DIR/overlay.json, an -overlay of runtime/mem.go made
# from the installed Go source, whose sysUnused adds every call (each madvise(MADV_DONTNEED)
# of heap pages, by the background scavenger or an allocating goroutine) to two counters.
# Programs built with it and `-tags gogcsim_released` print them in their summary
# (released_bytes, released_calls: internal/gcsummary/released_counted.go). Counting inside the
# process keeps the scavenger's timing, which strace does not: it slows every madvise by tens
# of microseconds, and the background scavenger, which works 1 ms a run, then releases a
# fraction of what it does untraced (grow-release: 141-322 MiB under strace, 207-507 counted).
counting_runtime() {
  local dir="$1" mem_go
  mem_go="$("$GO" env GOROOT)/src/runtime/mem.go"
  [[ -f "$mem_go" ]] || { echo "$0: $mem_go not found (install golang-1.19-src)" >&2; exit 2; }
  awk '
$0 == "import \"unsafe\"" { print "import (\n\t\"runtime/internal/atomic\"\n\t\"unsafe\"\n)"; imported = 1; next }
/^func sysUnused\(v unsafe.Pointer, n uintptr\) \{$/ {
  print; print "\tatomic.Xadd64(&gogcsimReleasedBytes, int64(n))"; print "\tatomic.Xadd64(&gogcsimReleasedCalls, 1)"; counted = 1; next
}
{ print }
END {
  if (!imported || !counted) exit 1
  print "\n// Added by gogcsim'"'"'s counting_runtime.sh: bytes and calls released to the OS."
  print "var gogcsimReleasedBytes, gogcsimReleasedCalls uint64"
}' "$mem_go" > "$dir/mem.go" || { echo "$0: $mem_go is not the Go 1.19 layout counting_runtime.sh patches" >&2; exit 2; }
  printf '{"Replace":{"%s":"%s"}}\n' "$mem_go" "$dir/mem.go" > "$dir/overlay.json"
}
