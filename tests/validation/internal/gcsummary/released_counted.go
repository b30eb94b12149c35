//go:build gogcsim_released

package gcsummary

import (
	"sync/atomic"
	_ "unsafe" // go:linkname
)

// gogcsimReleasedBytes and gogcsimReleasedCalls are counters that record_scavenging.sh adds
// to its build of the runtime (an -overlay of runtime/mem.go, generated from the installed
// source): every sysUnused call, i.e. every madvise(MADV_DONTNEED) of heap pages, adds its
// bytes and one call. Counting inside the process keeps the scavenger's timing: under
// strace each madvise costs tens of microseconds more, and the background scavenger, which
// works 1 ms a run, releases a fraction of what it otherwise would.
//
//go:linkname gogcsimReleasedBytes runtime.gogcsimReleasedBytes
var gogcsimReleasedBytes uint64

//go:linkname gogcsimReleasedCalls runtime.gogcsimReleasedCalls
var gogcsimReleasedCalls uint64

// released returns the heap bytes the runtime has released to the OS so far, and in how many
// calls; counted is true.
func released() (bytes, calls uint64, counted bool) {
	return atomic.LoadUint64(&gogcsimReleasedBytes), atomic.LoadUint64(&gogcsimReleasedCalls), true
}
