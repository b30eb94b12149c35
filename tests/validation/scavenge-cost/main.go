// scavenge-cost: what returning free heap pages to the OS costs, by how the free pages lie.
//
// Allocates 512 MiB of SIZE-byte pointer-free objects (every 4 KiB page written), keeps one
// of every STRIDE of them and drops the rest, so the free pages come in runs of
// (STRIDE-1) x SIZE bytes between kept objects (STRIDE 1000000: all of them, one contiguous
// run). After two GCs (the sweep done) it times debug.FreeOSMemory, which releases every free
// page (madvise MADV_DONTNEED per run), and prints the MiB released, the ms it took and the
// ns per byte.
//
// Usage: scavenge-cost STRIDE SIZE   (GOMAXPROCS=2)
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

var keep [][]byte

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: scavenge-cost STRIDE SIZE")
		os.Exit(2)
	}
	stride, err1 := strconv.Atoi(os.Args[1])
	size, err2 := strconv.Atoi(os.Args[2])
	if err1 != nil || err2 != nil || stride < 1 || size < 8192 {
		fmt.Fprintln(os.Stderr, "STRIDE >= 1, SIZE >= 8192 bytes")
		os.Exit(2)
	}
	debug.SetGCPercent(-1)
	n := (512 << 20) / size
	all := make([][]byte, n)
	for i := range all {
		b := make([]byte, size)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		all[i] = b
	}
	for i := 0; i < n; i += stride {
		keep = append(keep, all[i])
	}
	all = nil
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	debug.FreeOSMemory()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	released := float64(after.HeapReleased - before.HeapReleased)
	fmt.Printf("%.1f\t%.2f\t%.3f\n", released/1048576, float64(took.Microseconds())/1000, float64(took.Nanoseconds())/released)
	runtime.KeepAlive(keep)
}
