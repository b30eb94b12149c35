// large-objects: large (> 32 KiB, 64 KiB .. 1 MiB) pointer-free objects with a ring lifetime.
//
// Everything is deterministic: fixed seeds, fixed counts, runtime.GOMAXPROCS(2).
// Build/run: see ../record.sh (GOMAXPROCS=2, GOGC=100|200).  Flags: -out <prefix>, -iters N.
//
// Size mix (bytes:probability), all pointer-free []byte (noscan), all > 32 KiB (large-object
// path: own span, size rounded up to 8 KiB pages; 100000 -> 106496 B, 300000 -> 303104 B):
//
//	65536:.30 100000:.20 131072:.15 262144:.15 300000:.10 524288:.06 1048576:.04
//	mean 202,043.5 B requested, 203,653.1 B page-rounded (what the runtime counts).
//
// Every object is written at byte 0, every 4096th byte and the last byte (all pages touched).
// 2 worker goroutines (seeds 300, 301), 90,000 iterations each; one iteration = exactly 1
// allocation, stored in the worker's ring of 256 slots, overwriting (killing) the object
// allocated 256 iterations earlier => lifetime = 256 allocations of its worker (~6 ms).
// Total 180,000 allocations, 36.47 GB.
//
// Steady live heap ~ 2*256*203,653 B = 99.4 MiB (+ 1.2 MiB sampler).
// Measured on this machine (2 vCPU Xeon, Go 1.19.8, mean of 3 reps, recordings/):
//
//	GOGC=100: wall 2.20 s, 1.66e10 B/s, 8.2e4 objects/s, 368 GCs; gctrace marked ~101 MiB, goal ~202 MiB
//	GOGC=200: wall 2.25 s, 1.62e10 B/s, 8.0e4 objects/s, 184 GCs; marked ~101 MiB, goal ~306 MiB
//
// (mark phase ~0.3 ms: nothing to scan, so no allocate-black inflation of the marked heap.)
package main

import (
	"flag"
	"math/rand"
	"runtime"
	"sync"

	"gogcsim/realmemory/internal/pages"
	"gogcsim/realmemory/internal/sampler"
)

// All objects are []byte (pointer-free, no scan). 100000 and 300000 are deliberately
// not multiples of the 8 KiB page so large-object page rounding shows up in heap_unused.
var sizes = []int{65536, 100000, 131072, 262144, 300000, 524288, 1048576}
var probs = []float64{0.30, 0.20, 0.15, 0.15, 0.10, 0.06, 0.04}

const (
	workers     = 2
	ringN       = 256 // per worker: an object dies after 256 further allocations of its worker
	workerSeed0 = 300
)

var iters = flag.Int("iters", 90_000, "allocations per worker")

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(2)
	cum := make([]float64, len(probs))
	mean, meanPages, acc := 0.0, 0.0, 0.0
	for i, p := range probs {
		acc += p
		cum[i] = acc
		mean += p * float64(sizes[i])
		meanPages += p * float64((sizes[i]+8191)/8192*8192)
	}
	cum[len(cum)-1] = 1
	s := sampler.Start("large-objects", map[string]any{
		"sizes": sizes, "probs": probs, "pointerful": false, "mean_size": mean,
		"mean_size_page_rounded": meanPages, "workers": workers, "ring_n": ringN,
		"iters_per_worker": *iters, "steady_live_objects_bytes_est": mean * ringN * workers,
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(workerSeed0 + w)))
			ring := make([][]byte, ringN)
			j := 0
			for i := 0; i < *iters; i++ {
				u := r.Float64()
				k := len(cum) - 1
				for x, c := range cum {
					if u < c {
						k = x
						break
					}
				}
				b := make([]byte, sizes[k])
				pages.Touch(b)
				ring[j] = b
				j++
				if j == ringN {
					j = 0
				}
			}
			runtime.KeepAlive(ring)
		}(w)
	}
	wg.Wait()
	s.Mark("done")
	s.Stop()
}
