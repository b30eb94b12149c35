// mixed-sizes: objects across many size classes (48 B .. 32 KiB), ~half pointerful,
// moderate lifetimes from a per-worker ring (sliding window) of recent objects.
//
// Everything is deterministic: fixed seeds, fixed counts, runtime.GOMAXPROCS(2).
// Build/run: see ../record.sh (GOMAXPROCS=2, GOGC=100|200).  Flags: -out <prefix>, -iters N.
//
// Size mix (bytes:probability:kind) -- every size is an exact Go size class:
//
//	   48:.400  ptr     *node{a,b *node; c [4]int64}; a -> one of 1024 permanent nodes, b nil
//	  128:.200  noscan  []byte
//	  512:.150  ptr     []*node, 64 slots; [0] and [63] -> permanent nodes, rest nil
//	 1024:.100  noscan  []byte
//	 2048:.060  noscan  []byte
//	 4096:.040  ptr     []*node, 512 slots; [0] and [511] -> permanent nodes, rest nil
//	 8192:.030  noscan  []byte
//	16384:.015  noscan  []byte
//	32768:.005  noscan  []byte        (32 KiB = largest small size class)
//	mean 1166.08 B; by count 59% pointerful, by bytes 22.3% pointerful (259.84 of 1166.08 B).
//
// Every []byte is written at byte 0, every 4096th byte and the last byte. Pointers only point
// to the 1024 permanent 48 B nodes (allocated at start, seed 1), so they never extend lifetimes.
//
// 2 worker goroutines (seeds 200, 201), 4,500,000 iterations each; one iteration = exactly 1
// allocation, stored in the worker's ring of 32768 slots (56 B slot struct, pointerful,
// 1.75 MiB per worker), overwriting (killing) the object allocated 32768 iterations earlier
// => lifetime = 32768 allocations of its worker (~17 ms). Total 9,000,000 allocations, 10.49 GB.
//
// Steady live heap ~ 2*32768*1166.08 B = 72.9 MiB objects + 3.5 MiB ring slots + 48 KiB permanent
// + 1.2 MiB sampler ~ 77.6 MiB (reached after the first 32768 allocations per worker, ~17 ms).
// Measured on this machine (2 vCPU Xeon, Go 1.19.8, mean of 3 reps, recordings/):
//
//	GOGC=100: wall 2.38 s, 4.40e9 B/s, 3.77e6 objects/s, 96 GCs; gctrace marked ~108 MiB, goal ~218 MiB
//	GOGC=200: wall 2.21 s, 4.75e9 B/s, 4.08e6 objects/s, 44 GCs; marked ~134 MiB, goal ~407 MiB
package main

import (
	"flag"
	"math/rand"
	"runtime"
	"sync"

	"gogcsim/realmemory/internal/pages"
	"gogcsim/realmemory/internal/sampler"
)

// node is a 48-byte pointerful struct (size class 48).
type node struct {
	a, b *node
	c    [4]int64
}

// Kinds: bytes, probability, pointerful?
//
//	0: *node            48 B  ptr   (a -> permanent node, b = nil)
//	1: []byte          128 B  noscan
//	2: []*node (64)    512 B  ptr   ([0], [63] -> permanent nodes, rest nil)
//	3: []byte         1024 B  noscan
//	4: []byte         2048 B  noscan
//	5: []*node (512)  4096 B  ptr   ([0], [511] -> permanent nodes, rest nil)
//	6: []byte         8192 B  noscan
//	7: []byte        16384 B  noscan
//	8: []byte        32768 B  noscan
var sizes = []int{48, 128, 512, 1024, 2048, 4096, 8192, 16384, 32768}
var probs = []float64{0.40, 0.20, 0.15, 0.10, 0.06, 0.04, 0.03, 0.015, 0.005}
var pointerful = []bool{true, false, true, false, false, true, false, false, false}

const (
	workers     = 2
	ringN       = 32768 // per worker: an object dies after 32768 further allocations of its worker
	permN       = 1024  // permanent 48 B nodes that pointerful objects point into
	permSeed    = 1
	workerSeed0 = 200
)

var iters = flag.Int("iters", 4_500_000, "allocations per worker")

var perm []*node

// slot holds exactly one live object (the other fields nil). 56 B, pointerful.
type slot struct {
	n *node
	b []byte
	p []*node
}

func pick(cum []float64, r *rand.Rand) int {
	u := r.Float64()
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(2)
	cum := make([]float64, len(probs))
	mean, acc := 0.0, 0.0
	for i, p := range probs {
		acc += p
		cum[i] = acc
		mean += p * float64(sizes[i])
	}
	cum[len(cum)-1] = 1
	s := sampler.Start("mixed-sizes", map[string]any{
		"sizes": sizes, "probs": probs, "pointerful": pointerful, "mean_size": mean,
		"workers": workers, "ring_n": ringN, "perm_n": permN, "iters_per_worker": *iters,
		"steady_live_objects_bytes_est": mean * ringN * workers,
	})
	r0 := rand.New(rand.NewSource(permSeed))
	perm = make([]*node, permN)
	for i := range perm {
		perm[i] = &node{c: [4]int64{r0.Int63()}}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(workerSeed0 + w)))
			ring := make([]slot, ringN)
			j := 0
			for i := 0; i < *iters; i++ {
				k := pick(cum, r)
				var sl slot
				switch k {
				case 0:
					sl.n = &node{a: perm[r.Intn(permN)], c: [4]int64{int64(i)}}
				case 2, 5:
					p := make([]*node, sizes[k]/8)
					p[0] = perm[r.Intn(permN)]
					p[len(p)-1] = perm[r.Intn(permN)]
					sl.p = p
				default:
					b := make([]byte, sizes[k])
					pages.Touch(b)
					sl.b = b
				}
				ring[j] = sl
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
	runtime.KeepAlive(perm)
	s.Stop()
}
