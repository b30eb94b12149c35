// steady-noscan: steady churn over a fixed, pointer-free live heap.
//
// Workload (numbers; "measured" values are from this machine, GOMAXPROCS=2,
// GOGC=100, no limit — see README.md for the full matrix):
//   - live heap: 8192 []byte buffers x 8 KiB = 64 MiB, pointer-free (noscan);
//     the only pointerful object is the 8192-entry slice header array (192 KiB).
//   - workers: 2 goroutines, each owns half the live buffers.
//   - work: 1,200,000 iterations per worker (2,400,000 total).
//   - each iteration allocates one short-lived []byte whose size cycles
//     deterministically through {64,128,256,512,1024,2048} (mean 672 B;
//     size classes are exact) and stores it in a per-worker ring of 256 slots,
//     so it dies after 256 iterations of that worker (~256*672 = 168 KiB
//     of young data per worker).
//   - mutator work per iteration: fill the new buffer byte by byte and sum
//     512 bytes (stride 8 over 4 KiB) of a random live buffer.
//   - every 64 iterations a worker replaces one of its live 8 KiB buffers
//     (new 8 KiB noscan alloc; the old buffer dies). Live size stays 64 MiB.
//   - allocation per iteration: 672 B + 8192/64 = 800 B average;
//     total ~ 2.4M * 800 B = ~1.83 GiB (plus 64 MiB initial live set).
//   - measured (GOGC=100, no limit, 3 reps): 1,895 MiB allocated in total,
//     2.45M mallocs, wall 1.04-2.34 s, i.e. 0.79-1.78 GiB/s (noisy VM; typical
//     ~1.1 s, ~1.7 GiB/s).
package main

import (
	"gogcsim/validation/internal/gcsummary"
	"sync"
)

const (
	liveBufs       = 8192
	liveBufSize    = 8 << 10
	workers        = 2
	itersPerWorker = 1_200_000
	ringSize       = 256
	replaceEvery   = 64
)

var sizes = [...]int{64, 128, 256, 512, 1024, 2048}

var live [][]byte
var sink [workers]uint64

func main() {
	rec := gcsummary.Start("steady-noscan")
	live = make([][]byte, liveBufs)
	for i := range live {
		b := make([]byte, liveBufSize)
		b[0] = byte(i)
		live[i] = b
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := gcsummary.XorShift(0x9E3779B97F4A7C15 + uint64(w))
			ring := make([][]byte, ringSize)
			var acc uint64
			for i := 0; i < itersPerWorker; i++ {
				b := make([]byte, sizes[i%len(sizes)])
				// mutator work: fill the new buffer and checksum 4 KiB (stride 8)
				// of a random live buffer.
				for j := range b {
					b[j] = byte(i + j)
				}
				lb := live[rng.Intn(liveBufs/workers)*workers+w]
				for j := 0; j < 4096; j += 8 {
					acc += uint64(lb[j])
				}
				if old := ring[i%ringSize]; old != nil {
					acc += uint64(old[0])
				}
				ring[i%ringSize] = b
				if i%replaceEvery == 0 {
					// worker w owns indices with idx%workers == w
					idx := rng.Intn(liveBufs/workers)*workers + w
					nb := make([]byte, liveBufSize)
					nb[0] = byte(i)
					live[idx] = nb
				}
			}
			sink[w] = acc
		}(w)
	}
	wg.Wait()
	rec.Finish(map[string]int64{"workers": workers, "iterations": workers * itersPerWorker})
}
