// small-churn: short-lived small objects churning over a fixed ~64 MiB live set.
//
// Everything is deterministic: fixed seeds, fixed counts, runtime.GOMAXPROCS(2).
// Build/run: see ../record.sh (GOMAXPROCS=2, GOGC=100|200).  Flags: -out <prefix>, -iters N.
//
// Size mix (bytes:probability) -- every size is an exact Go size class, so no rounding waste:
//
//	16:.10 24:.10 32:.15 48:.15 64:.15 96:.10 128:.10 192:.06 256:.05 384:.02 512:.02   (mean 90.24 B)
//
// Pointers: independently of size, 10% of objects are []*byte with size/8 slots (scan class;
// slot 0 points to a global, the rest nil); 90% are pointer-free []byte, each written at
// byte 0, every 4096th byte and the last byte (so all pages are really touched). No tiny
// allocations (tiny allocator = noscan < 16 B; smallest object here is 16 B).
//
// Phase 1 "live set" (main goroutine, seed 1, ~0.15 s): draw from the mix until the sizes sum
// to >= 64 MiB. Result: 743,576 objects (669,674 []byte + 73,902 []*byte) = 67,109,360 B,
// plus 19,619,832 B (18.7 MiB) of pointerful index slices ([][]byte, [][]*byte backing
// arrays, 24 B/object incl. append slack; earlier append copies become garbage). Never freed.
// Phase 2 "churn": 2 worker goroutines (seeds 100, 101), 25,000,000 iterations each; one
// iteration = exactly 1 allocation from the mix, stored in the worker's ring of 1024 slots,
// overwriting (killing) the object that worker allocated 1024 iterations earlier
// => lifetime = 1024 allocations of its worker (~90 us); churn live ~ 2*1024*90 B = 180 KiB.
// Total: 50,743,576 allocations, 4.68 GB (runtime count, by size class).
//
// True live heap ~ 64 MiB objects + 18.7 MiB index + 0.2 MiB rings/ring slices + 1.2 MiB sampler ~ 84 MiB.
// Measured on this machine (2 vCPU Xeon, Go 1.19.8, mean of 3 reps, recordings/):
//
//	GOGC=100: wall 2.26 s, 2.07e9 B/s, 2.25e7 objects/s, 49 GCs; gctrace marked ~113 MiB, goal ~226 MiB
//	GOGC=200: wall 2.09 s, 2.24e9 B/s, 2.43e7 objects/s, 24 GCs; marked ~120 MiB, goal ~360 MiB
//
// (marked > true live because objects allocated during the ~21 ms mark phase are allocated black.)
package main

import (
	"flag"
	"math/rand"
	"runtime"
	"sync"

	"gogcsim/realmemory/internal/pages"
	"gogcsim/realmemory/internal/sampler"
)

// Object size distribution (bytes -> probability), lognormal-ish, median ~48 B.
var sizes = []int{16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512}
var probs = []float64{0.10, 0.10, 0.15, 0.15, 0.15, 0.10, 0.10, 0.06, 0.05, 0.02, 0.02}

const (
	ptrFrac     = 0.10     // fraction of objects allocated as []*byte (pointerful, slots nil); rest []byte
	liveTarget  = 64 << 20 // live set: objects allocated at start until their sizes sum to this
	workers     = 2
	ringN       = 1024 // per-worker ring: a churn object dies after 1024 further allocations of its worker
	liveSeed    = 1
	workerSeed0 = 100
)

var iters = flag.Int("iters", 25_000_000, "churn allocations per worker")

type dist struct{ cum []float64 }

func newDist(p []float64) dist {
	c := make([]float64, len(p))
	s := 0.0
	for i, v := range p {
		s += v
		c[i] = s
	}
	c[len(c)-1] = 1
	return dist{c}
}

func (d dist) pick(r *rand.Rand) int {
	u := r.Float64()
	for i, c := range d.cum {
		if u < c {
			return i
		}
	}
	return len(d.cum) - 1
}

// liveSet is reachable for the whole run.
var anchor byte // pointerful objects point their first slot here

var liveB [][]byte
var liveP [][]*byte

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(2)
	d := newDist(probs)
	mean := 0.0
	for i := range sizes {
		mean += float64(sizes[i]) * probs[i]
	}
	s := sampler.Start("small-churn", map[string]any{
		"sizes": sizes, "probs": probs, "mean_size": mean, "ptr_frac": ptrFrac,
		"live_target_bytes": liveTarget, "workers": workers, "ring_n": ringN,
		"iters_per_worker": *iters,
	})

	// Phase 1: build the live set (single goroutine).
	r := rand.New(rand.NewSource(liveSeed))
	total := 0
	for total < liveTarget {
		sz := sizes[d.pick(r)]
		if r.Float64() < ptrFrac {
			o := make([]*byte, sz/8)
			o[0] = &anchor
			liveP = append(liveP, o)
		} else {
			o := make([]byte, sz)
			pages.Touch(o)
			liveB = append(liveB, o)
		}
		total += sz
	}
	nb, np, bb, bp := 0, 0, 0, 0
	for _, o := range liveB {
		nb++
		bb += len(o)
	}
	for _, o := range liveP {
		np++
		bp += 8 * len(o)
	}
	s.Param("live_objects_noscan", nb)
	s.Param("live_objects_ptr", np)
	s.Param("live_object_bytes", bb+bp)
	s.Param("live_index_bytes", 24*(cap(liveB)+cap(liveP)))
	s.Mark("live_built")

	// Phase 2: churn.
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(workerSeed0 + w)))
			ringB := make([][]byte, ringN)
			ringP := make([][]*byte, ringN)
			j := 0
			for i := 0; i < *iters; i++ {
				sz := sizes[d.pick(r)]
				if r.Float64() < ptrFrac {
					o := make([]*byte, sz/8)
					o[0] = &anchor
					ringP[j] = o
					ringB[j] = nil
				} else {
					o := make([]byte, sz)
					pages.Touch(o)
					ringB[j] = o
					ringP[j] = nil
				}
				j++
				if j == ringN {
					j = 0
				}
			}
		}(w)
	}
	wg.Wait()
	s.Mark("churn_done")
	runtime.KeepAlive(liveB)
	runtime.KeepAlive(liveP)
	s.Stop()
}
