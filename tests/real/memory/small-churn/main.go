// small-churn: short-lived small objects churning over a fixed ~64 MiB live set.
//
// HEADER-PLACEHOLDER
package main

import (
	"flag"
	"math/rand"
	"runtime"
	"sync"

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

// touch writes one byte per 4 KiB (and the last byte) so every page of the object is
// really written, as a real program would (fresh OS pages are otherwise never faulted
// in: the allocator skips zeroing memory it knows is already zero).
func touch(b []byte) {
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	b[len(b)-1] = 1
}

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
			touch(o)
			liveB = append(liveB, o)
		}
		total += sz
	}
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
					touch(o)
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
