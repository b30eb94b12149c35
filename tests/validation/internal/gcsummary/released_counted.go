//go:build gogcsim_released

package gcsummary

import (
	"sync/atomic"
	_ "unsafe" // go:linkname
)

// gogcsimReleasedBytes and gogcsimReleasedCalls are the counters that counting_runtime.sh
// adds to the runtime (an -overlay of runtime/mem.go): every sysUnused call, i.e. every
// madvise(MADV_DONTNEED) of heap pages, adds its bytes and one call.
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
